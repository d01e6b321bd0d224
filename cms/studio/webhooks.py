"""Admins' webhooks: list, register, delete, and each one's delivery log."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.site.api import ApiResult
from cms.studio.forms import text
from cms.studio.listing import ListPage, nodes
from cms.studio.studio import Studio

EVENTS = (
    "page.published",
    "page.unpublished",
    "page.archived",
    "page.deleted",
    "comment.approved",
    "comment.moderated",
)


class WebhookPages(ListPage):
    document, field, template = "webhooks", "webhooks", "webhooks.html.j2"
    section = "webhooks"
    path = "/studio/webhooks"

    def context(self, result: ApiResult) -> dict[str, Any]:
        return {"events": EVENTS}

    async def create(self, request: Request) -> Response:
        form = await request.form()
        chosen = [value for value in form.getlist("events") if isinstance(value, str)]
        values = {
            "url": text(form, "url"),
            "events": chosen or ["*"],
            "secret": text(form, "secret") or None,
        }
        payload, refused = await self.mutate(
            request, "create_webhook", "createWebhook", {"input": values}
        )
        if payload is None:
            return refused
        created = {"url": payload["webhook"]["url"], "secret": payload["secret"]}
        return await self.render(request, created=created)

    async def delete(self, request: Request) -> Response:
        webhook_id = text(await request.form(), "id")
        _payload, refused = await self.mutate(
            request, "delete_webhook", "deleteWebhook", {"input": {"id": webhook_id}}
        )
        return refused or await self.after_change(request, "deleted")

    async def deliveries(self, request: Request) -> Response:
        webhook_id = request.path_params["webhook_id"]
        result = await self.studio.execute(
            request,
            "webhook_deliveries",
            {"id": webhook_id, "after": request.query_params.get("after")},
        )
        webhook = result.data.get("node")
        if not webhook:
            return await self.studio.refuse(request, 404, "There is no such webhook.")
        return await self.studio.render(
            request,
            "webhook_deliveries.html.j2",
            {
                "active_section": "webhooks",
                "webhook": webhook,
                "deliveries": nodes(webhook["deliveries"]),
                "page_info": (webhook["deliveries"] or {}).get("pageInfo") or {},
            },
        )


def webhook_routes(studio: Studio) -> list[BaseRoute]:
    pages = WebhookPages(studio)
    admin = {"admin_only": True}
    return [
        Route("/webhooks", studio.signed_in(pages.index, **admin), name="studio:webhooks"),
        Route("/webhooks", studio.signed_in(pages.create, **admin), methods=["POST"]),
        Route("/webhooks/delete", studio.signed_in(pages.delete, **admin), methods=["POST"]),
        Route("/webhooks/{webhook_id}", studio.signed_in(pages.deliveries, **admin)),
    ]
