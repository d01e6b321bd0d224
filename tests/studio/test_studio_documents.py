"""Every GraphQL document the studio runs is valid against the schema it runs on."""

from pathlib import Path

import pytest
from graphql import parse, validate

import cms.studio
from cms.config import Settings
from schema import build_schema

QUERIES = sorted((Path(cms.studio.__file__).parent / "queries").glob("*.graphql"))


@pytest.fixture(scope="module")
def graphql_schema():
    return build_schema(Settings())._schema


@pytest.mark.parametrize("path", QUERIES, ids=lambda path: path.stem)
def test_document_is_valid(graphql_schema, path: Path):
    assert validate(graphql_schema, parse(path.read_text(encoding="utf-8"))) == []
