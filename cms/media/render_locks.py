"""Render a rendition once across processes: several uvicorn workers (or hosts) asked for
the same new rendition at the same moment make it once, not once each.

In a process, concurrent first requests already follow one leader (cms/serving/coalescing.py).
Each process's leader then takes a lock for the rendition key: the process that gets it
renders and stores; the others poll the storage (backing off, within a deadline) until the
rendition is there. If the holder dies its lock goes with it (a Redis lock expires, an OS
file lock is released with the process), so a waiting process takes it and renders.

- With Redis (CMS_REDIS_URL): a lock per key (redis-py's Lock: SET NX PX with a token,
  released only by its owner), renewed while the render lasts. Works across hosts.
- Without Redis, media in a directory: an OS file lock (flock) on one of a fixed number of
  lock files under the media root. Works for the workers of one host.
- Without Redis, media in a bucket: no shared lock; each process renders once.
"""

import asyncio
import fcntl
import hashlib
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError, RedisError

from cms.config import Settings

logger = logging.getLogger("cms.media")

LOCK_PREFIX = "cms:render-lock:"
# A Redis lock lives this long unless its holder renews it (every third of it): a process
# that dies mid-render holds up the others for at most this long.
LOCK_SECONDS = 10.0
COMMAND_TIMEOUT_SECONDS = 2.0
# Past this, a waiting process stops waiting for a slow holder and renders itself.
WAIT_SECONDS = 30.0
FIRST_POLL_SECONDS = 0.05
LONGEST_POLL_SECONDS = 1.0
LOCK_DIRECTORY = ".render-locks"
# Keys share this many lock files (hashed): the directory stays small; two renditions
# that meet in one file are made one after the other.
LOCK_FILES = 1024


class RenderLock(Protocol):
    def held(self, key: str) -> AbstractAsyncContextManager[bool]:
        """Hold ``key``'s lock for the block if no other process holds it; yields whether
        this process holds it (and so renders)."""
        ...

    async def close(self) -> None: ...


async def made_once(
    lock: RenderLock,
    key: str,
    stored: Callable[[], Awaitable[bytes | None]],
    make: Callable[[], Awaitable[bytes | None]],
) -> bytes | None:
    """The rendition another process made meanwhile, else the one ``make`` makes while
    holding ``key``'s lock."""
    deadline = time.monotonic() + WAIT_SECONDS
    pause = FIRST_POLL_SECONDS
    while True:
        async with lock.held(key) as holding:
            if holding or time.monotonic() > deadline:
                # Another process may have stored it between our lookup and the lock.
                found = await stored()
                return found if found is not None else await make()
        found = await stored()
        if found is not None:
            return found
        await asyncio.sleep(pause)
        pause = min(pause * 2, LONGEST_POLL_SECONDS)


class ProcessOnlyLock:
    """No lock shared between processes: every process's leader renders."""

    @asynccontextmanager
    async def held(self, key: str) -> AsyncIterator[bool]:
        yield True

    async def close(self) -> None:
        return None


class FileRenderLock:
    """flock(2) on lock files in ``directory``: processes of one host, one media root."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, key: str) -> Path:
        number = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % LOCK_FILES
        return self.directory / f"{number:04d}.lock"

    def _try_lock(self, path: Path) -> tuple[bool, int | None]:
        """Whether this process renders, and the open descriptor that holds the lock (None
        when there is no lock file to take: a read-only media root, say)."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            logger.warning("Render locks unavailable, rendering without one: %r", error)
            return True, None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            return False, None
        return True, descriptor

    @asynccontextmanager
    async def held(self, key: str) -> AsyncIterator[bool]:
        holding, descriptor = await asyncio.to_thread(self._try_lock, self._path(key))
        try:
            yield holding
        finally:
            if descriptor is not None:
                os.close(descriptor)  # releases the lock

    async def close(self) -> None:
        return None


class RedisRenderLock:
    """A Redis lock per key. While Redis is unreachable each process renders for itself."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(
            url,
            socket_timeout=COMMAND_TIMEOUT_SECONDS,
            socket_connect_timeout=COMMAND_TIMEOUT_SECONDS,
        )

    async def _acquire(self, lock: Lock) -> bool:
        try:
            return await lock.acquire(blocking=False)
        except (RedisError, OSError) as error:
            logger.warning("Render locks unavailable, rendering without one: %r", error)
            return True

    async def _renew(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(LOCK_SECONDS / 3)
            try:
                await lock.reacquire()
            except (LockError, RedisError, OSError):
                return

    @asynccontextmanager
    async def held(self, key: str) -> AsyncIterator[bool]:
        lock = self._redis.lock(LOCK_PREFIX + key, timeout=LOCK_SECONDS, thread_local=False)
        if not await self._acquire(lock):
            yield False
            return
        renewal = asyncio.create_task(self._renew(lock))
        try:
            yield True
        finally:
            renewal.cancel()
            with suppress(LockError, RedisError, OSError):
                await lock.release()

    async def close(self) -> None:
        await self._redis.aclose()


def create_render_lock(settings: Settings) -> RenderLock:
    if settings.redis_url:
        return RedisRenderLock(settings.redis_url)
    if not settings.media_url:
        return FileRenderLock(settings.media_root.resolve() / LOCK_DIRECTORY)
    return ProcessOnlyLock()
