"""Webhooks cannot be turned against the server's own network (SSRF): non-public addresses
are refused at registration and again at every delivery, and failures read as short,
generic reasons.

No test here sends a packet beyond loopback: hosts are IP literals (refused without any
lookup) or names answered by a resolver the test controls, and refusals happen before a
connection is made.
"""

import json
import shutil
import socket
import ssl
import subprocess
from ipaddress import ip_address
from typing import Any

import httpx
import pytest
from tortoise.timezone import now
from webhook_support import CREATE_WEBHOOK, LOOPBACK_ALLOWED, Receiver

from cms.errors import ValidationFailed
from cms.models import DeliveryStatus, Role, Webhook, WebhookDelivery
from cms.services.auth import Viewer
from cms.services.webhook_addresses import AddressPolicy
from cms.services.webhook_delivery import deliver_due
from cms.services.webhooks import create_webhook

EDITOR = Viewer(token_id=1, name="test editor", role=Role.EDITOR)


def resolving(*answers: list[str]):
    """A resolver that answers each lookup with the next list of addresses."""
    queue = [[ip_address(a) for a in answer] for answer in answers]
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list:
        asked.append(host)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    resolve.asked = asked
    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/graphql",  # the CMS itself
        "http://localhost/hook",
        "http://10.0.0.1/hook",
        "http://192.168.1.1/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/hook",
        "http://2130706433/hook",  # 127.0.0.1 as one decimal number
        "http://0x7f000001/hook",
        "http://0177.0.0.1/hook",
        "http://127.1/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[fe80::1]/hook",
        "http://100.64.0.1/hook",
    ],
)
async def test_a_webhook_to_a_non_public_address_is_refused_at_registration(editor, url):
    payload = await editor.call(
        CREATE_WEBHOOK, "createWebhook", input={"url": url, "events": ["*"]}
    )

    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("url", "INVALID")
    assert payload["webhook"] is None
    assert not await Webhook.exists()


async def test_the_refusal_says_why_and_what_an_admin_can_do(editor):
    url = "http://169.254.169.254/latest/meta-data/"
    payload = await editor.call(
        CREATE_WEBHOOK, "createWebhook", input={"url": url, "events": ["*"]}
    )

    [error] = payload["errors"]
    assert "non-public" in error["message"]
    assert "CMS_WEBHOOK_ALLOWED_NETWORKS" in error["message"]


async def test_a_host_name_that_resolves_to_a_private_address_is_refused_at_registration():
    addresses = AddressPolicy(resolve=resolving(["93.184.215.14", "10.0.0.1"]))

    with pytest.raises(ValidationFailed) as refused:
        await create_webhook(EDITOR, "https://hooks.test/in", ["*"], addresses=addresses)

    assert refused.value.errors[0].field == "url"
    assert not await Webhook.exists()


async def test_a_host_name_that_does_not_resolve_is_refused_at_registration():
    async def nothing(host: str, port: int) -> list:
        raise OSError("Name or service not known")

    with pytest.raises(ValidationFailed) as refused:
        await create_webhook(
            EDITOR, "https://nowhere.test/", ["*"], addresses=AddressPolicy(resolve=nothing)
        )

    assert refused.value.errors[0].message == "This host name does not resolve."


async def test_an_allowed_network_may_be_registered(settings):
    allowed = AddressPolicy.from_settings(settings.model_copy(update=LOOPBACK_ALLOWED))

    webhook = await create_webhook(EDITOR, "http://127.0.0.1:9/hook", ["*"], addresses=allowed)

    assert webhook.url == "http://127.0.0.1:9/hook"


async def loopback_only(request: httpx.Request) -> None:
    """Runs before the client connects: a request anywhere but loopback fails the test
    instead of leaving this machine."""
    assert ip_address(request.url.host).is_loopback, f"would connect to {request.url.host}"


