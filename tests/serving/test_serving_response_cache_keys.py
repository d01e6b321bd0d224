"""The response cache's key versioning, in this process and in Redis: invalidating a key
drops exactly the entries stored with it, and an entry computed while one of its keys was
invalidated is refused (it may show content from before the change)."""

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from cms.services.reader_changes import ALL_CONTENT, PAGE_LIST, page_key
from cms.serving.response_cache import InProcessResponseCache, ResponseCache
from cms.serving.response_cache_redis import RedisResponseCache

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(params=["in-process", "redis"])
async def cache(request: pytest.FixtureRequest) -> AsyncIterator[ResponseCache]:
    if request.param == "in-process":
        yield InProcessResponseCache(max_entries=10, ttl=60)
        return
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    cache = RedisResponseCache(REDIS_URL, 60)
    yield cache
    await cache.close()
    await redis.flushdb()
    await redis.aclose()


async def stored(cache: ResponseCache, key: str, *keys: str) -> None:
    snapshot, _ = await cache.lookup(key)
    assert await cache.store(snapshot, key, f"entry {key}".encode(), keys)


async def cached(cache: ResponseCache, key: str) -> bool:
    return (await cache.lookup(key))[1] is not None


async def test_invalidating_a_page_drops_only_the_entries_showing_it(cache):
    await stored(cache, "page-a", page_key(1))
    await stored(cache, "page-b", page_key(2))
    await stored(cache, "list", PAGE_LIST, page_key(1), page_key(2))
    await cache.invalidate({page_key(1)})
    assert not await cached(cache, "page-a")
    assert not await cached(cache, "list")
    assert await cached(cache, "page-b")
    assert (await cache.lookup("page-b"))[1] == b"entry page-b"


async def test_invalidating_the_lists_keeps_the_pages(cache):
    await stored(cache, "page-a", page_key(1))
    await stored(cache, "list", PAGE_LIST)
    await cache.invalidate({PAGE_LIST})
    assert await cached(cache, "page-a")
    assert not await cached(cache, "list")


async def test_invalidating_all_content_drops_every_entry(cache):
    await stored(cache, "page-a", page_key(1))
    await stored(cache, "other")
    await cache.invalidate({ALL_CONTENT})
    assert not await cached(cache, "page-a")
    assert not await cached(cache, "other")


async def test_an_entry_computed_across_an_invalidation_of_its_keys_is_refused(cache):
    snapshot, _ = await cache.lookup("page-a")  # the miss; the query runs now…
    await cache.invalidate({page_key(1)})  # …while an editor publishes page 1
    assert not await cache.store(snapshot, "page-a", b"old page a", [page_key(1)])
    assert not await cached(cache, "page-a")


async def test_an_entry_computed_across_an_unrelated_invalidation_is_kept(cache):
    snapshot, _ = await cache.lookup("page-a")
    await cache.invalidate({page_key(2)})
    assert await cache.store(snapshot, "page-a", b"page a", [page_key(1)])
    assert await cached(cache, "page-a")


async def test_an_entry_stored_after_an_invalidation_is_valid(cache):
    await cache.invalidate({page_key(1)})
    await stored(cache, "page-a", page_key(1))
    assert await cached(cache, "page-a")
