"""Runs a callback after every mutation operation, before its response leaves the server:
the response cache is invalidated synchronously, so a reader never sees content older than a
mutation that has returned."""

from collections.abc import AsyncIterator, Awaitable, Callable

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

OnMutation = Callable[[], Awaitable[None]]


def after_mutations(callback: OnMutation) -> Callable[[], SchemaExtension]:
    """An extension factory for :func:`schema.build_schema`."""

    class AfterMutations(SchemaExtension):
        async def on_operation(self) -> AsyncIterator[None]:
            yield
            context = self.execution_context
            # Only an operation that was parsed and validated as a mutation ran resolvers.
            if (
                context.graphql_document is not None
                and not context.pre_execution_errors
                and context.operation_type == OperationType.MUTATION
            ):
                await callback()

    return AfterMutations
