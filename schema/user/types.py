"""The User type: a person who signs in to the studio (and may own API tokens)."""

from datetime import datetime

import strawberry

from cms import models
from schema.context import Info
from schema.relay import Node, to_global_id
from schema.viewer import Role


@strawberry.type(
    description="A person who signs in to the studio, and who is recorded as the author of "
    "revisions, moderation and webhooks. Editors only."
)
class User(Node):
    pk: strawberry.Private[int]
    email: str = strawberry.field(description="Their sign-in email, unique.")
    display_name: str = strawberry.field(description="The name shown in the studio.")
    role: Role = strawberry.field(description="EDITOR or ADMIN.")
    active: bool = strawberry.field(description="False once deactivated: they cannot sign in.")
    created_at: datetime = strawberry.field(description="When the account was created (UTC).")
    last_sign_in_at: datetime | None = strawberry.field(
        description="When they last signed in to the studio (UTC), if ever."
    )

    @classmethod
    def from_model(cls, user: models.User) -> "User":
        return cls(
            id=to_global_id("User", user.id),
            pk=user.id,
            email=user.email,
            display_name=user.display_name,
            role=Role(user.role.value),
            active=user.active,
            created_at=user.created_at,
            last_sign_in_at=user.last_sign_in_at,
        )


async def load_user(info: Info, user_id: int | None) -> User | None:
    """The user with this id for editors (batched per request); None for anyone else."""
    viewer = info.context.viewer
    if user_id is None or viewer is None or not viewer.is_editor:
        return None
    user = await info.context.loaders.user.load(user_id)
    return User.from_model(user) if user is not None else None
