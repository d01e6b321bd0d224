"""Per-request DataLoaders: every read of related rows goes through here, so a query costs
a fixed number of SQL statements whatever the amount of content."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from cms.errors import CmsError
from cms.media.download_links import ShownAsset
from cms.models import Asset, Comment, Page, Revision, Section
from cms.services import comment_threads
from cms.services.comment_threads import ThreadLevel
from cms.services.hand_written_sql import in_list, select_where
from cms.services.pagination import PageRequest, Slice
from cms.services.snapshots import snapshot_sections
from cms.services.users import users_by_ids


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
    # The library images (figures) and files (download links) the bodies show, by asset
    # id; None until they are read (schema/asset/figures.py).
    figures: dict[int, ShownAsset] | None = None

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


@dataclass(frozen=True)
class ThreadPageKey:
    """One page of approved comments: a page's top-level ones or a comment's replies."""

    level: ThreadLevel
    owner_id: int
    request: PageRequest
    max_page_size: int
    default: int


async def _load_pages(ids: Sequence[int]) -> list[Page | None]:
    pages = {page.id: page for page in await Page.filter(id__in=ids)}
    return [pages.get(page_id) for page_id in ids]


async def _load_assets(ids: Sequence[int]) -> list[Asset | None]:
    assets = {asset.id: asset for asset in await Asset.filter(id__in=ids)}
    return [assets.get(asset_id) for asset_id in ids]


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


async def _load_comment_totals(keys: Sequence[tuple[ThreadLevel, int]]) -> list[int]:
    totals: dict[tuple[ThreadLevel, int], int] = {}
    for level in {level for level, _ in keys}:
        owner_ids = [owner_id for key_level, owner_id in keys if key_level is level]
        counted = await comment_threads.count_approved(level, owner_ids)
        totals.update({(level, owner): n for owner, n in zip(owner_ids, counted, strict=True)})
    return [totals[key] for key in keys]


class Loaders:
    """One set per request, so nothing cached outlives the request that read it."""

    def __init__(self) -> None:
        self.page = DataLoader(load_fn=_load_pages)
        self.asset = DataLoader(load_fn=_load_assets)
        self.section_tree = DataLoader(load_fn=_load_section_trees)
        self.comment_page = DataLoader(load_fn=self._load_comment_pages)
        self.comment_total = DataLoader(load_fn=_load_comment_totals)
        self.shown_comment_counts = DataLoader(load_fn=comment_threads.count_shown)
        self.revision = DataLoader(load_fn=_load_revisions)
        self.user = DataLoader(load_fn=users_by_ids)
        self._revision_trees: dict[int, SectionTree] = {}

    async def _load_comment_pages(
        self, keys: Sequence[ThreadPageKey]
    ) -> list[Slice[Comment] | BaseException]:
        """Keys asking for the same page of different owners share one statement."""
        groups: dict[tuple, list[int]] = defaultdict(list)
        for key in keys:
            groups[(key.level, key.request, key.max_page_size, key.default)].append(key.owner_id)
        pages: dict[tuple, Slice[Comment] | BaseException] = {}
        for (level, request, max_page_size, default), owner_ids in groups.items():

            def count(owner_id: int, level: ThreadLevel = level) -> Callable[[], Awaitable[int]]:
                if level is ThreadLevel.TOP:  # counted with the page's commentCount
                    return lambda: self._top_level_count(owner_id)
                return lambda: self.comment_total.load((level, owner_id))

            try:
                found = await comment_threads.thread_pages(
                    level, owner_ids, request, max_page_size, default, count
                )
            except CmsError as error:
                found = [error] * len(owner_ids)
            for owner_id, page in zip(owner_ids, found, strict=True):
                pages[(level, owner_id, request, max_page_size, default)] = page
        return [pages[(k.level, k.owner_id, k.request, k.max_page_size, k.default)] for k in keys]

    async def _top_level_count(self, page_id: int) -> int:
        return (await self.shown_comment_counts.load(page_id)).top_level

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
