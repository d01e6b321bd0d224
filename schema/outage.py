"""Turns errors from an unreachable database into SERVICE_UNAVAILABLE GraphQL errors (the view
answers them with HTTP 503). Listed after DomainErrors, so it sees the errors first."""

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from cms.serving.outage import (
    SERVICE_UNAVAILABLE,
    SERVICE_UNAVAILABLE_MESSAGE,
    is_database_unavailable,
)


class DatabaseOutage(SchemaExtension):
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
            extensions={"code": SERVICE_UNAVAILABLE},
        )
