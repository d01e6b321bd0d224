"""The studio's ASGI app, mounted at /studio by cms/app.py: its routes, its static files and
its headers. Each area of the studio contributes a ``*_routes(studio)`` list here."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from cms.config import Settings
from cms.serving.graphql_view import GraphQLView
from cms.serving.sessions import StudioAccounts
from cms.studio.accounts import account_routes
from cms.studio.api import StudioApi
from cms.studio.dashboard import dashboard_routes
from cms.studio.editor import editor_routes
from cms.studio.headers import StudioHeaders
from cms.studio.media import UploadRules, media_routes
from cms.studio.moderation import moderation_routes
from cms.studio.pages import page_routes
from cms.studio.presence import create_presence
from cms.studio.publishing import publishing_routes
from cms.studio.revisions import revision_routes
from cms.studio.studio import Studio
from cms.studio.templating import STATIC_DIR, STATIC_PATH, create_templates
from cms.studio.tokens import token_routes
from cms.studio.users import user_routes
from cms.studio.webhooks import webhook_routes


def create_studio(
    view: GraphQLView, settings: Settings, *, media_origin: str | None = None
) -> ASGIApp:
    """``media_origin``: where renditions are served from when not this app (a CDN)."""
    upload_rules = UploadRules(settings.media_max_bytes, tuple(settings.media_allowed_types))
    templates = create_templates()
    templates.env.globals["upload_rules"] = upload_rules
    studio = Studio(StudioApi(view), StudioAccounts(settings), templates)
    return Starlette(
        routes=[
            *account_routes(studio),
            *dashboard_routes(studio),
            *page_routes(studio),
            *editor_routes(studio, create_presence(settings.redis_url)),
            *publishing_routes(studio),
            *revision_routes(studio),
            *media_routes(studio, upload_rules),
            *moderation_routes(studio),
            *user_routes(studio),
            *token_routes(studio),
            *webhook_routes(studio),
            Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
        ],
        middleware=[Middleware(StudioHeaders, static_path=STATIC_PATH, media_origin=media_origin)],
    )
