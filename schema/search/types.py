"""Search results: a page, or one of its sections, with a highlighted snippet."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from cms.services.draft_state import concrete_view
from cms.services.search import SearchHit
from schema.context import Info
from schema.page.content import section_tree

if TYPE_CHECKING:
    from schema.page.types import Page
    from schema.section.types import Section


@strawberry.type(description="One match: a page (its title or summary) or one of its sections.")
class SearchResult:
    page_pk: strawberry.Private[int]
    section_pk: strawberry.Private[int | None]
    title: str = strawberry.field(description="The matching page's or section's title.")
    snippet: str = strawberry.field(
        description="HTML: a short excerpt with the matched words in <mark>…</mark>; the "
        "rest of the text is escaped, so it is safe to insert."
    )
    rank: float = strawberry.field(description="Relevance: higher is better.")

    @classmethod
    def of(cls, hit: SearchHit) -> "SearchResult":
        return cls(
            page_pk=hit.page_id,
            section_pk=hit.section_id,
            title=hit.title,
            snippet=hit.snippet_html,
            rank=hit.rank,
        )

    @strawberry.field(
        description="The page that matched, or whose section matched, as the viewer sees it "
        "(readers: as published; editors: the working copy)."
    )
    async def page(
        self, info: Info
    ) -> Annotated["Page", strawberry.lazy("schema.page.types")] | None:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        return await Page.load(info, page) if page else None

    @strawberry.field(
        description="The section that matched, as the viewer sees it; null when the page "
        "itself matched (or, for editors, when the section has since been deleted)."
    )
    async def section(
        self, info: Info
    ) -> Annotated["Section", strawberry.lazy("schema.section.types")] | None:
        from schema.section.types import Section

        page = await info.context.loaders.page.load(self.page_pk)
        if self.section_pk is None or page is None:
            return None
        view = concrete_view(info.context.viewer, page)
        tree = await section_tree(info, page.id, view)
        found = tree.by_id.get(self.section_pk)
        return Section.in_tree(found, view, tree) if found else None
