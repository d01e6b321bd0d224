"""The site's pages under the API's caching rules: an ETag from the body, the public
Cache-Control of anonymous GETs, the surrogate keys of what the page shows (so a content
change purges it from Varnish, and from the response cache, exactly as it does the API's
answers), 304 for a client that has it, and a page for one reader alone (a preview, a
form with its token) sent ``private, no-store`` and never kept.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from cms.config import Settings
from cms.serving.cache_policy import NOT_FOUND_KEY, keep, public_cache_control, surrogate_keys
from cms.serving.http_caching import (
    etag_for,
    matches_if_none_match,
    set_public_headers,
    set_uncacheable_headers,
)
from cms.serving.response_cache import ResponseCache, cache_key

HTML = "text/html; charset=utf-8"
# Statuses whose page may be shared: a 404 page shows that nothing is there, tagged
# not-found, so HTTP caches drop it when something is published at its address; the
# response cache never keeps it (cache_policy.keep).
SHAREABLE_STATUSES = frozenset({200, 404})


@dataclass
class Rendered:
    """A page as the site built it, with what it shows."""

    body: bytes
    status: int = 200
    media_type: str = HTML
    keys: set[str] = field(default_factory=set)
    private: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def _entry(etag: str, keys: list[str], rendered: Rendered) -> bytes:
    head = f"{etag}\n{' '.join(keys)}\n{rendered.status} {rendered.media_type}\n"
    return head.encode() + rendered.body


def _asks_for_fresh(request: Request) -> bool:
    return "no-cache" in request.headers.get("cache-control", "")


class PageCache:
    def __init__(self, settings: Settings, cache: ResponseCache | None) -> None:
        self.settings = settings
        self.cache = cache

    def key(self, request: Request, site_url: str) -> str:
        # Absolute links in the body depend on the address the site is reached at.
        return cache_key(f"site {site_url} {request.url.path}?{request.url.query}", None, None)

    async def respond(
        self, request: Request, site_url: str, render: Callable[[], Awaitable[Rendered]]
    ) -> Response:
        key = self.key(request, site_url)
        snapshot, entry = await self.cache.lookup(key) if self.cache else ("", None)
        if entry is not None and not _asks_for_fresh(request):
            return self._from_entry(request, entry)
        rendered = await render()
        if rendered.private or rendered.status not in SHAREABLE_STATUSES:
            return self.uncached(rendered)
        etag = etag_for(rendered.body)
        # A 404 shows that nothing is there, whatever the address (a page, a list link).
        shown = rendered.keys | {NOT_FOUND_KEY} if rendered.status == 404 else rendered.keys
        keys = surrogate_keys(None, shown)
        current = True
        if self.cache is not None and snapshot:
            current = await keep(self.cache, snapshot, key, _entry(etag, keys, rendered), keys)
        if not current:
            # What it shows changed while it was rendered: no shared cache may keep it.
            response = self._response(rendered)
            set_uncacheable_headers(response.headers, private=False)
            return response
        return self._public(request, etag, keys, rendered)

    def uncached(self, rendered: Rendered) -> Response:
        """A page that is not kept: for one reader (``private``), or an answer to a POST."""
        response = self._response(rendered)
        set_uncacheable_headers(response.headers, private=rendered.private)
        return response

    def _public(self, request: Request, etag: str, keys: list[str], rendered: Rendered) -> Response:
        if rendered.status == 200 and matches_if_none_match(
            request.headers.get("if-none-match"), etag
        ):
            response = Response(status_code=304)
        else:
            response = self._response(rendered)
        set_public_headers(response.headers, public_cache_control(self.settings), etag, keys)
        return response

    def _from_entry(self, request: Request, entry: bytes) -> Response:
        etag, keys, status_and_type, body = entry.split(b"\n", 3)
        status, media_type = status_and_type.decode().split(" ", 1)
        rendered = Rendered(body, int(status), media_type)
        return self._public(request, etag.decode(), keys.decode().split(), rendered)

    @staticmethod
    def _response(rendered: Rendered) -> Response:
        response = Response(rendered.body, rendered.status, media_type=rendered.media_type)
        response.headers.update(rendered.headers)
        return response
