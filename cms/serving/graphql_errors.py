"""Errors to HTTP: every status comes from the one table of codes (cms/errors.py
ERROR_RESPONSES) — for a request refused before it runs, and for an executed result.

GraphQL over HTTP: a result with data is sent with 200, its errors inside; a request error
(nothing executed: no data, no error with a path) gets its code's status, except that the
legacy ``application/json`` media type sends a 400 as 200. An error whose code fails the
whole response (SERVICE_UNAVAILABLE) gives any response carrying it that code's status.
"""

from typing import Any

import orjson
from starlette.responses import JSONResponse, Response
from starlette.types import Send

from cms.errors import ERROR_RESPONSES, CmsError, ErrorCode, coded_extensions
from cms.serving.http_caching import set_uncacheable_headers
from cms.serving.media_types import APPLICATION_JSON

BAD_REQUEST = 400
OK = 200
_BY_WIRE_CODE = {response.code: code for code, response in ERROR_RESPONSES.items()}


def request_error_status(code: ErrorCode | None, media_type: str) -> int:
    """The status of a request that fails as a whole with ``code`` (None: an error of
    graphql-core's own, such as a validation error, which has no code)."""
    status = ERROR_RESPONSES[code].status if code is not None else BAD_REQUEST
    return OK if status == BAD_REQUEST and media_type == APPLICATION_JSON else status


def error_response(error: CmsError, media_type: str) -> Response:
    """A request refused before it runs (a bad token, a persisted query that cannot run,
    the database gone): one error, its code's status, never kept by a cache."""
    body = {"errors": [{"message": error.message, "extensions": error.coded_extensions}]}
    status = request_error_status(error.code, media_type)
    response = JSONResponse(body, status_code=status, media_type=media_type)
    set_uncacheable_headers(response.headers, private=False)
    return response


async def send_coded_error(send: Send, message: str, code: ErrorCode) -> None:
    """From ASGI middleware, before the request's body is read: one error, its code's
    status, JSON, never kept by a cache."""
    body = orjson.dumps({"errors": [{"message": message, "extensions": coded_extensions(code)}]})
    await send(
        {
            "type": "http.response.start",
            "status": ERROR_RESPONSES[code].status,
            "headers": [
                (b"content-type", APPLICATION_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _code_of(error: dict[str, Any]) -> ErrorCode | None:
    return _BY_WIRE_CODE.get((error.get("extensions") or {}).get("code"))


def whole_response_status(errors: list[dict[str, Any]]) -> int | None:
    """The status an error in ``errors`` imposes on the whole response, if any."""
    for error in errors:
        code = _code_of(error)
        if code is not None and ERROR_RESPONSES[code].fails_whole_response:
            return ERROR_RESPONSES[code].status
    return None


def is_request_error(result: dict[str, Any]) -> bool:
    """Nothing was executed: no data, and no error belongs to a field (has a path)."""
    errors = result.get("errors")
    return bool(errors) and result.get("data") is None and all("path" not in e for e in errors)


def result_request_status(result: dict[str, Any], media_type: str) -> int:
    return request_error_status(_code_of(result["errors"][0]), media_type)
