"""The reader site's pages: the list of published pages, one page with its comments, and
the comment form's no-JavaScript submission."""

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from cms.graphiql import script_safe_json
from cms.serving.http_caching import NO_STORE, PRIVATE
from cms.site.api import SiteApi, document
from cms.site.forms import FORM_LEVEL, CommentForm
from cms.site.templating import create_templates
from schema.view import GraphQLView

GRAPHQL_PATH = "/graphql"
CROSS_SITE_MESSAGE = (
    "This comment was sent from another website, so it was not posted. If you wrote it, "
    "send it again from this page."
)


class ReaderSite:
    def __init__(self, api: SiteApi, templates: Jinja2Templates) -> None:
        self.api = api
        self.templates = templates

    def render(
        self, request: Request, name: str, context: dict[str, Any], status_code: int = 200
    ) -> Response:
        return self.templates.TemplateResponse(
            request, name, {"graphql_path": GRAPHQL_PATH, **context}, status_code=status_code
        )

    def not_found(self, request: Request) -> Response:
        return self.render(request, "not_found.html.j2", {}, status_code=404)

    async def home(self, request: Request) -> Response:
        result = await self.api.execute(request, "pages")
        pages = [edge["node"] for edge in result.data["pages"]["edges"]]
        return self.render(request, "home.html.j2", {"pages": pages})

    async def page(self, request: Request) -> Response:
        form = CommentForm()
        form.values["parentId"] = request.query_params.get("replyto", "")
        return await self.render_page(request, form)

    async def comments(self, request: Request) -> Response:
        """Only the comment thread: the page's script swaps it in when a comment is approved."""
        page = await self.read_page(request)
        if page is None:
            return self.not_found(request)
        return self.render(request, "comment_thread.html.j2", {"page": page})

    async def read_page(self, request: Request) -> dict[str, Any] | None:
        """The page of the URL, its comments nested into ``threads``; None if not found."""
        result = await self.api.execute(request, "page", {"slug": request.path_params["slug"]})
        page = result.data.get("page")
        if page is not None:
            page["threads"] = nest_comments([edge["node"] for edge in page["comments"]["edges"]])
        return page

    async def preview(self, request: Request) -> Response:
        """A page's working copy for whoever holds a preview link: marked as a draft,
        never cached, not indexed."""
        result = await self.api.execute(request, "preview", {"token": request.path_params["token"]})
        page = result.data.get("preview")
        if page is None:
            message = result.errors[0].message if result.errors else "No such preview."
            response = self.render(request, "not_found.html.j2", {"message": message}, 404)
        else:
            response = self.render(request, "draft_preview.html.j2", {"page": page})
        response.headers["cache-control"] = NO_STORE
        response.headers["x-robots-tag"] = "noindex, nofollow"
        return response

    async def post_comment(self, request: Request) -> Response:
        """The form without JavaScript: send the comment, then show the page again with the
        errors next to their fields, or with the comment and its moderation notice. The
        comment goes on the page of the URL, whatever page id the form carries."""
        form = CommentForm.from_form_data(await request.form())
        if is_cross_site(request):
            form.values["formToken"] = ""
            form.add_error(FORM_LEVEL, CROSS_SITE_MESSAGE, "FORBIDDEN")
            return await self.render_page(request, form, status_code=403)
        page = await self.api.execute(request, "page", {"slug": request.path_params["slug"]})
        if page.data.get("page") is None:
            return self.not_found(request)
        form.values["pageId"] = page.data["page"]["id"]
        result = await self.api.execute(request, "add_comment", {"input": form.mutation_input()})
        payload = result.data.get("addComment") or {}
        form.add_api_errors(payload.get("errors", []), result.errors)
        if form.errors:
            return await self.render_page(request, form, status_code=422)
        posted = {"comment": payload["comment"], "parentId": form.values["parentId"]}
        return await self.render_page(request, CommentForm(), posted=posted)

    async def render_page(
        self,
        request: Request,
        form: CommentForm,
        *,
        posted: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        page = await self.read_page(request)
        if page is None:
            return self.not_found(request)
        if page["commentsOpen"] and (not form.values.get("formToken") or form.needs_new_token):
            token = await self.api.execute(request, "comment_form_token", {"pageId": page["id"]})
            form.values["formToken"] = token.data.get("commentFormToken") or ""
        parent_id = form.values.get("parentId", "")
        config = {
            "graphqlPath": GRAPHQL_PATH,
            "pageId": page["id"],
            "commentsPath": str(request.url_for("site:comments", slug=page["slug"]).path),
            "addComment": document("add_comment"),
            "commentFormToken": document("comment_form_token"),
            "commentAdded": document("comment_added"),
        }
        response = self.render(
            request,
            "page.html.j2",
            {
                "page": page,
                "form": form,
                "parent": find_comment(page, parent_id) if parent_id else None,
                "posted": posted,
                "config": script_safe_json(config),
            },
            status_code=status_code,
        )
        if form.values.get("formToken"):
            # The form's token is this reader's alone (it posts one comment).
            response.headers["cache-control"] = PRIVATE
        return response


def is_cross_site(request: Request) -> bool:
    """Whether the browser says the form was posted from another site (a forged request:
    CSRF). Sec-Fetch-Site is the browser's own verdict; without it, the Origin header must
    name this host. Clients that send neither (no browser) are not refused."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return urlsplit(origin).hostname != request.url.hostname


def nest_comments(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The top-level comments, each with its ``replies`` (the API lists a thread flat, in
    reading order, so a comment always comes after the one it answers)."""
    by_id: dict[str, dict[str, Any]] = {}
    top_level: list[dict[str, Any]] = []
    for comment in comments:
        comment["replies"] = []
        by_id[comment["id"]] = comment
        parent = by_id.get(comment["parentId"]) if comment["parentId"] else None
        (parent["replies"] if parent else top_level).append(comment)
    return top_level


def find_comment(page: dict[str, Any], comment_id: str) -> dict[str, Any] | None:
    """The approved comment with this id anywhere in the page's threads."""
    return next(
        (edge["node"] for edge in page["comments"]["edges"] if edge["node"]["id"] == comment_id),
        None,
    )


def site_routes(view: GraphQLView, static_prefix: str) -> list[BaseRoute]:
    """The site's routes, executing GraphQL with ``view``'s schema and request context."""
    site = ReaderSite(SiteApi(view), create_templates(static_prefix))
    return [
        Route("/", site.home, name="site:home"),
        Route("/pages/{slug}", site.page, name="site:page"),
        Route("/pages/{slug}/comments", site.comments, name="site:comments"),
        Route("/preview/{token}", site.preview, name="site:preview"),
        Route(
            "/pages/{slug}/comments",
            site.post_comment,
            methods=["POST"],
            name="site:post-comment",
        ),
    ]
