"""Uploads' HTTP gate: checks a multipart GraphQL request before a byte of its body is read.

Strawberry parses GraphQL multipart requests (the file uploads) without a CSRF check or a
size limit. A browser may send ``multipart/form-data`` cross-site without a preflight, so,
like Apollo Server's CSRF prevention, an upload must carry a header no simple request can
(``Apollo-Require-Preflight`` or ``X-Apollo-Operation-Name``) and credentials — an API token,
or the studio's session cookie with its ``X-CSRF-Token`` header (checked by the GraphQL view
before it reads the body); its size is limited by the edge (cms/serving/edge.py) to
CMS_MEDIA_MAX_BYTES plus room for the form.
"""

from starlette.types import ASGIApp, Receive, Scope, Send

from cms.errors import ErrorCode
from cms.serving.graphql_errors import send_coded_error
from cms.serving.sessions import CSRF_HEADER, SESSION_COOKIE

PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-apollo-operation-name")
# What a multipart request carries besides the file: the operations, the map, boundaries.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def is_multipart(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.lower().startswith(b"multipart/form-data")
    return False


def has_credentials(scope: Scope) -> bool:
    """An Authorization header, or a studio session: its cookie with the CSRF header."""
    headers = {name: value for name, value in scope["headers"] if value.strip()}
    if b"authorization" in headers:
        return True
    cookie = headers.get(b"cookie", b"").decode("latin-1")
    has_session = any(part.strip().startswith(SESSION_COOKIE + "=") for part in cookie.split(";"))
    return has_session and CSRF_HEADER.encode() in headers


def upload_body_limit(max_file_bytes: int) -> int:
    return max_file_bytes + MULTIPART_OVERHEAD_BYTES


class UploadGuard:
    """Refuses multipart POSTs to ``path`` without a preflight header (400) or without
    credentials (401), before reading their bodies."""

    def __init__(self, app: ASGIApp, *, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == self.path and is_multipart(scope):
            names = {name for name, value in scope["headers"] if value.strip()}
            if not names.intersection(PREFLIGHT_HEADERS):
                await send_coded_error(
                    send,
                    "Uploads must carry an Apollo-Require-Preflight header (CSRF protection).",
                    ErrorCode.PREFLIGHT_REQUIRED,
                )
                return
            if not has_credentials(scope):
                await send_coded_error(
                    send,
                    "Uploads need an editor's API token or studio session.",
                    ErrorCode.UNAUTHENTICATED,
                )
                return
        await self.app(scope, receive, send)
