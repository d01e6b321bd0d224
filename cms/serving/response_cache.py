"""The server-side cache of anonymous GET query responses, invalidated by surrogate key.

Each entry is stored with the surrogate keys of what it shows (cms/services/reader_changes.py)
and with the *invalidation sequence* number current when its lookup missed, before the
query ran. Invalidating keys takes the next sequence number and records it as each key's
version; an entry is valid only while none of its keys has a version above its own number.
So a change invalidates exactly the entries showing what changed, atomically, and an entry
computed while a change was being made is never served (its number is older than the
change's). Invalidation is synchronous for mutations (before their response is sent) and
follows content events otherwise. With ``CMS_REDIS_URL`` the sequence, the key versions and
the entries live in Redis and are shared by every process (response_cache_redis.py);
otherwise they live in this process.
"""

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from cms.events import EventBus
from cms.services.reader_changes import ALL_CONTENT, keys_for_event
from cms.serving.response_cache_redis import RedisResponseCache

logger = logging.getLogger("cms.cache")


def cache_key(document: str, operation_name: str | None, variables: Any) -> str:
    """The identity of a query: its document, operation and variables (canonical JSON)."""
    digest = hashlib.sha256(document.encode())
    digest.update(b"\0" + (operation_name or "").encode() + b"\0")
    digest.update(orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS))
    return digest.hexdigest()


class Invalidates(Protocol):
    async def invalidate(self, keys: Iterable[str]) -> None:
        """What ``keys`` name changed: entries showing it are out of date."""
        ...


class ResponseCache(Invalidates, Protocol):
    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        """A snapshot of the invalidation sequence ("" when unknown) and the valid entry
        for ``key``, if any. Pass the snapshot to :meth:`store`."""
        ...

    async def store(self, snapshot: str, key: str, entry: bytes, keys: Iterable[str] = ()) -> bool:
        """Keep ``entry``, showing what ``keys`` name, unless one of them was invalidated
        since ``snapshot`` was taken (False: the entry is already out of date)."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class _Entry:
    expires: float
    sequence: int
    keys: frozenset[str]
    entry: bytes


class InProcessResponseCache:
    """An LRU with a time limit, for one process."""

    def __init__(self, max_entries: int, ttl: float) -> None:
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._max_entries = max_entries
        self._ttl = ttl
        self._sequence = 0
        self._versions: dict[str, int] = {}

    def entry_count(self) -> int:
        """How many entries are kept (expired and invalidated ones until looked up)."""
        return len(self._entries)

    def _changed_since(self, keys: Iterable[str], sequence: int) -> bool:
        return any(self._versions.get(key, 0) > sequence for key in keys)

    async def lookup(self, key: str) -> tuple[str, bytes | None]:
        found = self._entries.get(key)
        snapshot = str(self._sequence)
        if found is None or found.expires < time.monotonic():
            return snapshot, None
        if self._changed_since(found.keys, found.sequence):
            del self._entries[key]
            return snapshot, None
        return snapshot, found.entry

    async def store(self, snapshot: str, key: str, entry: bytes, keys: Iterable[str] = ()) -> bool:
        sequence, shown = int(snapshot), frozenset([ALL_CONTENT, *keys])
        if self._changed_since(shown, sequence):
            return False  # content changed while this response was computed
        self._entries[key] = _Entry(time.monotonic() + self._ttl, sequence, shown, entry)
        self._entries.move_to_end(key)
        if len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return True

    async def invalidate(self, keys: Iterable[str]) -> None:
        self._sequence += 1
        changed = set(keys)
        if ALL_CONTENT in changed:
            self._entries.clear()
            self._versions.clear()
        for key in changed:
            self._versions[key] = self._sequence

    async def close(self) -> None:
        return None


def create_response_cache(redis_url: str | None, max_entries: int, ttl: int) -> ResponseCache:
    return (
        RedisResponseCache(redis_url, ttl)
        if redis_url
        else InProcessResponseCache(max_entries, ttl)
    )


class ContentEventInvalidator:
    """Invalidates the keys each content event names, for changes made outside a mutation
    (scheduled publishing, another process without Redis-shared cache, …) — and everything
    when the event channel comes back after an outage (``EVENTS_MISSED``), since the events
    sent meanwhile are lost."""

    def __init__(self, events: EventBus, target: Invalidates) -> None:
        self._events = events
        self._target = target
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        async for event in self._events.subscribe():
            keys = keys_for_event(event)
            if not keys:
                continue
            try:
                # Shielded: cancelling a task in the middle of a Redis command (stop()
                # during an invalidation) left redis-py's connection pool stuck.
                await asyncio.shield(self._target.invalidate(keys))
            except Exception:
                logger.exception("Could not invalidate the response cache for %s", event.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
