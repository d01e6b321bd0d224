"""The site's own pages for addresses that lead nowhere (404) and for failures (500): in
the site's look, with a way back, never cached as content; the API keeps its plain
answers."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from live_server import live_server
from site_support import text

CMS = Path(sys.executable).with_name("cms")


async def test_an_unknown_address_gets_the_sites_404_page(client):
    response = await client.get("/no/such/address")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = text(response.text)
    assert "Page not found" in page and "Search the site" in page
    assert '<meta name="robots" content="noindex">' in response.text


async def test_the_api_keeps_its_plain_404(client):
    response = await client.get("/graphql/no-such-thing")

    assert response.status_code == 404
    assert response.text == "Not Found"


@pytest.mark.slow
def test_a_failure_gets_the_sites_500_page(tmp_path: Path):
    """A database that lost a table: the API's internal error becomes the error page."""
    database = tmp_path / "broken.sqlite3"
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env |= {"CMS_DATABASE_URL": f"sqlite://{database}", "CMS_SECRET_KEY_FILE": str(tmp_path / "k")}
    for step in ("migrate", "seed"):
        subprocess.run([str(CMS), step], env=env, check=True, capture_output=True)

    with live_server(f"sqlite://{database}", secret_key_file=str(tmp_path / "k")) as base:
        assert httpx.get(base + "/").status_code == 200
        with sqlite3.connect(database) as connection:
            connection.execute('DROP TABLE "comment"')
        response = httpx.get(base + "/", headers={"Cache-Control": "no-cache"})

    assert response.status_code == 500
    assert "Something went wrong" in text(response.text)
    assert response.headers["cache-control"] == "no-store"
    assert "surrogate-key" not in response.headers
