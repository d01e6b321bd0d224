"""schema/schema.graphql is the schema the code builds, and the schema documents itself:
GraphiQL shows these descriptions, so every type, field, argument and input field has one."""

from functools import cache
from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    is_introspection_type,
    is_specified_scalar_type,
)

from cms.config import Settings
from schema import build_schema

SDL_PATH = Path(__file__).resolve().parents[2] / "schema" / "schema.graphql"


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def our_types() -> list[GraphQLNamedType]:
    """The schema's named types, without the built-in scalars and introspection types."""
    return [
        named_type
        for named_type in graphql_schema().type_map.values()
        if not is_introspection_type(named_type) and not is_specified_scalar_type(named_type)
    ]


def undocumented(description: str | None) -> bool:
    return not (description or "").strip()


def test_committed_sdl_is_the_schema_the_code_builds():
    expected = build_schema(Settings()).as_str() + "\n"

    assert SDL_PATH.read_text(encoding="utf-8") == expected, (
        "schema/schema.graphql is stale: run `make schema`."
    )


def test_every_type_has_a_description():
    missing = [
        named_type.name for named_type in our_types() if undocumented(named_type.description)
    ]

    assert not missing, f"Types without a description: {', '.join(missing)}"


def test_every_field_has_a_description():
    missing = [
        f"{named_type.name}.{name}"
        for named_type in our_types()
        if isinstance(named_type, GraphQLObjectType | GraphQLInterfaceType)
        for name, field in named_type.fields.items()
        if undocumented(field.description)
    ]

    assert not missing, f"Fields without a description: {', '.join(missing)}"


def test_every_argument_has_a_description():
    missing = [
        f"{named_type.name}.{field_name}({name})"
        for named_type in our_types()
        if isinstance(named_type, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in named_type.fields.items()
        for name, argument in field.args.items()
        if undocumented(argument.description)
    ]

    assert not missing, (
        f"Arguments without a description: {', '.join(missing)}. "
        "Describe them with Annotated[..., strawberry.argument(description=...)]."
    )


def test_every_input_field_has_a_description():
    missing = [
        f"{named_type.name}.{name}"
        for named_type in our_types()
        if isinstance(named_type, GraphQLInputObjectType)
        for name, field in named_type.fields.items()
        if undocumented(field.description)
    ]

    assert not missing, f"Input fields without a description: {', '.join(missing)}"


def test_the_schema_has_the_documented_kinds_of_types():
    # Guards the checks above against passing on an empty or unexpected walk.
    kinds = (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType, GraphQLEnumType)

    for kind in kinds:
        assert any(isinstance(named_type, kind) for named_type in our_types()), kind.__name__
