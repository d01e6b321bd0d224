"""The reader site's routes, its not-found and server-error pages, and what it does when
the app starts (allow-listing its GraphQL documents)."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ExceptionHandler

from cms.serving.graphql_view import GraphQLView
from cms.site.api import ApiFailure, SiteApi
from cms.site.caching import PageCache, Rendered
from cms.site.comments import CommentPosting
from cms.site.discovery import Discovery
from cms.site.documents import register_site_documents
from cms.site.pages import GRAPHQL_PATH, ReaderSite
from cms.site.preview import PreviewPage
from cms.site.templating import STATIC_DIR, create_templates

logger = logging.getLogger("cms.site")
# How long the app's start waits for the site's documents to be allow-listed.
REGISTRATION_WAIT_SECONDS = 5.0
# Browsers ask for /favicon.ico by that name, whatever its version: a day, not a year.
FAVICON_CACHE_CONTROL = "public, max-age=86400"


@dataclass
class Site:
    """What the app mounts: routes, error pages, and the start-up step."""

    view: GraphQLView
    routes: list[BaseRoute] = field(default_factory=list)
    exception_handlers: dict[Any, ExceptionHandler] = field(default_factory=dict)
    _registering: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Allow-list the site's documents, so its script may send hashes alone. The app
        waits a moment for it, not for a database that is down (it serves 503 meanwhile,
        and the script's first hashes fail until the database answers)."""
        self._registering = asyncio.create_task(self._register())
        await asyncio.wait({self._registering}, timeout=REGISTRATION_WAIT_SECONDS)

    async def stop(self) -> None:
        if self._registering is not None and not self._registering.done():
            self._registering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._registering

    async def _register(self) -> None:
        try:
            await register_site_documents(self.view.persisted_queries)
        except Exception:
            logger.exception("Could not allow-list the reader site's GraphQL documents")


def create_site(view: GraphQLView, static_prefix: str) -> Site:
    """The site, executing GraphQL with ``view``'s schema and request context."""
    templates = create_templates(static_prefix)
    site = ReaderSite(
        SiteApi(view), templates.env, PageCache(view.settings, view.anonymous_queries.cache)
    )
    comments = CommentPosting(site)
    preview = PreviewPage(site)
    discovery = Discovery(site)

    async def comments_page(request: Request) -> Response:
        """Where the no-JavaScript form used to leave readers: the article's comments."""
        url = request.url_for("site:page", slug=request.path_params["slug"])
        return RedirectResponse(f"{url.path}#comments", 301)

    favicon = StaticFiles(directory=STATIC_DIR / "site")

    async def favicon_ico(request: Request) -> Response:
        response = await favicon.get_response("favicon.ico", request.scope)
        response.headers["cache-control"] = FAVICON_CACHE_CONTROL
        return response

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(GRAPHQL_PATH):
            return PlainTextResponse("Not Found", 404)

        async def render() -> Rendered:
            return site.not_found(request)

        return await site.cached(request, render)

    async def server_error(request: Request, exc: Exception) -> Response:
        # No API call here: the fault may be the database's.
        if request.url.path.startswith(GRAPHQL_PATH):
            return PlainTextResponse("Internal Server Error", 500)
        status = exc.status if isinstance(exc, ApiFailure) else 500
        rendered = site.render(request, "server_error.html.j2", {}, status=status)
        response = site.cache.uncached(rendered)
        if status == 503:
            response.headers["retry-after"] = "30"
        return response

    routes: list[BaseRoute] = [
        Route("/", site.home, name="site:home"),
        Route("/pages/{slug}", comments.article, name="site:page"),
        Route("/pages/{slug}/thread", site.thread, name="site:thread"),
        Route("/pages/{slug}/comments", comments_page, name="site:comments"),
        Route("/pages/{slug}/comments", comments.post, methods=["POST"], name="site:post-comment"),
        Route("/preview/{token}", preview.show, name="site:preview"),
        Route("/search", site.search, name="site:search"),
        Route("/feed.xml", discovery.atom, name="site:atom"),
        Route("/feed.json", discovery.json_feed, name="site:json-feed"),
        Route("/sitemap.xml", discovery.sitemap, name="site:sitemap"),
        Route("/robots.txt", discovery.robots, name="site:robots"),
        Route("/favicon.ico", favicon_ico, name="site:favicon"),
    ]
    handlers: dict[Any, ExceptionHandler] = {
        404: not_found,
        500: server_error,
        ApiFailure: server_error,
    }
    return Site(view, routes, handlers)
