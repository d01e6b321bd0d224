"""Mutations on pages: thin wrappers around cms.services.pages and publishing.

Each resolver checks the caller's role before it decodes an ID, so a caller without the
right token learns nothing about its input; the service checks again for other callers.
Changes take the page `version` the editor started from: if it moved on, the payload has
an error with code CONFLICT and `currentVersion`, and nothing is saved.
"""

from typing import Annotated

import strawberry

from cms.models import PageStatus
from cms.services import pages, reader_changes
from cms.services.auth import require_editor
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import readers_see_changes, working_copy_edited
from schema.page.types import Page
from schema.payloads import DeletePayload
from schema.relay import decode_id, decode_optional_id
from schema.revision.autosave import autosave_field, autosave_window

VERSION_DESCRIPTION = "The page's version you started from; CONFLICT if it changed since."


@strawberry.type(description="The result of a page mutation: the page, or errors.")
class PagePayload:
    page: Page | None = strawberry.field(description="The page as saved; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A new page. It starts as a DRAFT.")
class CreatePageInput:
    slug: str = strawberry.field(description="Unique, lowercase letters, digits and hyphens.")
    title: str = strawberry.field(description="The page's title.")
    summary: str | None = strawberry.field(default=None, description="Optional short summary.")
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An Asset's global ID: the page's cover image (it needs alt text or "
        "to be marked decorative).",
    )


@strawberry.input(
    description="Changes to a page's working copy; omitted fields stay as they are. "
    "Readers see them once the page is published again."
)
class UpdatePageInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")
    version: int = strawberry.field(description=VERSION_DESCRIPTION)
    slug: str | None = strawberry.field(default=None, description="A new slug.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    summary: str | None = strawberry.field(
        default=None, description="A new summary; an empty string removes it."
    )
    message: str | None = strawberry.field(
        default=None, description="A short note kept with the revision this save records."
    )
    cover_image_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An Asset's global ID for the cover image (it needs alt text or to be "
        "marked decorative); an empty string removes the cover image.",
    )
    autosave: bool = autosave_field()


@strawberry.input(description="Identifies one page, optionally at the version you saw.")
class PageIdInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")
    version: int | None = strawberry.field(
        default=None, description=VERSION_DESCRIPTION + " Null skips the check."
    )


@strawberry.input(description="The page to publish, as you saw it.")
class PublishPageInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")
    version: int | None = strawberry.field(
        default=None, description=VERSION_DESCRIPTION + " Null skips the check."
    )
    message: str | None = strawberry.field(
        default=None, description="A short note kept with the PUBLISH revision."
    )


@strawberry.input(description="The page to delete, for good.")
class DeletePageInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")
    version: int | None = strawberry.field(
        default=None, description=VERSION_DESCRIPTION + " Null skips the check."
    )
    confirm: bool = strawberry.field(
        default=False,
        description="Must be true to delete a PUBLISHED page (unless you are an ADMIN).",
    )


CreatePageArg = Annotated[
    CreatePageInput, strawberry.argument(description="The new page's fields.")
]
UpdatePageArg = Annotated[
    UpdatePageInput, strawberry.argument(description="The page and the fields to change.")
]
PageIdArg = Annotated[PageIdInput, strawberry.argument(description="The page to act on.")]
PublishPageArg = Annotated[
    PublishPageInput, strawberry.argument(description="The page to publish.")
]
DeletePageArg = Annotated[DeletePageInput, strawberry.argument(description="The page.")]


async def page_payload(info: Info, call) -> PagePayload:  # noqa: ANN001 - a coroutine factory
    """Saves to the working copy."""
    page, errors = await run_mutation(call)
    await working_copy_edited(info, page.id if page else None)
    return PagePayload(page=await Page.load(info, page) if page else None, errors=errors)


async def _set_status(
    info: Info,
    page_id: strawberry.ID,
    status: PageStatus,
    version: int | None,
    message: str | None = None,
) -> PagePayload:
    viewer = require_editor(info.context.viewer)
    page, errors = await run_mutation(
        lambda: pages.set_page_status(
            viewer,
            decode_id(page_id, "Page", "id"),
            status,
            expected_version=version,
            message=message,
            events=info.context.events,
        ),
    )
    readers_see_changes(info, reader_changes.page_went_live_or_away(page.id) if page else ())
    return PagePayload(page=await Page.load(info, page) if page else None, errors=errors)


@strawberry.type
class PageMutations:
    @strawberry.mutation(description="Create a draft page. Editors only.")
    async def create_page(self, info: Info, input: CreatePageArg) -> PagePayload | None:
        viewer = require_editor(info.context.viewer)
        return await page_payload(  # a draft: readers see nothing
            info,
            lambda: pages.create_page(
                viewer,
                slug=input.slug,
                title=input.title,
                summary=input.summary,
                cover_image_id=decode_optional_id(input.cover_image_id, "Asset", "coverImageId"),
            ),
        )

    @strawberry.mutation(
        description="Change a page's slug, title, summary or cover image in its working copy "
        "(recorded as a SAVE revision). Editors only."
    )
    async def update_page(self, info: Info, input: UpdatePageArg) -> PagePayload | None:
        viewer = require_editor(info.context.viewer)
        return await page_payload(
            info,
            lambda: pages.update_page(
                viewer,
                decode_id(input.id, "Page", "id"),
                slug=input.slug,
                title=input.title,
                summary=input.summary,
                expected_version=input.version,
                message=input.message,
                cover_image_id=decode_optional_id(
                    input.cover_image_id or None, "Asset", "coverImageId"
                ),
                remove_cover_image=input.cover_image_id == "",
                autosave_window=autosave_window(info, input.autosave),
            ),
        )

    @strawberry.mutation(
        description="Publish the working copy: it is recorded as a PUBLISH revision and "
        "becomes what readers see. Editors only."
    )
    async def publish_page(self, info: Info, input: PublishPageArg) -> PagePayload | None:
        return await _set_status(info, input.id, PageStatus.PUBLISHED, input.version, input.message)

    @strawberry.mutation(description="Unpublish a page: back to DRAFT, hidden. Editors only.")
    async def unpublish_page(self, info: Info, input: PageIdArg) -> PagePayload | None:
        return await _set_status(info, input.id, PageStatus.DRAFT, input.version)

    @strawberry.mutation(
        description="Archive a page: hidden from readers, kept with its history. Editors only."
    )
    async def archive_page(self, info: Info, input: PageIdArg) -> PagePayload | None:
        return await _set_status(info, input.id, PageStatus.ARCHIVED, input.version)

    @strawberry.mutation(
        description="Delete a page with its sections, revisions and comments, for good. "
        "A PUBLISHED page needs `confirm: true` unless you are an ADMIN. Editors only."
    )
    async def delete_page(self, info: Info, input: DeletePageArg) -> DeletePayload | None:
        viewer = require_editor(info.context.viewer)
        page, errors = await run_mutation(
            lambda: pages.delete_page(
                viewer,
                decode_id(input.id, "Page", "id"),
                confirm=input.confirm,
                expected_version=input.version,
                events=info.context.events,
            )
        )
        readers_see_changes(info, reader_changes.page_went_live_or_away(page.id) if page else ())
        return DeletePayload(deleted_id=input.id if page else None, errors=errors)
