"""Per-request DataLoaders: every read of related rows goes through here, so a query costs
a fixed number of SQL statements whatever the amount of content."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from cms.models import Comment, CommentStatus, Page, Revision, Section
from cms.services.hand_written_sql import in_list, select_where
from cms.services.snapshots import snapshot_sections


@dataclass(frozen=True)
class SnapshotSection:
    """A section as a revision recorded it: the same attributes as a Section row."""

    id: int
    page_id: int
    parent_id: int | None
    position: int
    title: str | None
    anchor: str
    body: str


@dataclass
class SectionTree:
    """All sections of one page, indexed for walking the tree in memory."""

    by_id: dict[int, Section | SnapshotSection] = field(default_factory=dict)
    children: dict[int | None, list[Section | SnapshotSection]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def add(self, section: Section | SnapshotSection) -> None:
        self.by_id[section.id] = section
        self.children[section.parent_id].append(section)

    def depth(self, parent_id: int | None) -> int:
        """How deep a section with this parent is nested (0: top level)."""
        depth = 0
        while parent_id is not None and parent_id in self.by_id:
            depth += 1
            parent_id = self.by_id[parent_id].parent_id
        return depth


@dataclass
class CommentThread:
    """A page's approved comments, indexed by the comment they reply to (None: top level)."""

    replies: dict[int | None, list[Comment]] = field(default_factory=lambda: defaultdict(list))

    @property
    def count(self) -> int:
        """The approved comments a reader can reach from the top of the thread: a reply whose
        parent was taken off approval is not shown in the thread, so it is not counted."""
        return len(self.in_reading_order())

    def in_reading_order(self) -> list[Comment]:
        """Every comment reachable from the top, each followed by its replies (depth first)."""
        ordered: list[Comment] = []
        waiting = list(reversed(self.replies.get(None, [])))
        while waiting:
            comment = waiting.pop()
            ordered.append(comment)
            waiting.extend(reversed(self.replies.get(comment.id, [])))
        return ordered


async def _load_pages(ids: Sequence[int]) -> list[Page | None]:
    pages = {page.id: page for page in await Page.filter(id__in=ids)}
    return [pages.get(page_id) for page_id in ids]


async def _load_section_trees(page_ids: Sequence[int]) -> list[SectionTree]:
    trees = {page_id: SectionTree() for page_id in page_ids}
    for section in await Section.filter(page_id__in=page_ids).order_by("position", "id"):
        trees[section.page_id].add(section)
    return [trees[page_id] for page_id in page_ids]


async def _load_revisions(ids: Sequence[int]) -> list[Revision | None]:
    # Readers' live revisions, on every request: hand-written SQL (see hand_written_sql.py).
    found = await select_where(Revision, f"id IN {in_list(len(ids))}", ids)
    revisions = {revision.id: revision for revision in found}
    return [revisions.get(revision_id) for revision_id in ids]


def snapshot_tree(revision: Revision) -> SectionTree:
    """The section tree a revision recorded (sections are stored parents first, in order)."""
    tree = SectionTree()
    for fields in sorted(snapshot_sections(revision.content), key=lambda s: s["position"]):
        tree.add(SnapshotSection(page_id=revision.page_id, **fields))
    return tree


async def _load_comment_threads(page_ids: Sequence[int]) -> list[CommentThread]:
    threads = {page_id: CommentThread() for page_id in page_ids}
    approved = Comment.filter(page_id__in=page_ids, status=CommentStatus.APPROVED)
    for comment in await approved.order_by("created_at", "id"):
        threads[comment.page_id].replies[comment.parent_id].append(comment)
    return [threads[page_id] for page_id in page_ids]


class Loaders:
    """One set per request, so nothing cached outlives the request that read it."""

    def __init__(self) -> None:
        self.page = DataLoader(load_fn=_load_pages)
        self.section_tree = DataLoader(load_fn=_load_section_trees)
        self.comment_thread = DataLoader(load_fn=_load_comment_threads)
        self.revision = DataLoader(load_fn=_load_revisions)
        self._revision_trees: dict[int, SectionTree] = {}

    async def revision_tree(self, revision_pk: int) -> SectionTree:
        """The tree a revision recorded, built once per request from the snapshot the
        ``revision`` loader reads (so a page's live revision is read once, for its fields and
        its sections, and several pages' revisions in one batch)."""
        tree = self._revision_trees.get(revision_pk)
        if tree is None:
            revision = await self.revision.load(revision_pk)
            tree = snapshot_tree(revision) if revision is not None else SectionTree()
            self._revision_trees[revision_pk] = tree
        return tree
