"""The GraphQL HTTP/WebSocket endpoint: authentication, context and GraphQL-over-HTTP."""

import asyncio
import dataclasses
import logging
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from cms.config import Settings
from cms.errors import CmsError, Forbidden
from cms.events import EventBus
from cms.graphiql import render_graphiql_page
from cms.services.auth import TOKEN_REVOKED, Viewer, authenticate
from cms.services.client_address import client_ip
from cms.services.rate_limit import create_comment_rate_limiter, create_rate_limiter
from cms.serving.anonymous_queries import SHOWN_KEYS, AnonymousQueries
from cms.serving.http_caching import set_uncacheable_headers
from cms.serving.media_types import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, negotiate_media_type
from cms.serving.metrics import Metrics
from cms.serving.outage import (
    SERVICE_UNAVAILABLE,
    SERVICE_UNAVAILABLE_MESSAGE,
    is_database_unavailable,
)
from cms.serving.persisted_queries import (
    PersistedQueryError,
    PersistedQueryStore,
    RegistrationLimits,
    Sender,
    resolve_document,
)
from cms.serving.response_cache import ResponseCache
from cms.serving.sessions import graphql_session_viewer
from schema.context import Context

logger = logging.getLogger("cms.graphql")
# WebSocket close code for a revoked token (4403: the subprotocol's "forbidden" range).
WS_TOKEN_REVOKED = 4403

DEFAULT_GRAPHIQL_QUERY = """# The seeded article, with its nested sections and approved comments.
query Article {
  page(slug: "harvard-medical-school") {
    id
    title
    publishedAt
    sections {
      title
      anchor
      body
      children {
        position
        title
        body
      }
    }
    commentCount
    comments(first: 10) {
      edges { node { authorName body createdAt replies { edges { node { authorName body } } } } }
    }
  }
}
"""


def error_response(error: CmsError, status_code: int, media_type: str) -> Response:
    return coded_error_response(error.message, error.code.value, status_code, media_type)


