"""Who has a page open in the editor: short-lived heartbeat records.

Each open editor (one browser tab) beats every :data:`HEARTBEAT_SECONDS`; a record lives
:data:`PRESENCE_TTL_SECONDS` past its last beat, so a closed tab disappears on its own even
when its "leave" never arrives. With Redis configured every process sees the same records
(one sorted set per page, scored by expiry time); without it they live in this process.
The clock is injected so tests can move time on.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

HEARTBEAT_SECONDS = 15
# Two missed beats and a little slack before a tab counts as gone.
PRESENCE_TTL_SECONDS = 40
KEY_PREFIX = "cms-studio-presence"

Clock = Callable[[], float]


@dataclass(frozen=True)
class Editor:
    """One open editor: a tab (``client_id``) of a signed-in person (``name``)."""

    client_id: str
    name: str
    user_id: int | None = None


class Presence(Protocol):
    async def beat(self, page_id: str, editor: Editor) -> list[Editor]:
        """Record ``editor`` as present; return the other editors on the page now."""
        ...

    async def leave(self, page_id: str, editor: Editor) -> None:
        """Forget ``editor`` at once (the tab was closed or left the page)."""
        ...

    async def close(self) -> None: ...


class MemoryPresence:
    """Records in this process: enough for one server process."""

    def __init__(self, clock: Clock = time.time, ttl: float = PRESENCE_TTL_SECONDS) -> None:
        self.clock = clock
        self.ttl = ttl
        self._pages: dict[str, dict[Editor, float]] = {}

    async def beat(self, page_id: str, editor: Editor) -> list[Editor]:
        now = self.clock()
        editors = self._pages.setdefault(page_id, {})
        for other, expires in list(editors.items()):
            if expires <= now or other.client_id == editor.client_id:
                del editors[other]
        editors[editor] = now + self.ttl
        return sorted(
            (other for other in editors if other.client_id != editor.client_id),
            key=lambda other: other.name,
        )

    async def leave(self, page_id: str, editor: Editor) -> None:
        editors = self._pages.get(page_id, {})
        for other in [other for other in editors if other.client_id == editor.client_id]:
            del editors[other]
        if not editors:
            self._pages.pop(page_id, None)

    async def close(self) -> None:
        self._pages.clear()


def _member(editor: Editor) -> str:
    return json.dumps([editor.client_id, editor.name, editor.user_id])


def _editor(member: bytes) -> Editor:
    client_id, name, user_id = json.loads(member)
    return Editor(client_id, name, user_id)


class RedisPresence:
    """Records shared by every process: a sorted set per page, members scored by expiry."""

    def __init__(
        self,
        url: str,
        clock: Clock = time.time,
        ttl: float = PRESENCE_TTL_SECONDS,
        prefix: str = KEY_PREFIX,
    ) -> None:
        self.redis = Redis.from_url(url)
        self.clock = clock
        self.ttl = ttl
        self.prefix = prefix

    def _key(self, page_id: str) -> str:
        return f"{self.prefix}:{page_id}"

    async def _members_of(self, key: str, client_id: str) -> list[bytes]:
        members = await self.redis.zrange(key, 0, -1)
        return [member for member in members if _editor(member).client_id == client_id]

    async def beat(self, page_id: str, editor: Editor) -> list[Editor]:
        key, now = self._key(page_id), self.clock()
        stale = await self._members_of(key, editor.client_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now)
            if stale:
                pipe.zrem(key, *stale)
            pipe.zadd(key, {_member(editor): now + self.ttl})
            # The key itself goes once nobody has beaten for a while.
            pipe.expire(key, int(self.ttl * 2) + 1)
            pipe.zrange(key, 0, -1)
            results = await pipe.execute()
        editors = [_editor(member) for member in results[-1]]
        return sorted(
            (other for other in editors if other.client_id != editor.client_id),
            key=lambda other: other.name,
        )

    async def leave(self, page_id: str, editor: Editor) -> None:
        key = self._key(page_id)
        members = await self._members_of(key, editor.client_id)
        if members:
            await self.redis.zrem(key, *members)

    async def close(self) -> None:
        await self.redis.aclose()


def create_presence(redis_url: str | None, clock: Clock = time.time) -> Presence:
    """Shared through Redis when a URL is configured, otherwise in this process."""
    return RedisPresence(redis_url, clock) if redis_url else MemoryPresence(clock)
