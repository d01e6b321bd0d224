"""Sending webhook deliveries: each due delivery is POSTed as JSON with an HMAC-SHA256
signature and retried with exponential backoff; every attempt is recorded on it.

Receivers verify ``X-CMS-Signature-256: sha256=<hex>``, the HMAC-SHA256 of the raw body
under the webhook's secret (the same scheme as GitHub's ``X-Hub-Signature-256``).
"""

import asyncio
import hashlib
import hmac
import json
import logging
from datetime import timedelta

import httpx
from tortoise.timezone import now

from cms.config import Settings
from cms.models import DeliveryStatus, Webhook, WebhookDelivery
from cms.services.webhook_addresses import AddressPolicy, UnreachableHost, target_of

logger = logging.getLogger("cms.webhooks")

SIGNATURE_HEADER = "X-CMS-Signature-256"
EVENT_HEADER = "X-CMS-Event"
DELIVERY_HEADER = "X-CMS-Delivery"
# While one process is sending a delivery, others leave it alone this long.
CLAIM_LEASE = timedelta(minutes=5)
# What editors read as a failed attempt's `error`, besides "HTTP <status>" and the reasons
# of webhook_addresses (address not allowed, host not found).
CONNECTION_REFUSED = "connection refused"
TIMED_OUT = "timed out"
CONNECTION_FAILED = "connection failed"
REQUEST_FAILED = "request failed"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Wait before retry number ``attempts``: base, 2 x base, 4 x base, …"""
    return timedelta(seconds=settings.webhook_backoff_seconds * 2 ** (attempts - 1))


def _failure_reason(failure: httpx.HTTPError) -> str:
    """A short, generic category: the raw error (addresses, ports, TLS details) would tell
    an editor about the network behind the server."""
    if isinstance(failure, httpx.TimeoutException):
        return TIMED_OUT
    cause: BaseException | None = failure
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
            return CONNECTION_REFUSED
        cause = cause.__cause__ or cause.__context__
    return CONNECTION_FAILED if isinstance(failure, httpx.TransportError) else REQUEST_FAILED


async def _post_pinned(
    url: str,
    body: bytes,
    headers: dict[str, str],
    http: httpx.AsyncClient,
    *,
    addresses: AddressPolicy,
    timeout: float,
) -> httpx.Response:
    """POST to the first checked address of the URL's host, as if to the name: the Host
    header and TLS (SNI and certificate check) use the name; no second lookup happens."""
    target = httpx.URL(url)
    host, port = target_of(url)
    [address, *_] = await addresses.addresses(host, port)
    extensions = {"sni_hostname": host} if target.scheme == "https" else {}
    return await http.post(
        target.copy_with(host=str(address)),
        content=body,
        headers={**headers, "Host": target.netloc.decode("ascii")},
        extensions=extensions,
        timeout=timeout,
    )


async def _attempt(
    delivery: WebhookDelivery,
    http: httpx.AsyncClient,
    settings: Settings,
    addresses: AddressPolicy,
) -> None:
    webhook = await Webhook.get(id=delivery.webhook_id)
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(webhook.secret, body),
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.id),
    }
    attempts = delivery.attempts + 1
    status_code: int | None = None
    error: str | None = None
    try:
        response = await _post_pinned(
            webhook.url,
            body,
            headers,
            http,
            addresses=addresses,
            timeout=settings.webhook_timeout_seconds,
        )
        status_code = response.status_code
        if not response.is_success:
            error = f"HTTP {status_code}"
    except UnreachableHost as refused:
        error = refused.reason
    except httpx.HTTPError as failure:
        logger.info("Webhook delivery %s failed: %r", delivery.id, failure)
        error = _failure_reason(failure)
    update: dict[str, object] = {
        "attempts": attempts,
        "response_status": status_code,
        "error": error,
    }
    if error is None:
        update |= {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now()}
    elif attempts >= settings.webhook_max_attempts:
        update |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    else:
        update["next_attempt_at"] = now() + backoff(settings, attempts)
    await WebhookDelivery.filter(id=delivery.id).update(**update)


async def deliver_due(
    settings: Settings, http: httpx.AsyncClient, addresses: AddressPolicy | None = None
) -> int:
    """Send every due delivery this process claims; returns how many were attempted.
    ``addresses`` (default: from the settings, with the system resolver) decides which
    addresses may be called; tests pass their own resolver."""
    addresses = addresses or AddressPolicy.from_settings(settings)
    sent = 0
    due = WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now())
    for delivery in await due.order_by("next_attempt_at", "id").limit(100):
        claimed = await WebhookDelivery.filter(
            id=delivery.id,
            status=DeliveryStatus.PENDING,
            next_attempt_at=delivery.next_attempt_at,
        ).update(next_attempt_at=now() + CLAIM_LEASE)
        if claimed:
            await _attempt(delivery, http, settings, addresses)
            sent += 1
    return sent


async def run_delivery_worker(settings: Settings) -> None:
    """Deliver due webhooks every ``webhook_poll_seconds`` until cancelled."""
    # No redirects (they could lead anywhere) and no proxy from the environment (the
    # connection must go to the address that was checked).
    async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as http:
        while True:
            try:
                await deliver_due(settings, http)
            except Exception:  # a database hiccup must not stop deliveries for good
                logger.exception("Delivering webhooks failed")
            await asyncio.sleep(settings.webhook_poll_seconds)
