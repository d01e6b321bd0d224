"""Persisted-queries-only mode and the site: its documents are allow-listed when the app
starts, so its script's hash-only requests run while anything else anonymous is refused;
the form without JavaScript works too (the server runs the documents itself)."""

import json
import re
from html import unescape

from site_support import ARTICLE, hidden_value, site_client

NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"


def page_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="site-config">(.*?)</script>', html)
    assert match
    return json.loads(unescape(match.group(1)))


async def by_hash(http, document: dict, variables: dict) -> dict:
    """What the page's script sends: the hash alone."""
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document["sha256Hash"]}}
    response = await http.post("/graphql", json={"variables": variables, "extensions": extensions})
    return response.json()


def codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_the_scripts_hashes_run_in_persisted_only_mode(settings, seeded_page):
    async with site_client(settings, lifespan=True, persisted_queries_only=True) as http:
        config = page_config((await http.get(ARTICLE)).text)
        documents = config["documents"]
        token = await by_hash(http, documents["comment_form_token"], {"pageId": config["pageId"]})
        comment = {
            "pageId": config["pageId"],
            "authorName": "Ada",
            "authorEmail": "ada@example.org",
            "body": "Sent by hash.",
        }
        added = await by_hash(http, documents["add_comment"], {"input": comment})
        text_sent = await http.post(
            "/graphql", json={"query": documents["comment_form_token"]["query"]}
        )

    assert token["data"]["commentFormToken"]
    assert added["data"]["addComment"]["comment"]["status"] == "PENDING"
    assert codes(text_sent.json()) == [NOT_ALLOWED]  # the mode is on


async def test_without_the_start_up_the_hashes_are_not_on_the_allow_list(settings, seeded_page):
    async with site_client(settings, persisted_queries_only=True) as http:
        config = page_config((await http.get(ARTICLE)).text)
        token = await by_hash(http, config["documents"]["comment_form_token"], {"pageId": "x"})

    assert codes(token) == [NOT_ALLOWED]


async def test_the_form_without_javascript_posts_in_persisted_only_mode(settings, seeded_page):
    async with site_client(settings, lifespan=True, persisted_queries_only=True) as http:
        html = (await http.get(ARTICLE)).text
        fields = {"authorName": "Ada", "authorEmail": "ada@example.org", "body": "No script."}
        form = {"pageId": hidden_value(html, "pageId"), **fields}

        response = await http.post(ARTICLE + "/comments", data=form)

    assert response.status_code == 303
