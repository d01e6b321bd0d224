"""Admins' user management: list, create (with a one-time set-password link), deactivate."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.dashboard import nodes
from cms.studio.forms import payload_errors, see_other, text
from cms.studio.studio import Studio

USERS_PATH = "/studio/users"


class UserPages:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    async def index(self, request: Request) -> Response:
        return await self.render(request)

    async def render(
        self,
        request: Request,
        *,
        errors: list[str] | None = None,
        created: dict | None = None,
        values: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        result = await self.studio.execute(
            request, "users", {"after": request.query_params.get("after")}
        )
        listing = result.data.get("users") or {}
        return await self.studio.render(
            request,
            "users.html.j2",
            {
                "active_section": "users",
                "users": nodes(listing),
                "page_info": listing.get("pageInfo") or {},
                "created": created,
                "values": values or {},
                "notice": request.query_params.get("notice"),
                "errors": (errors or []) + [error.message for error in result.errors],
            },
            status_code=status_code,
        )

    async def create(self, request: Request) -> Response:
        form = await request.form()
        values = {name: text(form, name) for name in ("email", "displayName", "role")}
        result = await self.studio.execute(request, "create_user", {"input": values})
        errors = payload_errors(result, "createUser")
        if errors:
            return await self.render(request, errors=errors, values=values, status_code=422)
        payload = result.data["createUser"]
        link = str(request.base_url).rstrip("/") + payload["setPasswordPath"]
        # Shown once, on this response (not after a redirect): the link is a secret.
        return await self.render(request, created={"user": payload["user"], "link": link})

    async def deactivate(self, request: Request) -> Response:
        user_id = text(await request.form(), "id")
        result = await self.studio.execute(request, "deactivate_user", {"input": {"id": user_id}})
        errors = payload_errors(result, "deactivateUser")
        if errors:
            return await self.render(request, errors=errors, status_code=422)
        return see_other(USERS_PATH, notice="deactivated")


def user_routes(studio: Studio) -> list[BaseRoute]:
    pages = UserPages(studio)
    return [
        Route("/users", studio.signed_in(pages.index, admin_only=True), name="studio:users"),
        Route("/users", studio.signed_in(pages.create, admin_only=True), methods=["POST"]),
        Route(
            "/users/deactivate",
            studio.signed_in(pages.deactivate, admin_only=True),
            methods=["POST"],
        ),
    ]
