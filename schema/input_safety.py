"""One gate for every string a client sends, whatever the transport: variables and the
operation name (checked before execution) and string literals in the document (a validation
rule). A NUL byte or a lone surrogate is refused with BAD_USER_INPUT before any resolver,
database or JSON encoder sees it (PostgreSQL refuses NULs in text, and no encoder can write
a lone surrogate: both used to end in HTTP 500 or INTERNAL errors)."""

from typing import Any

from graphql import GraphQLError, StringValueNode, ValidationRule

from cms.errors import ErrorCode, coded_extensions
from cms.services.validation import text_problem


def bad_input(message: str, node: Any = None) -> GraphQLError:
    return GraphQLError(message, node, extensions=coded_extensions(ErrorCode.BAD_USER_INPUT))


def unsafe_input(value: Any, where: str) -> GraphQLError | None:
    """The error for the first unusable string in ``value`` (JSON-like), or None."""
    if isinstance(value, str):
        problem = text_problem(value)
        return bad_input(f"{where} {problem}.") if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            error = unsafe_input(key, f"{where}: a key") or unsafe_input(item, f"{where}.{key}")
            if error is not None:
                return error
    if isinstance(value, list):
        for index, item in enumerate(value):
            error = unsafe_input(item, f"{where}[{index}]")
            if error is not None:
                return error
    return None


def unsafe_request(variables: Any, operation_name: Any) -> GraphQLError | None:
    """The error for a request whose variables or operation name are unusable, or None."""
    error = unsafe_input(operation_name, "operationName")
    if isinstance(variables, dict):
        for name, value in variables.items():
            error = (
                error
                or unsafe_input(name, "A variable's name")
                or unsafe_input(value, f"Variable ${name}")
            )
    return error


class SafeStringLiterals(ValidationRule):
    """String literals of the document (where ``\\u0000`` decodes to a NUL) follow the same
    rule as variables."""

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        problem = text_problem(node.value)
        if problem is not None:
            self.report_error(bad_input(f"A string in the document {problem}.", node))
