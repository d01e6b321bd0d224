"""Headers on every studio response: never cached (``no-store``), never framed, and a CSP
stricter than the reader site's (no inline style either). Static files, named by their
content hash, are the exception to ``no-store``: they hold nothing private. The editor's live
preview is the one page the studio frames, and only itself (same origin). Images come from
the app, ``data:`` placeholders, and the media origin when renditions are served from a CDN.
The set-password pages send no Referer at all (``no-referrer``): their link's address holds
a secret."""

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STUDIO_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:{media}; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors {ancestors}"
)
# The live preview beside the editor (cms/studio/editor.py), framed by the editor page.
SAME_ORIGIN_FRAMES = re.compile(r"^/studio/pages/[^/]+/preview$")
# A set-password link and the page it leads to (cms/serving/sessions.py).
NO_REFERRER = re.compile(r"^/studio/set-password(/|$)")
STATIC_CACHE_CONTROL = b"public, max-age=31536000, immutable"
_REPLACED = {b"cache-control", b"content-security-policy", b"x-frame-options", b"vary"}


class StudioHeaders:
    def __init__(self, app: ASGIApp, *, static_path: str, media_origin: str | None = None) -> None:
        self.app = app
        self.static_path = static_path
        self.media = f" {media_origin}" if media_origin else ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope["path"].startswith(self.static_path) and "v=" in scope.get(
            "query_string", b""
        ).decode("latin-1")

        framed = bool(SAME_ORIGIN_FRAMES.match(scope["path"]))
        csp = STUDIO_CSP.format(ancestors="'self'" if framed else "'none'", media=self.media)
        referrer = b"no-referrer" if NO_REFERRER.match(scope["path"]) else b"same-origin"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(n, v) for n, v in message.get("headers", ()) if n not in _REPLACED]
                headers += [
                    (b"cache-control", STATIC_CACHE_CONTROL if static else b"no-store"),
                    (b"content-security-policy", csp.encode()),
                    (b"x-frame-options", b"SAMEORIGIN" if framed else b"DENY"),
                    (b"vary", b"Cookie"),
                    (b"referrer-policy", referrer),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
