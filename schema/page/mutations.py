"""Mutations on pages: thin wrappers around cms.services.pages.

Each resolver checks the caller's role before it decodes an ID, so a caller without the
right token learns nothing about its input; the service checks again for other callers.
"""

from typing import Annotated

import strawberry

from cms.models import PageStatus
from cms.services import pages
from cms.services.auth import require_editor
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.page.types import Page
from schema.payloads import DeletePayload
from schema.relay import decode_id


@strawberry.type(description="The result of a page mutation: the page, or errors.")
class PagePayload:
    page: Page | None = strawberry.field(description="The page as saved; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A new page. It starts as a DRAFT.")
class CreatePageInput:
    slug: str = strawberry.field(description="Unique, lowercase letters, digits and hyphens.")
    title: str = strawberry.field(description="The page's title.")
    summary: str | None = strawberry.field(default=None, description="Optional short summary.")


@strawberry.input(description="Changes to a page; omitted fields stay as they are.")
class UpdatePageInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")
    slug: str | None = strawberry.field(default=None, description="A new slug.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    summary: str | None = strawberry.field(
        default=None, description="A new summary; an empty string removes it."
    )


@strawberry.input(description="Identifies one page.")
class PageIdInput:
    id: strawberry.ID = strawberry.field(description="The page's global ID.")


CreatePageArg = Annotated[
    CreatePageInput, strawberry.argument(description="The new page's fields.")
]
UpdatePageArg = Annotated[
    UpdatePageInput, strawberry.argument(description="The page and the fields to change.")
]
PageIdArg = Annotated[PageIdInput, strawberry.argument(description="The page to act on.")]


async def _page_payload(call) -> PagePayload:  # noqa: ANN001 - a zero-argument coroutine factory
    page, errors = await run_mutation(call)
    return PagePayload(page=Page.from_model(page) if page else None, errors=errors)


async def _set_status(info: Info, page_id: strawberry.ID, status: PageStatus) -> PagePayload:
    viewer = require_editor(info.context.viewer)
    return await _page_payload(
        lambda: pages.set_page_status(viewer, decode_id(page_id, "Page", "id"), status)
    )


@strawberry.type
class PageMutations:
    @strawberry.mutation(description="Create a draft page. Editors only.")
    async def create_page(self, info: Info, input: CreatePageArg) -> PagePayload:
        viewer = require_editor(info.context.viewer)
        return await _page_payload(
            lambda: pages.create_page(
                viewer, slug=input.slug, title=input.title, summary=input.summary
            )
        )

    @strawberry.mutation(description="Change a page's slug, title or summary. Editors only.")
    async def update_page(self, info: Info, input: UpdatePageArg) -> PagePayload:
        viewer = require_editor(info.context.viewer)
        return await _page_payload(
            lambda: pages.update_page(
                viewer,
                decode_id(input.id, "Page", "id"),
                slug=input.slug,
                title=input.title,
                summary=input.summary,
            )
        )

    @strawberry.mutation(description="Publish a page: readers can see it. Editors only.")
    async def publish_page(self, info: Info, input: PageIdArg) -> PagePayload:
        return await _set_status(info, input.id, PageStatus.PUBLISHED)

    @strawberry.mutation(description="Unpublish a page: back to DRAFT, hidden. Editors only.")
    async def unpublish_page(self, info: Info, input: PageIdArg) -> PagePayload:
        return await _set_status(info, input.id, PageStatus.DRAFT)

    @strawberry.mutation(
        description="Delete a page with its sections and comments, for good. Editors only."
    )
    async def delete_page(self, info: Info, input: PageIdArg) -> DeletePayload:
        viewer = require_editor(info.context.viewer)
        page, errors = await run_mutation(
            lambda: pages.delete_page(viewer, decode_id(input.id, "Page", "id"))
        )
        return DeletePayload(deleted_id=input.id if page else None, errors=errors)
