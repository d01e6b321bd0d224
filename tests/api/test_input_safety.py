"""Inputs that used to end in HTTP 500 or INTERNAL errors: NUL bytes and lone surrogates in
any string (variables, document literals, over HTTP and WebSocket), oversized searches,
astronomic page sizes and JSON bodies that are not objects. Each gets a 400 or a
BAD_USER_INPUT error with a clear message, and nothing is stored."""

import json

import pytest
from comment_support import defences_off, served
from subscription_support import subscriber

from cms.models import Page

CREATE_PAGE = (
    "mutation ($input: CreatePageInput!) "
    "{ createPage(input: $input) { page { id } errors { field code message } } }"
)
SEARCH_PAGES = "query ($s: String) { pages(filter: {search: $s}) { edges { node { title } } } }"
FULL_TEXT = "query ($s: String!) { search(query: $s) { totalCount } }"
COMMENTS = "query ($s: String) { comments(search: $s) { edges { node { body } } } }"
UNUSABLE = {"NUL": "a\x00b", "lone surrogate": "a\ud800b"}


def post_raw(client, body: object, token: str | None = None):
    headers = {"content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    # json.dumps writes a lone surrogate as the escape \ud800, as a hostile client would.
    return client.post("/graphql", content=json.dumps(body), headers=headers)


def bad_user_input(body: dict) -> str:
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    return error["message"]


@pytest.mark.parametrize("value", UNUSABLE.values(), ids=UNUSABLE.keys())
async def test_an_unusable_string_in_variables_is_refused_and_nothing_is_stored(
    client, editor_token, value
):
    body = {"query": CREATE_PAGE, "variables": {"input": {"slug": "x", "title": value}}}
    response = await post_raw(client, body, editor_token)
    assert response.status_code == 400
    assert "$input.title" in bad_user_input(response.json())
    assert await Page.all().count() == 0


@pytest.mark.parametrize("value", UNUSABLE.values(), ids=UNUSABLE.keys())
async def test_an_unusable_string_in_an_anonymous_search_is_refused(client, value):
    response = await post_raw(client, {"query": SEARCH_PAGES, "variables": {"s": value}})
    assert response.status_code == 400
    assert "$s" in bad_user_input(response.json())


async def test_a_nul_in_a_document_literal_is_refused(client, editor_token):
    document = 'mutation { createPage(input: {slug: "x", title: "a\\u0000b"}) { page { id } } }'
    response = await post_raw(client, {"query": document}, editor_token)
    assert "document contains a NUL" in bad_user_input(response.json())
    assert await Page.all().count() == 0


async def test_an_unusable_string_over_a_websocket_is_refused(database):
    subscription = "subscription ($id: ID!) { commentAdded(pageId: $id) { body } }"
    async with served(defences_off(database.url)) as address, subscriber(address) as client:
        await client.subscribe(subscription, {"id": "a\ud800"})
        message = await client.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(
    "query, text",
    [
        (SEARCH_PAGES, "%_" * 300_000),  # SQLite: "LIKE or GLOB pattern too complex"
        (SEARCH_PAGES, " ".join(f"w{n}" for n in range(60_000))),
        (FULL_TEXT, " ".join(f"w{n}" for n in range(60_000))),  # PostgreSQL: stack depth
    ],
    ids=["600 KB pattern", "60,000-word filter", "60,000-word full text"],
)
async def test_an_oversized_search_is_refused(gql, seeded_page, query, text):
    assert "limited to 200 characters" in bad_user_input(await gql(query, {"s": text}))


async def test_an_editor_searches_comments_with_text_longer_than_an_ip_address(gql, editor_token):
    data = await gql.data(COMMENTS, {"s": "x" * 60}, editor_token)
    assert data == {"comments": {"edges": []}}


async def test_an_astronomic_page_size_gets_a_400(client):
    query = "{ pages(first: 99999999999999999999) { edges { node { title } } } }"
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 400
    assert "32-bit" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("body", ['"hello"', "123", "true"])
async def test_a_json_body_that_is_not_an_object_gets_a_400(client, editor_token, body):
    for token in (None, editor_token):
        headers = {"content-type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = await client.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400
        assert "Expected a JSON object" in response.text


async def test_a_null_body_or_null_variables_mean_nothing_given(client, seeded_page):
    response = await client.post(
        "/graphql", content="null", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "No GraphQL query found" in response.text
    response = await client.get("/graphql", params={"query": "{ __typename }", "variables": "null"})
    assert response.json() == {"data": {"__typename": "Query"}}
