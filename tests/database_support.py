"""The suite's databases: a SQLite file by default, or throw-away PostgreSQL databases on
the server CMS_TEST_DATABASE_URL names; and a counter of the SQL statements a test sends."""

import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

SERVER_URL = os.environ.get("CMS_TEST_DATABASE_URL", "")
IS_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


async def create_postgres_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_postgres_database(server_url: str, name: str) -> None:
    connection = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@dataclass
class TestDatabase:
    """Where the suite's data lives and how to make more databases like it."""

    url: str
    server_url: str | None

    async def new_database_url(self, tmp_path: Path) -> str:
        """An empty database of the same kind, for tests that need their own."""
        if self.server_url is None:
            return f"sqlite://{tmp_path / 'extra.sqlite3'}"
        name = f"cms_test_{uuid.uuid4().hex[:12]}"
        await create_postgres_database(self.server_url, name)
        return with_database(self.server_url, name)

    async def drop(self, url: str) -> None:
        if self.server_url is not None:
            await drop_postgres_database(self.server_url, urlsplit(url).path.lstrip("/"))


class SqlCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each one at DEBUG)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        verb = message.lstrip().split(maxsplit=1)[0].upper()
        if verb in {"SELECT", "WITH", "INSERT", "UPDATE", "DELETE"}:
            self.statements.append(message)

    @property
    def count(self) -> int:
        return len(self.statements)
