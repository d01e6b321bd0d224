"""PagePreview: the working copy of one page, for whoever holds a preview link."""

from datetime import datetime

import strawberry

from cms import models
from cms.services.draft_state import WORKING
from schema.context import Info
from schema.page.content import section_tree
from schema.relay import to_global_id
from schema.section.snapshot import SectionSnapshot


@strawberry.type(
    description="A page's working copy as a preview link shows it, read-only. Not a node: "
    "its content differs from what readers get for the same page, so a client cache keeps "
    "it apart from the `Page` with `pageId`."
)
class PagePreview:
    page_id: strawberry.ID = strawberry.field(description="The previewed page's global ID.")
    slug: str = strawberry.field(description="The slug the page will have once published.")
    title: str = strawberry.field(description="The working copy's title.")
    summary: str | None = strawberry.field(description="The working copy's summary, if any.")
    version: int = strawberry.field(description="The page version this preview shows.")
    updated_at: datetime = strawberry.field(description="When the working copy last changed.")
    sections: list[SectionSnapshot] = strawberry.field(
        description="The working copy's top-level sections, each with `children`."
    )

    @classmethod
    async def load(cls, info: Info, page: models.Page) -> "PagePreview":
        tree = await section_tree(info, page.id, WORKING)
        return cls(
            page_id=to_global_id("Page", page.id),
            slug=page.slug,
            title=page.title,
            summary=page.summary,
            version=page.version,
            updated_at=page.updated_at,
            sections=SectionSnapshot.top_level(tree),
        )
