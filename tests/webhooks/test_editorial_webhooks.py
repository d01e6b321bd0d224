"""Webhooks: signed deliveries to a real HTTP receiver, retried with backoff, recorded."""

import asyncio
import hashlib
import hmac
import json

import pytest
from editorial_support import UNPUBLISH_PAGE
from webhook_support import (
    ADD_COMMENT,
    APPROVE,
    CREATE_WEBHOOK,
    LOOPBACK_ALLOWED,
    SECRET,
    Receiver,
    deliver_until_settled,
    register,
)

from cms.app import create_app
from cms.models import DeliveryStatus, WebhookDelivery

DELIVERIES = """{ webhooks { edges { node { url deliveries(first: 10) { totalCount edges { node {
  event status attempts responseStatus error deliveredAt payload } } } } } } }"""


@pytest.fixture
def settings(settings):
    return settings.model_copy(update=LOOPBACK_ALLOWED)


@pytest.fixture
def fast_settings(settings):
    return settings.model_copy(update={"webhook_backoff_seconds": 0.05, "webhook_max_attempts": 3})


async def test_publishing_sends_a_signed_delivery_to_the_receiver(editor, receiver, fast_settings):
    await register(editor, receiver.url, ["page.published"])
    page = await editor.published_page("news")

    await deliver_until_settled(fast_settings)

    [request] = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-CMS-Signature-256"] == expected
    assert request["headers"]["X-CMS-Event"] == "page.published"
    body = json.loads(request["body"])
    assert body["event"] == "page.published"
    assert (body["data"]["slug"], body["data"]["version"]) == ("news", page["version"])


async def test_delivery_outcomes_are_queryable(editor, receiver, fast_settings):
    await register(editor, receiver.url, ["*"])
    await editor.published_page("news")
    await deliver_until_settled(fast_settings)

    hooks = (await editor.gql.data(DELIVERIES, token=editor.token))["webhooks"]

    [delivery] = [edge["node"] for edge in hooks["edges"][0]["node"]["deliveries"]["edges"]]
    assert (delivery["event"], delivery["status"], delivery["attempts"]) == (
        "page.published",
        "SUCCEEDED",
        1,
    )
    assert delivery["responseStatus"] == 200
    assert delivery["deliveredAt"] is not None


async def test_a_failing_receiver_is_retried_with_exponential_backoff(
    editor, receiver, fast_settings
):
    receiver.statuses = [500, 503]
    await register(editor, receiver.url, ["page.published"])
    await editor.published_page("news")

    await deliver_until_settled(fast_settings)

    delivery = await WebhookDelivery.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.SUCCEEDED,
        3,
        200,
    )
    first, second, third = (r["at"] for r in receiver.requests)
    assert second - first >= 0.05
    assert third - second >= 0.1


async def test_a_receiver_that_keeps_failing_ends_failed_after_the_last_attempt(
    editor, receiver, fast_settings
):
    receiver.statuses = [500] * 10
    await register(editor, receiver.url, ["page.published"])
    await editor.published_page("news")

    await deliver_until_settled(fast_settings)

    delivery = await WebhookDelivery.get()
    assert (delivery.status, delivery.attempts, delivery.error) == (
        DeliveryStatus.FAILED,
        3,
        "HTTP 500",
    )
    assert len(receiver.requests) == 3


async def test_an_unreachable_receiver_is_recorded_as_an_error(editor, fast_settings):
    with Receiver() as gone:
        url = gone.url
    await register(editor, url, ["page.published"])
    await editor.published_page("news")

    await deliver_until_settled(fast_settings)

    delivery = await WebhookDelivery.get()
    assert delivery.status is DeliveryStatus.FAILED
    assert delivery.response_status is None
    assert delivery.error == "connection refused"


async def test_a_webhook_receives_only_the_events_it_registered_for(
    editor, receiver, fast_settings
):
    await register(editor, receiver.url, ["page.unpublished"])
    page = await editor.published_page("news")
    await editor.call(UNPUBLISH_PAGE, "unpublishPage", input={"id": page["id"]})

    await deliver_until_settled(fast_settings)

    assert [r["headers"]["X-CMS-Event"] for r in receiver.requests] == ["page.unpublished"]


async def test_approving_a_comment_notifies_webhooks(gql, editor, receiver, fast_settings):
    page = await editor.published_page("news")
    await register(editor, receiver.url, ["comment.approved"])
    comment = (
        await gql.data(
            ADD_COMMENT,
            {
                "input": {
                    "pageId": page["id"],
                    "authorName": "Ada",
                    "authorEmail": "ada@example.org",
                    "body": "Nice.",
                }
            },
        )
    )["addComment"]["comment"]
    await editor.call(APPROVE, "moderateComment", id=comment["id"])

    await deliver_until_settled(fast_settings)

    assert [r["headers"]["X-CMS-Event"] for r in receiver.requests] == ["comment.approved"]


async def test_the_delivery_worker_inside_the_server_sends_deliveries(
    editor, receiver, fast_settings
):
    await register(editor, receiver.url, ["page.published"])
    app = create_app(
        fast_settings.model_copy(update={"background_workers": True, "webhook_poll_seconds": 0.02}),
        manage_database=False,
    )
    async with app.router.lifespan_context(app):
        await editor.published_page("news")
        for _ in range(500):  # up to 10 s on a loaded machine; usually a few polls
            if receiver.requests:
                break
            await asyncio.sleep(0.02)

    assert len(receiver.requests) == 1


async def test_a_webhook_needs_an_http_url_and_known_events(editor):
    payload = await editor.call(
        CREATE_WEBHOOK,
        "createWebhook",
        input={"url": "ftp://example.org", "events": ["page.exploded"]},
    )

    assert [(error["field"], error["code"]) for error in payload["errors"]] == [
        ("url", "INVALID"),
        ("events", "INVALID"),
    ]


async def test_readers_cannot_register_webhooks(gql, receiver):
    body = await gql(CREATE_WEBHOOK, {"input": {"url": receiver.url, "events": ["*"]}})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
