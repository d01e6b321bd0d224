"""API tokens: editors see and revoke their own, admins everyone's (and create them)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.site.api import ApiResult
from cms.studio.forms import text
from cms.studio.listing import ListPage, nodes
from cms.studio.studio import Studio


class TokenPages(ListPage):
    document, field, template = "api_tokens", "apiTokens", "tokens.html.j2"
    section = "tokens"
    path = "/studio/tokens"

    async def variables(self, request: Request) -> dict[str, Any]:
        user = await self.studio.user(request)
        return {**await super().variables(request), "admin": bool(user and user.is_admin)}

    def context(self, result: ApiResult) -> dict[str, Any]:
        return {"owners": [u for u in nodes(result.data.get("users")) if u["active"]]}

    async def create(self, request: Request) -> Response:
        form = await request.form()
        values = {
            "name": text(form, "name"),
            "role": text(form, "role"),
            "userId": text(form, "userId") or None,
        }
        payload, refused = await self.mutate(
            request, "create_api_token", "createApiToken", {"input": values}
        )
        if payload is None:
            return refused
        created = {"name": payload["apiToken"]["name"], "token": payload["token"]}
        return await self.render(request, created=created)

    async def revoke(self, request: Request) -> Response:
        token_id = text(await request.form(), "id")
        _payload, refused = await self.mutate(
            request, "revoke_api_token", "revokeApiToken", {"input": {"id": token_id}}
        )
        return refused or await self.after_change(request, "revoked")


def token_routes(studio: Studio) -> list[BaseRoute]:
    pages = TokenPages(studio)
    return [
        Route("/tokens", studio.signed_in(pages.index), name="studio:tokens"),
        Route("/tokens", studio.signed_in(pages.create, admin_only=True), methods=["POST"]),
        Route("/tokens/revoke", studio.signed_in(pages.revoke), methods=["POST"]),
    ]
