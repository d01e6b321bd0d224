"""The reader site's pages: the list of published pages, one page with its comments, the
search page, and the not-found page. Each is rendered from the API's answers and served
under the API's caching rules (caching.py)."""

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import Response

from cms.graphiql import script_safe_json
from cms.site.api import ApiResult, SiteApi
from cms.site.caching import PageCache, Rendered
from cms.site.documents import BROWSER_DOCUMENTS, persisted_query
from cms.site.forms import CommentForm
from cms.site.threads import find_comment, nest_comments

GRAPHQL_PATH = "/graphql"
HOME_PAGE_SIZE = 10
SEARCH_PAGE_SIZE = 10
PAGING_PARAMS = ("after", "before")


class ReaderSite:
    def __init__(self, api: SiteApi, templates: Environment, cache: PageCache) -> None:
        self.api = api
        self.templates = templates
        self.cache = cache

    def site_url(self, request: Request) -> str:
        """Where readers reach the site: CMS_PUBLIC_URL, else this request's address."""
        return (self.api.settings.public_url or str(request.base_url)).rstrip("/")

    def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        *,
        status: int = 200,
        shown: Iterable[str] = (),
        private: bool = False,
    ) -> Rendered:
        site_url = self.site_url(request)
        body = self.templates.get_template(name).render(
            request=request,
            site_url=site_url,
            canonical=site_url + request.url.path,
            graphql_path=GRAPHQL_PATH,
            **context,
        )
        return Rendered(body.encode(), status, keys=set(shown), private=private)

    async def cached(self, request: Request, render: Callable[[], Awaitable[Rendered]]) -> Response:
        return await self.cache.respond(request, self.site_url(request), render)

    def not_found(self, request: Request, shown: Iterable[str] = (), message: str = "") -> Rendered:
        return self.render(
            request, "not_found.html.j2", {"message": message}, status=404, shown=shown
        )

    async def home(self, request: Request) -> Response:
        async def render() -> Rendered:
            variables = paging_variables(request, HOME_PAGE_SIZE)
            result = await self.api.execute(request, "latest", variables)
            connection = result.data.get("pages")
            if connection is None:
                return self.not_found(request, message="This list link is not valid.")
            context = {
                "pages": [edge["node"] for edge in connection["edges"]],
                "paging": paging_links(connection["pageInfo"]),
            }
            return self.render(request, "home.html.j2", context, shown=result.shown)

        return await self.cached(request, render)

    async def read_page(self, request: Request) -> ApiResult:
        """The page of the URL, its comments nested into ``threads`` (None if not found)."""
        result = await self.api.execute(request, "page", {"slug": request.path_params["slug"]})
        page = result.data.get("page")
        if page is not None:
            page["threads"] = nest_comments([edge["node"] for edge in page["comments"]["edges"]])
        return result

    async def article(self, request: Request) -> Response:
        async def render() -> Rendered:
            form = CommentForm()
            form.values["parentId"] = request.query_params.get("replyto", "")
            return await self.render_article(request, form)

        return await self.cached(request, render)

    async def render_article(
        self,
        request: Request,
        form: CommentForm,
        *,
        posted: dict[str, Any] | None = None,
        status: int = 200,
        private: bool = False,
    ) -> Rendered:
        """The article with its thread and form; ``posted`` is the reader's own comment
        awaiting moderation. A form holding a token is for this reader alone."""
        result = await self.read_page(request)
        page = result.data.get("page")
        if page is None:
            return self.not_found(request, result.shown)
        parent_id = form.values.get("parentId", "")
        if posted is not None and find_comment(page, posted["comment"]["id"]):
            posted = None  # approved since: it is in the thread
        config = {
            "graphqlPath": GRAPHQL_PATH,
            "pageId": page["id"],
            "threadPath": str(request.url_for("site:thread", slug=page["slug"]).path),
            "documents": {name: persisted_query(name) for name in BROWSER_DOCUMENTS},
        }
        context = {
            "page": page,
            "form": form,
            "parent": find_comment(page, parent_id) if parent_id else None,
            "posted": posted,
            "config": script_safe_json(config),
        }
        private = private or bool(form.values.get("formToken"))
        return self.render(
            request, "page.html.j2", context, status=status, shown=result.shown, private=private
        )

    async def thread(self, request: Request) -> Response:
        """Only the comment thread: the page's script swaps it in when a comment is approved."""

        async def render() -> Rendered:
            result = await self.read_page(request)
            page = result.data.get("page")
            if page is None:
                return self.not_found(request, result.shown)
            return self.render(
                request, "comment_thread.html.j2", {"page": page}, shown=result.shown
            )

        return await self.cached(request, render)

    async def search(self, request: Request) -> Response:
        async def render() -> Rendered:
            words = request.query_params.get("q", "").strip()
            if not words:
                return self.render(request, "search.html.j2", {"words": "", "results": None})
            variables = {"query": words, **paging_variables(request, SEARCH_PAGE_SIZE)}
            result = await self.api.execute(request, "search", variables)
            connection = result.data.get("search")
            if connection is None:
                return self.not_found(request, message="This results link is not valid.")
            context = {
                "words": words,
                "results": [edge["node"] for edge in connection["edges"]],
                "total": connection["totalCount"],
                "paging": paging_links(connection["pageInfo"], q=words),
            }
            return self.render(request, "search.html.j2", context, shown=result.shown)

        return await self.cached(request, render)


def paging_variables(request: Request, size: int) -> dict[str, Any]:
    """``first``/``after`` forwards (the default), ``last``/``before`` backwards."""
    before = request.query_params.get("before")
    if before:
        return {"last": size, "before": before}
    after = request.query_params.get("after")
    return {"first": size, **({"after": after} if after else {})}


def paging_links(page_info: dict[str, Any], **params: str) -> dict[str, dict[str, str] | None]:
    """Query parameters of the links to the newer and older neighbours of this list page
    (None where there is none). The API's flag against the paging direction only says a
    cursor was given, which is enough: a page reached from a neighbour has one."""
    newer = page_info["hasPreviousPage"] and page_info["startCursor"]
    older = page_info["hasNextPage"] and page_info["endCursor"]
    return {
        "newer": {**params, "before": newer} if newer else None,
        "older": {**params, "after": older} if older else None,
    }
