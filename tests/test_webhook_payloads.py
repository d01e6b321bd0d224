"""What webhook receivers and editors see of webhooks: payloads name objects by the API's
global IDs, and the list of webhooks is a paged connection."""

import json

import pytest

from tests.editorial_support import Editor
from tests.webhook_support import (
    ADD_COMMENT,
    APPROVE,
    LOOPBACK_ALLOWED,
    Receiver,
    deliver_until_settled,
    register,
)

NODE = "query ($id: ID!) { node(id: $id) { id } }"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update=LOOPBACK_ALLOWED)


@pytest.fixture
def editor(gql, editor_token) -> Editor:
    return Editor(gql, editor_token)


def delivered_data(receiver: Receiver) -> list[dict]:
    return [json.loads(request["body"])["data"] for request in receiver.requests]


async def test_a_page_event_names_the_page_by_its_global_id(editor, settings):
    with Receiver() as receiver:
        await register(editor, receiver.url, ["page.published"])
        page = await editor.published_page("news")
        await deliver_until_settled(settings)

    [data] = delivered_data(receiver)
    assert data == {"id": page["id"], "slug": "news", "version": page["version"]}
    found = await editor.gql.data(NODE, {"id": data["id"]}, editor.token)
    assert found["node"]["id"] == page["id"]


async def test_a_comment_event_names_the_comment_and_its_page_by_global_ids(gql, editor, settings):
    page = await editor.published_page("news")
    with Receiver() as receiver:
        await register(editor, receiver.url, ["comment.approved"])
        comment_input = {
            "pageId": page["id"],
            "authorName": "Ada",
            "authorEmail": "ada@example.org",
            "body": "Nice.",
        }
        added = await gql.data(ADD_COMMENT, {"input": comment_input})
        comment_id = added["addComment"]["comment"]["id"]
        await editor.call(APPROVE, "moderateComment", id=comment_id)
        await deliver_until_settled(settings)

    [data] = delivered_data(receiver)
    assert data == {"id": comment_id, "pageId": page["id"], "status": "APPROVED"}
