"""Mutations on sections: thin wrappers around cms.services.sections.

Each resolver checks the caller's role before it decodes an ID, so a caller without the
right token learns nothing about its input; the service checks again for other callers.
"""

from typing import Annotated

import strawberry

from cms.services import sections
from cms.services.auth import require_editor
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import working_copy_edited
from schema.payloads import DeletePayload
from schema.relay import decode_id, decode_optional_id
from schema.revision.autosave import autosave_field, autosave_window
from schema.section.types import Section


@strawberry.type(description="The result of a section mutation: the section, or errors.")
class SectionPayload:
    section: Section | None = strawberry.field(description="The section as saved; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A new section of a page.")
class CreateSectionInput:
    page_id: strawberry.ID = strawberry.field(description="The page it belongs to.")
    version: int | None = strawberry.field(
        default=None,
        description="The page's version you started from; CONFLICT if it changed since. "
        "Null skips the check.",
    )
    title: str | None = strawberry.field(default=None, description="Heading; null for none.")
    body: str = strawberry.field(default="", description="Content in Markdown.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Nest it in this section of the same page; null: top level."
    )
    position: int | None = strawberry.field(
        default=None, description="Zero-based place among its siblings; null: at the end."
    )
    anchor: str | None = strawberry.field(
        default=None,
        description="Anchor for #links: a slug not used elsewhere on the page; null: derived "
        "from the title.",
    )
    autosave: bool = autosave_field()


@strawberry.input(description="Changes to a section; omitted fields stay as they are.")
class UpdateSectionInput:
    id: strawberry.ID = strawberry.field(description="The section's global ID.")
    version: int = strawberry.field(
        description="The page's version you started from; CONFLICT if it changed since."
    )
    title: str | None = strawberry.field(
        default=None, description="A new heading; an empty string makes it untitled."
    )
    body: str | None = strawberry.field(default=None, description="New Markdown content.")
    anchor: str | None = strawberry.field(
        default=None,
        description="A new anchor: a slug not used elsewhere on the page (it does not follow "
        "title changes by itself).",
    )
    autosave: bool = autosave_field()


@strawberry.input(description="Where to move a section: reorder, or reparent within its page.")
class MoveSectionInput:
    id: strawberry.ID = strawberry.field(description="The section to move.")
    version: int = strawberry.field(
        description="The page's version you started from; CONFLICT if it changed since."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="The new parent; null moves it to the top level."
    )
    position: int | None = strawberry.field(
        default=None, description="Zero-based place among its new siblings; null: at the end."
    )
    autosave: bool = autosave_field()


@strawberry.input(description="Identifies one section.")
class SectionIdInput:
    id: strawberry.ID = strawberry.field(description="The section's global ID.")
    version: int | None = strawberry.field(
        default=None,
        description="The page's version you started from; CONFLICT if it changed since. "
        "Null skips the check.",
    )
    autosave: bool = autosave_field()


CreateSectionArg = Annotated[
    CreateSectionInput, strawberry.argument(description="The new section's fields and place.")
]
UpdateSectionArg = Annotated[
    UpdateSectionInput, strawberry.argument(description="The section and the fields to change.")
]
MoveSectionArg = Annotated[
    MoveSectionInput, strawberry.argument(description="The section and where to move it.")
]
SectionIdArg = Annotated[SectionIdInput, strawberry.argument(description="The section to delete.")]


async def _section_payload(info: Info, call) -> SectionPayload:  # noqa: ANN001 - a coroutine factory
    section, errors = await run_mutation(call)
    await working_copy_edited(info, section.page_id if section else None)
    return SectionPayload(
        section=await Section.load(info, section) if section else None, errors=errors
    )


@strawberry.type
class SectionMutations:
    @strawberry.mutation(description="Add a section to a page. Editors only.")
    async def create_section(self, info: Info, input: CreateSectionArg) -> SectionPayload | None:
        viewer = require_editor(info.context.viewer)
        return await _section_payload(
            info,
            lambda: sections.create_section(
                viewer,
                decode_id(input.page_id, "Page", "pageId"),
                title=input.title,
                body=input.body,
                parent_id=decode_optional_id(input.parent_id, "Section", "parentId"),
                position=input.position,
                anchor=input.anchor,
                expected_version=input.version,
                autosave_window=autosave_window(info, input.autosave),
            ),
        )

    @strawberry.mutation(description="Change a section's heading, body or anchor. Editors only.")
    async def update_section(self, info: Info, input: UpdateSectionArg) -> SectionPayload | None:
        viewer = require_editor(info.context.viewer)
        return await _section_payload(
            info,
            lambda: sections.update_section(
                viewer,
                decode_id(input.id, "Section", "id"),
                title=input.title,
                body=input.body,
                anchor=input.anchor,
                expected_version=input.version,
                autosave_window=autosave_window(info, input.autosave),
            ),
        )

    @strawberry.mutation(description="Reorder or reparent a section (no cycles). Editors only.")
    async def move_section(self, info: Info, input: MoveSectionArg) -> SectionPayload | None:
        viewer = require_editor(info.context.viewer)
        return await _section_payload(
            info,
            lambda: sections.move_section(
                viewer,
                decode_id(input.id, "Section", "id"),
                parent_id=decode_optional_id(input.parent_id, "Section", "parentId"),
                position=input.position,
                expected_version=input.version,
                autosave_window=autosave_window(info, input.autosave),
            ),
        )

    @strawberry.mutation(description="Delete a section and all nested in it. Editors only.")
    async def delete_section(self, info: Info, input: SectionIdArg) -> DeletePayload | None:
        viewer = require_editor(info.context.viewer)
        section, errors = await run_mutation(
            lambda: sections.delete_section(
                viewer,
                decode_id(input.id, "Section", "id"),
                expected_version=input.version,
                autosave_window=autosave_window(info, input.autosave),
            )
        )
        await working_copy_edited(info, section.page_id if section else None)
        return DeletePayload(deleted_id=input.id if section else None, errors=errors)
