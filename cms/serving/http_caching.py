"""The HTTP caching vocabulary: Cache-Control values, ETags, If-None-Match, and the headers
of shared and uncacheable responses. Which response gets which is the cache policy's
decision (cache_policy.py)."""

import hashlib

from starlette.datastructures import MutableHeaders

PRIVATE = "private, no-store"
NO_STORE = "no-store"
# The body depends on the negotiated media type and on who asks.
VARY = "Accept, Authorization"


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches_if_none_match(header: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: a W/ prefix does not matter, ``*`` matches anything."""
    if not header:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return etag in candidates or "*" in candidates


def set_public_headers(
    headers: MutableHeaders, cache_control: str, etag: str, keys: list[str]
) -> None:
    headers["etag"] = etag
    headers["cache-control"] = cache_control
    headers["vary"] = VARY
    headers["surrogate-key"] = " ".join(keys)
    headers["cache-tag"] = ",".join(keys)


def set_uncacheable_headers(headers: MutableHeaders, *, private: bool) -> None:
    headers["cache-control"] = PRIVATE if private else NO_STORE
    headers["vary"] = VARY
