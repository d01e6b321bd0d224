"""The editor's publishing panel: publish, unpublish, schedule, cancel, preview links.

Plain form posts; each redirects back to the editor with what happened, or shows the
editor again with the API's error (a CONFLICT when the page changed since it was opened)."""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from cms.site.api import ApiResult
from cms.studio.editor import read_page, render_editor
from cms.studio.studio import Studio

PREVIEW_LINK_SECONDS = 86400
CONFLICT_MESSAGE = (
    "Someone else changed this page since you opened it, so nothing was done. Look at "
    "their changes below, then try again."
)


def form_version(form: FormData) -> int | None:
    value = form.get("version")
    return int(value) if isinstance(value, str) and value.isdigit() else None


def scheduled_time(form: FormData) -> str | None:
    """The form's local date and time in its time zone, as an ISO 8601 instant; None if
    either is missing or not valid."""
    at, zone = form.get("at"), form.get("timezone") or "UTC"
    if not isinstance(at, str) or not isinstance(zone, str):
        return None
    try:
        moment = datetime.fromisoformat(at)
        return moment.replace(tzinfo=ZoneInfo(zone)).isoformat()
    except (ValueError, ZoneInfoNotFoundError):
        return None


def problems(result: ApiResult, payload_name: str) -> list[dict[str, Any]]:
    payload = result.data.get(payload_name) or {}
    found = list(payload.get("errors", []))
    found += [{"code": error.code, "message": error.message} for error in result.errors]
    return found


def publishing_routes(studio: Studio) -> list[BaseRoute]:
    async def done_or_problem(
        request: Request, result: ApiResult, payload_name: str, done: str, **extra: str
    ) -> Response:
        page_id = request.path_params["page_id"]
        found = problems(result, payload_name)
        if not found:
            query = urlencode({"done": done, **extra})
            return RedirectResponse(f"/studio/pages/{page_id}/edit?{query}", status_code=303)
        page = await read_page(studio, request, page_id)
        if page is None:
            return await studio.refuse(request, 404, "There is no such page.")
        conflict = any(problem.get("code") == "CONFLICT" for problem in found)
        message = CONFLICT_MESSAGE if conflict else " ".join(p["message"] for p in found)
        return await render_editor(
            studio, request, page, problem=message, status_code=409 if conflict else 422
        )

    async def publish(request: Request) -> Response:
        form = await request.form()
        page_input = {"id": request.path_params["page_id"], "version": form_version(form)}
        result = await studio.execute(request, "publish_page", {"input": page_input})
        return await done_or_problem(request, result, "publishPage", "published")

    async def unpublish(request: Request) -> Response:
        form = await request.form()
        page_input = {"id": request.path_params["page_id"], "version": form_version(form)}
        result = await studio.execute(request, "unpublish_page", {"input": page_input})
        return await done_or_problem(request, result, "unpublishPage", "unpublished")

    async def schedule(request: Request) -> Response:
        at = scheduled_time(await request.form())
        if at is None:
            page = await read_page(studio, request, request.path_params["page_id"])
            if page is None:
                return await studio.refuse(request, 404, "There is no such page.")
            message = "Choose a date and time to publish at."
            return await render_editor(studio, request, page, problem=message, status_code=422)
        job_input = {"pageId": request.path_params["page_id"], "at": at}
        result = await studio.execute(request, "schedule_publish", {"input": job_input})
        return await done_or_problem(request, result, "schedulePublish", "scheduled")

    async def cancel(request: Request) -> Response:
        job_input = {"id": request.path_params["job_id"]}
        result = await studio.execute(request, "cancel_scheduled_job", {"input": job_input})
        return await done_or_problem(request, result, "cancelScheduledJob", "cancelled")

    async def preview_link(request: Request) -> Response:
        link_input = {"pageId": request.path_params["page_id"], "expiresIn": PREVIEW_LINK_SECONDS}
        result = await studio.execute(request, "create_preview_link", {"input": link_input})
        link = (result.data.get("createPreviewLink") or {}).get("link")
        token = link["token"] if link else ""
        return await done_or_problem(
            request, result, "createPreviewLink", "link", preview_link=token
        )

    guard = studio.signed_in
    page = "/pages/{page_id}"
    return [
        Route(f"{page}/publish", guard(publish), methods=["POST"]),
        Route(f"{page}/unpublish", guard(unpublish), methods=["POST"]),
        Route(f"{page}/schedule", guard(schedule), methods=["POST"]),
        Route(f"{page}/schedule/{{job_id}}/cancel", guard(cancel), methods=["POST"]),
        Route(f"{page}/preview-link", guard(preview_link), methods=["POST"]),
    ]
