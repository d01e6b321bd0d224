"""Draft and live: which copy of a page each viewer sees (next to publishing.py, which makes
the live copy).

Readers always get the page's live revision — whatever path reaches the page (``page``,
``pages``, ``node``, a comment's or a section's ``page``, search); editors always get the
working copy (the page and section rows). One global ID therefore names one state for each
viewer: other states (the live revision for editors, older revisions, a preview) are read
as objects of their own.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from cms.errors import CmsError, ErrorCode
from cms.models import Page, PageStatus, Revision
from cms.services.auth import Viewer, require_editor
from cms.services.pages import get_live_page
from cms.services.search import SearchScope

LoadRevision = Callable[[int], Awaitable[Revision | None]]


@dataclass(frozen=True)
class ContentView:
    """``working``: the page and section rows; ``revision_pk``: that revision's snapshot;
    neither: decided by the viewer (editors: working copy, readers: live revision)."""

    working: bool = False
    revision_pk: int | None = None

    @property
    def is_concrete(self) -> bool:
        return self.working or self.revision_pk is not None


AUTO = ContentView()
WORKING = ContentView(working=True)


class HiddenPage(CmsError):
    """A reader reached a page that has nothing live (it behaves like a missing page)."""

    code = ErrorCode.NOT_FOUND


def sees_working_copy(viewer: Viewer | None) -> bool:
    """Editors work on the working copy; everyone else reads what is live."""
    return viewer is not None and viewer.is_editor


def concrete_view(viewer: Viewer | None, page: Page, view: ContentView = AUTO) -> ContentView:
    """The copy of ``page`` that ``view`` shows to ``viewer``; raises :class:`HiddenPage`
    for a reader of a page with nothing live."""
    if view.is_concrete:
        return view
    if sees_working_copy(viewer):
        return WORKING
    if page.live_revision_id is not None and page.status is PageStatus.PUBLISHED:
        return ContentView(revision_pk=page.live_revision_id)
    # Published before revisions existed (or loaded directly as PUBLISHED): the rows are live.
    if page.status is PageStatus.PUBLISHED:
        return WORKING
    raise HiddenPage("No page to see here.")


def check_revision_of(page: Page, revision: Revision | None) -> Revision:
    """The revision a view names, if it is one of ``page``'s (else the page is hidden)."""
    if revision is None or revision.page_id != page.id:
        raise HiddenPage("No such revision of this page.")
    return revision


SLUG_COLUMN_LENGTH = Page._meta.fields_map["slug"].max_length


async def page_by_slug(viewer: Viewer | None, slug: str) -> tuple[Page, Revision | None] | None:
    """The page ``viewer`` reaches by ``slug``: editors by its working slug, readers by the
    slug that is live (with the live revision, read in the same statement)."""
    if len(slug) > SLUG_COLUMN_LENGTH:  # no page has it (and the ORM refuses to compare)
        return None
    if sees_working_copy(viewer):
        page = await Page.get_or_none(slug=slug)
        return (page, None) if page is not None else None
    return await get_live_page(slug)


async def has_unpublished_changes(
    viewer: Viewer | None, page: Page, load_revision: LoadRevision
) -> bool | None:
    """Whether the working copy differs from what readers see (always for a page that is
    not published); None for readers, who see no working copy."""
    if not sees_working_copy(viewer):
        return None
    if page.status is not PageStatus.PUBLISHED:
        return True
    if page.live_revision_id is None:
        return False
    live = await load_revision(page.live_revision_id)
    return live is None or live.page_version != page.version


def search_scope(viewer: Viewer | None, drafts: bool) -> SearchScope:
    """What a search reads: what is live, or — for editors only — the working copies."""
    if not drafts:
        return SearchScope.LIVE
    require_editor(viewer)
    return SearchScope.DRAFT
