"""Faster execution of plain fields.

graphql-core resolves every field the same way: it builds a ``ResolveInfo``, calls the
resolver, checks whether the result is awaitable and completes the value — about 5 µs a
field, most of a content query's execution time. Most fields of such a query are plain
attributes of a scalar or enum type (Strawberry's "basic" fields: no resolver, no
arguments, no permission or field extension), whose result is just the attribute's value
coerced for output. This execution context answers those directly.

Every other field goes through graphql-core, and so does a plain field whose value is null
or cannot be coerced: graphql-core then raises the error it always raises, with its exact
message and path (reading an attribute twice has no side effect).

Anonymous operations run within an :class:`~schema.budget.ExecutionBudget` (time and
response size), charged here field by field; anonymous queries also gather the surrogate
keys of the objects they show (schema/surrogate_keys.py) into the context.
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeGuard

from graphql import (
    ExecutionResult,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationType,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined, UndefinedType
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from schema.budget import FIELD_OVERHEAD_BYTES, ExecutionBudget
from schema.context import Context
from schema.surrogate_keys import keys_of_null, keys_of_object


@dataclass(frozen=True, slots=True)
class PlainField:
    """A field answered by reading an attribute: ``read(source, python_name)``."""

    python_name: str
    read: Any
    output_type: GraphQLLeafType
    nullable: bool


def plain_fields(object_type: GraphQLObjectType) -> dict[str, PlainField]:
    """The fields of ``object_type`` that can skip the resolver machinery, by schema name."""
    found: dict[str, PlainField] = {}
    for name, field in object_type.fields.items():
        definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        output_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if (
            isinstance(definition, StrawberryField)
            and field.resolve is not None
            and is_default_resolver(field.resolve)
            and definition.is_basic_field
            and not field.args
            and is_leaf_type(output_type)
        ):
            found[name] = PlainField(
                definition.python_name,
                definition.default_resolver,
                output_type,
                nullable=output_type is field.type,
            )
    return found


def plain_field_execution(schema: GraphQLSchema) -> type[StrawberryGraphQLCoreExecutionContext]:
    """An execution context class for ``schema`` (pass it to Strawberry's schema)."""
    plan = {
        name: plain_fields(named_type)
        for name, named_type in schema.type_map.items()
        if isinstance(named_type, GraphQLObjectType) and not name.startswith("__")
    }

    class PlainFieldExecutionContext(StrawberryGraphQLCoreExecutionContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.budget = execution_budget(self.context_value, self.operation.operation)
            self.shown = (
                self.context_value.shown
                if is_anonymous(self.context_value)
                and self.operation.operation is OperationType.QUERY
                else None
            )

        @cached_property
        def has_middleware(self) -> bool:
            """Field middleware (extensions with a ``resolve`` hook) must see every field."""
            manager = self.middleware_manager
            return manager is not None and bool(manager.middlewares)

        def execute_field(
            self,
            parent_type: GraphQLObjectType,
            source: Any,
            field_details_list: FieldDetailsList,
            path: Path,
            position_context: Any,
        ) -> Any | UndefinedType:
            node = field_details_list[0].node
            budget = self.budget
            key = node.alias or node.name
            if budget is not None and not budget.charge(len(key.value) + FIELD_OVERHEAD_BYTES):
                return None  # the whole result is replaced by the budget's error
            plain = plan.get(parent_type.name, {}).get(node.name.value)
            if plain is not None and not self.has_middleware:
                value = plain.read(source, plain.python_name)
                if value is None and plain.nullable:
                    return None
                if value is not None:
                    try:
                        coerced = plain.output_type.coerce_output_value(value)
                    except Exception:  # graphql-core reports it below
                        coerced = Undefined
                    if coerced is not Undefined and coerced is not None:
                        if budget is not None:
                            budget.charge_value(coerced)
                        return coerced
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )

        def complete_value(
            self,
            return_type: GraphQLOutputType,
            field_details_list: FieldDetailsList,
            info: GraphQLResolveInfo,
            path: Path,
            result: Any,
            position_context: Any,
        ) -> Any:
            if result is None and self.shown is not None:
                self.shown.update(keys_of_null(get_named_type(return_type).name))
            return super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )

        def complete_object_value(
            self,
            return_type: GraphQLObjectType,
            field_details_list: FieldDetailsList,
            info: GraphQLResolveInfo,
            path: Path,
            result: Any,
            position_context: Any,
        ) -> Any:
            if self.shown is not None:
                self.shown.update(keys_of_object(return_type.name, result))
            return super().complete_object_value(
                return_type, field_details_list, info, path, result, position_context
            )

        def complete_leaf_value(self, return_type: GraphQLLeafType, result: Any) -> Any:
            completed = super().complete_leaf_value(return_type, result)
            if self.budget is not None:
                self.budget.charge_value(completed)
            return completed

        def build_per_event_executor(self, payload: Any) -> Any:
            """Each subscription event resolves with its own loaders (schema/context.py)."""
            executor = super().build_per_event_executor(payload)
            if isinstance(self.context_value, Context):
                executor.context_value = self.context_value.for_operation()
            return executor

        def build_response(self, data: dict[str, Any] | None) -> Any:
            if self.budget is not None and self.budget.error is not None:
                self.run_async_work_finished_hook()
                return ExecutionResult(None, [self.budget.error])
            return super().build_response(data)

    return PlainFieldExecutionContext


def execution_budget(context: Any, operation: OperationType) -> ExecutionBudget | None:
    """The budget of an anonymous query or mutation; editors and subscriptions have none."""
    if not is_anonymous(context) or operation is OperationType.SUBSCRIPTION:
        return None
    settings = context.settings
    return ExecutionBudget(settings.max_execution_seconds, settings.max_response_bytes)


def is_anonymous(context: Any) -> TypeGuard[Context]:
    """Whether an operation's context is a reader's (no token): its work is bounded."""
    return isinstance(context, Context) and context.viewer is None
