"""Per-request DataLoaders: every read of related rows goes through here, so a query costs
a fixed number of SQL statements whatever the amount of content."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from cms.models import Comment, CommentStatus, Page, Section


@dataclass
class SectionTree:
    """All sections of one page, indexed for walking the tree in memory."""

    by_id: dict[int, Section] = field(default_factory=dict)
    children: dict[int | None, list[Section]] = field(default_factory=lambda: defaultdict(list))

    def depth(self, section: Section) -> int:
        depth, parent_id = 0, section.parent_id
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
        count = 0
        waiting: list[int | None] = [None]
        while waiting:
            replies = self.replies.get(waiting.pop(), [])
            count += len(replies)
            waiting.extend(reply.id for reply in replies)
        return count


async def _load_pages(ids: Sequence[int]) -> list[Page | None]:
    pages = {page.id: page for page in await Page.filter(id__in=ids)}
    return [pages.get(page_id) for page_id in ids]


async def _load_section_trees(page_ids: Sequence[int]) -> list[SectionTree]:
    trees = {page_id: SectionTree() for page_id in page_ids}
    for section in await Section.filter(page_id__in=page_ids).order_by("position", "id"):
        tree = trees[section.page_id]
        tree.by_id[section.id] = section
        tree.children[section.parent_id].append(section)
    return [trees[page_id] for page_id in page_ids]


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
