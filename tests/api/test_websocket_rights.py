"""A WebSocket outlives the requests that opened it: every operation on it re-checks the
viewer's token and reads with its own DataLoaders, and every subscription event too. Over a
real socket (graphql-transport-ws), as the attacks were made."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from comment_support import MODERATE, defences_off, gid, served, stored_comment
from editorial_support import UNPUBLISH_PAGE, Editor
from graphql_support import GraphQLClient
from subscription_support import COMMENT_MODERATED, Subscriber, subscriber
from websockets.exceptions import ConnectionClosed

from cms.models import Comment, CommentStatus, Page, PageStatus, Role
from cms.services.auth import create_token, revoke_token
from schema.relay import to_global_id

PAGE_ON_COMMENT = (
    "subscription ($pageId: ID!) { commentAdded(pageId: $pageId) { body page { title } } }"
)
NODE_TITLE = "query ($id: ID!) { node(id: $id) { ... on Page { title } } }"


class Socket(Subscriber):
    """Queries and mutations over the socket too: each with its own id, until complete."""

    operations = 0

    async def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        self.operations += 1
        payload = {"query": query, "variables": variables or {}}
        message = {"id": f"op{self.operations}", "type": "subscribe", "payload": payload}
        await self.ws.send(json.dumps(message))
        answer = await self.receive()
        assert answer["id"] == message["id"], answer
        if answer["type"] == "next":  # an "error" message ends the operation by itself
            assert (await self.receive())["type"] == "complete"
        return answer


@asynccontextmanager
async def site(database) -> AsyncIterator[tuple[str, GraphQLClient]]:
    """The served app, and a GraphQL client of it over HTTP."""
    async with (
        served(defences_off(database.url)) as address,
        httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as http,
    ):
        yield address, GraphQLClient(http)


@asynccontextmanager
async def socket(address: str, token: str | None = None) -> AsyncIterator[Socket]:
    init = {"Authorization": f"Bearer {token}"} if token else None
    async with subscriber(address, init) as client:
        yield Socket(client.ws)


def error_code(message: dict[str, Any]) -> str:
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    return errors[0]["extensions"]["code"]


async def test_a_socket_is_closed_as_soon_as_its_token_is_revoked(database, admin_token):
    record, token = await create_token("socket editor", Role.EDITOR)
    revoke = "mutation ($id: ID!) { revokeApiToken(input: {id: $id}) { errors { code } } }"
    async with site(database) as (address, gql), socket(address, token) as ws:
        await gql.data(revoke, {"id": to_global_id("ApiToken", record.id)}, admin_token)
        with pytest.raises(ConnectionClosed) as closed:
            await ws.receive()
    assert closed.value.rcvd.code == 4403
    assert "revoked" in closed.value.rcvd.reason


@pytest.fixture
async def socket_editor() -> tuple[str, str]:
    """A token of its own (name, token), so revoking it leaves the suite's editor alone."""
    return "socket editor", (await create_token("socket editor", Role.EDITOR))[1]


async def test_a_token_revoked_after_the_socket_opened_can_no_longer_query(database, socket_editor):
    name, token = socket_editor
    async with site(database) as (address, _), socket(address, token) as ws:
        assert (await ws.run("{ viewer { name } }"))["payload"]["data"]["viewer"]["name"] == name
        await revoke_token(name)
        answer = await ws.run("{ viewer { name } }")
    assert error_code(answer) == "UNAUTHENTICATED"
    assert name not in json.dumps(answer)


async def test_a_token_revoked_after_the_socket_opened_can_no_longer_unpublish(
    database, socket_editor, editor_token
):
    name, token = socket_editor
    async with site(database) as (address, gql), socket(address, token) as ws:
        page = await Editor(gql, editor_token).published_page("news")
        await revoke_token(name)
        answer = await ws.run(UNPUBLISH_PAGE, {"input": {"id": page["id"]}})
    assert error_code(answer) == "UNAUTHENTICATED"
    assert (await Page.get(slug="news")).status is PageStatus.PUBLISHED


