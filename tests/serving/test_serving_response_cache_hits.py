"""The fast lane: anonymous queries already in the response cache are answered before
Starlette's router, with exactly the response the GraphQL view sends for a cache hit; every
other request reaches the view unchanged."""

import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from comment_support import ADD_COMMENT, comment_input
from graphql_support import http_client
from redis.asyncio import Redis

from cms.app import create_app
from cms.config import Settings
from cms.models.persisted_query import PersistedQuery
from schema.relay import to_global_id

TITLE = "query Title($slug: String!) { page(slug: $slug) { id title } }"
VARIABLES = '{"slug":"harvard-medical-school"}'
# The same variables spelled differently: another query string, the same cache entry. The
# view answers its first request from the cache (the lane has not seen it yet).
SPACED_VARIABLES = '{"slug": "harvard-medical-school"}'
FRONT_END = "https://www.example.com"
RETITLE = """mutation Retitle($id: ID!, $title: String!) {
  updatePage(input: {id: $id, version: 1, title: $title}) { errors { code } }
  publishPage(input: {id: $id}) { errors { code } }
}"""


@dataclass
class Served:
    """An app over HTTP, and the requests that reached Starlette's router (the fast lane
    answers before it)."""

    http: httpx.AsyncClient
    routed: list[str]

    async def get_title(self, variables: str = VARIABLES, **headers: str) -> httpx.Response:
        return await self.http.get(
            "/graphql", params={"query": TITLE, "variables": variables}, headers=headers
        )

    async def post_title(self, variables: str = VARIABLES, **headers: str) -> httpx.Response:
        body = f'{{"query": {json.dumps(TITLE)}, "variables": {variables}}}'
        return await self.http.post(
            "/graphql", content=body, headers={"Content-Type": "application/json", **headers}
        )


def serve(settings: Settings) -> Served:
    app = create_app(settings, manage_database=False)
    routed: list[str] = []
    router = app.router

    async def counting_router(scope, receive, send):
        routed.append(f"{scope['method']} {scope['path']}")
        await router(scope, receive, send)

    app.router = counting_router
    http = http_client(app)
    return Served(http, routed)


@pytest.fixture
async def served(settings) -> AsyncIterator[Served]:
    served = serve(settings)
    async with served.http:
        yield served


@pytest.fixture
async def served_cross_origin(database) -> AsyncIterator[Served]:
    served = serve(Settings(database_url=database.url, cors_origins=[FRONT_END]))
    async with served.http:
        yield served


def without_request_id(response: httpx.Response) -> list[tuple[str, str]]:
    return [
        (name, value) for name, value in response.headers.multi_items() if name != "x-request-id"
    ]


# --- what the lane answers ---------------------------------------------------------------


async def test_a_repeated_anonymous_get_is_answered_before_routing(served, seeded_page):
    first = await served.get_title()
    second = await served.get_title()
    assert served.routed == ["GET /graphql"]
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second.json()["data"]["page"]["title"] == seeded_page.title


async def test_a_repeated_anonymous_post_is_answered_before_routing(served, seeded_page):
    first = await served.post_title()
    second = await served.post_title()
    assert served.routed == ["POST /graphql"]
    assert second.json() == first.json()
    assert second.headers["cache-control"] == "no-store"
    assert "etag" not in second.headers


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Accept": "application/json"},
        {"Accept": "application/graphql-response+json, application/json;q=0.9"},
        {"Accept": "text/html"},
        {"Origin": FRONT_END},
        {"Origin": "https://elsewhere.example"},
    ],
)
async def test_a_hit_from_the_lane_is_the_hit_the_view_sends(
    served_cross_origin, seeded_page, method, headers
):
    served = served_cross_origin
    send = served.get_title if method == "GET" else served.post_title
    await send(VARIABLES)  # executed and stored
    from_the_view = await send(SPACED_VARIABLES, **headers)
    assert len(served.routed) == 2
    from_the_lane = await send(SPACED_VARIABLES, **headers)
    assert len(served.routed) == 2
    assert from_the_lane.status_code == from_the_view.status_code == 200
    assert from_the_lane.content == from_the_view.content
    assert without_request_id(from_the_lane) == without_request_id(from_the_view)


