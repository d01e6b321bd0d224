"""API tokens: editors see and revoke their own, admins everyone's (and create them)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.dashboard import nodes
from cms.studio.forms import payload_errors, see_other, text
from cms.studio.studio import Studio

TOKENS_PATH = "/studio/tokens"


class TokenPages:
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
        status_code: int = 200,
    ) -> Response:
        user = await self.studio.user(request)
        is_admin = bool(user and user.is_admin)
        result = await self.studio.execute(
            request, "api_tokens", {"after": request.query_params.get("after"), "admin": is_admin}
        )
        listing = result.data.get("apiTokens") or {}
        return await self.studio.render(
            request,
            "tokens.html.j2",
            {
                "active_section": "tokens",
                "tokens": nodes(listing),
                "page_info": listing.get("pageInfo") or {},
                "owners": [u for u in nodes(result.data.get("users")) if u["active"]],
                "created": created,
                "notice": request.query_params.get("notice"),
                "errors": (errors or []) + [error.message for error in result.errors],
            },
            status_code=status_code,
        )

    async def create(self, request: Request) -> Response:
        form = await request.form()
        values = {
            "name": text(form, "name"),
            "role": text(form, "role"),
            "userId": text(form, "userId") or None,
        }
        result = await self.studio.execute(request, "create_api_token", {"input": values})
        errors = payload_errors(result, "createApiToken")
        if errors:
            return await self.render(request, errors=errors, status_code=422)
        payload = result.data["createApiToken"]
        # The token is shown on this response only: it is a secret, never stored.
        return await self.render(
            request, created={"name": payload["apiToken"]["name"], "token": payload["token"]}
        )

    async def revoke(self, request: Request) -> Response:
        token_id = text(await request.form(), "id")
        result = await self.studio.execute(request, "revoke_api_token", {"input": {"id": token_id}})
        errors = payload_errors(result, "revokeApiToken")
        if errors:
            return await self.render(request, errors=errors, status_code=422)
        return see_other(TOKENS_PATH, notice="revoked")


def token_routes(studio: Studio) -> list[BaseRoute]:
    pages = TokenPages(studio)
    return [
        Route("/tokens", studio.signed_in(pages.index), name="studio:tokens"),
        Route("/tokens", studio.signed_in(pages.create, admin_only=True), methods=["POST"]),
        Route("/tokens/revoke", studio.signed_in(pages.revoke), methods=["POST"]),
    ]
