"""The server-side cache of anonymous GET query responses, and the content generation.

Every key contains the *content generation*, a counter bumped synchronously by every
mutation (before its response is sent) and by every content event on the bus; a bump makes
all earlier entries unreachable at once, so no reader gets a response older than the last
change. With ``CMS_REDIS_URL`` both the counter and the entries live in Redis and are shared
by every process; otherwise they live in this process.
"""

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

from cms.events import EventBus

logger = logging.getLogger("cms.cache")

GENERATION_KEY = "cms:content-generation"
ENTRY_PREFIX = "cms:response:"
# Events that change what readers see; other engineers publish them from the services.
CONTENT_EVENT_PREFIXES = ("page.", "section.", "comment.", "revision.", "content.")

# One round trip: the current generation and the entry for it.
_LOOKUP_SCRIPT = """
local generation = redis.call('GET', KEYS[1]) or '0'
return {generation, redis.call('GET', ARGV[1] .. generation .. ':' .. ARGV[2])}
"""


def cache_key(document: str, operation_name: str | None, variables: Any) -> str:
    """The identity of a query: its document, operation and variables (canonical JSON)."""
    digest = hashlib.sha256(document.encode())
    digest.update(b"\0" + (operation_name or "").encode() + b"\0")
    digest.update(orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


class ResponseCache(Protocol):
    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        """The current generation and the cached entry for ``key`` in it, if any."""
        ...

    async def store(self, generation: str, key: str, entry: bytes) -> None: ...

    async def bump(self) -> None:
        """Content changed: every cached response is out of date."""
        ...

    async def close(self) -> None: ...


class InProcessResponseCache:
    """An LRU with a time limit, for one process."""

    def __init__(self, max_entries: int, ttl: float) -> None:
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl
        self._generation = 0

    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        generation = str(self._generation)
        found = self._entries.get(f"{generation}:{key}")
        if found is None or found[0] < time.monotonic():
            return generation, None
        return generation, found[1]

    async def store(self, generation: str, key: str, entry: bytes) -> None:
        if generation != str(self._generation):
            return  # content changed while this response was computed
        self._entries[f"{generation}:{key}"] = (time.monotonic() + self._ttl, entry)
        if len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def bump(self) -> None:
        self._generation += 1
        self._entries.clear()

    async def close(self) -> None:
        return None


class RedisResponseCache:
    """Entries and the generation in Redis, shared by every process. While Redis is
    unreachable every lookup is a miss and nothing is stored: queries are executed."""

    def __init__(self, url: str, ttl: int) -> None:
        self._redis = Redis.from_url(url)
        self._ttl = ttl
        self._lookup = self._redis.register_script(_LOOKUP_SCRIPT)

    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        try:
            generation, entry = await self._lookup(keys=[GENERATION_KEY], args=[ENTRY_PREFIX, key])
        except (RedisError, OSError) as error:
            logger.warning("Response cache unavailable: %r", error)
            return "", None
        return (generation.decode() if isinstance(generation, bytes) else str(generation)), entry

    async def store(self, generation: str, key: str, entry: bytes) -> None:
        if not generation:
            return  # the lookup failed: the generation is unknown
        try:
            await self._redis.set(f"{ENTRY_PREFIX}{generation}:{key}", entry, ex=self._ttl)
        except (RedisError, OSError) as error:
            logger.warning("Response cache unavailable: %r", error)

    async def bump(self) -> None:
        try:
            await self._redis.incr(GENERATION_KEY)
        except (RedisError, OSError):
            # Entries written before the outage may be served until their TTL ends.
            logger.exception("Could not invalidate the response cache")

    async def close(self) -> None:
        await self._redis.aclose()


def create_response_cache(redis_url: str | None, max_entries: int, ttl: int) -> ResponseCache:
    return (
        RedisResponseCache(redis_url, ttl)
        if redis_url
        else InProcessResponseCache(max_entries, ttl)
    )


def is_content_event(name: str) -> bool:
    return name.startswith(CONTENT_EVENT_PREFIXES)


class ContentEventInvalidator:
    """Bumps the generation on every content event, for changes made outside a mutation
    (scheduled publishing, another process without Redis-shared cache, …)."""

    def __init__(self, events: EventBus, cache: ResponseCache) -> None:
        self._events = events
        self._cache = cache
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for event in self._events.subscribe():
            if is_content_event(event.name):
                try:
                    await self._cache.bump()
                except Exception:
                    logger.exception("Could not invalidate the response cache for %s", event.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
