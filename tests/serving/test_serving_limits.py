"""Limits that keep one client from monopolising the server: the cost budget of an operation
and the number of subscriptions on one WebSocket connection (each configurable)."""

import asyncio
import json

from comment_support import defences_off, gid, published_page, served
from graphql_support import app_client
from websockets.asyncio.client import connect

from cms.config import Settings

TITLES = "{ pages(first: %d) { edges { node { title } } } }"  # costs 1 + n * 3


async def post(settings: Settings, query: str, variables: dict | None = None) -> dict:
    async with app_client(settings) as client:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    return response.json()


async def test_an_operation_over_the_cost_budget_is_refused_with_its_cost(database):
    body = await post(Settings(database_url=database.url, max_query_cost=10), TITLES % 5)
    error = body["errors"][0]
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 16, "maxCost": 10}
    assert "data" not in body


async def test_an_operation_within_the_cost_budget_runs(database):
    body = await post(Settings(database_url=database.url, max_query_cost=10), TITLES % 3)
    assert body == {"data": {"pages": {"edges": []}}}


async def test_a_page_size_in_a_variable_costs_the_maximum_page_size(database):
    settings = Settings(database_url=database.url, max_query_cost=100, max_page_size=50)
    query = "query ($n: Int) { pages(first: $n) { edges { node { title } } } }"
    body = await post(settings, query, {"n": 1})
    assert body["errors"][0]["extensions"]["cost"] == 1 + 50 * 3


async def test_nested_connections_multiply_their_page_sizes(database):
    query = "{ pages(first: 10) { edges { node { comments(first: 10) { totalCount } } } } }"
    body = await post(Settings(database_url=database.url, max_query_cost=1), query)
    assert body["errors"][0]["extensions"]["cost"] == 1 + 10 * (1 + (1 + (1 + 10 * 1)))


async def test_fragments_are_costed_like_inline_selections(database):
    query = (
        "{ pages(first: 5) { ...Edges } } "
        "fragment Edges on PageConnection { edges { node { title } } }"
    )
    body = await post(Settings(database_url=database.url, max_query_cost=1), query)
    assert body["errors"][0]["extensions"]["cost"] == 16


async def test_the_default_budget_admits_the_seeded_article_with_everything(gql, seeded_page):
    query = """{ page(slug: "harvard-medical-school") { title sections { title bodyHtml
      children { title bodyHtml children { title } } } comments(first: 50) { edges { node {
      authorName body replies { edges { node { body } } } } } } } pages(first: 50) { totalCount
      edges { node {
      title sections { title children { title } } } } } }"""
    assert "errors" not in await gql(query)


async def test_a_connection_over_its_subscription_limit_gets_an_error(database):
    page = await published_page()
    settings = defences_off(database.url, max_subscriptions_per_connection=2)
    subscription = "subscription ($pageId: ID!) { commentAdded(pageId: $pageId) { body } }"
    async with (
        served(settings) as address,
        connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        for number in range(3):
            payload = {"query": subscription, "variables": {"pageId": gid(page)}}
            await ws.send(json.dumps({"id": str(number), "type": "subscribe", "payload": payload}))
        async with asyncio.timeout(5):
            message = json.loads(await ws.recv())
    assert (message["id"], message["type"]) == ("2", "error")
    assert message["payload"][0]["message"] == "Subscription limit reached"
