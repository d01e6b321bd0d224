"""`cms export` / `cms import`: all content, revisions and comments go from SQLite to
PostgreSQL (and back) unchanged; API tokens never leave. Needs PostgreSQL even in the
SQLite run: it fails, never skips, when the server is unreachable."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from database_support import (
    SERVER_URL,
    create_postgres_database,
    drop_postgres_database,
    with_database,
)

REPO = Path(__file__).resolve().parents[2]
CMS = Path(sys.executable).with_name("cms")
POSTGRES_SERVER = SERVER_URL or "postgres://postgres@127.0.0.1:5432/postgres"

# Content beyond the seed: an edit and a republish (SAVE and PUBLISH revisions), a comment
# thread, a scheduled job and an API token (which must not be exported).
ADD_CONTENT = """
import asyncio
from datetime import timedelta
from tortoise.timezone import now
from cms.cli import _with_orm
from cms.config import Settings
from cms.models import Comment, CommentStatus, Page, Role, ScheduledAction, ScheduledJob
from cms.services import pages, publishing, sections
from cms.services.auth import Viewer, create_token
from seed.loader import seed

async def work():
    page = (await seed()).page
    editor = Viewer(token_id=0, name="alice", role=Role.EDITOR)
    await pages.update_page(editor, page.id, title="Harvard (edited)", message="Edit")
    await sections.create_section(editor, page.id, title="Postscript", body="Added later.")
    await publishing.publish("alice", page.id, message="Republish")
    top = await Comment.create(page=page, author_name="Ada", author_email="ada@example.org",
                               body="Great.", status=CommentStatus.APPROVED)
    await Comment.create(page=page, parent=top, author_name="Bob",
                         author_email="bob@example.org", body="Agreed.")
    await ScheduledJob.create(page=page, action=ScheduledAction.UNPUBLISH,
                              run_at=now() + timedelta(days=1), created_by="alice")
    await create_token("alice", Role.EDITOR)

asyncio.run(_with_orm(Settings(), work))
"""
NEW_PAGE = """
import asyncio
from cms.cli import _with_orm
from cms.config import Settings
from cms.models import Role
from cms.services import pages, sections
from cms.services.auth import Viewer

async def work():
    editor = Viewer(token_id=0, name="alice", role=Role.EDITOR)
    page = await pages.create_page(editor, slug="after-import", title="After import")
    await sections.create_section(editor, page.id, title="New", body="Works.")

asyncio.run(_with_orm(Settings(), work))
"""


def run(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env.update(CMS_DATABASE_URL=database_url, PYTHONPATH=str(REPO))
    result = subprocess.run(
        list(args), env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result


def cms(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run(database_url, str(CMS), *args)


@pytest.fixture
def sqlite_source(tmp_path: Path) -> str:
    url = f"sqlite://{tmp_path / 'source.sqlite3'}"
    cms(url, "migrate")
    run(url, sys.executable, "-c", ADD_CONTENT)
    return url


@pytest.fixture
async def postgres_target() -> str:
    name = f"cms_transfer_{uuid.uuid4().hex[:10]}"
    await create_postgres_database(POSTGRES_SERVER, name)
    url = with_database(POSTGRES_SERVER, name)
    cms(url, "migrate")
    yield url
    await drop_postgres_database(POSTGRES_SERVER, name)


def export(url: str) -> dict:
    return json.loads(cms(url, "export").stdout)


def test_an_export_has_content_revisions_and_comments_but_no_tokens(sqlite_source):
    data = export(sqlite_source)

    assert [len(data[kind]) for kind in ("pages", "revisions", "comments", "scheduledJobs")] == [
        1,
        4,
        2,
        1,
    ]
    assert len(data["sections"]) == 17
    text = json.dumps(data)
    assert "api_token" not in text and "token_hash" not in text


def test_sqlite_export_imports_into_postgresql_unchanged(sqlite_source, postgres_target, tmp_path):
    backup = tmp_path / "backup.json"
    cms(sqlite_source, "export", "--output", str(backup))

    imported = cms(postgres_target, "import", str(backup))

    assert "Imported 0 assets, 1 pages" in imported.stdout
    assert export(postgres_target) == json.loads(backup.read_text(encoding="utf-8"))


async def test_an_imported_database_is_searchable_and_takes_new_content(
    sqlite_source, postgres_target, tmp_path
):
    backup = tmp_path / "backup.json"
    cms(sqlite_source, "export", "--output", str(backup))
    cms(postgres_target, "import", str(backup))

    run(postgres_target, sys.executable, "-c", NEW_PAGE)

    connection = await asyncpg.connect(postgres_target)
    try:
        found = await connection.fetchval(
            "SELECT count(*) FROM search_index WHERE scope = 'live' "
            "AND document @@ plainto_tsquery('english', 'PhD')"
        )
    finally:
        await connection.close()
    assert found >= 1


def test_postgresql_export_imports_back_into_sqlite(sqlite_source, postgres_target, tmp_path):
    backup = tmp_path / "backup.json"
    cms(sqlite_source, "export", "--output", str(backup))
    cms(postgres_target, "import", str(backup))
    round_trip = tmp_path / "round-trip.json"
    cms(postgres_target, "export", "--output", str(round_trip))
    fresh = f"sqlite://{tmp_path / 'fresh.sqlite3'}"
    cms(fresh, "migrate")

    cms(fresh, "import", str(round_trip))

    assert export(fresh) == json.loads(backup.read_text(encoding="utf-8"))


def test_import_refuses_a_database_that_has_content(sqlite_source, tmp_path):
    backup = tmp_path / "backup.json"
    cms(sqlite_source, "export", "--output", str(backup))
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env.update(CMS_DATABASE_URL=sqlite_source, PYTHONPATH=str(REPO))

    result = subprocess.run(
        [str(CMS), "import", str(backup)], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "already has content" in result.stderr
