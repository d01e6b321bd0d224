"""HTTP caching of GraphQL GET responses: ETag, Cache-Control, Vary, surrogate keys, 304."""

import hashlib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from starlette.datastructures import MutableHeaders

from cms.config import Settings
from cms.services.reader_changes import ALL_CONTENT

PRIVATE = "private, no-store"
NO_STORE = "no-store"
# The body depends on the negotiated media type and on who asks.
VARY = "Accept, Authorization"
# Every cacheable response carries this key, so a CDN can purge all content at once.
ALL_CONTENT_KEY = ALL_CONTENT
MAX_SURROGATE_KEYS = 64
# What may be a key: one header token (global IDs are URL-safe base64).
_KEY = re.compile(r"[A-Za-z0-9_=-]{1,100}")


def public_cache_control(settings: Settings) -> str:
    return (
        f"public, max-age={settings.http_max_age}, s-maxage={settings.http_shared_max_age}, "
        f"stale-while-revalidate={settings.http_stale_while_revalidate}"
    )


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches_if_none_match(header: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: a W/ prefix does not matter, ``*`` matches anything."""
    if not header:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


def _global_ids(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                yield value
            else:
                yield from _global_ids(value)
    elif isinstance(data, list):
        for item in data:
            yield from _global_ids(item)


def surrogate_keys(data: Any, shown: Iterable[str] = ()) -> list[str]:
    """The content a response shows, as purge keys: one key for all content, every key
    execution found (``shown``: the pages it shows, ``page-list``; invalidation relies on
    these), then the global IDs in it (when the query asked for ``id``), up to
    MAX_SURROGATE_KEYS."""
    keys = dict.fromkeys([ALL_CONTENT_KEY, *sorted(k for k in shown if _KEY.fullmatch(k))])
    for global_id in _global_ids(data):
        if len(keys) >= MAX_SURROGATE_KEYS:
            break
        if _KEY.fullmatch(global_id):
            keys.setdefault(global_id)
    return list(keys)


def set_public_headers(
    headers: MutableHeaders, settings: Settings, etag: str, keys: list[str]
) -> None:
    headers["etag"] = etag
    headers["cache-control"] = public_cache_control(settings)
    headers["vary"] = VARY
    headers["surrogate-key"] = " ".join(keys)
    headers["cache-tag"] = ",".join(keys)


def set_uncacheable_headers(headers: MutableHeaders, *, private: bool) -> None:
    headers["cache-control"] = PRIVATE if private else NO_STORE
    headers["vary"] = VARY
