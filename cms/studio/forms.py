"""Small helpers shared by the studio's form handlers."""

from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.responses import RedirectResponse

from cms.site.api import ApiResult


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def payload_errors(result: ApiResult, field: str) -> list[str]:
    """The messages of a mutation's payload errors and of GraphQL errors, for the page."""
    payload: dict[str, Any] = result.data.get(field) or {}
    messages = [error["message"] for error in payload.get("errors") or []]
    return messages + [error.message for error in result.errors]


def see_other(path: str, **params: str | None) -> RedirectResponse:
    """Post/Redirect/Get: back to a page, with a notice code in the query string."""
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)
