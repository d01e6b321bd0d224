"""SectionSnapshot: a section as a revision recorded it or a preview shows it.

It is deliberately not a Node: a normalised client cache (Apollo, urql, Relay) keys nodes by
their ID, and the same section's live, draft and historical content would overwrite each
other under one ID. A snapshot is stored inside the revision or preview that holds it, and
names the section it was taken from with ``sectionId``.
"""

import strawberry

from cms import models
from cms.rendering import body_to_html
from schema.asset.figures import image_warnings
from schema.loaders import SectionTree, SnapshotSection
from schema.relay import to_global_id


@strawberry.type(
    description="A section's content as a revision recorded it or a preview shows it. Not a "
    "node (it has no `id`), so client caches keep it inside its revision or preview; "
    "`sectionId` is the section's global ID."
)
class SectionSnapshot:
    section_id: strawberry.ID = strawberry.field(description="The section's global ID.")
    title: str | None = strawberry.field(description="The heading, or null if untitled.")
    anchor: str = strawberry.field(description="Slug of the title, unique within the page.")
    body: str = strawberry.field(description="The content, in Markdown (CommonMark).")
    body_html: str = strawberry.field(
        description="The body rendered to HTML and sanitised: safe to insert."
    )
    image_warnings: list[str] = strawberry.field(
        description="One message per `asset:` reference to an asset that is unknown or "
        "deleted (an image is left out of `bodyHtml`, a link shows its text alone), per link "
        "to an image, and per image without alt text."
    )
    position: int = strawberry.field(description="Zero-based place among its siblings.")
    depth: int = strawberry.field(description="How deep it is nested: 0 for top-level.")
    children: list["SectionSnapshot"] = strawberry.field(
        description="The sections nested in this one, in order."
    )

    @classmethod
    def in_tree(
        cls, section: models.Section | SnapshotSection, tree: SectionTree, depth: int = 0
    ) -> "SectionSnapshot":
        return cls(
            section_id=to_global_id("Section", section.id),
            title=section.title,
            anchor=section.anchor,
            body=section.body,
            body_html=body_to_html(section.body, tree.figures or {}),
            image_warnings=image_warnings(section.body, tree),
            position=section.position,
            depth=depth,
            children=[cls.in_tree(child, tree, depth + 1) for child in tree.children[section.id]],
        )

    @classmethod
    def top_level(cls, tree: SectionTree) -> list["SectionSnapshot"]:
        return [cls.in_tree(section, tree) for section in tree.children[None]]
