"""Moderation: the comment queue by status with counts, bulk and single decisions, editing,
replying as the editor, and a page's comment setting."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.forms import payload_errors, see_other, text
from cms.studio.studio import Studio

STATUSES = ("PENDING", "APPROVED", "SPAM", "TRASH")
ACTIONS = {"approve": "APPROVED", "spam": "SPAM", "trash": "TRASH", "pending": "PENDING"}
QUEUE_PATH = "/studio/comments"


class ModerationPages:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    async def queue(self, request: Request) -> Response:
        return await self.render_queue(request)

    async def render_queue(
        self, request: Request, errors: list[str] | None = None, status_code: int = 200
    ) -> Response:
        params = request.query_params
        status = params.get("status", "PENDING")
        status = status if status in STATUSES else "PENDING"
        page_id = params.get("page") or None
        search = params.get("q") or None
        result = await self.studio.execute(
            request,
            "moderation_queue",
            {"status": status, "pageId": page_id, "search": search, "after": params.get("after")},
        )
        page = None
        if page_id:
            found = await self.studio.execute(request, "moderation_page", {"id": page_id})
            page = found.data.get("node")
        queue: dict[str, Any] = result.data.get("comments") or {"edges": [], "pageInfo": {}}
        return await self.studio.render(
            request,
            "comments.html.j2",
            {
                "active_section": "comments",
                "status": status,
                "statuses": STATUSES,
                "counts": result.data.get("commentCounts") or {},
                "comments": [edge["node"] for edge in queue["edges"]],
                "page_info": queue["pageInfo"],
                "page": page,
                "search": search or "",
                "notice": params.get("notice"),
                "errors": (errors or []) + [error.message for error in result.errors],
            },
            status_code=status_code,
        )

    async def decide(self, request: Request) -> Response:
        """Bulk (the checked comments and an action) or one (a comment's own button)."""
        form = await request.form()
        one = text(form, "one")
        if one:
            action, _, comment_id = one.partition(":")
            ids = [comment_id]
        else:
            action = text(form, "action")
            ids = [value for value in form.getlist("ids") if isinstance(value, str)]
        if action not in ACTIONS or not ids:
            return await self.render_queue(
                request, ["Choose at least one comment and an action."], 422
            )
        result = await self.studio.execute(
            request, "moderate_comments", {"input": {"ids": ids, "status": ACTIONS[action]}}
        )
        errors = payload_errors(result, "moderateComments")
        if errors:
            return await self.render_queue(request, errors, 422)
        query = {k: request.query_params.get(k) for k in ("status", "page", "q")}
        return see_other(QUEUE_PATH, **query, notice=f"{action}:{len(ids)}")

    async def comment(self, request: Request) -> Response:
        return await self.render_comment(request)

    async def render_comment(
        self, request: Request, errors: list[str] | None = None, status_code: int = 200
    ) -> Response:
        comment_id = request.path_params["comment_id"]
        result = await self.studio.execute(request, "comment", {"id": comment_id})
        comment = result.data.get("node")
        if not comment:
            return await self.studio.refuse(request, 404, "There is no such comment.")
        return await self.studio.render(
            request,
            "comment.html.j2",
            {
                "active_section": "comments",
                "comment": comment,
                "notice": request.query_params.get("notice"),
                "errors": errors or [],
            },
            status_code=status_code,
        )

    async def edit(self, request: Request) -> Response:
        comment_id = request.path_params["comment_id"]
        body = text(await request.form(), "body")
        result = await self.studio.execute(
            request, "edit_comment", {"input": {"id": comment_id, "body": body}}
        )
        errors = payload_errors(result, "editComment")
        if errors:
            return await self.render_comment(request, errors, 422)
        return see_other(f"{QUEUE_PATH}/{comment_id}", notice="edited")

    async def reply(self, request: Request) -> Response:
        comment_id = request.path_params["comment_id"]
        body = text(await request.form(), "body")
        result = await self.studio.execute(
            request, "reply_to_comment", {"input": {"parentId": comment_id, "body": body}}
        )
        errors = payload_errors(result, "replyToComment")
        if errors:
            return await self.render_comment(request, errors, 422)
        return see_other(f"{QUEUE_PATH}/{comment_id}", notice="replied")

    async def page_setting(self, request: Request) -> Response:
        form = await request.form()
        page_id = text(form, "pageId")
        is_open = text(form, "open") == "true"
        result = await self.studio.execute(
            request, "set_comments_open", {"input": {"pageId": page_id, "open": is_open}}
        )
        errors = payload_errors(result, "setCommentsOpen")
        if errors:
            return await self.render_queue(request, errors, 422)
        return see_other(QUEUE_PATH, page=page_id, notice="opened" if is_open else "closed")


def moderation_routes(studio: Studio) -> list[BaseRoute]:
    pages = ModerationPages(studio)
    return [
        Route("/comments", studio.signed_in(pages.queue), name="studio:comments"),
        Route("/comments", studio.signed_in(pages.decide), methods=["POST"]),
        Route("/comments/page-setting", studio.signed_in(pages.page_setting), methods=["POST"]),
        Route("/comments/{comment_id}", studio.signed_in(pages.comment)),
        Route("/comments/{comment_id}/edit", studio.signed_in(pages.edit), methods=["POST"]),
        Route("/comments/{comment_id}/reply", studio.signed_in(pages.reply), methods=["POST"]),
    ]
