"""The files in migrations/ build exactly the schema the models describe, on SQLite and on
PostgreSQL; changing a model without adding a migration fails here."""

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from cms.config import Settings
from cms.db import tortoise_config

REPO = Path(__file__).resolve().parents[2]
CMS = Path(sys.executable).with_name("cms")
MIGRATIONS_TABLE = "tortoise_migrations"
INDEX_NAME = re.compile(r"INDEX \S+ ON ")
# The full-text index is made by raw SQL in a migration, per database, not by a model.
SEARCH_INDEX = "search_index"

Schema = dict[str, Any]


def describe_sqlite(url: str) -> Schema:
    """Tables, columns, indexes and foreign keys of a SQLite database, without names that
    only label things (index names)."""
    with sqlite3.connect(url.removeprefix("sqlite://")) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != ?",
                (MIGRATIONS_TABLE,),
            )
        ]
        schema: Schema = {}
        for table in sorted(tables):
            columns = {
                name: {
                    "type": type_.upper(),
                    "not_null": bool(notnull),
                    "default": default,
                    "primary_key": bool(pk),
                }
                for _, name, type_, notnull, default, pk in db.execute(
                    f'PRAGMA table_info("{table}")'
                )
            }
            indexes = sorted(
                (
                    bool(unique),
                    bool(partial),
                    tuple(col for _, _, col in db.execute(f'PRAGMA index_info("{name}")')),
                )
                for _, name, unique, _origin, partial in db.execute(f'PRAGMA index_list("{table}")')
            )
            foreign_keys: dict[int, list[Any]] = {}
            for fk_id, _, target, source, to, on_update, on_delete, _ in db.execute(
                f'PRAGMA foreign_key_list("{table}")'
            ):
                foreign_keys.setdefault(fk_id, [target, [], [], on_update, on_delete])
                foreign_keys[fk_id][1].append(source)
                foreign_keys[fk_id][2].append(to)
            schema[table] = {
                "columns": columns,
                "indexes": indexes,
                "foreign_keys": sorted(
                    (target, tuple(sources), tuple(tos), on_update, on_delete)
                    for target, sources, tos, on_update, on_delete in foreign_keys.values()
                ),
            }
    return schema


async def describe_postgres(url: str) -> Schema:
    """Tables, columns, constraints and indexes of a PostgreSQL database's public schema,
    without constraint and index names."""
    connection = await asyncpg.connect(url.split("?", 1)[0])
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name, data_type, character_maximum_length, "
            "is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name != $1",
            MIGRATIONS_TABLE,
        )
        constraints = await connection.fetch(
            "SELECT conrelid::regclass::text AS table_name, contype, "
            "pg_get_constraintdef(oid) AS definition FROM pg_constraint "
            "WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text != $1",
            MIGRATIONS_TABLE,
        )
        indexes = await connection.fetch(
            "SELECT tablename, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename != $1",
            MIGRATIONS_TABLE,
        )
    finally:
        await connection.close()
    schema: Schema = {}
    for row in columns:
        table = schema.setdefault(
            row["table_name"], {"columns": {}, "constraints": [], "indexes": []}
        )
        table["columns"][row["column_name"]] = {
            "type": row["data_type"],
            "max_length": row["character_maximum_length"],
            "not_null": row["is_nullable"] == "NO",
            "default": row["column_default"],
        }
    for row in constraints:
        schema[row["table_name"]]["constraints"].append((row["contype"], row["definition"]))
    for row in indexes:
        schema[row["tablename"]]["indexes"].append(INDEX_NAME.sub("INDEX ON ", row["indexdef"]))
    for table in schema.values():
        table["constraints"].sort()
        table["indexes"].sort()
    return schema


async def describe_schema(url: str) -> Schema:
    if url.startswith("sqlite://"):
        return describe_sqlite(url)
    return await describe_postgres(url)


async def applied_migrations(url: str) -> list[tuple[str, str]]:
    query = f"SELECT app, name FROM {MIGRATIONS_TABLE} ORDER BY app, name"
    if url.startswith("sqlite://"):
        with sqlite3.connect(url.removeprefix("sqlite://")) as db:
            return [tuple(row) for row in db.execute(query)]
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(query)]
    finally:
        await connection.close()


@pytest.fixture
async def empty_database_url(database, tmp_path: Path) -> AsyncIterator[str]:
    """A new, empty database of the suite's kind (SQLite file or PostgreSQL database)."""
    url = await database.new_database_url(tmp_path)
    yield url
    await database.drop(url)


def run_cms(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    # Subprocesses run this checkout's code, like the pytest process does.
    env.update(CMS_DATABASE_URL=database_url, PYTHONPATH=str(REPO))
    return subprocess.run(
        [str(CMS), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


async def test_every_model_change_has_a_migration(settings):
    detector = MigrationAutodetector(Tortoise.apps, tortoise_config(settings)["apps"])

    missing = [writer.name for writer in await detector.changes()]

    assert missing == [], "Models differ from migrations/: run `cms makemigrations -n NAME`."


async def test_migrations_build_the_same_schema_as_the_models(database, empty_database_url):
    # A context of its own, so the suite's ORM set-up (the global fallback) is untouched.
    async with TortoiseContext() as models_only:
        await models_only.init(config=tortoise_config(Settings(database_url=empty_database_url)))
        await models_only.generate_schemas(safe=False)

    from_migrations = await describe_schema(database.url)
    from_models = await describe_schema(empty_database_url)

    from_migrations = {
        name: table for name, table in from_migrations.items() if not name.startswith(SEARCH_INDEX)
    }
    assert sorted(from_migrations) == sorted(from_models)
    for table in from_models:
        assert from_migrations[table] == from_models[table], table


async def test_migrate_twice_leaves_the_schema_and_its_history_unchanged(empty_database_url):
    first = run_cms(empty_database_url, "migrate")
    assert first.returncode == 0, first.stderr
    schema, history = (
        await describe_schema(empty_database_url),
        await applied_migrations(empty_database_url),
    )

    second = run_cms(empty_database_url, "migrate")

    assert second.returncode == 0, second.stderr
    assert await describe_schema(empty_database_url) == schema
    assert await applied_migrations(empty_database_url) == history
    migration_files = sorted(
        p.stem for p in (REPO / "migrations").glob("[0-9][0-9][0-9][0-9]_*.py")
    )
    assert history == [("cms", name) for name in migration_files]
