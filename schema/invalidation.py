"""Runs a callback after every mutation operation, before its response leaves the server:
the response cache is invalidated synchronously, so a reader never sees content older than a
mutation that has returned.

A mutation whose every root field reported that it changed nothing readers can see (see
:func:`changed_nothing_readers_see`) leaves the cache alone: a comment held for moderation,
or refused, must not throw away every reader's cached page — or a flood of spam would.
"""

from collections.abc import AsyncIterator, Awaitable, Callable

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from schema.context import Info

OnMutation = Callable[[], Awaitable[None]]


def changed_nothing_readers_see(info: Info) -> None:
    """Called by a mutation resolver that knows its field changed nothing readers see."""
    info.context.unseen_changes.add(info.path.key)


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
                and not self.changed_nothing_readers_see()
            ):
                await callback()

        def changed_nothing_readers_see(self) -> bool:
            result, context = self.execution_context.result, self.execution_context.context
            data = result.data if result is not None else None
            return bool(data) and set(data) <= context.unseen_changes

    return AfterMutations
