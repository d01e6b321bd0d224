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
from tortoise import Tortoise
from tortoise.connection import connections

from cms.config import Settings
from cms.db import tortoise_config
from cms.events import create_event_bus
from cms.media.downloads import Downloads
from cms.media.images import AnimationLimit
from cms.media.library import MediaLibrary
from cms.media.render_locks import create_render_lock
from cms.media.serving import Renditions
from cms.media.upload_guard import UploadGuard, upload_body_limit
from cms.secret_key import check_secret_key
from cms.services.webhooks import WebhookEvents
from cms.serving.allow_list import WebSocketAllowList
from cms.serving.content_changes import ContentChanges, HttpPurge
from cms.serving.edge import Edge
from cms.serving.graphql_view import GraphQLView
from cms.serving.metrics import Metrics
from cms.serving.outage import DatabaseOutage
from cms.serving.persisted_queries import create_persisted_query_store
from cms.serving.response_cache import ContentEventInvalidator, create_response_cache
from cms.serving.response_cache_hits import ResponseCacheHits
from cms.serving.security import content_security_policy
from cms.serving.static_files import CachedStaticFiles
from cms.site import create_site
from cms.studio import create_studio
from cms.workers import BackgroundWorkers, workers_enabled
from schema import build_schema

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
        await site.start()
        if invalidator is not None:
            invalidator.start()
        if workers is not None:
            workers.start()
        try:
            yield
        finally:
            await site.stop()
            if workers is not None:
                await workers.stop()
            if invalidator is not None:
                await invalidator.stop()
            if changes is not None:
                await changes.close()
            await events.close()
            await renditions.close()
            if manage_database:
                await Tortoise.close_connections()

    media = MediaLibrary.from_settings(settings)
    renditions = Renditions(
        media,
        settings.media_allowed_widths,
        create_render_lock(settings),
        AnimationLimit.from_settings(settings),
    )
    persisted_queries = create_persisted_query_store(settings)
    schema = build_schema(
        settings,
        on_mutation=changes.invalidate if changes else None,
        stream_guard=WebSocketAllowList(settings, persisted_queries).refusal,
        extensions=[DatabaseOutage],
    )
    graphql = GraphQLView(
        schema,
        settings,
        events,
        STATIC_PREFIX,
        persisted_queries=persisted_queries,
        response_cache=response_cache,
        metrics=metrics,
        media=media,
    )
    site = create_site(graphql, STATIC_PREFIX)
    middleware = [
        Middleware(
            Edge,
            metrics=metrics,
            cors_origins=settings.cors_origins,
            max_body_bytes=settings.max_body_bytes,
            upload_path=GRAPHQL_PATH,
            max_upload_bytes=upload_body_limit(settings.media_max_bytes),
            content_security_policy=content_security_policy(media.origin),
        ),
        Middleware(UploadGuard, path=GRAPHQL_PATH),
    ]
    if response_cache is not None:
        middleware.append(
            Middleware(
                ResponseCacheHits,
                policy=graphql.cache_policy,
                cache=response_cache,
                metrics=metrics,
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
            Downloads(media).route(),
            renditions.route(),
            *site.routes,
            Mount(
                STUDIO_PATH,
                create_studio(graphql, settings, media_origin=media.origin),
                name="studio",
            ),
            Mount(STATIC_PREFIX, CachedStaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=middleware,
        exception_handlers=site.exception_handlers,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.events = events
    app.state.renditions = renditions
    app.state.response_cache = response_cache
    return app
