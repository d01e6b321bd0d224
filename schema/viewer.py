"""`viewer`: who the request acts as — an API token's holder or a signed-in studio user."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.context import Info

if TYPE_CHECKING:
    from schema.user.types import User


@strawberry.enum(description="What an API token may do.")
class Role(Enum):
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


@strawberry.type(
    description="Who the request acts as: the holder of the API token sent with it, or the "
    "user signed in to the studio (session cookie with the X-CSRF-Token header)."
)
class Viewer:
    user_pk: strawberry.Private[int | None]
    name: str = strawberry.field(
        description="The token's name, as given when it was created; for a studio session, "
        "the user's display name."
    )
    role: Role = strawberry.field(description="EDITOR or ADMIN.")

    @strawberry.field(description="The user the token belongs to, or who signed in; null if none.")
    async def user(
        self, info: Info
    ) -> Annotated["User", strawberry.lazy("schema.user.types")] | None:
        from schema.user.types import load_user

        return await load_user(info, self.user_pk)


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="Who the request's token belongs to; null without a token.")
    def viewer(self, info: Info) -> Viewer | None:
        viewer = info.context.viewer
        if viewer is None:
            return None
        return Viewer(user_pk=viewer.user_id, name=viewer.name, role=Role(viewer.role.value))
