"""The Section type: one node of a page's content tree."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.rendering import markdown_to_html
from schema.context import Info
from schema.loaders import SnapshotSection
from schema.page.content import WORKING, ContentView, section_tree
from schema.relay import Node, to_global_id

if TYPE_CHECKING:
    from schema.page.types import Page


@strawberry.type(description="A part of a page: an optional heading, a Markdown body, children.")
class Section(Node):
    pk: strawberry.Private[int]
    page_pk: strawberry.Private[int]
    parent_pk: strawberry.Private[int | None]
    # The working copy (section rows) or the revision this section was read from.
    view: strawberry.Private[ContentView]
    title: str | None = strawberry.field(
        description="The heading, or null for an untitled section (a paragraph on its own)."
    )
    anchor: str = strawberry.field(
        description="Slug of the title, unique within the page: link to it as `#anchor`."
    )
    body: str = strawberry.field(description="The content, in Markdown (CommonMark).")
    position: int = strawberry.field(
        description="Zero-based place among its siblings; numbered lists show `position + 1`."
    )

    @classmethod
    def from_model(
        cls, section: models.Section | SnapshotSection, view: ContentView = WORKING
    ) -> "Section":
        return cls(
            id=to_global_id("Section", section.id),
            pk=section.id,
            page_pk=section.page_id,
            parent_pk=section.parent_id,
            view=view,
            title=section.title,
            anchor=section.anchor,
            body=section.body,
            position=section.position,
        )

    @strawberry.field(description="The body rendered to HTML and sanitised: safe to insert.")
    def body_html(self) -> str:
        return markdown_to_html(self.body)

    @strawberry.field(description="How deep the section is nested: 0 for top-level sections.")
    async def depth(self, info: Info) -> int:
        tree = await section_tree(info, self.page_pk, self.view)
        return tree.depth(tree.by_id[self.pk])

    @strawberry.field(description="The sections nested in this one, in order.")
    async def children(self, info: Info) -> list["Section"]:
        tree = await section_tree(info, self.page_pk, self.view)
        return [Section.from_model(child, self.view) for child in tree.children[self.pk]]

    @strawberry.field(description="The section this one is nested in; null at the top level.")
    async def parent(self, info: Info) -> "Section | None":
        if self.parent_pk is None:
            return None
        tree = await section_tree(info, self.page_pk, self.view)
        return Section.from_model(tree.by_id[self.parent_pk], self.view)

    @strawberry.field(description="The page this section belongs to.")
    async def page(self, info: Info) -> Annotated["Page", strawberry.lazy("schema.page.types")]:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        assert page is not None, "a section always belongs to a page"
        return Page.from_model(page, self.view)
