"""A page's history: its revisions (author, time, note), a section-by-section comparison of
any two, and restoring one as the working copy."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from cms.studio.diffs import copy_of, diff_copies
from cms.studio.publishing import form_version, problems
from cms.studio.studio import Studio

PAGE_SIZE = 30


def revision_routes(studio: Studio) -> list[BaseRoute]:
    async def history(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        after = request.query_params.get("after") or None
        result = await studio.execute(
            request, "page_revisions", {"id": page_id, "first": PAGE_SIZE, "after": after}
        )
        page = result.data.get("node")
        if not page or "revisions" not in page:
            return await studio.refuse(request, 404, "There is no such page.")
        revisions = [edge["node"] for edge in page["revisions"]["edges"]]
        info = page["revisions"]["pageInfo"]
        context = {
            "active_section": "pages",
            "page": page,
            "revisions": revisions,
            "next_url": f"?after={info['endCursor']}" if info["hasNextPage"] else None,
            "problem": request.query_params.get("problem"),
        }
        return await studio.render(request, "pages/revisions.html.j2", context)

    async def compare(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        params = request.query_params
        result = await studio.execute(
            request, "revision_pair", {"from": params.get("from", ""), "to": params.get("to", "")}
        )
        older, newer = result.data.get("from"), result.data.get("to")
        if not older or not newer or {older["page"]["id"], newer["page"]["id"]} != {page_id}:
            return await studio.refuse(request, 404, "Choose two revisions of this page.")
        if older["number"] > newer["number"]:
            older, newer = newer, older
        version = await studio.execute(request, "page_revisions", {"id": page_id, "first": 1})
        context = {
            "active_section": "pages",
            "page_id": page_id,
            "page_version": version.data["node"]["version"],
            "older": older,
            "newer": newer,
            "diff": diff_copies(copy_of(older), copy_of(newer)),
        }
        return await studio.render(request, "pages/compare.html.j2", context)

    async def restore(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        form = await request.form()
        revision_input = {
            "id": request.path_params["revision_id"],
            "version": form_version(form) or 0,
            "message": str(form.get("message") or "") or None,
        }
        result = await studio.execute(request, "restore_revision", {"input": revision_input})
        found = problems(result, "restoreRevision")
        if found:
            message = " ".join(problem["message"] for problem in found)
            return await studio.refuse(request, 409, f"Nothing was restored: {message}")
        return RedirectResponse(f"/studio/pages/{page_id}/edit?done=restored", status_code=303)

    guard = studio.signed_in
    return [
        Route("/pages/{page_id}/revisions", guard(history), name="studio:revisions"),
        Route("/pages/{page_id}/revisions/compare", guard(compare)),
        Route(
            "/pages/{page_id}/revisions/{revision_id}/restore",
            guard(restore),
            methods=["POST"],
        ),
    ]
