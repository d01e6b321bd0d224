"""Live comment updates over graphql-transport-ws: approved comments for everyone, every
moderation for editors, and events crossing server processes through Redis."""

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from comment_support import (
    ADD_COMMENT,
    MODERATE,
    comment_input,
    defences_off,
    gid,
    published_page,
    served,
    stored_comment,
)
from live_server import uvicorn_process
from subscription_support import COMMENT_MODERATED, subscriber
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from cms.models import CommentStatus
from cms.serving.persisted_queries import PersistedQueryStore

COMMENT_ADDED = "subscription ($pageId: ID!) { commentAdded(pageId: $pageId) { body status } }"
REDIS_URL = "redis://127.0.0.1:6379/0"


async def moderate(address: str, comment_id: str, status: str, token: str) -> None:
    async with httpx.AsyncClient(base_url=f"http://{address}", timeout=10) as http:
        response = await http.post(
            "/graphql",
            json={"query": MODERATE, "variables": {"id": comment_id, "status": status}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.json()["data"]["moderateComment"]["errors"] == [], response.text


@pytest.fixture
async def address(database) -> AsyncIterator[str]:
    async with served(defences_off(database.url)) as served_address:
        yield served_address


async def approval_seen_by_reader(address: str, token: str, body: str) -> dict[str, Any]:
    """A reader subscribed to commentAdded on a page whose pending comment an editor
    approves: the message the subscription delivers."""
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.PENDING, body=body)
    async with subscriber(address) as client:
        await client.subscribe(COMMENT_ADDED, {"pageId": gid(page)})
        await moderate(address, gid(comment), "APPROVED", token)
        return await client.receive()


async def test_comment_added_delivers_a_comment_when_it_is_approved(address, editor_token):
    message = await approval_seen_by_reader(address, editor_token, "Hello live")
    assert message["type"] == "next"
    assert message["payload"]["data"]["commentAdded"] == {
        "body": "Hello live",
        "status": "APPROVED",
    }


async def test_comment_added_ignores_other_pages_and_other_statuses(address, editor_token):
    page, other = await published_page("one"), await published_page("two")
    elsewhere = await stored_comment(other, status=CommentStatus.PENDING, body="Elsewhere")
    spam = await stored_comment(page, status=CommentStatus.PENDING, body="Spam")
    async with subscriber(address) as client:
        await client.subscribe(COMMENT_ADDED, {"pageId": gid(page)})
        await moderate(address, gid(elsewhere), "APPROVED", editor_token)
        await moderate(address, gid(spam), "SPAM", editor_token)
        assert await client.nothing_within(0.3)


async def test_comment_added_does_not_show_readers_the_email(address, editor_token):
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.PENDING)
    query = "subscription ($pageId: ID!) { commentAdded(pageId: $pageId) { authorEmail } }"
    async with subscriber(address) as client:
        await client.subscribe(query, {"pageId": gid(page)})
        await moderate(address, gid(comment), "APPROVED", editor_token)
        message = await client.receive()
    assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "ada@example.com" not in json.dumps(message)


async def test_comment_moderated_is_refused_to_readers(address):
    async with subscriber(address) as client:
        await client.subscribe(COMMENT_MODERATED)
        message = await client.receive()
    assert message["type"] in ("next", "error")
    assert "UNAUTHENTICATED" in json.dumps(message)


async def moderation_seen_by_editor(
    address: str, token: str, status: str, body: str, **connection: dict[str, str]
) -> dict[str, Any]:
    """An editor subscribed to commentModerated (``init=`` or ``headers=`` carries the token)
    moderates a new comment: what the subscription delivers."""
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.PENDING, body=body)
    async with subscriber(address, **connection) as client:
        await client.subscribe(COMMENT_MODERATED)
        await moderate(address, gid(comment), status, token)
        message = await client.receive()
    return message["payload"]["data"]["commentModerated"]


