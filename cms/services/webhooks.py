"""Webhooks: editors register URLs for events; each event becomes one delivery per
matching webhook, POSTed as JSON with an HMAC-SHA256 signature and retried with
exponential backoff. Every attempt is recorded on the delivery, so outcomes are queryable.

Receivers verify ``X-CMS-Signature-256: sha256=<hex>``, the HMAC-SHA256 of the raw body
under the webhook's secret (the same scheme as GitHub's ``X-Hub-Signature-256``).
"""

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
from tortoise.queryset import QuerySet
from tortoise.timezone import now

from cms.config import Settings
from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import Event, EventBus
from cms.models import DeliveryStatus, Webhook, WebhookDelivery
from cms.services.auth import Viewer, require_editor

logger = logging.getLogger("cms.webhooks")

SIGNATURE_HEADER = "X-CMS-Signature-256"
EVENT_HEADER = "X-CMS-Event"
DELIVERY_HEADER = "X-CMS-Delivery"
ALL_EVENTS = "*"
KNOWN_EVENTS = (
    "page.published",
    "page.unpublished",
    "page.archived",
    "page.deleted",
    "comment.approved",
    "comment.moderated",
)
URL_MAX = 2000
# While one process is sending a delivery, others leave it alone this long.
CLAIM_LEASE = timedelta(minutes=5)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _validate(url: str, events: list[str]) -> None:
    errors = []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > URL_MAX:
        errors.append(FieldError("url", "Give an http:// or https:// URL.", ErrorCode.INVALID))
    unknown = [name for name in events if name not in (*KNOWN_EVENTS, ALL_EVENTS)]
    if not events or unknown:
        message = f"Choose from {', '.join(KNOWN_EVENTS)} or '*'"
        errors.append(FieldError("events", message, ErrorCode.INVALID))
    if errors:
        raise ValidationFailed(errors)


async def create_webhook(
    viewer: Viewer | None, url: str, events: list[str], secret: str | None = None
) -> Webhook:
    """Register a URL; without a secret one is generated (shown once, in the payload)."""
    viewer = require_editor(viewer)
    url = url.strip()
    _validate(url, events)
    return await Webhook.create(
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
        created_by=viewer.name,
    )


async def delete_webhook(viewer: Viewer | None, webhook_id: int) -> Webhook:
    require_editor(viewer)
    webhook = await Webhook.get_or_none(id=webhook_id)
    if webhook is None:
        raise ValidationFailed.single("id", "No webhook with this id.", ErrorCode.NOT_FOUND)
    await webhook.delete()
    return webhook


def all_webhooks(viewer: Viewer | None) -> QuerySet[Webhook]:
    require_editor(viewer)
    return Webhook.all().order_by("id")


def deliveries(viewer: Viewer | None, webhook_id: int) -> QuerySet[WebhookDelivery]:
    require_editor(viewer)
    return WebhookDelivery.filter(webhook_id=webhook_id).order_by("-id")


async def enqueue(event: Event) -> int:
    """One PENDING delivery per active webhook that listens to this event."""
    created = 0
    for webhook in await Webhook.filter(active=True):
        if event.name in webhook.events or ALL_EVENTS in webhook.events:
            await WebhookDelivery.create(
                webhook_id=webhook.id,
                event=event.name,
                payload={"event": event.name, "data": event.payload},
                next_attempt_at=now(),
            )
            created += 1
    return created


class WebhookEvents:
    """An event bus that also queues webhook deliveries for what is published through it.

    Queuing happens once, in the process that publishes; subscribers of every process
    still get the event as before."""

    def __init__(self, inner: EventBus) -> None:
        self.inner = inner

    async def publish(self, event: Event) -> None:
        try:
            await enqueue(event)
        except Exception:  # webhooks must never make the change that caused them fail
            logger.exception("Could not queue webhook deliveries for %s", event.name)
        await self.inner.publish(event)

    def subscribe(self) -> AsyncIterator[Event]:
        return self.inner.subscribe()

    async def close(self) -> None:
        await self.inner.close()


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
