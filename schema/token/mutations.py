"""API tokens: admins create them (for themselves or another user) and revoke any; editors
revoke their own. Thin wrappers around cms.services.auth.

Each resolver checks the caller's role before it decodes an ID, so a caller without the
right learns nothing about its input; the service checks again.
"""

from datetime import datetime
from typing import Annotated

import strawberry

from cms import models
from cms.errors import ValidationFailed
from cms.services import auth
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see
from schema.relay import Node, decode_id, decode_optional_id, to_global_id
from schema.user.types import User, load_user
from schema.viewer import Role


@strawberry.type(
    description="An API token's record. The token itself is never stored. Admins see every "
    "token, editors their own."
)
class ApiToken(Node):
    owner_pk: strawberry.Private[int | None]
    name: str = strawberry.field(description="Who or what the token is for.")
    role: Role = strawberry.field(description="EDITOR or ADMIN.")
    created_at: datetime = strawberry.field(description="When it was created (UTC).")
    last_used_at: datetime | None = strawberry.field(
        description="When it last authenticated a request (UTC), if ever."
    )
    revoked: bool = strawberry.field(description="Whether it has been revoked.")

    @classmethod
    def from_model(cls, record: models.ApiToken) -> "ApiToken":
        return cls(
            id=to_global_id("ApiToken", record.id),
            owner_pk=record.user_id,
            name=record.name,
            role=Role(record.role.value),
            created_at=record.created_at,
            last_used_at=record.last_used_at,
            revoked=record.revoked,
        )

    @strawberry.field(description="The user it belongs to; null for tokens made without one.")
    async def owner(self, info: Info) -> User | None:
        return await load_user(info, self.owner_pk)


@strawberry.type(description="A new token: `token` is shown this once and cannot be recovered.")
class CreateApiTokenPayload:
    token: str | None = strawberry.field(
        description="The secret to send as `Authorization: Bearer <token>`. Shown only once."
    )
    api_token: ApiToken | None = strawberry.field(description="The stored record.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="The result of revoking a token.")
class RevokeApiTokenPayload:
    api_token: ApiToken | None = strawberry.field(description="The revoked token's record.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A new API token.")
class CreateApiTokenInput:
    name: str = strawberry.field(description="Who or what the token is for.")
    role: Role = strawberry.field(description="EDITOR or ADMIN.")
    user_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The user it belongs to (their global ID); default: the admin creating "
        "it. An editor's token cannot be an ADMIN token.",
    )


@strawberry.input(description="Identifies one API token.")
class ApiTokenIdInput:
    id: strawberry.ID = strawberry.field(description="The token record's global ID.")


CreateApiTokenArg = Annotated[
    CreateApiTokenInput, strawberry.argument(description="The new token's name and role.")
]
ApiTokenIdArg = Annotated[ApiTokenIdInput, strawberry.argument(description="The token to revoke.")]


@strawberry.type
class TokenMutations:
    @strawberry.mutation(description="Create an API token for a user. Admins only.")
    async def create_api_token(
        self,
        info: Info,
        input: CreateApiTokenArg,
    ) -> CreateApiTokenPayload | None:
        viewer = auth.require_admin(info.context.viewer)
        changed_nothing_readers_see(info)
        role = models.Role(input.role.value)
        result, errors = await run_mutation(
            lambda: auth.issue_token(
                viewer, input.name, role, decode_optional_id(input.user_id, "User", "userId")
            )
        )
        record, token = result if result else (None, None)
        return CreateApiTokenPayload(
            token=token, api_token=ApiToken.from_model(record) if record else None, errors=errors
        )

    @strawberry.mutation(
        description="Revoke an API token at once. Admins revoke any token, editors their own."
    )
    async def revoke_api_token(
        self,
        info: Info,
        input: ApiTokenIdArg,
    ) -> RevokeApiTokenPayload | None:
        viewer = auth.require_editor(info.context.viewer)
        changed_nothing_readers_see(info)

        def token_id() -> int:
            try:
                return decode_id(input.id, "ApiToken", "id")
            except ValidationFailed:
                auth.require_admin(viewer)  # an editor learns nothing from a bad ID
                raise

        record, errors = await run_mutation(
            lambda: auth.revoke_token_by_id(viewer, token_id(), info.context.events)
        )
        return RevokeApiTokenPayload(
            api_token=ApiToken.from_model(record) if record else None, errors=errors
        )