async def test_editors_authenticated_in_connection_init_see_every_moderation(address, editor_token):
    init = {"Authorization": f"Bearer {editor_token}"}
    assert await moderation_seen_by_editor(address, editor_token, "SPAM", "To spam", init=init) == {
        "body": "To spam",
        "status": "SPAM",
        "authorEmail": "ada@example.com",
    }


async def test_editors_may_authenticate_with_the_upgrade_header_instead(address, editor_token):
    headers = {"Authorization": f"Bearer {editor_token}"}
    seen = await moderation_seen_by_editor(
        address, editor_token, "TRASH", "Via header", headers=headers
    )
    assert seen["status"] == "TRASH"


async def test_a_bad_token_in_connection_init_closes_the_connection(address):
    url = f"ws://{address}/graphql"
    async with connect(url, subprotocols=["graphql-transport-ws"]) as ws:
        init = {"type": "connection_init", "payload": {"Authorization": "Bearer cms_nope"}}
        await ws.send(json.dumps(init))
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(5):
                await ws.recv()
    assert closed.value.rcvd.code == 4403


@asynccontextmanager
async def server_process(database_url: str) -> AsyncIterator[str]:
    """`uvicorn cms.asgi:app` in its own process, configured like production by env."""
    env = {**os.environ, "CMS_DATABASE_URL": database_url, "CMS_REDIS_URL": REDIS_URL}
    async with uvicorn_process(env, ready_path="/healthz") as server:
        yield f"127.0.0.1:{server.port}"


async def test_with_redis_an_approval_in_one_process_reaches_a_subscriber_of_another(
    settings, editor_token
):
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.PENDING, body="Across processes")
    async with (
        server_process(settings.database_url) as first,
        server_process(settings.database_url) as second,
        subscriber(first) as client,
    ):
        await client.subscribe(COMMENT_ADDED, {"pageId": gid(page)})
        await asyncio.sleep(0.3)  # the first subscriber also subscribes the process to Redis
        await moderate(second, gid(comment), "APPROVED", editor_token)
        message = await client.receive(timeout=10)
    assert message["payload"]["data"]["commentAdded"]["body"] == "Across processes"


async def test_a_comment_approved_on_arrival_is_delivered_at_once(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    settings = defences_off(database.url, comment_previously_approved=True)
    async with served(settings) as address, subscriber(address) as client:
        await client.subscribe(COMMENT_ADDED, {"pageId": gid(page)})
        async with httpx.AsyncClient(base_url=f"http://{address}") as http:
            await http.post(
                "/graphql",
                json={"query": ADD_COMMENT, "variables": {"input": comment_input(page)}},
            )
        message = await client.receive()
    assert message["payload"]["data"]["commentAdded"] == {
        "body": "A fine article.",
        "status": "APPROVED",
    }


@pytest.fixture
async def allow_list_address(database) -> AsyncIterator[str]:
    """Allow-list mode, with only COMMENT_ADDED on the list."""
    await PersistedQueryStore(10).register(COMMENT_ADDED, allow_listed=True)
    async with served(defences_off(database.url, persisted_queries_only=True)) as served_address:
        yield served_address


async def test_in_allow_list_mode_a_reader_cannot_subscribe_with_another_document(
    allow_list_address,
):
    page = await published_page()
    unlisted = "subscription ($pageId: ID!) { commentAdded(pageId: $pageId) { body } }"
    async with subscriber(allow_list_address) as client:
        await client.subscribe(unlisted, {"pageId": gid(page)})
        message = await client.receive()
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_in_allow_list_mode_a_reader_subscribes_with_an_allow_listed_document(
    allow_list_address, editor_token
):
    message = await approval_seen_by_reader(allow_list_address, editor_token, "Listed")
    assert message["payload"]["data"]["commentAdded"] == {"body": "Listed", "status": "APPROVED"}


async def test_in_allow_list_mode_editors_subscribe_with_any_document(
    allow_list_address, editor_token
):
    init = {"Authorization": f"Bearer {editor_token}"}
    seen = await moderation_seen_by_editor(
        allow_list_address, editor_token, "SPAM", "Unlisted document", init=init
    )
    assert seen["status"] == "SPAM"
