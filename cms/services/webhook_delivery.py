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

logger = logging.getLogger("cms.webhooks")

SIGNATURE_HEADER = "X-CMS-Signature-256"
EVENT_HEADER = "X-CMS-Event"
DELIVERY_HEADER = "X-CMS-Delivery"
# While one process is sending a delivery, others leave it alone this long.
CLAIM_LEASE = timedelta(minutes=5)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(settings: Settings, attempts: int) -> timedelta:
    """Wait before retry number ``attempts``: base, 2 x base, 4 x base, …"""
    return timedelta(seconds=settings.webhook_backoff_seconds * 2 ** (attempts - 1))


async def _attempt(delivery: WebhookDelivery, http: httpx.AsyncClient, settings: Settings) -> None:
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
        response = await http.post(
            webhook.url, content=body, headers=headers, timeout=settings.webhook_timeout_seconds
        )
        status_code = response.status_code
        if not response.is_success:
            error = f"HTTP {status_code}"
    except httpx.HTTPError as failure:
        error = f"{type(failure).__name__}: {failure}"[:2000]
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


async def deliver_due(settings: Settings, http: httpx.AsyncClient) -> int:
    """Send every due delivery this process claims; returns how many were attempted."""
    sent = 0
    due = WebhookDelivery.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now())
    for delivery in await due.order_by("next_attempt_at", "id").limit(100):
        claimed = await WebhookDelivery.filter(
            id=delivery.id,
            status=DeliveryStatus.PENDING,
            next_attempt_at=delivery.next_attempt_at,
        ).update(next_attempt_at=now() + CLAIM_LEASE)
        if claimed:
            await _attempt(delivery, http, settings)
            sent += 1
    return sent


async def run_delivery_worker(settings: Settings) -> None:
    """Deliver due webhooks every ``webhook_poll_seconds`` until cancelled."""
    async with httpx.AsyncClient(follow_redirects=False) as http:
        while True:
            try:
                await deliver_due(settings, http)
            except Exception:  # a database hiccup must not stop deliveries for good
                logger.exception("Delivering webhooks failed")
            await asyncio.sleep(settings.webhook_poll_seconds)
