"""Allow-list mode over WebSockets.

With ``CMS_PERSISTED_QUERIES_ONLY``, anonymous HTTP requests may only name allow-listed
documents by hash (the view checks that). graphql-transport-ws clients send documents in
full, so an anonymous operation on a WebSocket runs only if its document's hash is on the
allow-list; otherwise the operation ends at once with a PERSISTED_QUERY_NOT_ALLOWED error.
Editors (a token in the upgrade request or in connection_init) are exempt, as over HTTP.
"""

from collections.abc import AsyncIterator

from graphql import GraphQLError
from strawberry.types.execution import PreExecutionError

from cms.serving.persisted_queries import PersistedQueryError, check_allow_listed
from schema.context import Context


async def allow_list_refusal(context: object, document: str | None) -> PreExecutionError | None:
    """The error that ends this WebSocket operation, or None when it may run."""
    if (
        not isinstance(context, Context)
        or context.viewer is not None
        or not context.settings.persisted_queries_only
        or context.persisted_queries is None
        or document is None
    ):
        return None
    try:
        await check_allow_listed(context.persisted_queries, document)
    except PersistedQueryError as error:
        refusal = GraphQLError(error.message, extensions={"code": error.code})
        return PreExecutionError(data=None, errors=[refusal])
    return None


async def single(result: PreExecutionError) -> AsyncIterator[PreExecutionError]:
    yield result
