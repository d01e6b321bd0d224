"""`viewer`: who the request's API token belongs to."""

from enum import Enum

import strawberry

from schema.context import Info


@strawberry.enum(description="What an API token may do.")
class Role(Enum):
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


@strawberry.type(description="The holder of the API token sent with the request.")
class Viewer:
    name: str = strawberry.field(description="The token's name, as given when it was created.")
    role: Role = strawberry.field(description="EDITOR or ADMIN.")


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="Who the request's token belongs to; null without a token.")
    def viewer(self, info: Info) -> Viewer | None:
        viewer = info.context.viewer
        return Viewer(name=viewer.name, role=Role(viewer.role.value)) if viewer else None
