"""Listing webhooks. Editors only."""

import strawberry

from cms.services import webhooks
from schema.context import Info
from schema.webhook.types import Webhook


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Every registered webhook, oldest first. Editors only.")
    async def webhooks(self, info: Info) -> list[Webhook]:
        return [Webhook.from_model(w) for w in await webhooks.all_webhooks(info.context.viewer)]
