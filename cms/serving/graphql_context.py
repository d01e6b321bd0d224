"""The resolvers' context (schema/context.py), built from an HTTP request or a WebSocket:
who is asking, from where, and what the app shares between requests."""

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from cms.config import Settings
from cms.events import EventBus
from cms.media.library import MediaLibrary
from cms.services.auth import Viewer
from cms.services.client_address import client_ip
from cms.services.rate_limit import CommentRateLimiter
from schema.context import Context


@dataclass(frozen=True)
class RequestContexts:
    """Makes each request's context from what every request of the app shares."""

    settings: Settings
    events: EventBus
    # None when comment flood control is off.
    comment_rate_limiter: CommentRateLimiter | None
    # Where uploads go and how image URLs are signed; None in apps built without media.
    media: MediaLibrary | None = None

    def for_request(self, connection: HTTPConnection, viewer: Viewer | None) -> Context:
        return Context(
            settings=self.settings,
            viewer=viewer,
            events=self.events,
            client_ip=client_ip(
                connection.client.host if connection.client else None,
                connection.headers.get("x-forwarded-for"),
                self.settings.trusted_proxy_count,
            ),
            user_agent=connection.headers.get("user-agent"),
            comment_rate_limiter=self.comment_rate_limiter,
            media=self.media,
            site_url=self.settings.public_url or str(connection.base_url),
        )
