"""Helpers for the reader site's tests: reading the HTML it renders, calling its API."""

import re
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from html import unescape
from typing import Any

import httpx

ARTICLE = "/pages/harvard-medical-school"
TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
BASE_URL = "http://cms.test"

SiteClient = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]


def text(html: str) -> str:
    """The page's text, tags removed and whitespace folded, to assert on what readers see."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def meta(html: str, attribute: str, name: str) -> str:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, f"no <meta {attribute}={name}>"
    return unescape(match.group(1))


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no hidden input {name}"
    return unescape(match.group(1))


async def api(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, token: str = ""
) -> dict[str, Any]:
    """The data of a GraphQL operation sent to /graphql, asserting it had no errors."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]
