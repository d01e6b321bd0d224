"""A change invalidates the cached responses showing what readers see change, and no
others: a hit costs no SQL statement, so a reread that sends none was served from the cache.
Reads ask for no ``id``: the keys come from what execution shows, not from the fields. Each
test runs with the in-process cache and with the cache (and events) in Redis."""

import asyncio
import json

import httpx
import pytest
from comment_support import ADD_COMMENT, MODERATE
from database_support import SqlCounter
from editorial_support import Editor
from graphql_support import GraphQLClient
from redis.asyncio import Redis

from cms.config import Settings

REDIS_URL = "redis://127.0.0.1:6379/8"
PAGE = "query ($slug: String!) { page(slug: $slug) { title commentCount } }"
LIST = "{ pages(first: 10) { edges { node { title } } } }"


def comment_input(page_id: str) -> dict[str, str]:
    author = {"authorName": "Ada", "authorEmail": "ada@example.com"}
    return {"pageId": page_id, **author, "body": "Fine."}


async def get(http: httpx.AsyncClient, query: str, **variables: str) -> dict:
    params = {"query": query, **({"variables": json.dumps(variables)} if variables else {})}
    response = await http.get("/graphql", params=params)
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def statements_of(sql: SqlCounter, read) -> tuple[int, dict]:
    before = sql.count
    data = await read()
    return sql.count - before, data


class Reader:
    def __init__(self, http: httpx.AsyncClient, sql: SqlCounter) -> None:
        self.http, self.sql = http, sql

    async def page(self, slug: str) -> tuple[int, dict | None]:
        cost, data = await statements_of(self.sql, lambda: get(self.http, PAGE, slug=slug))
        return cost, data["page"]

    async def titles(self) -> tuple[int, list[str]]:
        cost, data = await statements_of(self.sql, lambda: get(self.http, LIST))
        return cost, [edge["node"]["title"] for edge in data["pages"]["edges"]]

    async def warm(self) -> None:
        for read in (self.page("a"), self.page("b"), self.titles()):
            await read
        assert (await self.page("a"))[0] == 0
        assert (await self.page("b"))[0] == 0
        assert (await self.titles())[0] == 0


@pytest.fixture(params=["in-process", "redis"])
async def settings(request: pytest.FixtureRequest, settings: Settings):
    if request.param == "in-process":
        yield settings
        return
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    yield settings.model_copy(update={"redis_url": REDIS_URL})
    await redis.flushdb()
    await redis.aclose()


@pytest.fixture
async def site(gql: GraphQLClient, editor_token: str, sql_counter: SqlCounter):
    editor = Editor(gql, editor_token)
    pages = {slug: await editor.published_page(slug) for slug in ("a", "b")}
    reader = Reader(gql.http, sql_counter)
    await reader.warm()
    return editor, pages, reader


async def test_a_draft_save_keeps_the_live_page_cached(site):
    editor, pages, reader = site
    saved = await editor.update_page(pages["a"]["id"], pages["a"]["version"], title="Draft")
    assert saved["errors"] == []
    assert await reader.page("a") == (0, {"title": "A", "commentCount": 0})
    assert await reader.titles() == (0, ["B", "A"])


async def test_publishing_a_page_invalidates_it_and_the_lists_but_not_other_pages(site):
    editor, pages, reader = site
    await editor.update_page(pages["a"]["id"], pages["a"]["version"], title="A, revised")
    await editor.publish(pages["a"]["id"])
    assert await reader.page("b") == (0, {"title": "B", "commentCount": 0})
    cost, page = await reader.page("a")
    assert cost > 0 and page == {"title": "A, revised", "commentCount": 0}
    cost, titles = await reader.titles()
    assert cost > 0 and titles == ["A, revised", "B"]


async def test_unpublishing_a_page_invalidates_it_and_the_lists(site):
    editor, pages, reader = site
    await editor.call(
        "mutation ($input: PageIdInput!) { unpublishPage(input: $input) { errors { code } } }",
        "unpublishPage",
        input={"id": pages["a"]["id"]},
    )
    assert (await reader.page("a"))[1] is None
    assert (await reader.titles())[1] == ["B"]
    assert (await reader.page("b"))[0] == 0


async def test_a_lookup_that_found_nothing_is_invalidated_when_the_page_goes_live(site):
    editor, _, reader = site
    assert (await reader.page("later"))[1] is None
    assert (await reader.page("later"))[0] == 0
    await editor.published_page("later")
    assert (await reader.page("later"))[1] == {"title": "Later", "commentCount": 0}
    assert (await reader.page("b"))[0] == 0


async def test_a_comment_looked_up_before_its_approval_shows_once_approved(site, gql, editor_token):
    _, pages, reader = site
    added = await gql.data(ADD_COMMENT, {"input": comment_input(pages["a"]["id"])})
    comment_id = added["addComment"]["comment"]["id"]
    lookup = "query ($id: ID!) { node(id: $id) { ... on Comment { body } } }"
    assert await get(reader.http, lookup, id=comment_id) == {"node": None}
    await gql.data(MODERATE, {"id": comment_id, "status": "APPROVED"}, editor_token)
    assert await get(reader.http, lookup, id=comment_id) == {"node": {"body": "Fine."}}


async def test_approving_a_comment_invalidates_its_page_only(site, gql, editor_token):
    _, pages, reader = site
    added = await gql.data(ADD_COMMENT, {"input": comment_input(pages["a"]["id"])})
    comment = added["addComment"]["comment"]
    assert comment["status"] == "PENDING"
    assert await reader.page("a") == (0, {"title": "A", "commentCount": 0})  # held: unseen
    moderated = await gql.data(MODERATE, {"id": comment["id"], "status": "APPROVED"}, editor_token)
    assert moderated["moderateComment"]["errors"] == []
    cost, page = await reader.page("a")
    assert cost > 0 and page == {"title": "A", "commentCount": 1}
    assert (await reader.page("b"))[0] == 0


async def test_concurrent_misses_for_one_response_are_computed_once(site):
    editor, pages, reader = site
    await editor.publish(pages["a"]["id"], message="again")  # nothing changed: no invalidation
    await editor.update_page(pages["a"]["id"], pages["a"]["version"], title="A2")
    await editor.publish(pages["a"]["id"])
    one_execution, _ = await statements_of(
        reader.sql,
        lambda: reader.http.get(
            "/graphql",
            params={"query": PAGE, "variables": '{"slug":"a"}'},
            headers={"Cache-Control": "no-cache"},
        ),
    )
    await editor.update_page(pages["a"]["id"], pages["a"]["version"] + 2, title="A3")
    await editor.publish(pages["a"]["id"])
    burst, pages_read = await statements_of(
        reader.sql, lambda: asyncio.gather(*(reader.page("a") for _ in range(8)))
    )
    assert [page for _, page in pages_read] == [{"title": "A3", "commentCount": 0}] * 8
    assert one_execution > 0
    assert burst == one_execution
