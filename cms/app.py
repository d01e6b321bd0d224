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
from cms.secret_key import check_secret_key
from cms.services.webhooks import WebhookEvents
from cms.serving.content_changes import ContentChanges, HttpPurge
from cms.serving.edge import Edge
from cms.serving.metrics import Metrics
from cms.serving.response_cache import ContentEventInvalidator, create_response_cache
from cms.serving.response_cache_hits import ResponseCacheHits
from cms.site import site_routes
from cms.studio import create_studio
from cms.workers import BackgroundWorkers, workers_enabled
from schema import build_schema
from schema.view import GraphQLView

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PREFIX = "/static"
STUDIO_PATH = "/studio"
GRAPHQL_PATH = "/graphql"

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
    connections in its lifespan; tests that share one ORM set-up pass False. Refuses to
    build a production app without a secret key (:class:`MissingSecretKey`)."""
    check_secret_key(settings)

    # Every event published through the app also queues its webhook deliveries.
    events = WebhookEvents(create_event_bus(settings.redis_url))
    workers = (
        BackgroundWorkers(settings, events) if workers_enabled(settings, manage_database) else None
    )
    metrics = Metrics()
    response_cache = (
        create_response_cache(
            settings.redis_url, settings.response_cache_size, settings.response_cache_ttl
        )
        if settings.response_cache
        else None
    )
    purge = HttpPurge(settings.http_purge_url) if settings.http_purge_url else None
    changes = ContentChanges(response_cache, purge) if response_cache or purge else None
    invalidator = ContentEventInvalidator(events, changes) if changes else None

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
        if invalidator is not None:
            invalidator.start()
        if workers is not None:
            workers.start()
        try:
            yield
        finally:
            if workers is not None:
                await workers.stop()
            if invalidator is not None:
                await invalidator.stop()
            if changes is not None:
                await changes.close()
            await events.close()
            if manage_database:
                await Tortoise.close_connections()

    schema = build_schema(settings, on_mutation=changes.invalidate if changes else None)
    graphql = GraphQLView(
        schema, settings, events, STATIC_PREFIX, response_cache=response_cache, metrics=metrics
    )
    middleware = [
        Middleware(
            Edge,
            metrics=metrics,
            cors_origins=settings.cors_origins,
            max_body_bytes=settings.max_body_bytes,
        )
    ]
    if response_cache is not None:
        middleware.append(
            Middleware(
                ResponseCacheHits,
                queries=graphql.anonymous_queries,
                cache=response_cache,
                path=GRAPHQL_PATH,
            )
        )
    app = Starlette(
        routes=[
            Route(GRAPHQL_PATH, graphql, methods=["GET", "POST"]),
            WebSocketRoute(GRAPHQL_PATH, graphql),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics.endpoint),
            *site_routes(graphql, STATIC_PREFIX),
            Mount(STUDIO_PATH, create_studio(graphql, settings), name="studio"),
            Mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.events = events
    return app
