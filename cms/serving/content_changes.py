"""Everything that keeps content must forget what readers see change: the response cache,
and an HTTP cache in front of the app (Varnish with xkey), purged by surrogate key.

A purge is sent before the mutation's response (a reader going through the HTTP cache then
never gets content older than a mutation that has returned), and once more a moment later:
a response computed before the change may still have been on its way into the HTTP cache
when the first purge arrived. A purge that fails is sent again with the next one.
"""

import asyncio
import logging
from collections.abc import Iterable

import httpx

from cms.serving.response_cache import ResponseCache

logger = logging.getLogger("cms.cache")

PURGE_TIMEOUT_SECONDS = 2.0
# Longer than a response takes from the app into the HTTP cache.
SECOND_PURGE_DELAY_SECONDS = 1.0
PURGE_HEADER = "xkey-purge"


class HttpPurge:
    """PURGE requests to ``url`` naming surrogate keys (``xkey-purge: k1 k2``)."""

    def __init__(self, url: str, *, second_purge_delay: float = SECOND_PURGE_DELAY_SECONDS) -> None:
        self._url = url
        self._client = httpx.AsyncClient(timeout=PURGE_TIMEOUT_SECONDS)
        self._second_purge_delay = second_purge_delay
        self._pending: set[str] = set()
        self._later: set[asyncio.Task[None]] = set()

    async def purge(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        await self._send(keys)
        task = asyncio.create_task(self._purge_later(keys))
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    async def _purge_later(self, keys: set[str]) -> None:
        await asyncio.sleep(self._second_purge_delay)
        await self._send(keys)

    async def _send(self, keys: set[str]) -> None:
        keys |= self._pending
        try:
            response = await self._client.request(
                "PURGE", self._url, headers={PURGE_HEADER: " ".join(sorted(keys))}
            )
            response.raise_for_status()
        except httpx.HTTPError as error:
            self._pending = keys
            logger.error("HTTP cache purge failed, retried with the next one: %r", error)
        else:
            self._pending -= keys

    async def close(self) -> None:
        for task in list(self._later):
            task.cancel()
        await asyncio.gather(*self._later, return_exceptions=True)
        await self._client.aclose()


class ContentChanges:
    """Invalidates the response cache and purges the HTTP cache, by surrogate key."""

    def __init__(self, cache: ResponseCache | None, purge: HttpPurge | None) -> None:
        self.cache = cache
        self.purge = purge

    async def invalidate(self, keys: Iterable[str]) -> None:
        keys = set(keys)
        if self.cache is not None:
            await self.cache.invalidate(keys)
        if self.purge is not None:
            await self.purge.purge(keys)

    async def close(self) -> None:
        if self.cache is not None:
            await self.cache.close()
        if self.purge is not None:
            await self.purge.close()
