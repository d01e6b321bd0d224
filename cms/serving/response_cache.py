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

from cms.events import EVENTS_MISSED, EventBus

logger = logging.getLogger("cms.cache")

GENERATION_KEY = "cms:content-generation"
# A Redis command that has not answered by then fails (a miss, or a deferred bump): a
# stalled Redis must not hold requests. redis-py's own socket timeout, not a cancellation.
COMMAND_TIMEOUT_SECONDS = 2.0
ENTRY_PREFIX = "cms:response:"
# Events that change what readers see; other engineers publish them from the services.
CONTENT_EVENT_PREFIXES = ("page.", "section.", "comment.", "revision.", "content.")

# One round trip: the current generation and the entry for it. The generation starts with
# the Redis server's run id, which changes on every restart: when Redis comes back with the
# data it saved before going down, nothing cached before the outage is reachable (a bump
# may have been lost meanwhile).
_LOOKUP_SCRIPT = """
local server = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
local generation = server .. '.' .. (redis.call('GET', KEYS[1]) or '0')
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
    unreachable every lookup is a miss and nothing is stored: queries are executed.

    A bump that fails (Redis down while an editor unpublishes) is not forgotten: it is made
    before this process's next lookup, so no entry from before the change is served once
    Redis answers again; and a Redis restart changes every key (see _LOOKUP_SCRIPT)."""

    def __init__(self, url: str, ttl: int) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            socket_connect_timeout=COMMAND_TIMEOUT_SECONDS,
        )
        self._ttl = ttl
        self._lookup = self._redis.register_script(_LOOKUP_SCRIPT)
        self._bump_pending = False

    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        try:
            if self._bump_pending:
                await self._bump()
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

    async def _bump(self) -> None:
        await self._redis.incr(GENERATION_KEY)
        self._bump_pending = False

    async def bump(self) -> None:
        try:
            await self._bump()
        except (RedisError, OSError) as error:
            self._bump_pending = True
            logger.error("Response cache invalidation deferred until Redis answers: %r", error)

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
    (scheduled publishing, another process without Redis-shared cache, …) — and when the
    event channel comes back after an outage (``EVENTS_MISSED``), since the events sent
    meanwhile are lost."""

    def __init__(self, events: EventBus, cache: ResponseCache) -> None:
        self._events = events
        self._cache = cache
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for event in self._events.subscribe():
            if is_content_event(event.name) or event.name == EVENTS_MISSED:
                try:
                    # Shielded: cancelling a task in the middle of a Redis command (stop()
                    # during a bump) left redis-py's connection pool stuck.
                    await asyncio.shield(self._cache.bump())
                except Exception:
                    logger.exception("Could not invalidate the response cache for %s", event.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
