"""Request coalescing: concurrent cache misses for the same response are computed once.

After a publish, a burst of readers asking for the same page all miss the response cache at
once; without this each would run the query. The first becomes the *leader* and computes;
the others *follow*: they wait for the leader's cache entry and answer from it. A follower
whose leader produced nothing shareable (an error, a private answer) computes for itself.

Flights are keyed by the cache key *and* the invalidation snapshot of the lookup, so a reader
who missed after a change never joins a computation that started before it.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager


class Flights:
    """The computations under way in this process, by flight key."""

    def __init__(self) -> None:
        self._under_way: dict[str, asyncio.Future[bytes | None]] = {}

    async def follow(self, flight: str) -> bytes | None:
        """The entry of the computation under way for ``flight``; None if there is none
        (or it produced nothing shareable): then compute."""
        future = self._under_way.get(flight)
        if future is None:
            return None
        # Shielded: a follower that goes away must not cancel what the others wait for.
        return await asyncio.shield(future)

    def is_under_way(self, flight: str) -> bool:
        return flight in self._under_way

    @contextmanager
    def lead(self, flight: str) -> Iterator[asyncio.Future[bytes | None]]:
        """Compute for ``flight``; set the future's result to the entry to share. On any
        way out the followers are released (with nothing, if no entry was shared)."""
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._under_way[flight] = future
        try:
            yield future
        finally:
            if self._under_way.get(flight) is future:
                del self._under_way[flight]
            if not future.done():
                future.set_result(None)
