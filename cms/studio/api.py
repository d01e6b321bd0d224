"""The studio's door to data: the GraphQL schema, run in-process with the signed-in user's
viewer and the context ``/graphql`` builds for a request — so the studio and the API can
never disagree on permissions or validation."""

from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

from cms.serving.sessions import SignedInUser
from cms.site.api import ApiError, ApiResult
from schema.view import GraphQLView

QUERIES_DIR = Path(__file__).with_name("queries")


@cache
def document(name: str) -> str:
    """The GraphQL document ``queries/{name}.graphql``."""
    return (QUERIES_DIR / f"{name}.graphql").read_text(encoding="utf-8")


class StudioApi:
    def __init__(self, view: GraphQLView) -> None:
        self.view = view

    async def execute(
        self,
        request: Request,
        user: SignedInUser | None,
        name: str,
        variables: dict[str, Any] | None = None,
    ) -> ApiResult:
        request.state.viewer = user.viewer if user is not None else None
        context = await self.view.get_context(request, None)
        result = await self.view.schema.execute(
            document(name), variable_values=variables or {}, context_value=context
        )
        return ApiResult(result.data or {}, [ApiError.of(error) for error in result.errors or []])
