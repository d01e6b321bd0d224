"""Answers for things that do not exist are never kept in the response cache: a stranger
asking for thousands of random addresses (site pages, GraphQL lookups of random slugs) does
not grow the cache nor evict the pages readers read, in this process or in Redis — and a
missing page that is then published shows up at once."""

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from graphql_support import http_client
from redis_server import RedisServer, redis_server
from site_support import ARTICLE, api
from starlette.applications import Starlette

from cms.app import create_app
from cms.config import Settings
from cms.models import Page
from cms.serving.response_cache_redis import ENTRY_PREFIX

# Small, so that junk kept in it would evict the article.
CACHE_SIZE = 20
RANDOM_ADDRESSES = 1000
DEADLINE_SECONDS = 10
PAGE_BY_SLUG = "query Page($slug: String!) { page(slug: $slug) { title } }"
CREATE = "mutation New($page: CreatePageInput!) { createPage(input: $page) { page { id } } }"
PUBLISH = "mutation Publish($id: ID!) { publishPage(input: {id: $id}) { errors { message } } }"

Counter = Callable[[], int]


@pytest.fixture(params=["in-process", "redis"])
async def reader(
    request: pytest.FixtureRequest, settings: Settings, tmp_path
) -> AsyncIterator[tuple[httpx.AsyncClient, Counter]]:
    """The app over HTTP, and how many entries its response cache holds."""
    if request.param == "in-process":
        small = settings.model_copy(update={"response_cache_size": CACHE_SIZE})
        async with running(small) as (http, app):
            yield http, app.state.response_cache.entry_count
        return
    with redis_server(tmp_path) as redis:
        async with running(settings.model_copy(update={"redis_url": redis.url})) as (http, _):
            yield http, lambda: kept_in(redis)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Starlette]]:
    app = create_app(settings, manage_database=False)
    async with app.router.lifespan_context(app), http_client(app) as http:
        yield http, app


def kept_in(redis: RedisServer) -> int:
    with redis.client() as client:
        return sum(1 for _ in client.scan_iter(match=f"{ENTRY_PREFIX}*"))


async def graphql_page(http: httpx.AsyncClient, slug: str) -> dict | None:
    response = await http.get(
        "/graphql", params={"query": PAGE_BY_SLUG, "variables": f'{{"slug": "{slug}"}}'}
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["page"]


async def warm(http: httpx.AsyncClient, kept: Counter) -> None:
    """Read the article on the site and over GraphQL until both are kept (the seeding's
    content event may empty the cache once, in the background)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while kept() < 2:
        assert time.monotonic() < deadline, "the article was never kept"
        assert (await http.get(ARTICLE)).status_code == 200
        assert await graphql_page(http, "harvard-medical-school") is not None
        await asyncio.sleep(0.05)


async def test_random_missing_addresses_leave_the_cache_as_it_was(reader, seeded_page):
    http, kept = reader
    await warm(http, kept)
    before = kept()

    for _ in range(RANDOM_ADDRESSES // 2):
        junk = secrets.token_urlsafe(12)
        assert (await http.get(f"/pages/{junk}")).status_code == 404
        assert (await http.get(f"/{junk}")).status_code == 404
        assert await graphql_page(http, junk) is None

    assert kept() == before
    # Behind the API's back: the article still comes from the cache, not the database.
    await Page.filter(id=seeded_page.id).update(title="Changed behind the API")
    assert "Changed behind the API" not in (await http.get(ARTICLE)).text
    assert (await graphql_page(http, "harvard-medical-school"))["title"] != (
        "Changed behind the API"
    )


async def test_a_missing_page_once_published_shows_up(reader, seeded_page, editor_token):
    http, kept = reader
    missing = await http.get("/pages/visiting-hours")
    assert missing.status_code == 404
    assert "not-found" in missing.headers["surrogate-key"].split()
    assert await graphql_page(http, "visiting-hours") is None
    assert kept() == 0

    created = await api(
        http, CREATE, {"page": {"slug": "visiting-hours", "title": "Hours"}}, editor_token
    )
    await api(http, PUBLISH, {"id": created["createPage"]["page"]["id"]}, editor_token)

    assert (await http.get("/pages/visiting-hours")).status_code == 200
    assert (await graphql_page(http, "visiting-hours")) == {"title": "Hours"}
