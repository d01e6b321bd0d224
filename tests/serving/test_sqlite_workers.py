"""`cms serve --workers 2` on SQLite: two processes write to one database file. Parallel
edits must all succeed (each waits its turn), never fail with "database is locked"."""

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import httpx
from live_server import free_port, server_process

REPO = Path(__file__).resolve().parents[2]
CMS = Path(sys.executable).with_name("cms")
PAGES = 4
EDITS_PER_PAGE = 15
CREATE_PAGE = """mutation ($slug: String!) {
  createPage(input: {slug: $slug, title: "Parallel"}) { page { id } errors { code } } }"""
ADD_SECTION = """mutation ($pageId: ID!, $title: String!) {
  createSection(input: {pageId: $pageId, title: $title, body: "Text."}) {
    section { id } errors { code } } }"""


def cms(env: dict[str, str], cwd: Path, *args: str) -> str:
    result = subprocess.run(
        [str(CMS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


async def test_parallel_edits_on_two_workers_sharing_a_sqlite_file_all_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update(
        CMS_DATABASE_URL=f"sqlite://{tmp_path / 'cms.sqlite3'}",
        CMS_SECRET_KEY="sqlite-workers-test-secret",
        CMS_LOG_LEVEL="warning",
        PYTHONPATH=str(REPO),
    )
    cms(env, tmp_path, "migrate")
    token = cms(env, tmp_path, "token", "create", "--name", "editor").splitlines()[-1]
    port = free_port()
    command = [str(CMS), "serve", "--workers", "2", "--port", str(port)]
    headers = {"Authorization": f"Bearer {token}"}

    with server_process(command, port=port, env=env, cwd=tmp_path, process_group=True) as server:
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as http:

            async def call(query: str, **variables: str) -> httpx.Response:
                return await http.post("/graphql", json={"query": query, "variables": variables})

            pages = [
                (await call(CREATE_PAGE, slug=f"page-{n}")).json()["data"]["createPage"]["page"]
                for n in range(PAGES)
            ]
            responses = await asyncio.gather(
                *(
                    call(ADD_SECTION, pageId=page["id"], title=f"Section {n}")
                    for page in pages
                    for n in range(EDITS_PER_PAGE)
                )
            )
        log = server.output()

    outcomes = Counter(
        "ok"
        if r.status_code == 200 and "errors" not in r.json()
        else f"{r.status_code} {r.text[:200]}"
        for r in responses
    )
    assert outcomes == {"ok": PAGES * EDITS_PER_PAGE}, log[-3000:]
