"""The Starlette application: routes, middleware, static files and the ORM's lifespan."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from tortoise import Tortoise
from tortoise.connection import connections

from cms.config import Settings
from cms.db import tortoise_config
from cms.events import create_event_bus
from cms.limits import BodySizeLimit
from cms.site import site_routes
from schema import build_schema
from schema.view import GraphQLView

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PREFIX = "/static"

logger = logging.getLogger("cms")


async def healthz(request: Request) -> JSONResponse:
    """The process is up."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The database answers."""
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        logger.exception("Readiness check failed")
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings, *, manage_database: bool = True) -> Starlette:
    """The CMS as an ASGI app. With ``manage_database`` the app opens and closes the ORM's
    connections in its lifespan; tests that share one ORM set-up pass False."""

    events = create_event_bus(settings.redis_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
        try:
            yield
        finally:
            await events.close()
            if manage_database:
                await Tortoise.close_connections()

    graphql = GraphQLView(build_schema(settings), settings, events, STATIC_PREFIX)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *site_routes(graphql, STATIC_PREFIX),
            Mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.events = events
    return app
