"""Tortoise's SQLite backend, made safe for several processes on one database file
(``cms serve --workers N``, or the server next to ``cms publish-scheduled`` from cron).

Tortoise opens transactions with a plain ``BEGIN``: a transaction that has read and then
writes while another process has written meanwhile fails at once with "database is
locked" — SQLite does not wait in that case, whatever the busy timeout. ``BEGIN
IMMEDIATE`` takes the write lock up front, so a second writer waits (up to the busy
timeout) for the first to commit, then goes ahead. WAL (Tortoise's default) keeps readers
from waiting for writers.
"""

import sqlite3

from tortoise.backends.base.client import NestedTransactionContext, TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError

ENGINE = __name__
# How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_MS = 10_000


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise TransactionManagementError(error) from error

    def _in_transaction(self) -> TransactionContext:
        return NestedTransactionContext(ImmediateTransactionWrapper(self))


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
