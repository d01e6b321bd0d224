"""Registering and removing webhooks. Editors only."""

from typing import Annotated

import strawberry

from cms.services import webhooks
from cms.services.auth import require_editor
from cms.services.webhook_addresses import AddressPolicy
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see
from schema.payloads import DeletePayload
from schema.relay import decode_id
from schema.webhook.types import Webhook


@strawberry.input(description="A URL to tell about events.")
class CreateWebhookInput:
    url: str = strawberry.field(
        description="An http:// or https:// URL that accepts POSTs. Its host must resolve to "
        "public addresses only (or to networks the site allows)."
    )
    events: list[str] = strawberry.field(
        description="Event names (page.published, page.unpublished, page.archived, "
        "page.deleted, comment.approved, comment.moderated) or '*' for all."
    )
    secret: str | None = strawberry.field(
        default=None, description="The HMAC key for signatures; null: one is generated."
    )


@strawberry.type(description="The result of createWebhook: the webhook and its secret.")
class CreateWebhookPayload:
    webhook: Webhook | None = strawberry.field(description="The webhook; null on error.")
    secret: str | None = strawberry.field(
        description="The signing secret. Shown only here: store it with the receiver."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="The webhook to remove.")
class DeleteWebhookInput:
    id: strawberry.ID = strawberry.field(description="The webhook's global ID.")


@strawberry.type
class WebhookMutations:
    @strawberry.mutation(description="Register a URL for events. Editors only.")
    async def create_webhook(
        self,
        info: Info,
        input: Annotated[CreateWebhookInput, strawberry.argument(description="The webhook.")],
    ) -> CreateWebhookPayload | None:
        viewer = require_editor(info.context.viewer)
        changed_nothing_readers_see(info)
        webhook, errors = await run_mutation(
            lambda: webhooks.create_webhook(
                viewer,
                input.url,
                input.events,
                input.secret,
                addresses=AddressPolicy.from_settings(info.context.settings),
            )
        )
        return CreateWebhookPayload(
            webhook=Webhook.from_model(webhook) if webhook else None,
            secret=webhook.secret if webhook else None,
            errors=errors,
        )

    @strawberry.mutation(description="Remove a webhook and its deliveries. Editors only.")
    async def delete_webhook(
        self,
        info: Info,
        input: Annotated[DeleteWebhookInput, strawberry.argument(description="The webhook.")],
    ) -> DeletePayload | None:
        viewer = require_editor(info.context.viewer)
        changed_nothing_readers_see(info)
        webhook, errors = await run_mutation(
            lambda: webhooks.delete_webhook(viewer, decode_id(input.id, "Webhook", "id"))
        )
        return DeletePayload(deleted_id=input.id if webhook else None, errors=errors)
