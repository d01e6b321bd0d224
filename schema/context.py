"""The per-operation context every resolver receives as ``info.context``: transport-free
(the HTTP and WebSocket side builds it: cms/serving/graphql_context.py)."""

from dataclasses import dataclass, field, replace
from typing import Any

from strawberry.types import Info as StrawberryInfo

from cms.config import Settings
from cms.events import EventBus
from cms.media.library import MediaLibrary
from cms.services.auth import Viewer
from cms.services.rate_limit import CommentRateLimiter
from schema.loaders import Loaders


@dataclass
class Context:
    settings: Settings
    viewer: Viewer | None
    events: EventBus
    loaders: Loaders = field(default_factory=Loaders)
    # Who sent the request, kept with comments for moderators (editors only).
    client_ip: str | None = None
    user_agent: str | None = None
    # Shared by every request of this app; None when comment flood control is off.
    comment_rate_limiter: CommentRateLimiter | None = None
    # Where uploads go and how image URLs are signed; None in apps built without media.
    media: MediaLibrary | None = None
    # The reader site's address (CMS_PUBLIC_URL, else the request's): preview links.
    site_url: str = ""
    # The graphql-transport-ws connection_init payload (may carry an Authorization).
    connection_params: dict[str, Any] | None = None
    # Root mutation fields (response names) -> the surrogate keys of what readers see change
    # (empty: nothing); a field not here invalidates everything (schema/invalidation.py).
    reader_changes: dict[str, set[str]] = field(default_factory=dict)
    # The surrogate keys of what an anonymous answer shows, gathered as it is executed
    # (schema/execution.py), so the response cache knows what invalidates it.
    shown: set[str] = field(default_factory=set)
    # Set by a resolver whose answer belongs to one reader or to whoever holds a secret (a
    # comment form token, a preview link): it is sent "private, no-store" and never kept in
    # the response cache, so it is neither shared nor served after the secret expires.
    private_answer: bool = False

    def for_operation(self) -> "Context":
        """A copy for one operation or one subscription event: its own loaders, so nothing
        read for an earlier one (a page since unpublished) is served again. A WebSocket
        connection's context lives as long as the socket; this one lives as long as the
        work it was made for."""
        return replace(
            self, loaders=Loaders(), reader_changes={}, shown=set(), private_answer=False
        )


Info = StrawberryInfo[Context, None]


def keep_private(info: Info) -> None:
    """This field's answer is for its holder alone: no shared cache may keep it."""
    info.context.private_answer = True
