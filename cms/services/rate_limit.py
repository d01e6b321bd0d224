"""Rate limits with the `limits` library: flood control for comments (per client IP and per
email) and for anonymous persisted-query registrations (per client IP).

The counters live in Redis when ``CMS_REDIS_URL`` is set, so every server process shares
them; otherwise they live in this process's memory.
"""

import math
import time
from typing import TypeVar

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from cms.config import Settings
from cms.errors import RateLimited


class RateLimiter:
    """Counts hits of one kind (``namespace``) per key; refuses one over any limit."""

    def __init__(
        self, storage: Storage, limits: list[RateLimitItem], key_prefix: str, namespace: str
    ) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._limits = limits
        self._prefix = key_prefix
        self._namespace = namespace

    async def count(self, keys: list[tuple[str, str]], message: str) -> None:
        """Count one hit for each (kind, value) key; raise RateLimited with ``message`` (and
        a retry time) if any is over a limit."""
        retry_after = 0
        for item in self._limits:
            for kind, value in keys:
                identifiers = (self._prefix, self._namespace, kind, value)
                if not await self._limiter.hit(item, *identifiers):
                    stats = await self._limiter.get_window_stats(item, *identifiers)
                    retry_after = max(retry_after, math.ceil(stats.reset_time - time.time()), 1)
        if retry_after:
            raise RateLimited(message, retry_after=retry_after)

    async def close(self) -> None:
        if isinstance(self._storage, RedisStorage):
            await self._storage.bridge.storage.aclose()


class CommentRateLimiter(RateLimiter):
    """Counts comment submissions per client IP and per email."""

    async def hit(self, *, client_ip: str | None, email: str) -> None:
        """Count one submission; raise RateLimited (with a retry time) if over a limit."""
        keys = [("email", email.strip().lower())]
        if client_ip:
            keys.append(("ip", client_ip))
        await self.count(keys, "You are commenting too fast.")


L = TypeVar("L", bound=RateLimiter)


def _storage(settings: Settings) -> Storage:
    if settings.redis_url:
        return RedisStorage(
            "async+" + settings.redis_url,
            implementation="redispy",
            key_prefix=settings.rate_limit_key_prefix,
        )
    return MemoryStorage()


def _create(kind: type[L], settings: Settings, notation: str, namespace: str) -> L | None:
    limits = parse_many(notation) if notation else []
    if not limits:
        return None
    return kind(_storage(settings), limits, settings.rate_limit_key_prefix, namespace)


def create_rate_limiter(settings: Settings, notation: str, namespace: str) -> RateLimiter | None:
    """A limiter for ``notation`` ('N/period' joined by ';'), or None when it is empty."""
    return _create(RateLimiter, settings, notation, namespace)


def create_comment_rate_limiter(settings: Settings) -> CommentRateLimiter | None:
    """The comment limiter the settings ask for, or None when flood control is off."""
    return _create(CommentRateLimiter, settings, settings.comment_rate_limits, "comment")
