"""Every GraphQL example in the README is valid against the current schema, so a reader who
pastes one into GraphiQL never meets a renamed field or a missing argument."""

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from cms.config import Settings
from schema import build_schema

README = Path(__file__).resolve().parent.parent / "README.md"
GRAPHQL_BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)
EXAMPLES = GRAPHQL_BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_graphql_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"block{n}" for n in range(len(EXAMPLES))])
def test_readme_graphql_example_is_valid_against_the_schema(example):
    graphql_schema = build_schema(Settings())._schema
    errors = validate(graphql_schema, parse(example))
    assert not errors, [error.message for error in errors]
