"""Automatic persisted queries (Apollo's protocol) over POST and GET, shared through the
database, the allow-list mode, and `cms persisted import`."""

import hashlib
import json
import os
import subprocess
import sys

import httpx
from graphql_support import app_client

from cms.config import Settings
from cms.models.persisted_query import PersistedQuery

QUERY = "query Titles { pages(first: 5) { edges { node { title } } } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def persisted(sha256: str = HASH) -> dict:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256}}


def error_code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def test_an_unknown_hash_gets_persisted_query_not_found(client):
    response = await client.post("/graphql", json={"extensions": persisted()})
    assert response.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert error_code(response) == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_document_sent_with_its_hash_is_registered_then_runs_by_hash(client, seeded_page):
    registered = await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    assert "errors" not in registered.json()
    by_hash = await client.post("/graphql", json={"extensions": persisted()})
    assert by_hash.json() == registered.json()


async def test_a_registered_hash_runs_over_get(client, seeded_page):
    await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    response = await client.get(
        "/graphql", params={"extensions": json.dumps(persisted()), "operationName": "Titles"}
    )
    assert response.status_code == 200
    assert response.json()["data"]["pages"]["edges"][0]["node"]["title"] == seeded_page.title
    assert response.headers["etag"]


async def test_a_hash_that_does_not_match_the_document_is_refused(client):
    response = await client.post(
        "/graphql", json={"query": QUERY, "extensions": persisted("0" * 64)}
    )
    assert error_code(response) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert await PersistedQuery.all().count() == 0


async def test_registrations_are_shared_through_the_database(settings, client):
    await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    async with app_client(settings) as another_process:
        response = await another_process.post("/graphql", json={"extensions": persisted()})
    assert "errors" not in response.json()


async def test_a_not_found_answer_is_not_cacheable(client):
    response = await client.get("/graphql", params={"extensions": json.dumps(persisted())})
    assert response.headers["cache-control"] == "no-store"


async def test_allow_list_mode_refuses_a_document_sent_in_full(database):
    settings = Settings(database_url=database.url, persisted_queries_only=True)
    async with app_client(settings) as client:
        response = await client.post("/graphql", json={"query": QUERY})
    assert error_code(response) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_allow_list_mode_refuses_registering_new_documents(database):
    settings = Settings(database_url=database.url, persisted_queries_only=True)
    async with app_client(settings) as client:
        response = await client.post("/graphql", json={"query": QUERY, "extensions": persisted()})
    assert error_code(response) == "PERSISTED_QUERY_NOT_ALLOWED"
    assert await PersistedQuery.all().count() == 0


async def test_allow_list_mode_runs_an_allow_listed_hash(database, seeded_page):
    await PersistedQuery.create(sha256=HASH, document=QUERY, allow_listed=True)
    settings = Settings(database_url=database.url, persisted_queries_only=True)
    async with app_client(settings) as client:
        response = await client.post("/graphql", json={"extensions": persisted()})
    assert response.json()["data"]["pages"]["edges"][0]["node"]["title"] == seeded_page.title


async def test_allow_list_mode_refuses_a_hash_registered_but_not_allow_listed(database):
    await PersistedQuery.create(sha256=HASH, document=QUERY, allow_listed=False)
    settings = Settings(database_url=database.url, persisted_queries_only=True)
    async with app_client(settings) as client:
        response = await client.post("/graphql", json={"extensions": persisted()})
    assert error_code(response) == "PERSISTED_QUERY_NOT_ALLOWED"


async def test_allow_list_mode_lets_token_holders_send_any_document(database, editor_token):
    settings = Settings(database_url=database.url, persisted_queries_only=True)
    async with app_client(settings) as client:
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { name } }"},
            headers={"Authorization": f"Bearer {editor_token}"},
        )
    assert response.json()["data"]["viewer"]["name"] == "test editor"


def run_import(database_url: str, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from cms.cli import main; main()",
            "persisted",
            "import",
            str(path),
        ],
        env={**os.environ, "CMS_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_import_reads_a_map_of_hashes_to_documents(database, tmp_path):
    path = tmp_path / "queries.json"
    path.write_text(json.dumps({HASH: QUERY}))
    result = run_import(database.url, path)
    assert result.returncode == 0, result.stderr
    stored = await PersistedQuery.get(sha256=HASH)
    assert (stored.document, stored.allow_listed) == (QUERY, True)


async def test_import_reads_an_apollo_persisted_query_manifest(database, tmp_path):
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": HASH, "name": "Titles", "type": "query", "body": QUERY}],
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    assert run_import(database.url, path).returncode == 0
    assert (await PersistedQuery.get(sha256=HASH)).allow_listed


async def test_import_refuses_a_file_whose_hash_does_not_match(database, tmp_path):
    path = tmp_path / "queries.json"
    path.write_text(json.dumps({"0" * 64: QUERY}))
    result = run_import(database.url, path)
    assert result.returncode != 0
    assert "not the sha256" in result.stderr
    assert await PersistedQuery.all().count() == 0
