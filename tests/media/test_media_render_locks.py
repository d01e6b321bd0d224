"""The render locks as another process meets them: while one holds a rendition's lock the
app waits and serves what the holder stores, rendering nothing itself; a lock left behind
by a process that died holds it up only until the lock expires; without Redis answering,
the app renders for itself."""

import asyncio
import time

import httpx
import pytest
from redis.asyncio import Redis

from cms.app import create_app
from cms.media.render_locks import (
    LOCK_DIRECTORY,
    LOCK_PREFIX,
    FileRenderLock,
    RedisRenderLock,
    RenderLock,
)
from cms.media.storage import rendition_key
from media.media_support import make_image, rendition_url, upload


@pytest.fixture(params=["redis", "file lock"])
def shared(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def redis_url(shared, request: pytest.FixtureRequest) -> str | None:
    return request.getfixturevalue("own_redis").url if shared == "redis" else None


@pytest.fixture
def locked_settings(media_settings, redis_url):
    return media_settings.model_copy(update={"redis_url": redis_url})


@pytest.fixture
async def app_http(locked_settings):
    app = create_app(locked_settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
        yield app, client
    await app.state.renditions.close()


def other_process_lock(settings) -> RenderLock:
    """The lock another process of the same deployment takes."""
    if settings.redis_url:
        return RedisRenderLock(settings.redis_url)
    return FileRenderLock(settings.media_root.resolve() / LOCK_DIRECTORY)


async def new_rendition(client, token, colour: int) -> tuple[str, str]:
    data = make_image(300, 200, ".png", colour=colour)
    asset = (await upload(client, data, "lock.png", token))["asset"]
    url = await rendition_url(client, token, asset["id"], width=100, format="PNG")
    return url, rendition_key(asset["contentHash"], url.split("/")[3], "png")


async def test_while_another_process_renders_the_app_waits_and_serves_its_rendition(
    app_http, storage, locked_settings, editor_token
):
    app, client = app_http
    url, key = await new_rendition(client, editor_token, colour=11)
    made_elsewhere = make_image(100, 67, ".png", colour=200)
    other = other_process_lock(locked_settings)

    async with other.held(key) as holding:
        assert holding
        request = asyncio.create_task(client.get(url))
        await asyncio.sleep(0.5)
        assert not request.done()
        await storage.put(key, made_elsewhere)
    response = await request
    await other.close()

    assert response.status_code == 200
    assert response.content == made_elsewhere
    assert app.state.renditions.renders == 0


@pytest.mark.parametrize("shared", ["redis"])  # a dead process's flock dies with it
async def test_a_lock_left_by_a_dead_process_delays_the_render_until_it_expires(
    app_http, redis_url, editor_token
):
    app, client = app_http
    url, key = await new_rendition(client, editor_token, colour=12)
    redis = Redis.from_url(redis_url)
    await redis.set(LOCK_PREFIX + key, "a token of a process gone", px=1500)
    await redis.aclose()

    started = time.monotonic()
    response = await client.get(url)

    assert response.status_code == 200
    assert time.monotonic() - started >= 1.0
    assert app.state.renditions.renders == 1


@pytest.mark.parametrize("shared", ["redis"])
async def test_while_redis_is_down_each_process_renders_for_itself(
    app_http, own_redis, editor_token
):
    app, client = app_http
    url, _ = await new_rendition(client, editor_token, colour=13)
    own_redis.crash()

    response = await client.get(url)

    assert response.status_code == 200
    assert app.state.renditions.renders == 1
