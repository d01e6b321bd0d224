"""Rows selected with a hand-written WHERE clause, for the lookups every reader's request makes.

Tortoise's query builder costs three to four times the database round trip itself for small
lookups such as the live page by slug or revisions by id (about 0.3 ms against 0.1 ms on the
benchmark machine, see bench/RESULTS.md). These helpers run the statement as parametrised SQL
through Tortoise's own executor, so rows become the very model instances a QuerySet returns.
Write placeholders as ``?``; they become ``$1, $2, …`` on PostgreSQL.
"""

from collections.abc import Sequence
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


def _for_dialect(sql: str, dialect: str) -> str:
    if dialect != "postgres":
        return sql
    parts = sql.split("?")
    return "".join(f"{part}${number}" for number, part in enumerate(parts[:-1], 1)) + parts[-1]


async def select_where(model: type[M], where: str, values: Sequence[Any]) -> list[M]:
    """``SELECT * FROM <model's table> WHERE <where>`` as model instances."""
    db = model._meta.db
    sql = _for_dialect(
        f"SELECT * FROM {model._meta.db_table} WHERE {where}", db.capabilities.dialect
    )
    return await db.executor_class(model=model, db=db).execute_select(sql, list(values))


def in_list(count: int) -> str:
    """``(?, ?, …)`` for an IN clause of ``count`` values."""
    return "(" + ", ".join("?" * count) + ")"
