"""Rate limits with the `limits` library: flood control for comments (per client IP and per
email) and for anonymous persisted-query registrations (per client IP).

The counters live in Redis when ``CMS_REDIS_URL`` is set, so every server process shares
them; otherwise they live in this process's memory. While Redis cannot be reached, each
process counts in its own memory instead — readers keep commenting, limited per process
rather than refused — and tries Redis again every few seconds.

Only accepted comments are counted: a submission is checked against the limits first
(:meth:`CommentRateLimiter.check`, which counts nothing) and counted once it is stored
(:meth:`CommentRateLimiter.hit`), so a reader told to wait who then waits gets in.
"""

import logging
import math
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.exceptions import RedisError

from cms.config import Settings
from cms.errors import RateLimited

logger = logging.getLogger("cms.rate_limit")

# A Redis that does not answer must not hold a reader's request for long.
REDIS_TIMEOUT_SECONDS = 1.0
# After Redis failed, it is tried again this much later; the memory counts meanwhile.
STORAGE_RETRY_SECONDS = 5.0
STORAGE_ERRORS = (RedisError, StorageError, OSError, TimeoutError)
T = TypeVar("T")
Identifiers = tuple[str, ...]
# One limit applied to one key (an email or a client IP).
Counter = tuple[RateLimitItem, Identifiers]
Keys = list[tuple[str, str]]


async def _hit(limiter: MovingWindowRateLimiter, item: RateLimitItem, ids: Identifiers) -> bool:
    return await limiter.hit(item, *ids)


async def _reset_time_if_full(
    limiter: MovingWindowRateLimiter, item: RateLimitItem, ids: Identifiers
) -> float | None:
    """None if one more hit fits in the window; else when the window frees a place."""
    if await limiter.test(item, *ids):
        return None
    return (await limiter.get_window_stats(item, *ids)).reset_time


async def _reset_time_if_refused(
    limiter: MovingWindowRateLimiter, item: RateLimitItem, ids: Identifiers
) -> float | None:
    """Count one hit; None if it fitted, else when the window frees a place."""
    if await limiter.hit(item, *ids):
        return None
    return (await limiter.get_window_stats(item, *ids)).reset_time


class RateLimiter:
    """Counts hits of one kind (``namespace``) per key; refuses one over any limit."""

    def __init__(
        self, storage: Storage, limits: list[RateLimitItem], key_prefix: str, namespace: str
    ) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        # Counts while ``storage`` (Redis) cannot be reached.
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._storage_retry_at = 0.0  # monotonic time before which Redis is not tried again
        self._limits = limits
        self._prefix = key_prefix
        self._namespace = namespace

    def _counters(self, keys: Keys) -> list[Counter]:
        return [
            (item, (self._prefix, self._namespace, kind, value))
            for item in self._limits
            for kind, value in keys
        ]

    async def _count(
        self,
        operation: Callable[[MovingWindowRateLimiter, RateLimitItem, Identifiers], Awaitable[T]],
        counter: Counter,
    ) -> T:
        if time.monotonic() >= self._storage_retry_at:
            try:
                return await operation(self._limiter, *counter)
            except STORAGE_ERRORS as error:
                self._storage_retry_at = time.monotonic() + STORAGE_RETRY_SECONDS
                logger.warning("Rate-limit storage unavailable, counting in memory: %r", error)
        return await operation(self._fallback, *counter)

    async def _refuse_if_full(
        self,
        operation: Callable[
            [MovingWindowRateLimiter, RateLimitItem, Identifiers], Awaitable[float | None]
        ],
        keys: Keys,
        message: str,
    ) -> None:
        retry_after = 0
        for counter in self._counters(keys):
            reset_time = await self._count(operation, counter)
            if reset_time is not None:
                retry_after = max(retry_after, math.ceil(reset_time - time.time()), 1)
        if retry_after:
            raise RateLimited(message, retry_after=retry_after)

    async def count(self, keys: Keys, message: str) -> None:
        """Count one hit for each (kind, value) key; raise RateLimited with ``message`` (and
        a retry time) if any is over a limit."""
        await self._refuse_if_full(_reset_time_if_refused, keys, message)

    async def close(self) -> None:
        if isinstance(self._storage, RedisStorage):
            await self._storage.bridge.storage.aclose()


class CommentRateLimiter(RateLimiter):
    """Refuses a comment that would exceed any configured limit; counts accepted ones."""

    @staticmethod
    def _keys(client_ip: str | None, email: str) -> Keys:
        keys = [("email", email.strip().lower())]
        if client_ip:
            keys.append(("ip", client_ip))
        return keys

    async def check(self, *, client_ip: str | None, email: str) -> None:
        """Raise RateLimited (with a retry time) if one more comment from this client or
        email would exceed a limit. Counts nothing."""
        await self._refuse_if_full(
            _reset_time_if_full, self._keys(client_ip, email), "You are commenting too fast."
        )

    async def hit(self, *, client_ip: str | None, email: str) -> None:
        """Count one accepted comment against every limit."""
        for counter in self._counters(self._keys(client_ip, email)):
            await self._count(_hit, counter)


L = TypeVar("L", bound=RateLimiter)


def _storage(settings: Settings) -> Storage:
    if settings.redis_url:
        return RedisStorage(
            "async+" + settings.redis_url,
            implementation="redispy",
            key_prefix=settings.rate_limit_key_prefix,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
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
