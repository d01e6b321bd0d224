"""The page editor: the form and section tree, autosave, conflicts, presence, live preview."""

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from cms.graphiql import script_safe_json
from cms.site.templating import create_templates as create_site_templates
from cms.studio.diffs import SectionStatus, copy_of, diff_copies
from cms.studio.presence import HEARTBEAT_SECONDS, Editor, Presence
from cms.studio.studio import Studio
from cms.studio.working_copy import BadSaveRequest, SaveRequest, save_working_copy

SITE_STATIC_PREFIX = "/static"
# Sections deeper than this are not shown by the reader site (cms/site/templates/page.html.j2
# renders three levels), so the editor does not nest further.
MAX_DEPTH = 2
DONE_MESSAGES = {
    "published": "Published: readers see this version now.",
    "unpublished": "Unpublished: the page is a draft again, hidden from readers.",
    "scheduled": "Publication scheduled.",
    "cancelled": "The scheduled publication was cancelled.",
    "restored": "Revision restored as the working copy. Publish to show it to readers.",
}


async def read_page(studio: Studio, request: Request, page_id: str) -> dict[str, Any] | None:
    """The working copy as the editor opens it; None if there is none to edit."""
    result = await studio.execute(request, "editor_page", {"id": page_id})
    page = result.data.get("node")
    return page if page and "version" in page else None


def editor_config(page: dict[str, Any]) -> str:
    base = f"/studio/pages/{page['id']}"
    return script_safe_json(
        {
            "pageId": page["id"],
            "version": page["version"],
            "savePath": f"{base}/save",
            "previewPath": f"{base}/preview",
            "presencePath": f"{base}/presence",
            "heartbeatSeconds": HEARTBEAT_SECONDS,
            "maxDepth": MAX_DEPTH,
        }
    )


def preview_url(request: Request, token: str | None) -> str | None:
    """The reader site's address for a preview token (the site is served at the root)."""
    if not token:
        return None
    return f"{request.url.scheme}://{request.url.netloc}/preview/{token}"


async def render_editor(
    studio: Studio,
    request: Request,
    page: dict[str, Any],
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    context = {
        "active_section": "pages",
        "page": page,
        "config": editor_config(page),
        "max_depth": MAX_DEPTH,
        "done": DONE_MESSAGES.get(params.get("done", "")),
        "problem": problem,
        "preview_link": preview_url(request, params.get("preview_link")),
        "jobs": [
            edge["node"]
            for edge in (page.get("scheduledJobs") or {"edges": []})["edges"]
            if edge["node"]["status"] == "PENDING"
        ],
    }
    return await studio.render(request, "pages/editor.html.j2", context, status_code=status_code)


def only_what_differs(save: SaveRequest, theirs: dict[str, Any]) -> None:
    """After a conflict, "keep mine" writes only what differs from their copy: the fields
    and section texts the editor was shown, not every one (each write is a revision)."""
    diff = diff_copies(copy_of(theirs), {**save.page, "sections": save.sections})
    save.changed_fields = [field.name for field in diff.fields]
    if "commentsOpen" in save.page and save.page["commentsOpen"] != theirs["commentsOpen"]:
        save.changed_fields.append("commentsOpen")
    save.changed_sections = [
        section.section_id
        for section in diff.sections
        if section.status is SectionStatus.CHANGED
        and (section.lines or section.old_title is not None)
    ]


class EditorRoutes:
    def __init__(self, studio: Studio, presence: Presence, site_templates: Jinja2Templates) -> None:
        self.studio = studio
        self.presence = presence
        self.site_templates = site_templates

    async def edit(self, request: Request) -> Response:
        page = await read_page(self.studio, request, request.path_params["page_id"])
        if page is None:
            return await self.studio.refuse(request, 404, "There is no such page.")
        return await render_editor(self.studio, request, page)

    async def save(self, request: Request) -> Response:
        """One autosave batch (JSON). 200 with the new version and the IDs of added
        sections; 409 with the differences when someone else saved since; 422 with the
        errors by field."""
        page_id = request.path_params["page_id"]
        try:
            save = SaveRequest.from_json(json.loads(await request.body()))
        except (ValueError, BadSaveRequest) as error:
            return JSONResponse({"error": str(error)}, status_code=400)

        async def execute(name: str, variables: dict[str, Any]):  # noqa: ANN202
            return await self.studio.execute(request, name, variables)

        if save.keep_mine:
            theirs = await read_page(self.studio, request, page_id)
            if theirs is None:
                return JSONResponse({"error": "The page was deleted."}, status_code=410)
            only_what_differs(save, theirs)
        outcome = await save_working_copy(execute, page_id, save)
        body: dict[str, Any] = {
            "version": outcome.version,
            "ids": outcome.ids,
            "appliedOperations": outcome.applied_operations,
        }
        if outcome.conflict:
            return await self.conflict(request, page_id, save, body)
        if outcome.errors:
            return JSONResponse({**body, "errors": outcome.errors}, status_code=422)
        return JSONResponse(body)

    async def conflict(
        self, request: Request, page_id: str, save: SaveRequest, body: dict[str, Any]
    ) -> Response:
        theirs = await read_page(self.studio, request, page_id)
        if theirs is None:
            return JSONResponse({"error": "The page was deleted."}, status_code=410)
        mine = {**save.page, "sections": save.sections}
        diff = diff_copies(copy_of(theirs), mine)
        last = (theirs.get("revisions") or {"edges": []})["edges"]
        html = self.studio.templates.get_template("pages/_conflict.html.j2").render(
            diff=diff, theirs=theirs, last_change=last[0]["node"] if last else None
        )
        return JSONResponse(
            {**body, "version": theirs["version"], "conflict": True, "html": html},
            status_code=409,
        )

    async def preview(self, request: Request) -> Response:
        """The working copy rendered by the reader site's own page template, as a draft."""
        result = await self.studio.execute(
            request, "preview_page", {"id": request.path_params["page_id"]}
        )
        page = result.data.get("node")
        if not page or "version" not in page:
            return await self.studio.refuse(request, 404, "There is no such page.")
        return self.site_templates.TemplateResponse(
            request,
            "draft_preview.html.j2",
            {"page": page, "graphql_path": "/graphql"},
        )

    async def heartbeat(self, request: Request) -> Response:
        """The editor is open in this tab (or, with ``leave``, closed): who else is here."""
        user = await self.studio.user(request)
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        client_id = data.get("clientId")
        if user is None or not isinstance(client_id, str) or not 8 <= len(client_id) <= 64:
            return JSONResponse({"error": "clientId is required"}, status_code=400)
        page_id = request.path_params["page_id"]
        me = Editor(client_id, user.name, user.id)
        if data.get("leave") is True:
            await self.presence.leave(page_id, me)
            return JSONResponse({"others": []})
        others = await self.presence.beat(page_id, me)
        return JSONResponse(
            {
                "others": [
                    {"name": other.name, "sameUser": other.user_id == user.id} for other in others
                ]
            }
        )


def editor_routes(studio: Studio, presence: Presence) -> list[BaseRoute]:
    routes = EditorRoutes(studio, presence, create_site_templates(SITE_STATIC_PREFIX))
    guard = studio.signed_in
    return [
        Route("/pages/{page_id}/edit", guard(routes.edit), name="studio:editor"),
        Route("/pages/{page_id}/save", guard(routes.save), methods=["POST"]),
        Route("/pages/{page_id}/preview", guard(routes.preview), name="studio:preview"),
        Route("/pages/{page_id}/presence", guard(routes.heartbeat), methods=["POST"]),
    ]
