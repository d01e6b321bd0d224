"""Listing webhooks. Editors only."""

import strawberry

from cms.services import webhooks
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, page_request, query_connection
from schema.webhook.types import Webhook

WEBHOOKS_DEFAULT_PAGE_SIZE = 20


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="Registered webhooks, oldest first. Editors only: for anyone else this "
        "field is null, with an UNAUTHENTICATED or FORBIDDEN error, and other fields answer."
    )
    async def webhooks(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Webhook] | None:
        return await query_connection(
            info,
            webhooks.all_webhooks(info.context.viewer),
            page_request(first, after, last, before),
            WEBHOOKS_DEFAULT_PAGE_SIZE,
            Webhook.from_model,
        )
