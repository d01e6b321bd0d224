"""Allow-list mode over WebSockets.

With ``CMS_PERSISTED_QUERIES_ONLY``, anonymous HTTP requests may only name allow-listed
documents by hash (the view checks that). graphql-transport-ws clients send documents in
full, so an anonymous operation on a WebSocket runs only if its document's hash is on the
allow-list; otherwise the operation ends at once with a PERSISTED_QUERY_NOT_ALLOWED error.
Editors (a token in the upgrade request or in connection_init) are exempt, as over HTTP.
The schema asks before each WebSocket operation (``build_schema(stream_guard=…)``).
"""

from graphql import GraphQLError

from cms.config import Settings
from cms.serving.persisted_queries import (
    PersistedQueryError,
    PersistedQueryStore,
    check_allow_listed,
)
from schema.context import Context


class WebSocketAllowList:
    def __init__(self, settings: Settings, store: PersistedQueryStore) -> None:
        self.settings = settings
        self.store = store

    async def refusal(self, context: Context, document: str | None) -> GraphQLError | None:
        """The error that ends this WebSocket operation, or None when it may run."""
        if (
            not self.settings.persisted_queries_only
            or context.viewer is not None
            or document is None
        ):
            return None
        try:
            await check_allow_listed(self.store, document)
        except PersistedQueryError as error:
            return GraphQLError(error.message, extensions=error.coded_extensions)
        return None
