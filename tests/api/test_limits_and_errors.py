"""Protection of the API: limits on query depth, aliases and tokens; unexpected errors
masked for clients but logged for operators; the schema and parsed documents reused."""

import logging
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from graphql_support import app_client, http_client
from starlette.routing import Route
from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache
from tortoise.connection import connections

from cms.app import create_app
from cms.config import Settings
from schema import DOCUMENT_CACHE_SIZE

SMALL_LIMITS = {"max_query_depth": 4, "max_aliases": 3, "max_tokens": 60}


@pytest.fixture
async def strict_client(database) -> AsyncIterator[httpx.AsyncClient]:
    """The app with small limits, so that modest documents go over them."""
    settings = Settings(database_url=database.url, **SMALL_LIMITS)
    async with app_client(settings) as http:
        yield http


async def post(http: httpx.AsyncClient, query: str) -> httpx.Response:
    return await http.post("/graphql", json={"query": query})


async def post_executed(http: httpx.AsyncClient, query: str) -> httpx.Response:
    """Posted with ``Cache-Control: no-cache``: executed, not answered by the response cache."""
    return await http.post("/graphql", json={"query": query}, headers={"Cache-Control": "no-cache"})


def query_of_depth(depth: int) -> str:
    """A document ``depth`` levels deep, counted as the limiter does: the root field `page`
    is at depth 0, `sections` 1, then `children` down to `title` at ``depth``."""
    selection = "title"
    for _ in range(depth - 2):
        selection = f"children {{ {selection} }}"
    return f'{{ page(slug: "x") {{ sections {{ {selection} }} }} }}'


def assert_refused(response: httpx.Response, message: str) -> None:
    """Refused before running: a 400 with the error and no data."""
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body
    assert [error["message"] for error in body["errors"]] == [message]


# --- depth -----------------------------------------------------------------------------------


async def test_a_query_as_deep_as_the_limit_runs(strict_client):
    response = await post(strict_client, query_of_depth(4))

    assert response.json() == {"data": {"page": None}}


async def test_a_query_deeper_than_the_limit_is_refused(strict_client):
    response = await post(strict_client, query_of_depth(5))

    assert_refused(response, "'anonymous' exceeds maximum operation depth of 4")


async def test_fragments_do_not_hide_depth(strict_client):
    query = """{ page(slug: "x") { ...Deep } }
      fragment Deep on Page { sections { children { children { children { title } } } } }"""

    response = await post(strict_client, query)

    assert_refused(response, "'anonymous' exceeds maximum operation depth of 4")


async def test_the_default_depth_limit_is_on(client, settings):
    assert settings.max_query_depth == 12

    allowed = await post(client, query_of_depth(12))
    refused = await post(client, query_of_depth(13))

    assert allowed.json() == {"data": {"page": None}}
    assert_refused(refused, "'anonymous' exceeds maximum operation depth of 12")


# --- aliases ---------------------------------------------------------------------------------


async def test_as_many_aliases_as_the_limit_run(strict_client):
    response = await post(
        strict_client, "{ a: viewer { name } b: viewer { name } c: viewer { name } }"
    )

    assert response.json() == {"data": {"a": None, "b": None, "c": None}}


async def test_more_aliases_than_the_limit_are_refused(strict_client):
    query = "{ a: viewer { name } b: viewer { name } c: viewer { name } d: viewer { name } }"

    response = await post(strict_client, query)

    assert_refused(response, "4 aliases found. Allowed: 3")


# --- tokens ----------------------------------------------------------------------------------


async def test_a_document_with_more_tokens_than_the_limit_is_refused(strict_client):
    query = "{ " + " ".join(f"f{number}: viewer {{ name }}" for number in range(20)) + " }"

    response = await post(strict_client, query)

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == (
        "Syntax Error: Document contains more than 60 tokens. Parsing aborted."
    )


# --- masking ---------------------------------------------------------------------------------

LEAK_MARKERS = [
    "Traceback",
    "no such table",
    "does not exist",
    "SELECT",
    "FROM",
    "comment_renamed",
    '"comment"',
    "sqlite",
    "asyncpg",
    "OperationalError",
    "UndefinedTable",
    ".py",
    "/work",
    "site-packages",
]


async def test_an_unexpected_failure_is_masked_for_the_client_and_logged(
    client, seeded_page, caplog
):
    db = connections.get("default")
    await db.execute_script('ALTER TABLE "comment" RENAME TO comment_renamed')
    try:
        with caplog.at_level(logging.ERROR, logger="cms.graphql"):
            response = await client.post(
                "/graphql",
                json={
                    "query": "query($slug: String!) { page(slug: $slug) { title commentCount } }",
                    "variables": {"slug": seeded_page.slug},
                },
            )
    finally:
        await db.execute_script('ALTER TABLE comment_renamed RENAME TO "comment"')

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"page": None}  # commentCount cannot be null, so its page is
    [error] = body["errors"]
    assert error["message"] == "Internal server error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    assert error["path"] == ["page", "commentCount"]
    for marker in LEAK_MARKERS:
        assert marker.lower() not in response.text.lower(), marker
    # The operator gets the real cause with its stack trace.
    [record] = [r for r in caplog.records if r.name == "cms.graphql" and r.exc_info]
    assert record.levelno == logging.ERROR
    assert "commentCount" in record.getMessage()
    assert "comment" in str(record.exc_info[1]).lower()


async def test_errors_the_cms_raises_on_purpose_keep_their_message(client):
    response = await post(client, "{ pages(first: -5) { totalCount } }")

    [error] = response.json()["errors"]
    assert error["message"] == "'first' must not be negative."
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_validation_errors_are_not_masked(client):
    response = await post(client, "{ viewer { nmae } }")

    assert "Cannot query field 'nmae' on type 'Viewer'" in response.json()["errors"][0]["message"]


# --- built once, reused --------------------------------------------------------------------


def graphql_endpoint(app) -> object:
    [route] = [r for r in app.routes if isinstance(r, Route) and r.path == "/graphql"]
    return route.endpoint


async def test_the_schema_is_built_once_not_per_request(settings):
    app = create_app(settings, manage_database=False)
    view = graphql_endpoint(app)
    schema_before, graphql_schema_before = view.schema, view.schema._schema

    async with http_client(app) as http:
        for _ in range(2):
            assert (await post(http, "{ viewer { name } }")).status_code == 200

    assert view.schema is schema_before
    assert view.schema._schema is graphql_schema_before


async def test_a_repeated_document_is_parsed_once(client):
    # A unique comment makes the document new to this process.
    query = f"# {uuid.uuid4()}\n{{ viewer {{ name }} }}"
    parse_cache = _get_parse_cache(DOCUMENT_CACHE_SIZE)

    before = parse_cache.cache_info()
    for _ in range(3):
        assert (await post_executed(client, query)).json() == {"data": {"viewer": None}}
    after = parse_cache.cache_info()

    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 2


async def test_a_repeated_document_is_validated_once(client):
    query = f"# {uuid.uuid4()}\n{{ viewer {{ name }} }}"
    validation_cache = _get_validate_cache(DOCUMENT_CACHE_SIZE)

    before = validation_cache.cache_info()
    for _ in range(3):
        assert (await post_executed(client, query)).json() == {"data": {"viewer": None}}
    after = validation_cache.cache_info()

    assert after.misses - before.misses == 1
    assert after.hits - before.hits == 2
