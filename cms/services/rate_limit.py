"""Flood control for comments, per client IP and per email, with the `limits` library.

The counters live in Redis when ``CMS_REDIS_URL`` is set, so every server process shares
them; otherwise they live in this process's memory.
"""

import math
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from cms.config import Settings
from cms.errors import RateLimited


class CommentRateLimiter:
    """Counts comment submissions; refuses one that would exceed any configured limit."""

    def __init__(self, storage: Storage, limits: list[RateLimitItem], key_prefix: str) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._limits = limits
        self._prefix = key_prefix

    async def hit(self, *, client_ip: str | None, email: str) -> None:
        """Count one submission; raise RateLimited (with a retry time) if over a limit."""
        keys = [("email", email.strip().lower())]
        if client_ip:
            keys.append(("ip", client_ip))
        retry_after = 0
        for item in self._limits:
            for kind, value in keys:
                if not await self._limiter.hit(item, self._prefix, "comment", kind, value):
                    stats = await self._limiter.get_window_stats(
                        item, self._prefix, "comment", kind, value
                    )
                    retry_after = max(retry_after, math.ceil(stats.reset_time - time.time()), 1)
        if retry_after:
            raise RateLimited("You are commenting too fast.", retry_after=retry_after)

    async def close(self) -> None:
        if isinstance(self._storage, RedisStorage):
            await self._storage.bridge.storage.aclose()


def create_comment_rate_limiter(settings: Settings) -> CommentRateLimiter | None:
    """The limiter the settings ask for, or None when flood control is off."""
    limits = parse_many(settings.comment_rate_limits) if settings.comment_rate_limits else []
    if not limits:
        return None
    storage: Storage = (
        RedisStorage(
            "async+" + settings.redis_url,
            implementation="redispy",
            key_prefix=settings.rate_limit_key_prefix,
        )
        if settings.redis_url
        else MemoryStorage()
    )
    return CommentRateLimiter(storage, limits, settings.rate_limit_key_prefix)
