"""Webhooks and the record of their deliveries. Editors only."""

from datetime import datetime

import strawberry

from cms import models
from cms.services import webhooks
from schema.context import Info
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_request,
    query_connection,
    to_global_id,
)
from schema.user.types import User, load_user

DeliveryStatus = strawberry.enum(
    models.DeliveryStatus,
    name="DeliveryStatus",
    description="PENDING (waiting or retrying), SUCCEEDED, or FAILED after the last attempt.",
)
DELIVERIES_DEFAULT_PAGE_SIZE = 20


@strawberry.type(description="One event sent (or being sent) to a webhook, with its outcome.")
class WebhookDelivery(Node):
    event: str = strawberry.field(description="The event's name, e.g. page.published.")
    payload: strawberry.scalars.JSON = strawberry.field(description="The JSON body sent.")
    status: DeliveryStatus = strawberry.field(description="Where the delivery is.")
    attempts: int = strawberry.field(description="How many requests were made so far.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When the next attempt is due (UTC), while PENDING."
    )
    response_status: int | None = strawberry.field(
        description="The HTTP status of the last attempt, if it got an answer."
    )
    error: str | None = strawberry.field(description="Why the last attempt failed, if it did.")
    created_at: datetime = strawberry.field(description="When the event happened (UTC).")
    delivered_at: datetime | None = strawberry.field(description="When it succeeded (UTC).")

    @classmethod
    def from_model(cls, delivery: models.WebhookDelivery) -> "WebhookDelivery":
        return cls(
            id=to_global_id("WebhookDelivery", delivery.id),
            event=delivery.event,
            payload=delivery.payload,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=delivery.next_attempt_at,
            response_status=delivery.response_status,
            error=delivery.error,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )


@strawberry.type(
    description="A URL told about events by signed POST requests (header "
    "X-CMS-Signature-256: sha256=HMAC-SHA256 of the body under the webhook's secret)."
)
class Webhook(Node):
    pk: strawberry.Private[int]
    created_by_user_pk: strawberry.Private[int | None]
    url: str = strawberry.field(description="Where events are POSTed.")
    events: list[str] = strawberry.field(description="The events it receives ('*': all).")
    active: bool = strawberry.field(description="Whether events are sent to it.")
    created_by: str = strawberry.field(description="The name of the token that registered it.")
    created_at: datetime = strawberry.field(description="When it was registered (UTC).")

    @classmethod
    def from_model(cls, webhook: models.Webhook) -> "Webhook":
        return cls(
            id=to_global_id("Webhook", webhook.id),
            pk=webhook.id,
            created_by_user_pk=webhook.created_by_user_id,
            url=webhook.url,
            events=list(webhook.events),
            active=webhook.active,
            created_by=webhook.created_by,
            created_at=webhook.created_at,
        )

    @strawberry.field(description="The user who registered it; null if a token without a user did.")
    async def created_by_user(self, info: Info) -> User | None:
        return await load_user(info, self.created_by_user_pk)

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WebhookDelivery] | None:
        return await query_connection(
            info,
            webhooks.deliveries(info.context.viewer, self.pk),
            page_request(first, after, last, before),
            DELIVERIES_DEFAULT_PAGE_SIZE,
            WebhookDelivery.from_model,
        )
