"""Redis goes down and comes back: no invalidation is lost, the event listener reconnects by
itself, and a mutation's answer says what the database committed. Against a real
redis-server of the test's own, killed with SIGKILL and restarted."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from editorial_support import UNPUBLISH_PAGE, Editor
from graphql_support import GraphQLClient, http_client
from redis_server import RedisServer, redis_server
from starlette.applications import Starlette

from cms.app import create_app
from cms.events import Event, RedisEventBus
from cms.serving.response_cache_redis import ENTRY_PREFIX, GENERATION_KEY

READ = '{ page(slug: "news") { title } }'
DEADLINE_SECONDS = 15


@pytest.fixture
def redis(tmp_path) -> RedisServer:
    with redis_server(tmp_path) as server:
        yield server


@asynccontextmanager
async def running_app(
    settings, redis: RedisServer
) -> AsyncIterator[tuple[Starlette, GraphQLClient]]:
    app = create_app(settings.model_copy(update={"redis_url": redis.url}), manage_database=False)
    async with (
        app.router.lifespan_context(app),
        http_client(app) as http,
    ):
        yield app, GraphQLClient(http)


async def read_over_get(gql: GraphQLClient) -> dict | None:
    response = await gql.http.get("/graphql", params={"query": READ})
    assert response.status_code == 200, response.text
    return response.json()["data"]["page"]


async def invalidations_settled(redis: RedisServer) -> None:
    """Wait until the invalidator has handled the events of earlier mutations (the
    generation stops moving), so that what is cached next stays cached."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    with redis.client() as client:
        seen = client.get(GENERATION_KEY)
        while True:
            await asyncio.sleep(0.3)
            now_at = client.get(GENERATION_KEY)
            if now_at == seen:
                return
            assert time.monotonic() < deadline, "the generation kept moving"
            seen = now_at


def cached_entries(redis: RedisServer) -> list[bytes]:
    with redis.client() as client:
        return client.keys(f"{ENTRY_PREFIX}*")


async def cached_published_page(gql: GraphQLClient, editor_token: str, redis: RedisServer) -> dict:
    """A page "news", published, that readers now get from the response cache."""
    page = await Editor(gql, editor_token).published_page("news")
    await invalidations_settled(redis)
    assert await read_over_get(gql) == {"title": "News"}
    assert await read_over_get(gql) == {"title": "News"}  # now from the cache
    assert cached_entries(redis)
    return page


async def test_an_unpublish_while_redis_is_down_is_answered_and_not_lost_when_it_returns(
    settings, editor_token, redis
):
    async with running_app(settings, redis) as (_, gql):
        page = await cached_published_page(gql, editor_token, redis)

        redis.crash(save_first=True)
        response = await gql.http.post(
            "/graphql",
            json={"query": UNPUBLISH_PAGE, "variables": {"input": {"id": page["id"]}}},
            headers={"Authorization": f"Bearer {editor_token}"},
        )
        redis.start()

        assert response.status_code == 200, response.text
        assert response.json()["data"]["unpublishPage"]["page"]["status"] == "DRAFT"
        assert cached_entries(redis), "Redis came back without its saved entries"
        assert await read_over_get(gql) is None


async def test_an_invalidation_redis_refused_is_made_once_it_answers_again(
    settings, editor_token, redis
):
    async with running_app(settings, redis) as (_, gql):
        page = await cached_published_page(gql, editor_token, redis)
        editor = Editor(gql, editor_token)

        with redis.client() as admin:
            # Redis refuses every write (NOREPLICAS) while it waits for a replica.
            admin.config_set("min-replicas-to-write", 1)
            await editor.call(UNPUBLISH_PAGE, "unpublishPage", input={"id": page["id"]})
            admin.config_set("min-replicas-to-write", 0)

        assert await read_over_get(gql) is None


async def until_delivered(bus: RedisEventBus, received: asyncio.Queue[str], name: str) -> None:
    """Publish ``name`` again and again (the listener may still be reconnecting) until the
    subscriber gets it."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        await bus.publish(Event(name))
        try:
            while await asyncio.wait_for(received.get(), 0.2) != name:
                pass
            return
        except TimeoutError:
            continue
    pytest.fail(f"{name} was not delivered within {DEADLINE_SECONDS} s")


async def test_the_event_listener_reconnects_by_itself_after_redis_restarts(settings, redis):
    async with running_app(settings, redis) as (app, _):
        other_process = RedisEventBus(redis.url)
        received: asyncio.Queue[str] = asyncio.Queue()

        async def subscriber() -> None:  # what commentAdded does
            async for event in app.state.events.subscribe():
                received.put_nowait(event.name)

        listening = asyncio.create_task(subscriber())
        try:
            await until_delivered(other_process, received, "comment.approved")
            redis.crash()
            redis.start()
            await until_delivered(other_process, received, "comment.approved")
            with redis.client() as client:
                before = int(client.get(GENERATION_KEY) or 0)
            await other_process.publish(Event("page.unpublished", {"page_id": 1}))

            deadline = time.monotonic() + DEADLINE_SECONDS
            with redis.client() as client:
                while int(client.get(GENERATION_KEY) or 0) <= before:
                    assert time.monotonic() < deadline, "the cache was not invalidated"
                    await asyncio.sleep(0.05)
        finally:
            listening.cancel()
            await other_process.close()
