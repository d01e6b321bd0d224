"""The pages list (search, status, order, keyset paging), new page, archive and delete."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from cms.studio.listing import keyset_paging
from cms.studio.studio import Studio

PAGE_SIZE = 25
STATUSES = ("DRAFT", "PUBLISHED", "ARCHIVED")
# The list's orders: (label, GraphQL PageOrder).
ORDERS: dict[str, tuple[str, dict[str, str]]] = {
    "updated": ("Last changed", {"field": "UPDATED_AT", "direction": "DESC"}),
    "created": ("Newest", {"field": "CREATED_AT", "direction": "DESC"}),
    "published": ("Last published", {"field": "PUBLISHED_AT", "direction": "DESC"}),
    "title": ("Title, A to Z", {"field": "TITLE", "direction": "ASC"}),
}
DONE_MESSAGES = {
    "archived": "The page was archived: readers no longer see it.",
    "deleted": "The page was deleted.",
}
NEW_PAGE_FIELDS = ("title", "slug", "summary")


def editor_path(page_id: str) -> str:
    return f"/studio/pages/{page_id}/edit"


@dataclass
class ListQuery:
    """The list's state, as it appears in the URL."""

    search: str = ""
    status: str = ""
    order: str = "updated"
    after: str = ""
    before: str = ""

    @classmethod
    def from_request(cls, request: Request) -> "ListQuery":
        params = request.query_params
        status = params.get("status", "")
        order = params.get("order", "updated")
        return cls(
            search=params.get("q", "").strip()[:200],
            status=status if status in STATUSES else "",
            order=order if order in ORDERS else "updated",
            after=params.get("after", ""),
            before=params.get("before", "") if not params.get("after") else "",
        )

    def variables(self) -> dict[str, Any]:
        paging = keyset_paging(self.after, self.before, PAGE_SIZE)
        page_filter = {"search": self.search or None, "status": self.status or None}
        return {**paging, "filter": page_filter, "orderBy": ORDERS[self.order][1]}

    def url(self, **cursor: str) -> str:
        """This list (same search, status and order) from another cursor."""
        params = {"q": self.search, "status": self.status, "order": self.order, **cursor}
        return "/studio/pages?" + urlencode({k: v for k, v in params.items() if v})


def field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    return {error["field"]: error["message"] for error in errors}


def page_routes(studio: Studio) -> list[BaseRoute]:
    async def page_list(request: Request) -> Response:
        query = ListQuery.from_request(request)
        result = await studio.execute(request, "studio_pages", query.variables())
        connection = result.data.get("pages") or {"edges": [], "pageInfo": {}}
        info = connection["pageInfo"]
        context = {
            "active_section": "pages",
            "query": query,
            "orders": ORDERS,
            "statuses": STATUSES,
            "pages": [edge["node"] for edge in connection["edges"]],
            "next_url": query.url(after=info["endCursor"]) if info.get("hasNextPage") else None,
            "previous_url": (
                query.url(before=info["startCursor"]) if info.get("hasPreviousPage") else None
            ),
            "done": DONE_MESSAGES.get(request.query_params.get("done", "")),
            "errors": [error.message for error in result.errors],
        }
        return await studio.render(request, "pages/list.html.j2", context)

    async def new_page(request: Request) -> Response:
        return await studio.render(
            request, "pages/new.html.j2", {"active_section": "pages", "values": {}, "errors": {}}
        )

    async def create_page(request: Request) -> Response:
        form = await request.form()
        values = {name: str(form.get(name, "")).strip() for name in NEW_PAGE_FIELDS}
        page_input = {**values, "summary": values["summary"] or None}
        result = await studio.execute(request, "create_page", {"input": page_input})
        payload = result.data.get("createPage") or {"errors": [], "page": None}
        errors = field_errors(payload["errors"])
        if result.errors:
            errors["form"] = " ".join(error.message for error in result.errors)
        if payload["page"] is None:
            context = {"active_section": "pages", "values": values, "errors": errors}
            return await studio.render(request, "pages/new.html.j2", context, status_code=422)
        return RedirectResponse(editor_path(payload["page"]["id"]), status_code=303)

    async def archive_page(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        result = await studio.execute(request, "archive_page", {"input": {"id": page_id}})
        payload = result.data.get("archivePage") or {"errors": []}
        problems = [error["message"] for error in payload["errors"]]
        problems += [error.message for error in result.errors]
        if problems:
            return await studio.refuse(request, 422, " ".join(problems))
        return RedirectResponse("/studio/pages?done=archived", status_code=303)

    async def confirm_delete(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        result = await studio.execute(request, "editor_page", {"id": page_id})
        page = result.data.get("node")
        if not page:
            return await studio.refuse(request, 404, "There is no such page.")
        context = {"active_section": "pages", "page": page, "error": None}
        return await studio.render(request, "pages/delete.html.j2", context)

    async def delete_page(request: Request) -> Response:
        page_id = request.path_params["page_id"]
        form = await request.form()
        variables = {"input": {"id": page_id, "confirm": form.get("confirm") == "yes"}}
        result = await studio.execute(request, "delete_page", variables)
        payload = result.data.get("deletePage") or {"errors": [], "deletedId": None}
        if payload["deletedId"]:
            return RedirectResponse("/studio/pages?done=deleted", status_code=303)
        page = (await studio.execute(request, "editor_page", {"id": page_id})).data.get("node")
        if not page:
            return await studio.refuse(request, 404, "There is no such page.")
        messages = [error["message"] for error in payload["errors"]]
        messages += [error.message for error in result.errors]
        context = {"active_section": "pages", "page": page, "error": " ".join(messages)}
        return await studio.render(request, "pages/delete.html.j2", context, status_code=422)

    guard = studio.signed_in
    return [
        Route("/pages", guard(page_list), name="studio:pages"),
        Route("/pages/new", guard(new_page), name="studio:new-page"),
        Route("/pages/new", guard(create_page), methods=["POST"]),
        Route("/pages/{page_id}/archive", guard(archive_page), methods=["POST"]),
        Route("/pages/{page_id}/delete", guard(confirm_delete)),
        Route("/pages/{page_id}/delete", guard(delete_page), methods=["POST"]),
    ]
