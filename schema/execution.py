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
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphql import (
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import Path, Undefined, UndefinedType
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField


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
            plain = plan.get(parent_type.name, {}).get(field_details_list[0].node.name.value)
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
                        return coerced
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )

    return PlainFieldExecutionContext
