"""docker-compose.yml, checked without Docker: its app service's environment and command are
run as they are (only the database host, database name and port changed) against the local
PostgreSQL server. This needs PostgreSQL even when the rest of the suite runs on SQLite."""

import os
import re
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
import yaml
from live_server import ServerProcess, free_port, server_process

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
APP, DB = COMPOSE["services"]["app"], COMPOSE["services"]["db"]
# What docker compose substitutes for ${NAME:?message} (required variables).
REQUIRED_VARIABLE = re.compile(r"\$\{(\w+):\?([^}]*)\}")
# Stands for the operator's .env in these tests.
TEST_SECRET_KEY = "compose-test-secret-key-0123456789"
LOCAL_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT = 60
PAGE_QUERY = '{ page(slug: "harvard-medical-school") { title status sections { title } } }'


def server_url() -> str:
    """The local PostgreSQL server, as the suite's PostgreSQL run names it."""
    url = os.environ.get("CMS_TEST_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.replace("postgres://", "postgresql://", 1)
    return LOCAL_SERVER_URL


async def connect_as_admin() -> asyncpg.Connection:
    url = server_url()
    try:
        return await asyncpg.connect(url, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        pytest.fail(f"This test needs PostgreSQL at {url} (CI starts it): {error!r}")


@asynccontextmanager
async def compose_database() -> AsyncIterator[str]:
    """The URL of the app's CMS_DATABASE_URL with host `db` made 127.0.0.1 and a database of
    its own, owned by the URL's role (created when missing), dropped afterwards."""
    compose_url = urlsplit(APP["environment"]["CMS_DATABASE_URL"])
    user, password = compose_url.username, compose_url.password
    name = f"cms_compose_{uuid.uuid4().hex[:12]}"
    admin = await connect_as_admin()
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", user):
            # Another test run may create it at the same moment.
            with suppress(asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
                await admin.execute(f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'")
        await admin.execute(f'CREATE DATABASE "{name}" OWNER "{user}"')
    finally:
        await admin.close()
    netloc = f"{user}:{password}@127.0.0.1:{compose_url.port}"
    try:
        yield urlunsplit((compose_url.scheme, netloc, f"/{name}", "", ""))
    finally:
        admin = await connect_as_admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@contextmanager
def app_service(database_url: str, workdir: Path) -> Iterator[ServerProcess]:
    """The app service's command with its environment, running until /healthz answers."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    dot_env = {"CMS_SECRET_KEY": TEST_SECRET_KEY}
    env.update(
        {
            key: REQUIRED_VARIABLE.sub(lambda match: dot_env[match.group(1)], str(value))
            for key, value in APP["environment"].items()
        }
    )
    # Only the database host and name and the port change; the code is this checkout's.
    env.update(
        CMS_DATABASE_URL=database_url,
        CMS_PORT=str(port),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        PYTHONPATH=str(REPO),
    )
    with server_process(
        APP["command"],
        port=port,
        env=env,
        cwd=workdir,
        ready_path="/healthz",
        timeout=START_TIMEOUT,
        output=workdir / "app.log",
        process_group=True,  # stop the shell and everything it started
    ) as app:
        yield app


@pytest.fixture(scope="module")
async def running_app(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[ServerProcess]:
    """One app service for the module's read-only tests (starting one takes seconds)."""
    async with compose_database() as database_url:
        with app_service(database_url, tmp_path_factory.mktemp("compose")) as app:
            yield app


def graphql(app: ServerProcess, query: str) -> dict[str, Any]:
    return httpx.post(f"{app.base_url}/graphql", json={"query": query}, timeout=10).json()


def test_database_is_postgres_15_with_a_healthcheck():
    assert DB["image"] == "postgres:15"
    assert DB["healthcheck"]["test"][0] == "CMD"
    assert "pg_isready" in DB["healthcheck"]["test"]


def test_app_starts_once_the_database_is_healthy():
    assert APP["depends_on"]["db"]["condition"] == "service_healthy"


def test_app_connects_with_the_role_and_database_the_db_service_creates():
    url = urlsplit(APP["environment"]["CMS_DATABASE_URL"])

    assert url.scheme in ("postgres", "postgresql")
    assert (url.hostname, url.port) == ("db", 5432)
    assert (url.username, url.password, url.path) == (
        DB["environment"]["POSTGRES_USER"],
        DB["environment"]["POSTGRES_PASSWORD"],
        f"/{DB['environment']['POSTGRES_DB']}",
    )


def test_app_command_migrates_seeds_and_serves_the_article(running_app):
    body = graphql(running_app, PAGE_QUERY)

    page = body["data"]["page"]
    assert page["title"] == "Harvard Medical School: Pioneering Excellence in Medical Education"
    assert page["status"] == "PUBLISHED"
    assert [section["title"] for section in page["sections"]][:2] == [None, "Academic Programs"]


def test_app_healthcheck_passes_while_the_app_serves(running_app):
    kind, program, *arguments = APP["healthcheck"]["test"]
    assert (kind, program) == ("CMD", "python")
    port = f":{running_app.port}/"
    command = [sys.executable, *(part.replace(":8000/", port) for part in arguments)]

    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)

    assert result.returncode == 0, result.stderr


def test_server_replaces_the_shell_so_it_receives_the_stop_signal():
    shell, flag, script = APP["command"]

    assert (shell, flag) == ("sh", "-c")
    assert script.rsplit("&&", 1)[-1].split() == ["exec", "cms", "serve"]


def test_app_runs_in_production_and_requires_a_secret_key_from_the_environment():
    required = REQUIRED_VARIABLE.fullmatch(APP["environment"]["CMS_SECRET_KEY"])

    assert APP["environment"]["CMS_ENV"] == "production"
    assert required is not None and required.group(1) == "CMS_SECRET_KEY"
    assert ".env" in required.group(2)


def test_the_image_runs_in_production():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")

    assert re.search(r"^ENV CMS_ENV=production\b", dockerfile, re.MULTILINE)
