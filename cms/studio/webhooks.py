"""Admins' webhooks: list, register, delete, and each one's delivery log."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.dashboard import nodes
from cms.studio.forms import payload_errors, see_other, text
from cms.studio.studio import Studio

WEBHOOKS_PATH = "/studio/webhooks"
EVENTS = (
    "page.published",
    "page.unpublished",
    "page.archived",
    "page.deleted",
    "comment.approved",
    "comment.moderated",
)


class WebhookPages:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    async def index(self, request: Request) -> Response:
        return await self.render(request)

    async def render(
        self,
        request: Request,
        *,
        errors: list[str] | None = None,
        created: dict | None = None,
        status_code: int = 200,
    ) -> Response:
        result = await self.studio.execute(
            request, "webhooks", {"after": request.query_params.get("after")}
        )
        listing = result.data.get("webhooks") or {}
        return await self.studio.render(
            request,
            "webhooks.html.j2",
            {
                "active_section": "webhooks",
                "webhooks": nodes(listing),
                "page_info": listing.get("pageInfo") or {},
                "events": EVENTS,
                "created": created,
                "notice": request.query_params.get("notice"),
                "errors": (errors or []) + [error.message for error in result.errors],
            },
            status_code=status_code,
        )

    async def create(self, request: Request) -> Response:
        form = await request.form()
        chosen = [value for value in form.getlist("events") if isinstance(value, str)]
        values = {
            "url": text(form, "url"),
            "events": chosen or ["*"],
            "secret": text(form, "secret") or None,
        }
        result = await self.studio.execute(request, "create_webhook", {"input": values})
        errors = payload_errors(result, "createWebhook")
        if errors:
            return await self.render(request, errors=errors, status_code=422)
        payload = result.data["createWebhook"]
        return await self.render(
            request, created={"url": payload["webhook"]["url"], "secret": payload["secret"]}
        )

    async def delete(self, request: Request) -> Response:
        webhook_id = text(await request.form(), "id")
        result = await self.studio.execute(request, "delete_webhook", {"input": {"id": webhook_id}})
        errors = payload_errors(result, "deleteWebhook")
        if errors:
            return await self.render(request, errors=errors, status_code=422)
        return see_other(WEBHOOKS_PATH, notice="deleted")

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
