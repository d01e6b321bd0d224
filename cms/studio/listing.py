"""What the users, tokens and webhooks pages share: a paged list read with one document,
shown with the form that adds to it, its errors, and a secret shown once after creating."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from cms.site.api import ApiResult
from cms.studio.forms import payload_errors, see_other
from cms.studio.studio import Studio


def keyset_paging(after: str, before: str, page_size: int) -> dict[str, Any]:
    """A connection's paging arguments: backwards from ``before``, else forwards."""
    if before:
        return {"last": page_size, "before": before}
    return {"first": page_size, "after": after or None}


def nodes(connection: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [edge["node"] for edge in (connection or {}).get("edges", [])]


class ListPage:
    """A page listing ``field`` from ``document``, rendered with ``template``."""

    document: str
    field: str
    template: str
    section: str
    path: str

    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    async def variables(self, request: Request) -> dict[str, Any]:
        return {"after": request.query_params.get("after")}

    def context(self, result: ApiResult) -> dict[str, Any]:
        """What the template needs besides the list (override to add)."""
        return {}

    async def index(self, request: Request) -> Response:
        return await self.render(request)

    async def render(
        self,
        request: Request,
        *,
        errors: list[str] | None = None,
        created: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        """The list, with the form's ``values`` and ``errors``; ``created`` is what was just
        made, secret included — shown on this response only, never after a redirect."""
        result = await self.studio.execute(request, self.document, await self.variables(request))
        listing = result.data.get(self.field) or {}
        return await self.studio.render(
            request,
            self.template,
            {
                "active_section": self.section,
                "items": nodes(listing),
                "page_info": listing.get("pageInfo") or {},
                "created": created,
                "values": values or {},
                "notice": request.query_params.get("notice"),
                "errors": (errors or []) + [error.message for error in result.errors],
                **self.context(result),
            },
            status_code=status_code,
        )

    async def mutate(
        self, request: Request, document: str, field: str, variables: dict[str, Any]
    ) -> tuple[dict[str, Any] | None, Response | None]:
        """Run a mutation; on errors, the page again with them (422) as the response."""
        result = await self.studio.execute(request, document, variables)
        errors = payload_errors(result, field)
        if errors:
            values = variables.get("input")
            return None, await self.render(request, errors=errors, values=values, status_code=422)
        return result.data[field], None

    async def after_change(self, request: Request, notice: str) -> Response:
        return see_other(self.path, notice=notice)