async def deliver_once(settings, addresses: AddressPolicy, **client: Any) -> WebhookDelivery:
    """Queue one delivery to the only webhook and attempt it (``client``: httpx options)."""
    webhook = await Webhook.get()
    await WebhookDelivery.create(
        webhook=webhook, event="page.published", payload={"data": {}}, next_attempt_at=now()
    )
    async with httpx.AsyncClient(event_hooks={"request": [loopback_only]}, **client) as http:
        await deliver_due(settings, http, addresses)
    return await WebhookDelivery.get()


async def test_a_name_that_rebinds_to_a_private_address_is_refused_at_delivery(settings):
    allowed = settings.model_copy(update=LOOPBACK_ALLOWED)
    resolve = resolving(["127.0.0.1"], ["127.0.0.1", "169.254.169.254"])
    addresses = AddressPolicy.from_settings(allowed, resolve)
    with Receiver() as receiver:
        url = f"http://rebind.test:{receiver.server.server_port}/hook"
        await create_webhook(EDITOR, url, ["*"], addresses=addresses)

        delivery = await deliver_once(allowed, addresses)

    assert resolve.asked == ["rebind.test", "rebind.test"]
    assert (delivery.error, delivery.response_status) == ("address not allowed", None)
    assert receiver.requests == []


async def test_a_webhook_stored_with_a_private_address_is_refused_at_delivery(settings):
    await Webhook.create(url="http://10.0.0.1/hook", events=["*"], secret="s", created_by="t")

    delivery = await deliver_once(settings, AddressPolicy.from_settings(settings))

    assert delivery.error == "address not allowed"


async def test_a_delivery_connects_to_the_checked_address_with_the_host_name(settings):
    allowed = settings.model_copy(update=LOOPBACK_ALLOWED)
    with Receiver() as receiver:
        port = receiver.server.server_port
        await Webhook.create(
            url=f"http://receiver.test:{port}/hook", events=["*"], secret="s", created_by="t"
        )

        delivery = await deliver_once(
            allowed, AddressPolicy.from_settings(allowed, resolving(["127.0.0.1"]))
        )

    assert delivery.status is DeliveryStatus.SUCCEEDED
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"receiver.test:{port}"
    assert json.loads(request["body"]) == {"data": {}}


async def test_a_refused_connection_is_reported_without_network_details(settings):
    allowed = settings.model_copy(update=LOOPBACK_ALLOWED)
    with Receiver() as gone:
        url = gone.url
    await Webhook.create(url=url, events=["*"], secret="s", created_by="t")

    delivery = await deliver_once(allowed, AddressPolicy.from_settings(allowed))

    assert delivery.error == "connection refused"


async def test_a_receiver_that_never_answers_is_reported_as_timed_out(settings):
    allowed = settings.model_copy(update={**LOOPBACK_ALLOWED, "webhook_timeout_seconds": 0.2})
    with socket.socket() as silent:  # listens, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        await Webhook.create(url=url, events=["*"], secret="s", created_by="t")

        delivery = await deliver_once(allowed, AddressPolicy.from_settings(allowed))

    assert delivery.error == "timed out"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
async def test_an_https_delivery_to_the_checked_address_verifies_the_certificate_of_the_name(
    settings, tmp_path
):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=receiver.test",
         "-addext", "subjectAltName=DNS:receiver.test"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    names_asked: list[str | None] = []
    server_side.sni_callback = lambda _socket, name, _context: names_asked.append(name)
    allowed = settings.model_copy(update=LOOPBACK_ALLOWED)
    with Receiver() as receiver:
        receiver.server.socket = server_side.wrap_socket(receiver.server.socket, server_side=True)
        url = f"https://receiver.test:{receiver.server.server_port}/hook"
        await Webhook.create(url=url, events=["*"], secret="s", created_by="t")
        to_loopback = AddressPolicy.from_settings(allowed, resolving(["127.0.0.1"]))
        trusting_the_cert = ssl.create_default_context(cafile=cert)
        delivery = await deliver_once(allowed, to_loopback, verify=trusting_the_cert)

    assert (delivery.status, delivery.error) == (DeliveryStatus.SUCCEEDED, None)
    assert names_asked == ["receiver.test"]
    assert receiver.requests[0]["headers"]["Host"] == f"receiver.test:{receiver.server.server_port}"
