"""Which content of a page a GraphQL object shows: the working copy, or a revision.

Readers always get the page's live revision — whatever path reaches the page (``page``,
``pages``, ``node``, a comment's or a section's ``page``, search); editors always get the
working copy. One global ID therefore names one state for each viewer: other states (the
live revision for editors, older revisions, a preview) are read through ``Revision`` and
``PagePreview``, which are objects of their own (see :mod:`schema.revision.types`).
"""

from dataclasses import dataclass
from datetime import datetime

from cms import models
from cms.errors import CmsError, ErrorCode
from schema.asset.figures import attach_figures
from schema.context import Info
from schema.loaders import SectionTree


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


@dataclass(frozen=True)
class PageContent:
    """The fields that differ between a page's working copy and its revisions."""

    view: ContentView
    slug: str
    title: str
    summary: str | None
    version: int
    updated_at: datetime
    cover_image_id: int | None = None


class HiddenPage(CmsError):
    """A reader reached a page that has nothing live (it behaves like a missing page)."""

    code = ErrorCode.NOT_FOUND


def is_editor(info: Info) -> bool:
    viewer = info.context.viewer
    return viewer is not None and viewer.is_editor


def concrete_view(info: Info, page: models.Page, view: ContentView) -> ContentView:
    if view.is_concrete:
        return view
    if is_editor(info):
        return WORKING
    if page.live_revision_id is not None and page.status is models.PageStatus.PUBLISHED:
        return ContentView(revision_pk=page.live_revision_id)
    # Published before revisions existed (or loaded directly as PUBLISHED): the rows are live.
    if page.status is models.PageStatus.PUBLISHED:
        return WORKING
    raise HiddenPage("No page to see here.")


async def page_content(info: Info, page: models.Page, view: ContentView) -> PageContent:
    view = concrete_view(info, page, view)
    if view.revision_pk is None:
        return PageContent(
            view,
            page.slug,
            page.title,
            page.summary,
            page.version,
            page.updated_at,
            page.cover_image_id,
        )
    revision = await info.context.loaders.revision.load(view.revision_pk)
    if revision is None or revision.page_id != page.id:
        raise HiddenPage("No such revision of this page.")
    fields = revision.content["page"]
    return PageContent(
        view,
        fields["slug"],
        fields["title"],
        fields["summary"],
        revision.page_version,
        revision.created_at,
        fields.get("coverImageId"),
    )


async def section_tree(info: Info, page_id: int, view: ContentView) -> SectionTree:
    """The tree of a concrete view (working copy or revision), with the library images its
    bodies show."""
    if view.revision_pk is not None:
        tree = await info.context.loaders.revision_tree(view.revision_pk)
    else:
        tree = await info.context.loaders.section_tree.load(page_id)
    if tree.figures is None:
        await attach_figures(info, tree)
    return tree