async def test_a_304_from_the_lane_is_the_304_the_view_sends(served, seeded_page):
    etag = (await served.get_title()).headers["etag"]
    from_the_view = await served.get_title(SPACED_VARIABLES, **{"If-None-Match": etag})
    from_the_lane = await served.get_title(SPACED_VARIABLES, **{"If-None-Match": f"W/{etag}"})
    assert len(served.routed) == 2
    assert from_the_lane.status_code == from_the_view.status_code == 304
    assert from_the_lane.content == b""
    assert without_request_id(from_the_lane) == without_request_id(from_the_view)


async def test_a_stale_etag_gets_the_full_response_from_the_lane(served, seeded_page):
    await served.get_title()
    response = await served.get_title(**{"If-None-Match": '"not-the-current-one"'})
    assert served.routed == ["GET /graphql"]
    assert response.status_code == 200
    assert response.json()["data"]["page"]["title"] == seeded_page.title


async def test_a_hit_from_the_lane_follows_the_negotiated_media_type(served, seeded_page):
    await served.get_title()
    legacy = await served.get_title(Accept="application/json")
    modern = await served.get_title(Accept="*/*")
    assert served.routed == ["GET /graphql"]
    assert legacy.headers["content-type"] == "application/json"
    assert modern.headers["content-type"] == "application/graphql-response+json"


async def test_a_hit_from_the_lane_carries_the_request_id(served, seeded_page):
    await served.get_title()
    echoed = await served.get_title(**{"X-Request-ID": "front-end-42"})
    fresh = await served.get_title()
    assert served.routed == ["GET /graphql"]
    assert echoed.headers["x-request-id"] == "front-end-42"
    assert len(fresh.headers["x-request-id"]) == 32


