"""HTTP caching of anonymous GETs (ETag, Cache-Control, 304, Vary, surrogate keys) and the
server-side response cache, invalidated before a mutation returns — unless it changed
nothing readers see (a comment held for moderation or refused)."""

import httpx
import pytest
from comment_support import ADD_COMMENT, comment_input, defences_off
from graphql_support import app_client, http_client

from cms.app import create_app
from cms.config import Settings
from cms.models import Comment, Page
from schema.relay import to_global_id

TITLE = "query Title($slug: String!) { page(slug: $slug) { id title } }"
SLUG = {"slug": "harvard-medical-school"}
# Readers see a change once it is published: retitle the (version 1) page and publish it.
UPDATE_TITLE = """mutation Retitle($id: ID!, $title: String!) {
  updatePage(input: {id: $id, version: 1, title: $title}) { page { title } errors { code } }
  publishPage(input: {id: $id}) { errors { code } }
}"""


def get_params(query: str = TITLE, variables: str = '{"slug":"harvard-medical-school"}'):
    return {"query": query, "variables": variables}


async def get_title(client: httpx.AsyncClient, **headers: str) -> httpx.Response:
    return await client.get("/graphql", params=get_params(), headers=headers)


async def test_an_anonymous_get_carries_an_etag_and_public_cache_control(database):
    settings = Settings(
        database_url=database.url,
        http_max_age=5,
        http_shared_max_age=120,
        http_stale_while_revalidate=45,
    )
    async with app_client(settings) as client:
        response = await get_title(client)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"] == (
        "public, max-age=5, s-maxage=120, stale-while-revalidate=45"
    )


