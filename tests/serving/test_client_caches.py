"""A normalised client cache never mixes two states of one page.

Apollo Client keys every object by `__typename` and `id`. The working copy, the live page,
older revisions and a preview are different states of one page: each must come back under an
identity of its own (or none), or the cache overwrites one with another — seen before as an
editor's working-copy query rendering the live title. tests/clients/apollo/cache-check.mjs runs
the queries through a real Apollo InMemoryCache against a live server.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from live_server import live_server

APOLLO_DIR = Path(__file__).resolve().parents[1] / "clients" / "apollo"
NPM_CI_TIMEOUT_SECONDS = 180

EDIT_WORKING_COPY = """mutation EditTitle($id: ID!, $version: Int!) {
  updatePage(input: {id: $id, version: $version, title: "Working title"}) {
    page { version } errors { code } } }"""
PREVIEW_LINK = """mutation Link($id: ID!) {
  createPreviewLink(input: {pageId: $id, expiresIn: 600}) { link { token } errors { code } } }"""
LIVE_TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"


def npm_ci(directory: Path) -> None:
    assert shutil.which("node") and shutil.which("npm"), "Node.js and npm are needed"
    if not (directory / "node_modules").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=directory,
            check=True,
            capture_output=True,
            timeout=NPM_CI_TIMEOUT_SECONDS,
        )


@pytest.fixture(scope="module")
def apollo() -> Path:
    npm_ci(APOLLO_DIR)
    return APOLLO_DIR


@pytest.fixture
async def edited_page(gql, editor_token, seeded_page):
    """The seeded article, published, with an unpublished title change and a preview link."""
    page = await gql.data(
        'query { page(slug: "harvard-medical-school") { id version } }', token=editor_token
    )
    page_id = page["page"]["id"]
    edited = await gql.data(
        EDIT_WORKING_COPY, {"id": page_id, "version": page["page"]["version"]}, editor_token
    )
    assert edited["updatePage"]["errors"] == []
    link = await gql.data(PREVIEW_LINK, {"id": page_id}, editor_token)
    return page_id, link["createPreviewLink"]["link"]["token"]


@pytest.mark.slow
def test_apollo_cache_keeps_working_copy_live_revision_history_and_preview_apart(
    database, apollo, edited_page, editor_token
):
    page_id, preview_token = edited_page
    with live_server(database.url) as base_url:
        result = subprocess.run(
            [
                "node",
                "cache-check.mjs",
                base_url,
                "harvard-medical-school",
                editor_token,
                preview_token,
            ],
            cwd=apollo,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    editor, reader = seen["editor"], seen["reader"]

    # The editor's working copy stays the working copy after the live page and the
    # history went through the same cache.
    assert editor["working"]["page"]["title"] == "Working title"
    assert editor["workingFromCache"]["page"]["title"] == "Working title"
    assert editor["workingFromCache"] == editor["working"]
    live = editor["live"]["page"]["liveRevision"]
    assert live["title"] == LIVE_TITLE
    assert live["id"] != page_id
    history = [edge["node"] for edge in editor["history"]["page"]["revisions"]["edges"]]
    assert {revision["title"] for revision in history} == {"Working title", LIVE_TITLE}
    assert all(
        revision["page"] == {"__typename": "Page", "id": page_id, "title": "Working title"}
        for revision in history
    )

    assert editor["revision"]["revision"]["title"] == LIVE_TITLE
    assert editor["revision"]["revision"]["page"]["title"] == "Working title"

    # A reader holding a preview link sees the draft there, and the live page stays live.
    assert reader["preview"]["preview"]["title"] == "Working title"
    assert reader["preview"]["preview"]["pageId"] == page_id
    assert reader["page"]["page"]["title"] == LIVE_TITLE
    assert reader["pageFromCache"] == reader["page"]
