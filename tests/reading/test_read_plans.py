"""Every statement the read path sends has the index it needs.

A database of tens of thousands of generated pages, sections, revisions and comments is
loaded by the project's import (the generator of ``make bench-scale``); the reads of that
benchmark and a few more are sent through the real app, every statement Tortoise logs is
captured with its values, and the database's own planner is asked how it would run each one
(PostgreSQL: ``EXPLAIN``, after ``ANALYZE``; SQLite: ``EXPLAIN QUERY PLAN``, as production
runs it, without statistics). A sequential scan of a content table fails the test, naming
the statement: a resolver that starts reading something unindexed breaks it.
"""

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from tortoise.connection import connections

from bench.scale import deep_cursors, reads
from bench.scale_data import DISCUSSION_SLUG, export_document
from cms.services.transfer import import_data
from seed.loader import seed

# Rows of each kind: enough for PostgreSQL's planner to prefer an index wherever one serves.
SIZE = 10_000
CONTENT_TABLES = {"page", "section", "revision", "comment", "search_index", "scheduled_job"}
# SQLite: "SCAN comment" reads the whole table. "SCAN page USING INDEX …" walks an index in
# order (a first page stops after its LIMIT), and a full-text MATCH is "SCAN search_index
# VIRTUAL TABLE INDEX …", the FTS5 index itself: neither is a table scan.
SQLITE_SCAN = re.compile(r"^SCAN (\w+)$")

# Reads beyond the benchmark's: editors' orders, a thread with its replies, the reader site.
MORE_READS = [
    ("""query($slug: String!) { page(slug: $slug) { commentCount comments(first: 20) {
       totalCount edges { node { id replies(first: 5) { totalCount edges { node { id } } } } } }
       } }""", {"slug": DISCUSSION_SLUG}, False),
    ("""query($slug: String!) { page(slug: $slug) { comments(first: 50, withReplies: true) {
       edges { node { id parentId } } } } }""", {"slug": DISCUSSION_SLUG}, False),
    ("""{ search(query: "research anatomy", first: 10) { totalCount edges { node { title
       snippet } } } }""", {}, False),
    ("""{ pages(first: 20, orderBy: {field: TITLE, direction: ASC}) { totalCount edges { node {
       title } } } }""", {}, True),
    ("""{ pages(first: 20, orderBy: {field: UPDATED_AT, direction: DESC}) { edges { node {
       title } } } }""", {}, True),
    ("""{ pages(first: 20, orderBy: {field: CREATED_AT, direction: ASC}) { edges { node {
       title } } } }""", {}, False),
    ("""query($slug: String!) { page(slug: $slug) { title revisions(first: 5) { edges { node {
       number } } } } }""", {"slug": DISCUSSION_SLUG}, True),
]  # fmt: skip


class StatementLog(logging.Handler):
    """The statements Tortoise sends, with their values (it logs each one at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, list[Any]]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not isinstance(record.args, tuple) or len(record.args) != 2:
            return
        sql, values = record.args
        if isinstance(sql, str) and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            self.statements.append((sql, list(values or [])))


@pytest.fixture
def statement_log() -> Iterator[StatementLog]:
    logger = logging.getLogger("tortoise.db_client")
    log, previous_level = StatementLog(), logger.level
    logger.addHandler(log)
    logger.setLevel(logging.DEBUG)
    yield log
    logger.removeHandler(log)
    logger.setLevel(previous_level)


async def sequential_scans(sql: str, values: list[Any]) -> list[str]:
    """The content tables the planner would read whole for this statement."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        rows = await connection.execute_query_dict(f"EXPLAIN QUERY PLAN {sql}", values)
        return [
            row["detail"]
            for row in rows
            if (scan := SQLITE_SCAN.match(row["detail"])) and scan.group(1) in CONTENT_TABLES
        ]
    rows = await connection.execute_query_dict(f"EXPLAIN (FORMAT JSON) {sql}", values)
    plan = rows[0]["QUERY PLAN"]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    return [
        f"Seq Scan on {node['Relation Name']}"
        for node, parent in plan_nodes(plan[0]["Plan"], None)
        if node["Node Type"] == "Seq Scan"
        and node.get("Relation Name") in CONTENT_TABLES
        and not stopped_early(node, parent)
    ]


def plan_nodes(
    node: dict[str, Any], parent: dict[str, Any] | None
) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    yield node, parent
    for child in node.get("Plans", []):
        yield from plan_nodes(child, node)


def stopped_early(scan: dict[str, Any], parent: dict[str, Any] | None) -> bool:
    """A scan right under a LIMIT that the planner expects to find more rows than it keeps
    (search's candidates for a word most rows contain): it stops after the LIMIT's rows,
    which is cheaper than the index; it reads the whole table only when few rows match, and
    then the planner picks the index."""
    return (
        parent is not None
        and parent["Node Type"] == "Limit"
        and scan["Plan Rows"] > parent["Plan Rows"]
    )


async def test_no_read_scans_a_content_table(gql, editor_token, statement_log):
    await import_data(export_document(SIZE))
    await seed()
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script("ANALYZE")
    documents = [
        (read.document, read.variables, read.editor) for read in reads(*await deep_cursors())
    ]
    statement_log.statements.clear()
    for document, variables, editor in documents + MORE_READS:
        await gql.data(document, variables, editor_token if editor else None)
    read_statements = [
        (sql, values) for sql, values in statement_log.statements if "api_token" not in sql
    ]
    assert len(read_statements) > 20, "the reads' statements were not captured"
    scans = []
    for sql, values in read_statements:
        for scan in await sequential_scans(sql, values):
            scans.append(f"{scan}\n    in: {sql}\n    values: {values}")
    assert not scans, "\n".join(scans)