async def test_if_none_match_with_the_current_etag_gets_304_without_a_body(client, seeded_page):
    etag = (await get_title(client)).headers["etag"]
    response = await get_title(client, **{"If-None-Match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


async def test_a_stale_etag_gets_the_full_response(client, seeded_page):
    response = await get_title(client, **{"If-None-Match": '"not-the-current-one"'})
    assert response.status_code == 200
    assert response.json()["data"]["page"]["title"] == seeded_page.title


async def test_a_request_with_a_token_is_private_and_not_stored(client, seeded_page, editor_token):
    response = await get_title(client, Authorization=f"Bearer {editor_token}")
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers


async def test_a_post_is_not_stored_by_caches(client, seeded_page):
    response = await client.post("/graphql", json={"query": TITLE, "variables": SLUG})
    assert response.headers["cache-control"] == "no-store"


async def test_graphql_responses_vary_on_accept_and_authorization(client, seeded_page):
    vary = {part.strip() for part in (await get_title(client)).headers["vary"].split(",")}
    assert {"Accept", "Authorization"} <= vary


async def test_a_response_with_errors_is_not_cacheable(client):
    response = await client.get("/graphql", params={"query": "{ page(slug: 1) { title } }"})
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_surrogate_keys_name_the_page_shown(client, seeded_page):
    response = await get_title(client)
    page_id = to_global_id("Page", seeded_page.id)
    assert page_id in response.headers["surrogate-key"].split(" ")
    assert page_id in response.headers["cache-tag"].split(",")


async def test_a_repeated_anonymous_get_is_served_without_sql(client, seeded_page, sql_counter):
    await get_title(client)
    before = sql_counter.count
    response = await get_title(client)
    assert response.json()["data"]["page"]["title"] == seeded_page.title
    assert sql_counter.count == before


async def test_the_cached_response_follows_the_negotiated_media_type(client, seeded_page):
    await get_title(client)
    response = await get_title(client, Accept="application/json")
    assert response.headers["content-type"].startswith("application/json")


async def test_a_mutation_invalidates_the_cache_before_it_returns(
    client, gql, seeded_page, editor_token
):
    assert (await get_title(client)).json()["data"]["page"]["title"] == seeded_page.title
    page_id = to_global_id("Page", seeded_page.id)
    changed = await gql.data(UPDATE_TITLE, {"id": page_id, "title": "Renamed"}, editor_token)
    assert changed["updatePage"]["errors"] == []
    assert (await get_title(client)).json()["data"]["page"]["title"] == "Renamed"


async def test_with_the_response_cache_off_every_get_runs_the_query(
    database, seeded_page, sql_counter
):
    settings = Settings(database_url=database.url, response_cache=False)
    async with app_client(settings) as client:
        await get_title(client)
        before = sql_counter.count
        response = await get_title(client)
    assert response.headers["etag"]
    assert sql_counter.count > before


@pytest.mark.parametrize("redis_db", [11])
async def test_with_redis_the_cache_and_its_invalidation_are_shared(
    database, seeded_page, editor_token, redis_db, sql_counter
):
    from redis.asyncio import Redis

    url = f"redis://127.0.0.1:6379/{redis_db}"
    redis = Redis.from_url(url)
    await redis.flushdb()
    settings = Settings(database_url=database.url, redis_url=url)
    apps = [create_app(settings, manage_database=False) for _ in range(2)]
    reader, writer = (http_client(app) for app in apps)
    try:
        await get_title(reader)
        before = sql_counter.count
        assert (await get_title(writer)).status_code == 200
        assert sql_counter.count == before  # the writer's app found the reader's entry
        page_id = to_global_id("Page", seeded_page.id)
        await writer.post(
            "/graphql",
            json={"query": UPDATE_TITLE, "variables": {"id": page_id, "title": "Shared"}},
            headers={"Authorization": f"Bearer {editor_token}"},
        )
        assert (await get_title(reader)).json()["data"]["page"]["title"] == "Shared"
    finally:
        await reader.aclose()
        await writer.aclose()
        await redis.flushdb()
        await redis.aclose()


async def test_a_repeated_anonymous_post_query_is_served_without_sql(
    client, seeded_page, sql_counter
):
    request = {"query": TITLE, "variables": SLUG}
    await client.post("/graphql", json=request)
    before = sql_counter.count
    response = await client.post("/graphql", json=request)
    assert response.json()["data"]["page"]["title"] == seeded_page.title
    assert sql_counter.count == before


async def test_an_anonymous_mutation_is_never_served_from_the_cache(client, seeded_page):
    variables = {"input": comment_input(seeded_page, body="Twice.")}
    for _ in range(2):
        await client.post("/graphql", json={"query": ADD_COMMENT, "variables": variables})
    assert await Comment.filter(page_id=seeded_page.id).count() == 2


async def test_a_request_with_cache_control_no_cache_runs_the_query(
    client, seeded_page, sql_counter
):
    await get_title(client)
    before = sql_counter.count
    response = await get_title(client, **{"Cache-Control": "no-cache"})
    assert response.json()["data"]["page"]["title"] == seeded_page.title
    assert sql_counter.count > before


async def add_comment(client: httpx.AsyncClient, page: Page, email: str) -> dict:
    variables = {"input": comment_input(page, authorEmail=email, body=f"From {email}.")}
    response = await client.post("/graphql", json={"query": ADD_COMMENT, "variables": variables})
    return response.json()["data"]["addComment"]


async def test_a_comment_held_for_moderation_keeps_cached_responses(
    client, seeded_page, sql_counter
):
    await get_title(client)
    assert (await add_comment(client, seeded_page, "new@example.com"))["comment"][
        "status"
    ] == "PENDING"
    before = sql_counter.count
    await get_title(client)
    assert sql_counter.count == before


async def test_a_refused_comment_keeps_cached_responses(client, seeded_page, sql_counter):
    await get_title(client)
    assert (await add_comment(client, seeded_page, "not-an-email"))["errors"]
    before = sql_counter.count
    await get_title(client)
    assert sql_counter.count == before


async def test_an_auto_approved_comment_refreshes_cached_responses(database, seeded_page):
    settings = defences_off(database.url, comment_previously_approved=True)
    await Comment.create(
        page_id=seeded_page.id,
        author_name="Ada Lovelace",
        author_email="ann@example.com",
        body="Approved earlier.",
        status="APPROVED",
    )
    count = "query($slug: String!) { page(slug: $slug) { commentCount } }"
    params = get_params(count)
    async with app_client(settings) as client:
        assert (await client.get("/graphql", params=params)).json()["data"]["page"] == {
            "commentCount": 1
        }
        added = await add_comment(client, seeded_page, "ann@example.com")
        assert added["comment"]["status"] == "APPROVED"
        response = await client.get("/graphql", params=params)
    assert response.json()["data"]["page"] == {"commentCount": 2}