async def test_a_revoked_editor_receives_no_more_moderation_events(
    database, socket_editor, editor_token
):
    name, token = socket_editor
    page = await Page.create(slug="p", title="P", status=PageStatus.PUBLISHED)
    first = await stored_comment(page, status=CommentStatus.PENDING, body="First")
    second = await stored_comment(page, status=CommentStatus.PENDING, body="Second")
    async with site(database) as (address, gql), socket(address, token) as ws:
        await ws.subscribe(COMMENT_MODERATED)
        moderate = {"status": "SPAM"}
        await gql.data(MODERATE, {"id": gid(first), **moderate}, editor_token)
        assert (await ws.receive())["payload"]["data"]["commentModerated"]["body"] == "First"
        await revoke_token(name)
        await gql.data(MODERATE, {"id": gid(second), **moderate}, editor_token)
        refused = await ws.receive()
        ended = await ws.receive()
    assert error_code(refused) == "UNAUTHENTICATED"
    assert "Second" not in json.dumps(refused) and "ada@example.com" not in json.dumps(refused)
    assert ended["type"] == "complete"


async def approve(gql: GraphQLClient, comment: Comment, token: str) -> None:
    payload = await gql.data(MODERATE, {"id": gid(comment), "status": "APPROVED"}, token)
    assert payload["moderateComment"]["errors"] == []


async def first_event_seen(
    ws: Socket, gql: GraphQLClient, token: str
) -> tuple[Editor, dict[str, Any], Comment]:
    """A reader subscribed to a published page's comments with their page sees the first
    approval; returns the editor, the page and a second comment still pending."""
    editor = Editor(gql, token)
    page = await editor.published_page("news")
    model = await Page.get(slug="news")
    first = await stored_comment(model, status=CommentStatus.PENDING, body="First")
    second = await stored_comment(model, status=CommentStatus.PENDING, body="Second")
    await ws.subscribe(PAGE_ON_COMMENT, {"pageId": page["id"]})
    await approve(gql, first, token)
    seen = (await ws.receive())["payload"]["data"]["commentAdded"]
    assert seen == {"body": "First", "page": {"title": "News"}}
    return editor, page, second


async def test_every_subscription_event_reads_the_page_afresh(database, editor_token):
    async with site(database) as (address, gql), socket(address) as ws:
        editor, page, second = await first_event_seen(ws, gql, editor_token)
        await editor.update_page(page["id"], page["version"], title="Renamed")
        await editor.publish(page["id"])
        await approve(gql, second, editor_token)
        renamed = await ws.receive()
    assert renamed["payload"]["data"]["commentAdded"]["page"]["title"] == "Renamed"


async def test_a_subscriber_gets_nothing_more_of_a_page_once_it_is_unpublished(
    database, editor_token
):
    async with site(database) as (address, gql), socket(address) as ws:
        editor, page, second = await first_event_seen(ws, gql, editor_token)
        await editor.call(UNPUBLISH_PAGE, "unpublishPage", input={"id": page["id"]})
        await approve(gql, second, editor_token)
        ended = await ws.receive()
    assert ended["type"] == "complete", ended


async def test_node_on_an_open_socket_does_not_return_a_page_unpublished_since(
    database, editor_token
):
    async with site(database) as (address, gql), socket(address) as ws:
        editor = Editor(gql, editor_token)
        page = await editor.published_page("news")
        before = await ws.run(NODE_TITLE, {"id": page["id"]})
        assert before["payload"]["data"]["node"] == {"title": "News"}
        await editor.call(UNPUBLISH_PAGE, "unpublishPage", input={"id": page["id"]})
        after = await ws.run(NODE_TITLE, {"id": page["id"]})
    assert after["payload"]["data"]["node"] is None
