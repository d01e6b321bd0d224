"""Invalidates the response cache after every mutation operation, before its response leaves
the server, so a reader never sees content older than a mutation that has returned.

Each root mutation field says which surrogate keys (cms/services/reader_changes.py) readers
see change — :func:`readers_see_changes`, or :func:`changed_nothing_readers_see` for a draft
save, a comment held for moderation or refused — and only those are invalidated: a flood of
spam or an editor's drafts leave every reader's cached page alone. A field that says nothing
invalidates everything, so a new mutation is safe until it is made precise.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from cms.services import reader_changes
from cms.services.reader_changes import ALL_CONTENT
from schema.context import Info

OnMutation = Callable[[set[str]], Awaitable[None]]


def readers_see_changes(info: Info, keys: Iterable[str]) -> None:
    """Called by a mutation resolver: readers see what ``keys`` name change."""
    info.context.reader_changes.setdefault(info.path.key, set()).update(keys)


def changed_nothing_readers_see(info: Info) -> None:
    """Called by a mutation resolver that knows its field changed nothing readers see."""
    readers_see_changes(info, ())


async def working_copy_edited(info: Info, page_id: int | None) -> None:
    """Called by a mutation resolver that saved a page's working copy (None: nothing saved)."""
    keys = await reader_changes.working_copy_edited(page_id) if page_id is not None else ()
    readers_see_changes(info, keys)


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
                keys = self.changed_keys()
                if keys:
                    await callback(keys)

        def changed_keys(self) -> set[str]:
            result, context = self.execution_context.result, self.execution_context.context
            data = result.data if result is not None else None
            if not data:
                return {ALL_CONTENT}
            changes: dict[str, set[str]] = context.reader_changes
            keys: set[str] = set()
            for field in data:
                keys |= changes.get(field, {ALL_CONTENT})
            return keys

    return AfterMutations
