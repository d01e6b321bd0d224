"""Shared fixtures: a real database (SQLite file or a throw-away PostgreSQL database) built
by the real migrations, the real ASGI app over httpx, and helpers to call the API."""

import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from loopback_guard import guarded_resolver
from tortoise import Tortoise
from tortoise.contrib.test import _topological_sort_models
from tortoise.migrations.api import migrate

from cms.app import create_app
from cms.config import Settings
from cms.db import tortoise_config
from cms.models import Role
from cms.services import search
from cms.services.auth import create_token
from seed.loader import seed

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


@pytest.fixture(scope="session", autouse=True)
def no_traffic_outside_loopback() -> Iterator[None]:
    """See tests/loopback_guard.py."""
    with guarded_resolver():
        yield


def secret_key_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Apps built without CMS_SECRET_KEY generate one (cms/secret_key.py); the suite's go to
    a temporary file, inherited by the servers it starts, never into the checkout."""
    path = tmp_path_factory.mktemp("secret") / "cms-secret-key"
    os.environ.setdefault("CMS_SECRET_KEY_FILE", str(path))


@pytest.fixture(scope="session", autouse=True)
def media_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploads of apps built without CMS_MEDIA_ROOT go to a temporary folder (inherited by
    the servers the suite starts), never into the checkout."""
    os.environ.setdefault("CMS_MEDIA_ROOT", str(tmp_path_factory.mktemp("media")))


@pytest.fixture(scope="session")
async def database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[TestDatabase]:
    """One database for the whole session, created by the project's migrations."""
    if IS_POSTGRES:
        name = f"cms_test_{uuid.uuid4().hex[:12]}"
        await create_postgres_database(SERVER_URL, name)
        test_db = TestDatabase(with_database(SERVER_URL, name), SERVER_URL)
    else:
        path = tmp_path_factory.mktemp("db") / "cms.sqlite3"
        test_db = TestDatabase(f"sqlite://{path}", None)
    config = tortoise_config(Settings(database_url=test_db.url))
    await migrate(config=config)
    await Tortoise.close_connections()
    await Tortoise.init(config=config, _enable_global_fallback=True)
    yield test_db
    await Tortoise.close_connections()
    await test_db.drop(test_db.url)


# The comment spam defences are on by default; the shared fixture turns off those that need
# a form token, spacing between submissions or distinct bodies, so tests of other features
# can comment freely. tests/test_comment_*.py turn each one back on to test it.
COMMENT_DEFENCES_OFF = {
    "comment_form_token_required": False,
    "comment_rate_limits": "",
    "comment_duplicate_check": False,
    "comment_previously_approved": False,
}


@pytest.fixture
def settings(database: TestDatabase) -> Settings:
    return Settings(database_url=database.url, **COMMENT_DEFENCES_OFF)


@pytest.fixture(autouse=True)
async def clean_tables(database: TestDatabase) -> AsyncIterator[None]:
    """Empty every model's table after each test. Row deletes, children first: on
    PostgreSQL a TRUNCATE of all tables costs ~20x more than deleting the few rows a test
    leaves behind."""
    yield
    for model in _topological_sort_models(list(Tortoise.apps.get_models_iterable())):
        await model._meta.db.execute_script(f'DELETE FROM "{model._meta.db_table}"')
    # The full-text index is not a model (see migration 0003): empty it too.
    await search.clear()


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The real app over HTTP (in-process ASGI transport), sharing the session's ORM."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        yield http


class GraphQLClient:
    """Posts GraphQL documents and returns the decoded response."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The response's data, asserting there were no errors."""
        body = await self(query, variables, token)
        assert "errors" not in body, body["errors"]
        return body["data"]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


@pytest.fixture
async def editor_token() -> str:
    return (await create_token("test editor", Role.EDITOR))[1]


@pytest.fixture
async def admin_token() -> str:
    return (await create_token("test admin", Role.ADMIN))[1]


@pytest.fixture
async def seeded_page() -> Any:
    return (await seed()).page


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


@pytest.fixture
def sql_counter() -> Iterator[SqlCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter, previous_level = SqlCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(previous_level)
