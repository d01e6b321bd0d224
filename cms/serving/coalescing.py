"""Request coalescing: concurrent cache misses for the same response are computed once.

After a publish, a burst of readers asking for the same page all miss the response cache at
once; without this each would run the query. The first becomes the *leader* and computes;
the others *follow*: they wait for the leader's cache entry and answer from it. A follower
whose leader produced nothing shareable (an error, a private answer) computes for itself.

Flights are keyed by the cache key *and* the invalidation snapshot of the lookup, so a reader
who missed after a change never joins a computation that started before it. The last few
finished flights are remembered too: a reader whose lookup (a Redis round trip) ran while
the leader was storing missed the entry, yet took the same snapshot — nothing changed since
the leader's lookup — so the leader's entry is as current for it as the cache's would be.
A finished flight is remembered for as long as a lookup may take (the Redis command timeout).
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from cms.serving.response_cache_redis import COMMAND_TIMEOUT_SECONDS


class Flights:
    """The computations under way in this process, and the last ones finished, by flight
    key (``<snapshot>:<cache key>``)."""

    def __init__(self) -> None:
        self._flights: dict[str, asyncio.Future[bytes | None]] = {}

    async def follow(self, flight: str) -> bytes | None:
        """The entry computed for ``flight``, waiting if it is under way; None if there is
        none (or it produced nothing shareable): then compute."""
        future = self._flights.get(flight)
        if future is None:
            return None
        # Shielded: a follower that goes away must not cancel what the others wait for.
        return await asyncio.shield(future)

    def is_under_way(self, flight: str) -> bool:
        future = self._flights.get(flight)
        return future is not None and not future.done()

    @contextmanager
    def lead(self, flight: str) -> Iterator[asyncio.Future[bytes | None]]:
        """Compute for ``flight``; set the future's result to the entry to share. On any
        way out the followers are released (with nothing, if no entry was shared)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bytes | None] = loop.create_future()
        self._flights[flight] = future
        try:
            yield future
        finally:
            if not future.done():
                future.set_result(None)
            loop.call_later(COMMAND_TIMEOUT_SECONDS, self._forget, flight, future)

    def _forget(self, flight: str, future: asyncio.Future[bytes | None]) -> None:
        if self._flights.get(flight) is future:
            del self._flights[flight]
