"""Content events on the bus invalidate the response cache (changes made outside a
mutation: scheduled publishing, moderation in another process)."""

import asyncio

from graphql_support import app_client
from redis.asyncio import Redis

from cms.config import Settings
from cms.events import Event, InMemoryEventBus, RedisEventBus
from cms.services.reader_changes import page_key
from cms.serving.response_cache import (
    ContentEventInvalidator,
    InProcessResponseCache,
    RedisResponseCache,
)

REDIS_URL = "redis://127.0.0.1:6379/14"
COUNT = "{ pages(first: 1) { totalCount } }"


async def cached_entry_after(event: Event) -> bytes | None:
    events, cache = InMemoryEventBus(), InProcessResponseCache(max_entries=10, ttl=60)
    invalidator = ContentEventInvalidator(events, cache)
    invalidator.start()
    await asyncio.sleep(0.01)  # the invalidator subscribes
    snapshot, _ = await cache.lookup("key")
    await cache.store(snapshot, "key", b"response", [page_key(1)])
    await events.publish(event)
    await asyncio.sleep(0.01)
    await invalidator.stop()
    return (await cache.lookup("key"))[1]


async def test_a_page_event_invalidates_the_cache():
    assert await cached_entry_after(Event("page.published", {"page_id": 1})) is None


async def test_a_comment_approval_invalidates_the_cache():
    assert await cached_entry_after(Event("comment.approved", {"id": 1, "page_id": 1})) is None


async def test_an_event_that_changes_no_content_keeps_the_cache():
    assert await cached_entry_after(Event("token.created", {})) == b"response"


async def test_with_redis_an_event_from_another_process_invalidates_every_process():
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    publisher, listener = RedisEventBus(REDIS_URL), RedisEventBus(REDIS_URL)
    cache, other_process_cache = (
        RedisResponseCache(REDIS_URL, 60),
        RedisResponseCache(REDIS_URL, 60),
    )
    invalidator = ContentEventInvalidator(listener, cache)
    try:
        invalidator.start()
        await listener.start()
        snapshot, _ = await other_process_cache.lookup("key")
        await other_process_cache.store(snapshot, "key", b"response", [page_key(1)])
        await publisher.publish(Event("page.unpublished", {"page_id": 1}))
        async with asyncio.timeout(5):
            while (await other_process_cache.lookup("key"))[1] is not None:
                await asyncio.sleep(0.02)
    finally:
        await invalidator.stop()
        for closable in (publisher, listener, cache, other_process_cache):
            await closable.close()
        await redis.flushdb()
        await redis.aclose()


async def test_while_redis_is_unreachable_queries_are_executed(database, seeded_page):
    # Port 1: nothing listens there, as during a Redis outage.
    settings = Settings(database_url=database.url, redis_url="redis://127.0.0.1:1/0")
    async with app_client(settings) as client:
        response = await client.get(
            "/graphql", params={"query": "{ pages(first: 1) { totalCount } }"}
        )
    assert response.status_code == 200
    assert response.json() == {"data": {"pages": {"totalCount": 1}}}
