"""Admins' user management: list, create (with a one-time set-password link), deactivate."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.forms import text
from cms.studio.listing import ListPage
from cms.studio.studio import Studio


class UserPages(ListPage):
    document, field, template = "users", "users", "users.html.j2"
    section = "users"
    path = "/studio/users"

    async def create(self, request: Request) -> Response:
        form = await request.form()
        values = {name: text(form, name) for name in ("email", "displayName", "role")}
        payload, refused = await self.mutate(
            request, "create_user", "createUser", {"input": values}
        )
        if payload is None:
            return refused
        link = str(request.base_url).rstrip("/") + payload["setPasswordPath"]
        return await self.render(request, created={"user": payload["user"], "link": link})

    async def deactivate(self, request: Request) -> Response:
        user_id = text(await request.form(), "id")
        _payload, refused = await self.mutate(
            request, "deactivate_user", "deactivateUser", {"input": {"id": user_id}}
        )
        return refused or await self.after_change(request, "deactivated")


def user_routes(studio: Studio) -> list[BaseRoute]:
    pages = UserPages(studio)
    admin = {"admin_only": True}
    return [
        Route("/users", studio.signed_in(pages.index, **admin), name="studio:users"),
        Route("/users", studio.signed_in(pages.create, **admin), methods=["POST"]),
        Route("/users/deactivate", studio.signed_in(pages.deactivate, **admin), methods=["POST"]),
    ]
