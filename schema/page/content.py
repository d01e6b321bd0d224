"""The content a page object shows, read through the loaders: the fields and section tree
of the copy its view names. Which copy each viewer sees is the services' rule
(cms/services/draft_state.py); other states (the live revision for editors, older
revisions, a preview) are ``Revision`` and ``PagePreview`` objects of their own."""

from dataclasses import dataclass
from datetime import datetime

from cms import models
from cms.services.draft_state import ContentView, check_revision_of, concrete_view
from schema.asset.figures import attach_figures
from schema.context import Info
from schema.loaders import SectionTree


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


async def page_content(info: Info, page: models.Page, view: ContentView) -> PageContent:
    view = concrete_view(info.context.viewer, page, view)
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
    revision = check_revision_of(page, await info.context.loaders.revision.load(view.revision_pk))
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
