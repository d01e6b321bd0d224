"""The `cms` commands' work and what they print (their own messages only: no library chatter
on stdout or stderr). Tests that load content get a fresh database each; the token and `serve`
tests share one migrated database and one server, because starting a server takes seconds.
Bad input is tested in test_cli_errors.py."""

import hashlib
import json
import re
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from cli_support import CMS, REPO, Cms, fresh_cms
from live_server import free_port, server_process

SERVER_START_TIMEOUT = 30
VIEWER_QUERY = "{ viewer { name role } }"


@dataclass
class Server:
    base_url: str
    output: Path

    def graphql(self, query: str, token: str) -> dict[str, Any]:
        response = httpx.post(
            f"{self.base_url}/graphql",
            json={"query": query},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        return response.json()


@pytest.fixture(scope="module")
async def served_cms(database, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Cms]:
    """`cms` on a migrated database that the module's server also uses."""
    async with fresh_cms(database, tmp_path_factory.mktemp("served")) as command:
        command.run("migrate")
        yield command


@pytest.fixture(scope="module")
def server(served_cms: Cms) -> Iterator[Server]:
    """`cms serve` on a free port, shared by the module's tests (starting one takes seconds)."""
    port = free_port()
    output = served_cms.workdir / "serve.log"
    with server_process(
        [str(CMS), "serve", "--port", str(port)],
        port=port,
        env=served_cms.env,
        cwd=served_cms.workdir,
        ready_path="/healthz",
        timeout=SERVER_START_TIMEOUT,
        output=output,
    ) as process:
        yield Server(process.base_url, output)


def created_token(result: subprocess.CompletedProcess[str]) -> str:
    """The token `cms token create` printed: the last line of its output."""
    return result.stdout.strip().splitlines()[-1]


async def test_migrate_creates_the_tables_and_can_run_again(cms):
    first = cms.run("migrate")
    second = cms.run("migrate")

    assert first.stdout == second.stdout == "Migrations applied.\n"
    assert await cms.rows("SELECT count(*) FROM page") == [(0,)]


async def test_commands_print_their_own_lines_and_nothing_else(cms, tmp_path):
    backup = tmp_path / "backup.json"
    results = {
        "migrate": cms.call("migrate"),
        "seed": cms.call("seed"),
        "token": cms.call("token", "create", "--name", "quiet"),
        "export": cms.call("export", "--output", str(backup)),
        "export to stdout": cms.call("export"),
    }

    assert {name: result.stderr for name, result in results.items()} == dict.fromkeys(results, "")
    assert results["migrate"].stdout == "Migrations applied.\n"
    assert re.fullmatch(
        r"Loaded page 'harvard-medical-school' \([^\n]+\)\.\n", results["seed"].stdout
    )
    announcement, token = results["token"].stdout.splitlines()
    assert announcement == "Created EDITOR token 'quiet'. It is shown only once:"
    assert token.startswith("cms_")
    assert results["export"].stdout == ""
    assert json.loads(results["export to stdout"].stdout) == json.loads(backup.read_text())


async def test_seed_loads_the_article_once_and_then_reports_it_present(migrated_cms):
    first = migrated_cms.run("seed")
    second = migrated_cms.run("seed")

    assert first.stdout.startswith("Loaded page 'harvard-medical-school'")
    assert second.stdout.startswith("Already present: page 'harvard-medical-school'")
    assert await migrated_cms.rows("SELECT slug, status FROM page") == [
        ("harvard-medical-school", "PUBLISHED")
    ]


async def test_seed_reset_replaces_the_page_with_a_fresh_copy(migrated_cms):
    migrated_cms.run("seed")
    [(old_id, sections)] = await migrated_cms.rows(
        "SELECT page.id, count(*) FROM page JOIN section ON section.page_id = page.id "
        "GROUP BY page.id"
    )

    result = migrated_cms.run("seed", "--reset")

    assert result.stdout.startswith("Loaded page 'harvard-medical-school'")
    [(new_id, new_sections)] = await migrated_cms.rows(
        "SELECT page.id, count(*) FROM page JOIN section ON section.page_id = page.id "
        "GROUP BY page.id"
    )
    assert new_id != old_id
    assert new_sections == sections


async def test_token_create_prints_the_token_once_and_stores_only_its_sha256(served_cms):
    result = served_cms.run("token", "create", "--name", "printed-once", "--role", "editor")

    token = created_token(result)
    assert result.stdout.count(token) == 1
    assert "shown only once" in result.stdout
    rows = await served_cms.rows("SELECT * FROM api_token WHERE name = 'printed-once'")
    assert len(rows) == 1
    assert hashlib.sha256(token.encode()).hexdigest() in rows[0]
    assert not any(token in str(value) for value in rows[0])


def test_a_created_token_authenticates_against_the_served_api(served_cms, server):
    token = created_token(served_cms.run("token", "create", "--name", "ada", "--role", "admin"))

    body = server.graphql(VIEWER_QUERY, token)

    assert body == {"data": {"viewer": {"name": "ada", "role": "ADMIN"}}}


def test_a_revoked_token_is_rejected_as_unauthenticated(served_cms, server):
    token = created_token(served_cms.run("token", "create", "--name", "leaver", "--role", "editor"))
    assert server.graphql(VIEWER_QUERY, token)["data"]["viewer"]["name"] == "leaver"

    revoked = served_cms.run("token", "revoke", "--name", "leaver")

    assert revoked.stdout == "Revoked 1 token(s) named 'leaver'.\n"
    body = server.graphql(VIEWER_QUERY, token)
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]


def test_serve_prints_the_site_and_graphiql_urls(server):
    printed = re.findall(r"https?://\S+", server.output.read_text())

    assert f"{server.base_url}/" in printed
    assert f"{server.base_url}/graphql" in printed


def test_schema_export_to_stdout_prints_the_committed_sdl(served_cms):
    result = served_cms.run("schema", "export", "--output", "-")

    assert result.stdout == (REPO / "schema" / "schema.graphql").read_text(encoding="utf-8")