def coded_error_response(
    message: str,
    code: str,
    status_code: int,
    media_type: str,
    extensions: dict[str, object] | None = None,
) -> Response:
    body = {"errors": [{"message": message, "extensions": {**(extensions or {}), "code": code}}]}
    response = JSONResponse(body, status_code=status_code, media_type=media_type)
    set_uncacheable_headers(response.headers, private=False)
    return response


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI app, with our context, auth, media types and offline GraphiQL."""

    def __init__(
        self,
        schema: Any,
        settings: Settings,
        events: EventBus,
        static_prefix: str,
        *,
        response_cache: ResponseCache | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql",
            allow_queries_via_get=True,
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.cors_origins,
        )
        self.settings = settings
        registration_limits = RegistrationLimits(
            max_bytes=settings.persisted_query_max_bytes,
            max_stored=settings.persisted_query_max_stored,
            rate_limiter=create_rate_limiter(
                settings, settings.persisted_query_registration_limits, "persisted-query"
            ),
        )
        self.persisted_queries = PersistedQueryStore(
            settings.persisted_query_cache_size, registration_limits
        )
        self.anonymous_queries = AnonymousQueries(
            settings, response_cache, self.persisted_queries, metrics or Metrics()
        )
        self.events = events
        self.comment_rate_limiter = create_comment_rate_limiter(settings)
        self.graphiql_html = render_graphiql_page(
            static_prefix=static_prefix, default_query=DEFAULT_GRAPHIQL_QUERY
        )

    async def run(self, request: Request | WebSocket, **kwargs: Any) -> Any:
        media_type = negotiate_media_type(request.headers.get("accept", ""))
        try:
            viewer = await authenticate(request.headers.get("authorization"))
            if viewer is None and isinstance(request, Request):
                viewer = await graphql_session_viewer(request, self.settings)
        except CmsError as error:
            if isinstance(request, WebSocket):
                await request.close(code=4401, reason=error.message)
                return None
            return error_response(error, 403 if isinstance(error, Forbidden) else 401, media_type)
        except Exception as error:
            if isinstance(request, WebSocket) or not is_database_unavailable(error):
                raise
            return self.unavailable(error, media_type)
        request.state.viewer = viewer
        if isinstance(request, WebSocket):
            watcher = asyncio.create_task(self.close_when_revoked(request))
            try:
                return await super().run(request, **kwargs)
            finally:
                watcher.cancel()
        try:
            if viewer is None:
                anonymous = self.anonymous_queries
                respond = (
                    anonymous.respond_to_get
                    if request.method == "GET"
                    else anonymous.respond_to_post
                )
                return await respond(
                    request, media_type, lambda: self._run_anonymous(request, **kwargs)
                )
            response = await super().run(request, **kwargs)
            set_uncacheable_headers(response.headers, private=viewer is not None)
            return response
        except PersistedQueryError as error:
            status = 400 if media_type == GRAPHQL_RESPONSE_JSON else 200
            return coded_error_response(
                error.message, error.code, status, media_type, error.extensions
            )
        except HTTPException:
            raise
        except Exception as error:
            if not is_database_unavailable(error):
                raise
            return self.unavailable(error, media_type)

    async def _run_anonymous(self, request: Request, **kwargs: Any) -> Response:
        """Execute; an answer a resolver kept private (a preview) is marked so before the
        response cache and HTTP caches see it."""
        response = await super().run(request, **kwargs)
        context: Context | None = getattr(request.state, "context", None)
        if context is not None:
            setattr(request.state, SHOWN_KEYS, context.shown)
            if context.private_answer:
                set_uncacheable_headers(response.headers, private=True)
        return response

    def unavailable(self, error: Exception, media_type: str) -> Response:
        logger.warning("Database unavailable: %r", error)
        return coded_error_response(
            SERVICE_UNAVAILABLE_MESSAGE, SERVICE_UNAVAILABLE, 503, media_type
        )

    async def execute_single(self, **kwargs: Any) -> ExecutionResult:
        """Persisted queries: the document comes from the hash (or is registered with it)."""
        request_data: GraphQLRequestData = kwargs["request_data"]
        context: Context = kwargs["context"]
        anonymous = context.viewer is None
        document = await resolve_document(
            self.persisted_queries,
            request_data.query,
            request_data.extensions,
            allow_list_only=self.settings.persisted_queries_only and anonymous,
            sender=Sender(anonymous, context.client_ip),
        )
        kwargs["request_data"] = dataclasses.replace(request_data, query=document)
        return await super().execute_single(**kwargs)

    def parse_json(self, data: str | bytes) -> Any:
        """A request body, or GET's ``variables``/``extensions``, must be a JSON object
        (a list for a batch): a bare string or number used to fail as HTTP 500. ``null``
        means nothing was given (GET's ``variables=null``)."""
        value = super().parse_json(data)
        if value is None:
            return {}
        if not isinstance(value, dict | list):
            raise HTTPException(400, 'Expected a JSON object, such as {"query": "{ … }"}.')
        return value

    def encode_json(self, data: object) -> str:
        # A str, not bytes: strawberry sends bytes over WebSockets as binary frames, and
        # browsers' graphql-ws clients expect text.
        return orjson.dumps(data).decode()

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        if isinstance(response, Response):
            response.media_type = negotiate_media_type(request.headers.get("accept", ""))
        viewer: Viewer | None = request.state.viewer
        request.state.context = context = Context(
            settings=self.settings,
            viewer=viewer,
            events=self.events,
            client_ip=client_ip(
                request.client.host if request.client else None,
                request.headers.get("x-forwarded-for"),
                self.settings.trusted_proxy_count,
            ),
            user_agent=request.headers.get("user-agent"),
            comment_rate_limiter=self.comment_rate_limiter,
            persisted_queries=self.persisted_queries,
        )
        return context

    async def close_when_revoked(self, websocket: WebSocket) -> None:
        """Close the socket as soon as the token it authenticated with is revoked, in any
        process (operations on it re-check the token too: schema/streamed.py)."""
        async for event in self.events.subscribe():
            if event.name != TOKEN_REVOKED:
                continue
            context: Context | None = getattr(websocket.state, "context", None)
            viewer = context.viewer if context is not None else websocket.state.viewer
            if viewer is not None and viewer.token_id == event.payload.get("token_id"):
                await websocket.close(code=WS_TOKEN_REVOKED, reason="The API token was revoked.")
                return

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """A WebSocket client may authenticate in its connection_init payload
        (``{"Authorization": "Bearer …"}``) instead of the upgrade request's header."""
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        if authorization:
            try:
                context.viewer = await authenticate(str(authorization))
            except CmsError as error:
                raise ConnectionRejectionError({"code": error.code.value}) from error
        return UNSET

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET with only a persisted query's hash is a query, not a visit to GraphiQL."""
        return super().should_render_graphql_ide(request) and (
            "extensions" not in request.query_params
        )

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self.graphiql_html)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = sub_response.media_type or APPLICATION_JSON
        response.headers["content-type"] = media_type
        # Errors without a path are request errors (the document could not be parsed or
        # validated): GraphQL-over-HTTP answers those with 400 and no "data" entry.
        if isinstance(response_data, dict) and any(
            (error.get("extensions") or {}).get("code") == SERVICE_UNAVAILABLE
            for error in response_data.get("errors") or []
        ):
            response.status_code = 503
            return response
        if (
            isinstance(response_data, dict)
            and response_data.get("data") is None
            and response_data.get("errors")
            and all("path" not in error for error in response_data["errors"])
        ):
            response_data.pop("data", None)
            response = JSONResponse(response_data, media_type=media_type)
            if media_type == GRAPHQL_RESPONSE_JSON:
                response.status_code = 400
        return response
