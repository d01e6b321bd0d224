"""Shared fixtures: a real database (SQLite file or a throw-away PostgreSQL database) built
by the real migrations, the real ASGI app over httpx, and helpers to call the API."""

import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from browser_support import launch_chromium
from comment_support import COMMENT_DEFENCES_OFF
from database_support import (
    IS_POSTGRES,
    SERVER_URL,
    SqlCounter,
    TestDatabase,
    create_postgres_database,
    with_database,
)
from editorial_support import Editor
from graphql_support import GraphQLClient, app_client
from loopback_guard import guarded_resolver
from playwright.async_api import Browser
from tortoise import Tortoise
from tortoise.contrib.test import _topological_sort_models
from tortoise.migrations.api import migrate

from cms.config import Settings
from cms.db import tortoise_config
from cms.models import Role
from cms.services import search
from cms.services.auth import create_token
from seed.loader import seed


@pytest.fixture(scope="session", autouse=True)
def no_traffic_outside_loopback() -> Iterator[None]:
    """See tests/loopback_guard.py."""
    with guarded_resolver():
        yield


@pytest.fixture(scope="session", autouse=True)
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


TEST_EXECUTION_SECONDS = 60.0


@pytest.fixture
def settings(database: TestDatabase) -> Settings:
    # A generous execution budget: a loaded CI machine must not turn a slow answer into
    # EXECUTION_TIMEOUT (the budget's own tests set theirs).
    return Settings(
        database_url=database.url,
        max_execution_seconds=TEST_EXECUTION_SECONDS,
        **COMMENT_DEFENCES_OFF,
    )


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
    async with app_client(settings) as http:
        yield http


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


@pytest.fixture
async def editor_token() -> str:
    return (await create_token("test editor", Role.EDITOR))[1]


@pytest.fixture
def editor(gql: GraphQLClient, editor_token: str) -> Editor:
    """An editor driving the API with the suite's editor token."""
    return Editor(gql, editor_token)


@pytest.fixture
async def admin_token() -> str:
    return (await create_token("test admin", Role.ADMIN))[1]


@pytest.fixture
async def seeded_page() -> Any:
    return (await seed()).page


@pytest.fixture
def sql_counter() -> Iterator[SqlCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter, previous_level = SqlCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(previous_level)


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium (tests/browser_support.py), one per browser test module."""
    async with launch_chromium() as chromium:
        yield chromium
