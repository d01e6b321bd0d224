"""Webhooks: editors register URLs for events; each event becomes one delivery per
matching webhook (sent by :mod:`webhook_delivery`). Payloads name objects by the API's
global IDs, so a receiver can fetch what changed with ``node(id:)``.
"""

import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httpx
from tortoise.timezone import now

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import Event, EventBus
from cms.global_ids import to_global_id
from cms.models import Webhook, WebhookDelivery
from cms.services.auth import Viewer, require_editor
from cms.services.pagination import ID_ASC, ID_DESC, Ordered, ordered
from cms.services.validation import first_error
from cms.services.webhook_addresses import (
    HOST_NOT_FOUND,
    AddressPolicy,
    UnreachableHost,
    target_of,
)

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


def _check_fields(url: str, events: list[str]) -> list[FieldError]:
    errors = []
    parts = urlsplit(url)
    try:
        well_formed = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number, or out of range
        well_formed = False
    if not well_formed or len(url) > URL_MAX:
        errors.append(FieldError("url", "Give an http:// or https:// URL.", ErrorCode.INVALID))
    unknown = [name for name in events if name not in (*KNOWN_EVENTS, ALL_EVENTS)]
    if not events or unknown:
        message = f"Choose from {', '.join(KNOWN_EVENTS)} or '*'"
        errors.append(FieldError("events", message, ErrorCode.INVALID))
    return errors


async def _check_address(url: str, addresses: AddressPolicy) -> FieldError | None:
    """The URL's host must resolve, and only to addresses webhooks may reach."""
    try:
        host, port = target_of(url)
    except httpx.InvalidURL:
        return FieldError("url", "Give an http:// or https:// URL.", ErrorCode.INVALID)
    try:
        await addresses.addresses(host, port)
    except UnreachableHost as refused:
        message = (
            "This host name does not resolve."
            if refused.reason == HOST_NOT_FOUND
            else "Webhooks may not call loopback, private, link-local or other non-public "
            "addresses (an admin can allow networks with CMS_WEBHOOK_ALLOWED_NETWORKS)."
        )
        return FieldError("url", message, ErrorCode.INVALID)
    return None


async def create_webhook(
    viewer: Viewer | None,
    url: str,
    events: list[str],
    secret: str | None = None,
    *,
    addresses: AddressPolicy,
) -> Webhook:
    """Register a URL; without a secret one is generated (shown once, in the payload)."""
    viewer = require_editor(viewer)
    url = url.strip()
    errors = _check_fields(url, events)
    if not errors:
        errors = first_error(await _check_address(url, addresses))
    if errors:
        raise ValidationFailed(errors)
    return await Webhook.create(
        url=url,
        events=sorted(set(events)),
        secret=secret or secrets.token_urlsafe(32),
        created_by=viewer.name,
        created_by_user_id=viewer.user_id,
    )


async def delete_webhook(viewer: Viewer | None, webhook_id: int) -> Webhook:
    require_editor(viewer)
    webhook = await Webhook.get_or_none(id=webhook_id)
    if webhook is None:
        raise ValidationFailed.single("id", "No webhook with this id.", ErrorCode.NOT_FOUND)
    await webhook.delete()
    return webhook


def all_webhooks(viewer: Viewer | None) -> Ordered[Webhook]:
    require_editor(viewer)
    return ordered(Webhook.all(), ID_ASC)


def deliveries(viewer: Viewer | None, webhook_id: int) -> Ordered[WebhookDelivery]:
    require_editor(viewer)
    return ordered(WebhookDelivery.filter(webhook_id=webhook_id), ID_DESC)


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
