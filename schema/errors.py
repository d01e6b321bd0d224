"""How domain errors reach clients: payload errors for bad input, coded GraphQL errors for
the rest, and a masked message for anything unexpected (logged with its stack trace)."""

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from cms.errors import CmsError, FieldError, ValidationFailed, coded_extensions
from cms.errors import ErrorCode as DomainErrorCode

logger = logging.getLogger("cms.graphql")

ErrorCode = strawberry.enum(
    DomainErrorCode,
    name="ErrorCode",
    description="Stable, machine-readable error codes: a payload error's `code`, and a "
    "GraphQL error's `extensions.code`.",
)

INTERNAL_ERROR_MESSAGE = "Internal server error."

M = TypeVar("M")


@strawberry.type(description="A problem with one input field; nothing was saved.")
class UserError:
    field: str = strawberry.field(description="The input field at fault, as named in the input.")
    message: str = strawberry.field(description="A human-readable explanation.")
    code: ErrorCode = strawberry.field(description="A stable code to act on in code.")
    current_version: int | None = strawberry.field(
        default=None,
        description="For CONFLICT: the page's version now. Reload the page, reapply your "
        "change and send this version.",
    )

    @classmethod
    def of(cls, error: FieldError) -> "UserError":
        return cls(
            field=error.field,
            message=error.message,
            code=error.code,
            current_version=error.current_version,
        )


async def run_mutation(call: Callable[[], Awaitable[M]]) -> tuple[M | None, list[UserError]]:
    """Run a service call; bad input becomes payload errors, other domain errors propagate."""
    try:
        return await call(), []
    except ValidationFailed as failure:
        return None, [UserError.of(error) for error in failure.errors]


class DomainErrors(SchemaExtension):
    """Adds ``extensions.code`` to our errors and masks every unexpected one."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [present_error(error) for error in result.errors]


def present_error(error: GraphQLError) -> GraphQLError:
    """Our errors get their code (and details) in ``extensions``; unexpected ones are logged
    and masked. Idempotent, so results may pass through it twice."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return error
    if isinstance(original, CmsError):
        extensions: dict[str, Any] = {**(error.extensions or {}), **original.coded_extensions}
        return GraphQLError(
            original.message, nodes=error.nodes, path=error.path, extensions=extensions
        )
    logger.error("Unexpected error in %s", error.path, exc_info=original)
    return GraphQLError(
        INTERNAL_ERROR_MESSAGE,
        nodes=error.nodes,
        path=error.path,
        extensions=coded_extensions(DomainErrorCode.INTERNAL_SERVER_ERROR),
    )


async def present_stream(results: AsyncIterator[Any]) -> AsyncIterator[Any]:
    """The same for every result of a subscription: schema extensions only see its start."""
    async for result in results:
        if getattr(result, "errors", None):
            result.errors = [present_error(error) for error in result.errors]
        yield result
