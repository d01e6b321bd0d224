"""Payload types shared by several mutations."""

import strawberry

from schema.errors import UserError


@strawberry.type(description="The result of a delete: the ID that is gone, or errors.")
class DeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="The global ID of the deleted object; null if nothing was deleted."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted, if so.")
