"""Plain fields skip graphql-core's resolver machinery (schema/execution.py): the answers,
errors included, are the same as graphql-core's own, and the shortcut is really taken."""

from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from graphql.pyutils import Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from cms.config import Settings
from cms.events import create_event_bus
from schema import build_schema
from schema.context import Context
from schema.execution import plain_field_execution, plain_fields


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Item:
    name: str
    nickname: str | None
    count: int
    colour: Colour
    seen_at: datetime
    # Declared non-null but holding None, and an Int holding a str: graphql-core's errors.
    broken_name: str
    broken_count: int
    children: list["Item"]

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()


def item(name: str, children: list[Item] | None = None) -> Item:
    return Item(
        name=name,
        nickname=None,
        count=3,
        colour=Colour.BLUE,
        seen_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
        broken_name=None,  # type: ignore[arg-type]
        broken_count="many",  # type: ignore[arg-type]
        children=children or [],
    )


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [item("a", [item("a1"), item("a2")]), item("b")]

    @strawberry.field
    async def later(self) -> Item:
        return item("later")


DOCUMENTS = [
    "{ items { name nickname count colour seenAt shout children { name colour } } }",
    "{ items { alias: name, again: name, __typename ...F children { ...F } } } "
    "fragment F on Item { count nickname }",
    "{ items { name brokenName } }",
    "{ items { name brokenCount } }",
    "{ later { name count children { name } } items { name } }",
    "{ items { name @skip(if: true) count @include(if: false) colour } }",
]


def toy_schema(execution_context_class: Any) -> strawberry.Schema:
    toy = strawberry.Schema(query=Query)
    toy.execution_context_class = execution_context_class
    return toy


@pytest.mark.parametrize("document", DOCUMENTS)
async def test_plain_fields_answer_exactly_as_graphql_core(document: str) -> None:
    expected = await toy_schema(StrawberryGraphQLCoreExecutionContext).execute(document)
    plain = toy_schema(None)
    plain.execution_context_class = plain_field_execution(plain._schema)
    answer = await plain.execute(document)

    assert answer.data == expected.data
    assert [(e.message, e.path) for e in answer.errors or []] == [
        (e.message, e.path) for e in expected.errors or []
    ]


def test_only_plain_scalar_and_enum_fields_take_the_shortcut() -> None:
    toy = strawberry.Schema(query=Query)
    item_type = toy._schema.type_map["Item"]
    assert isinstance(item_type, GraphQLObjectType)

    shortcut = plain_fields(item_type)

    assert set(shortcut) == {
        "name",
        "nickname",
        "count",
        "colour",
        "seenAt",
        "brokenName",
        "brokenCount",
    }
    assert shortcut["seenAt"].python_name == "seen_at"
    assert shortcut["nickname"].nullable and not shortcut["name"].nullable


async def test_the_seeded_page_reads_its_sections_fields_without_resolve_infos(
    seeded_page: Any, settings: Settings
) -> None:
    cms_schema = build_schema(settings)
    resolved: list[tuple[str, str]] = []

    class Recording(cms_schema.execution_context_class):  # type: ignore[name-defined, misc]
        def build_resolve_info(
            self, field_def: Any, field_nodes: Any, parent_type: Any, path: Path
        ) -> Any:
            resolved.append((parent_type.name, field_nodes[0].name.value))
            return super().build_resolve_info(field_def, field_nodes, parent_type, path)

    cms_schema.execution_context_class = Recording
    result = await cms_schema.execute(
        """query($slug: String!) { page(slug: $slug) { id title
             sections { id title anchor bodyHtml children { id title bodyHtml } } } }""",
        variable_values={"slug": seeded_page.slug},
        context_value=Context(settings=settings, viewer=None, events=create_event_bus(None)),
    )

    assert result.errors is None
    assert len(result.data["page"]["sections"]) == 13
    assert ("Page", "sections") in resolved and ("Section", "children") in resolved
    assert not {("Section", "title"), ("Section", "bodyHtml"), ("Page", "title")} & set(resolved)