async def test_a_hit_from_the_lane_carries_the_security_headers(served, seeded_page):
    await served.get_title()
    response = await served.get_title()
    assert served.routed == ["GET /graphql"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_a_hit_from_the_lane_may_be_read_by_an_allowed_origin(
    served_cross_origin, seeded_page
):
    await served_cross_origin.get_title()
    response = await served_cross_origin.get_title(Origin=FRONT_END)
    assert served_cross_origin.routed == ["GET /graphql"]
    assert response.headers["access-control-allow-origin"] == FRONT_END
    assert response.headers["vary"] == "Accept, Authorization, Origin"
    assert response.headers["access-control-expose-headers"] == "ETag, X-Request-ID"


async def test_metrics_count_hits_of_the_lane(served, seeded_page):
    for _ in range(3):
        await served.get_title()
    text = (await served.http.get("/metrics")).text
    assert served.routed == ["GET /graphql", "GET /metrics"]
    assert 'cms_response_cache_lookups_total{result="miss"} 1.0' in text
    assert 'cms_response_cache_lookups_total{result="hit"} 2.0' in text
    assert 'cms_http_requests_total{method="GET",route="/graphql",status="200"} 3.0' in text


# --- what goes on to the view ------------------------------------------------------------


async def test_a_request_with_a_token_reaches_the_view(served, seeded_page, editor_token):
    await served.get_title()
    response = await served.get_title(Authorization=f"Bearer {editor_token}")
    assert served.routed == ["GET /graphql", "GET /graphql"]
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers


async def test_a_bad_token_is_refused_even_for_a_cached_query(served, seeded_page):
    await served.get_title()
    response = await served.get_title(Authorization="Bearer nope")
    assert response.status_code == 401


async def test_a_request_with_no_cache_reaches_the_view_and_runs(served, seeded_page, sql_counter):
    await served.get_title()
    before = sql_counter.count
    response = await served.post_title(**{"Cache-Control": "no-cache"})
    assert response.json()["data"]["page"]["title"] == seeded_page.title
    assert sql_counter.count > before
    response = await served.get_title(**{"Cache-Control": "no-cache"})
    assert served.routed == ["GET /graphql", "POST /graphql", "GET /graphql"]


async def test_a_post_the_lane_has_not_seen_reaches_the_view_with_its_body(served, seeded_page):
    response = await served.post_title()
    assert served.routed == ["POST /graphql"]
    assert response.json()["data"]["page"]["title"] == seeded_page.title


async def test_a_repeated_anonymous_mutation_reaches_the_view_every_time(served, seeded_page):
    variables = {"input": comment_input(seeded_page, body="Twice.")}
    for _ in range(2):
        response = await served.http.post(
            "/graphql", json={"query": ADD_COMMENT, "variables": variables}
        )
        assert response.json()["data"]["addComment"]["errors"] == []
    assert served.routed == ["POST /graphql", "POST /graphql"]


async def test_graphiql_reaches_the_view(served):
    for _ in range(2):
        response = await served.http.get("/graphql", headers={"Accept": "text/html"})
        assert response.headers["content-type"].startswith("text/html")
    assert served.routed == ["GET /graphql", "GET /graphql"]


async def test_a_mutation_invalidates_what_the_lane_serves(served, seeded_page, editor_token):
    await served.get_title()
    assert (await served.get_title()).json()["data"]["page"]["title"] == seeded_page.title
    page_id = to_global_id("Page", seeded_page.id)
    await served.http.post(
        "/graphql",
        json={"query": RETITLE, "variables": {"id": page_id, "title": "Renamed"}},
        headers={"Authorization": f"Bearer {editor_token}"},
    )
    assert (await served.get_title()).json()["data"]["page"]["title"] == "Renamed"
    assert (await served.get_title()).json()["data"]["page"]["title"] == "Renamed"
    assert served.routed == ["GET /graphql", "POST /graphql", "GET /graphql"]


async def test_in_allow_list_mode_every_request_reaches_the_view(database, seeded_page):
    # The view checks the allow-list for every request, even for responses it has cached.
    query = "query Titles { pages(first: 5) { edges { node { title } } } }"
    sha256 = hashlib.sha256(query.encode()).hexdigest()
    await PersistedQuery.create(sha256=sha256, document=query, allow_listed=True)
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256}})
    served = serve(Settings(database_url=database.url, persisted_queries_only=True))
    async with served.http:
        for _ in range(2):
            response = await served.http.get("/graphql", params={"extensions": extensions})
            assert response.json()["data"]["pages"]["edges"][0]["node"]["title"]
    assert served.routed == ["GET /graphql", "GET /graphql"]


async def test_with_the_response_cache_off_every_request_reaches_the_view(database, seeded_page):
    served = serve(Settings(database_url=database.url, response_cache=False))
    async with served.http:
        for _ in range(2):
            await served.get_title()
    assert served.routed == ["GET /graphql", "GET /graphql"]


async def test_with_redis_the_lane_answers_from_the_shared_cache(
    database, seeded_page, editor_token
):
    url = "redis://127.0.0.1:6379/12"
    redis = Redis.from_url(url)
    await redis.flushdb()
    settings = Settings(database_url=database.url, redis_url=url)
    reader, writer = serve(settings), serve(settings)
    try:
        await writer.get_title()  # executed and stored in Redis
        from_the_view = await reader.get_title()  # the reader's view finds it
        from_the_lane = await reader.get_title()
        assert reader.routed == ["GET /graphql"]
        assert without_request_id(from_the_lane) == without_request_id(from_the_view)
        assert from_the_lane.content == from_the_view.content
        page_id = to_global_id("Page", seeded_page.id)
        await writer.http.post(
            "/graphql",
            json={"query": RETITLE, "variables": {"id": page_id, "title": "Shared"}},
            headers={"Authorization": f"Bearer {editor_token}"},
        )
        assert (await reader.get_title()).json()["data"]["page"]["title"] == "Shared"
        assert reader.routed == ["GET /graphql", "GET /graphql"]
    finally:
        await reader.http.aclose()
        await writer.http.aclose()
        await redis.flushdb()
        await redis.aclose()
