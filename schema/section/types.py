"""The Section type: one node of a page's content tree."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.rendering import body_to_html
from cms.services.draft_state import WORKING, ContentView
from schema.asset.figures import image_warnings
from schema.context import Info
from schema.loaders import SectionTree, SnapshotSection
from schema.page.content import section_tree
from schema.relay import Node, to_global_id

if TYPE_CHECKING:
    from schema.page.types import Page


@strawberry.type(description="A part of a page: an optional heading, a Markdown body, children.")
class Section(Node):
    pk: strawberry.Private[int]
    page_pk: strawberry.Private[int]
    parent_pk: strawberry.Private[int | None]
    # The working copy (section rows) or the revision this section was read from, and the
    # whole tree it belongs to: children, parent and depth are read from it in memory.
    view: strawberry.Private[ContentView]
    tree: strawberry.Private[SectionTree]
    title: str | None = strawberry.field(
        description="The heading, or null for an untitled section (a paragraph on its own)."
    )
    anchor: str = strawberry.field(
        description="Slug of the title, unique within the page: link to it as `#anchor`."
    )
    body: str = strawberry.field(description="The content, in Markdown (CommonMark).")
    body_html: str = strawberry.field(
        description="The body rendered to HTML and sanitised: safe to insert."
    )
    position: int = strawberry.field(
        description="Zero-based place among its siblings; numbered lists show `position + 1`."
    )
    children: list["Section"] = strawberry.field(
        description="The sections nested in this one, in order."
    )

    @classmethod
    def in_tree(
        cls, section: models.Section | SnapshotSection, view: ContentView, tree: SectionTree
    ) -> "Section":
        """The section with its descendants, all read from ``tree`` (built eagerly: they are
        plain attributes, which GraphQL resolves far faster than async resolvers)."""
        return cls(
            id=to_global_id("Section", section.id),
            pk=section.id,
            page_pk=section.page_id,
            parent_pk=section.parent_id,
            view=view,
            tree=tree,
            title=section.title,
            anchor=section.anchor,
            body=section.body,
            body_html=body_to_html(section.body, tree.figures or {}),
            position=section.position,
            children=[cls.in_tree(child, view, tree) for child in tree.children[section.id]],
        )

    @classmethod
    async def load(
        cls, info: Info, section: models.Section | SnapshotSection, view: ContentView = WORKING
    ) -> "Section":
        """The section, with the tree of its page in ``view`` loaded (one batched query)."""
        return cls.in_tree(section, view, await section_tree(info, section.page_id, view))

    @strawberry.field(
        description="What is wrong with the images and files the body shows: one message "
        "per `asset:` reference to an asset that is unknown or deleted (an image is left out "
        "of `bodyHtml`, a link shows its text alone), per link to an image, and per image "
        "without alt text. Empty for readers."
    )
    def image_warnings(self, info: Info) -> list[str]:
        viewer = info.context.viewer
        if viewer is None or not viewer.is_editor:
            return []
        section = self.tree.by_id.get(self.pk)
        return image_warnings(section.body, self.tree) if section else []

    @strawberry.field(description="How deep the section is nested: 0 for top-level sections.")
    def depth(self) -> int:
        return self.tree.depth(self.parent_pk)

    @strawberry.field(description="The section this one is nested in; null at the top level.")
    def parent(self) -> "Section | None":
        if self.parent_pk is None or self.parent_pk not in self.tree.by_id:
            return None
        return Section.in_tree(self.tree.by_id[self.parent_pk], self.view, self.tree)

    @strawberry.field(description="The page this section belongs to.")
    async def page(self, info: Info) -> Annotated["Page", strawberry.lazy("schema.page.types")]:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        assert page is not None, "a section always belongs to a page"
        return await Page.load(info, page, self.view)
