"""Rows selected with a hand-written WHERE clause, for the lookups every reader's request makes.

Tortoise's query builder costs three to four times the database round trip itself for small
lookups such as the live page by slug or revisions by id (about 0.3 ms against 0.1 ms on the
benchmark machine, see bench/RESULTS.md). These helpers run the statement as parametrised SQL
through Tortoise's own executor, so rows become the very model instances a QuerySet returns
(a joined row is split and decoded with ``Model._init_from_db``, which that executor uses;
the tests of the read path would catch a Tortoise release that changed it).
Write placeholders as ``?``; they become ``$1, $2, …`` on PostgreSQL.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)
R = TypeVar("R", bound=Model)
# Columns of the joined model are selected as ``joined__<column>``.
JOINED = "joined__"


def _for_dialect(sql: str, dialect: str) -> str:
    if dialect != "postgres":
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${number}" for number, part in enumerate(parts[:-1], 1)) + parts[-1]


async def select_where(model: type[M], where: str, values: Sequence[Any]) -> list[M]:
    """``SELECT * FROM <model's table> WHERE <where>`` as model instances."""
    return await select_rows(model, f"SELECT * FROM {model._meta.db_table} WHERE {where}", values)


async def select_rows(model: type[M], sql: str, values: Sequence[Any]) -> list[M]:
    """A statement selecting every column of ``model``'s table, as model instances."""
    db = model._meta.db
    sql = _for_dialect(sql, db.capabilities.dialect)
    return await db.executor_class(model=model, db=db).execute_select(sql, list(values))


async def select_with_joined(
    model: type[M], joined: type[R], foreign_key: str, where: str, values: Sequence[Any]
) -> list[tuple[M, R | None]]:
    """Rows of ``model`` with the ``joined`` row their ``foreign_key`` column points to (None
    when it is null), in one statement. Qualify columns in ``where`` with the table name."""
    db = model._meta.db
    table, other = model._meta.db_table, joined._meta.db_table
    columns = list(joined._meta.fields_db_projection.values())
    selected = ", ".join(f"{other}.{column} AS {JOINED}{column}" for column in columns)
    sql = (
        f"SELECT {table}.*, {selected} FROM {table} LEFT JOIN {other} "
        f"ON {other}.{joined._meta.db_pk_column} = {table}.{foreign_key} WHERE {where}"
    )
    rows = await db.execute_query_dict(_for_dialect(sql, db.capabilities.dialect), list(values))
    found: list[tuple[M, R | None]] = []
    for row in rows:
        joined_row = {column: row.pop(JOINED + column) for column in columns}
        related = None
        if joined_row[joined._meta.db_pk_column] is not None:
            related = joined._init_from_db(**joined_row)
        found.append((model._init_from_db(**row), related))
    return found


def in_list(count: int) -> str:
    """``(?, ?, …)`` for an IN clause of ``count`` values."""
    return "(" + ", ".join("?" * count) + ")"


async def select_dicts(model: type[Model], sql: str, values: Sequence[Any]) -> list[dict]:
    """Rows of a hand-written statement (aggregates) as dicts, on ``model``'s connection."""
    db = model._meta.db
    return await db.execute_query_dict(_for_dialect(sql, db.capabilities.dialect), list(values))
