"""Webhooks: editors register URLs for events; each event becomes one delivery per
matching webhook (sent by :mod:`webhook_delivery`). Payloads name objects by the API's
global IDs, so a receiver can fetch what changed with ``node(id:)``.
"""

import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from tortoise.queryset import QuerySet
from tortoise.timezone import now

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import Event, EventBus
from cms.global_ids import to_global_id
from cms.models import Webhook, WebhookDelivery
from cms.services.auth import Viewer, require_editor

logger = logging.getLogger("cms.webhooks")

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


def receiver_data(event: Event) -> dict[str, Any]:
    """What a receiver is told about an event: public fields only, with global IDs."""
    payload = event.payload
    if event.name.startswith("comment."):
        return {
            "id": to_global_id("Comment", payload["id"]),
            "pageId": to_global_id("Page", payload["page_id"]),
            "status": payload["status"],
        }
    return {
        "id": to_global_id("Page", payload["page_id"]),
        "slug": payload["slug"],
        "version": payload["version"],
    }


async def enqueue(event: Event) -> int:
    """One PENDING delivery per active webhook that listens to this event."""
    created = 0
    for webhook in await Webhook.filter(active=True):
        if event.name in webhook.events or ALL_EVENTS in webhook.events:
            await WebhookDelivery.create(
                webhook_id=webhook.id,
                event=event.name,
                payload={"event": event.name, "data": receiver_data(event)},
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
