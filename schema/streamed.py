"""Operations over a connection that outlives them (a WebSocket): every operation runs with
its own context — fresh DataLoaders, and the viewer re-read from the token store, so a token
revoked after the socket opened can no longer query or mutate — and every event of a
subscription re-checks the viewer before it is sent (a revoked editor stops receiving
moderation events with emails and IPs at the next event). Each event also gets its own
loaders (schema/execution.py), so it is resolved from what the database holds now."""

from collections.abc import AsyncIterator
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError, OperationType, get_operation_ast, parse
from strawberry.types import ExecutionResult

from cms.errors import CmsError, coded_extensions
from cms.services.auth import recheck_viewer
from schema.context import Context


def refusal(error: CmsError) -> GraphQLError:
    return GraphQLError(error.message, extensions=coded_extensions(error.code))


async def operation_context(context: Context) -> Context:
    """The context of one operation: fresh loaders, the viewer as its token stands now
    (raises Unauthenticated when it was revoked)."""
    operation = context.for_operation()
    operation.viewer = await recheck_viewer(context.viewer)
    return operation


def is_subscription(query: str | None, operation_name: str | None) -> bool:
    """Parsed again rather than cached: a cache keyed by documents would hold any client's
    megabytes (WebSocket operations are few; parsing one takes well under a millisecond)."""
    if query is None:
        return False
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLSyntaxError:
        return False
    return operation is not None and operation.operation is OperationType.SUBSCRIPTION


async def rechecked_events(results: AsyncIterator[Any], context: Context) -> AsyncIterator[Any]:
    """A subscription's results, each sent only if the viewer's token still stands; the
    first refusal ends the subscription with an UNAUTHENTICATED error."""
    async for result in results:
        try:
            await recheck_viewer(context.viewer)
        except CmsError as error:
            yield ExecutionResult(data=None, errors=[refusal(error)])
            return
        yield result
