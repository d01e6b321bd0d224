"""Admins create and deactivate studio users: thin wrappers around cms.services.users."""

from datetime import timedelta
from typing import Annotated

import strawberry

from cms import models
from cms.services import auth, users
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see
from schema.relay import decode_id
from schema.user.types import User
from schema.viewer import Role


@strawberry.type(description="A new user, and the one-time secret to choose their password.")
class CreateUserPayload:
    user: User | None = strawberry.field(description="The new user; null on error.")
    set_password_path: str | None = strawberry.field(
        description="The path of their one-time set-password page on this site "
        "(/studio/set-password/…). Shown only once: send it to them."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="The result of deactivating a user.")
class DeactivateUserPayload:
    user: User | None = strawberry.field(description="The user as saved; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A new studio user.")
class CreateUserInput:
    email: str = strawberry.field(description="Their sign-in email (unique).")
    display_name: str = strawberry.field(description="The name shown in the studio (max 100).")
    role: Role = strawberry.field(description="EDITOR or ADMIN.")


@strawberry.input(description="Identifies one user.")
class UserIdInput:
    id: strawberry.ID = strawberry.field(description="The user's global ID.")


CreateUserArg = Annotated[CreateUserInput, strawberry.argument(description="The new user.")]
UserIdArg = Annotated[UserIdInput, strawberry.argument(description="The user to deactivate.")]
SET_PASSWORD_PATH = "/studio/set-password/"


@strawberry.type
class UserMutations:
    @strawberry.mutation(
        description="Create a studio user, who chooses a password through a one-time link. "
        "Admins only."
    )
    async def create_user(self, info: Info, input: CreateUserArg) -> CreateUserPayload | None:
        viewer = auth.require_admin(info.context.viewer)
        changed_nothing_readers_see(info)
        settings = info.context.settings

        async def create() -> tuple[models.User, str]:
            user = await users.admin_creates_user(
                viewer, input.email, input.display_name, models.Role(input.role.value)
            )
            max_age = timedelta(seconds=settings.password_link_max_age_seconds)
            return user, await users.create_password_link(user, max_age)

        result, errors = await run_mutation(create)
        user, secret = result if result else (None, None)
        return CreateUserPayload(
            user=User.from_model(user) if user else None,
            set_password_path=SET_PASSWORD_PATH + secret if secret else None,
            errors=errors,
        )

    @strawberry.mutation(
        description="Deactivate a user at once: their studio sessions end and their API "
        "tokens are revoked (open WebSockets are closed). Admins only; not yourself."
    )
    async def deactivate_user(self, info: Info, input: UserIdArg) -> DeactivateUserPayload | None:
        viewer = auth.require_admin(info.context.viewer)
        changed_nothing_readers_see(info)
        user, errors = await run_mutation(
            lambda: users.admin_deactivates_user(
                viewer, decode_id(input.id, "User", "id"), info.context.events
            )
        )
        return DeactivateUserPayload(user=User.from_model(user) if user else None, errors=errors)
