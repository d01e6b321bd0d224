"""What webhook receivers and editors see of webhooks: payloads name objects by the API's
global IDs, and the list of webhooks is a paged connection."""

import json

import pytest
from webhook_support import (
    ADD_COMMENT,
    APPROVE,
    LOOPBACK_ALLOWED,
    Receiver,
    deliver_until_settled,
    register,
)

from cms.models import Webhook

NODE = "query ($id: ID!) { node(id: $id) { id } }"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update=LOOPBACK_ALLOWED)


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


WEBHOOKS_PAGE = """query ($first: Int, $after: String) {
  webhooks(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { url } } } }"""


async def test_webhooks_are_listed_a_page_at_a_time(editor):
    for number in range(3):
        await Webhook.create(
            url=f"https://hooks.example/{number}", events=["*"], secret="s", created_by="t"
        )

    first = (await editor.gql.data(WEBHOOKS_PAGE, {"first": 2}, editor.token))["webhooks"]
    cursor = first["pageInfo"]["endCursor"]
    rest = await editor.gql.data(WEBHOOKS_PAGE, {"first": 2, "after": cursor}, editor.token)

    assert first["totalCount"] == 3
    assert [edge["node"]["url"] for edge in first["edges"]] == [
        "https://hooks.example/0",
        "https://hooks.example/1",
    ]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["url"] for edge in rest["webhooks"]["edges"]] == [
        "https://hooks.example/2"
    ]


async def test_a_reader_asking_for_webhooks_loses_only_that_field(gql):
    body = await gql("{ webhooks(first: 5) { totalCount } pages(first: 1) { totalCount } }")

    assert body["data"] == {"webhooks": None, "pages": {"totalCount": 0}}
    assert body["errors"][0]["path"] == ["webhooks"]
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
