"""A database that cannot be reached (restart, failover, network): requests fail with 503
SERVICE_UNAVAILABLE instead of an internal error, and the pool reconnects on the next
request. The view answers an outage met before execution; :class:`DatabaseOutage` turns one
met during execution into SERVICE_UNAVAILABLE GraphQL errors (the view then answers 503)."""

from collections.abc import Iterator

import asyncpg
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from tortoise.exceptions import DBConnectionError

from cms.errors import ErrorCode, coded_extensions

SERVICE_UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly."

_UNAVAILABLE = (
    DBConnectionError,
    ConnectionError,  # refused, reset, aborted
    TimeoutError,
    OSError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.InterfaceError,
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` (or an error it was raised from) means the database is gone."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


class DatabaseOutage(SchemaExtension):
    """Listed after the schema's own DomainErrors, so it sees the errors first."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [self.present(error) for error in result.errors]

    @staticmethod
    def present(error: GraphQLError) -> GraphQLError:
        if not is_database_unavailable(error.original_error):
            return error
        return GraphQLError(
            SERVICE_UNAVAILABLE_MESSAGE,
            nodes=error.nodes,
            path=error.path,
            extensions=coded_extensions(ErrorCode.SERVICE_UNAVAILABLE),
        )
