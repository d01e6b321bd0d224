"""Helpers for the reader site's tests: the seeded article's address, the app under chosen
settings, reading the HTML it renders (text, meta tags, the comment form's hidden fields),
calling its API."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape
from typing import Any

import httpx

from cms.app import create_app
from cms.config import Settings

ARTICLE = "/pages/harvard-medical-school"
TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
BASE_URL = "http://cms.test"


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


@asynccontextmanager
async def site_client(
    settings: Settings, *, lifespan: bool = False, **changes: object
) -> AsyncIterator[httpx.AsyncClient]:
    """The app, built with ``settings`` changed by keyword, over ASGI; with
    ``lifespan=True`` its start-up runs first (as under uvicorn)."""
    app = create_app(settings.model_copy(update=changes), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        if lifespan:
            async with app.router.lifespan_context(app):
                yield http
        else:
            yield http


async def comment_form(client: httpx.AsyncClient) -> dict[str, str]:
    html = (await client.get(ARTICLE)).text
    return {name: hidden_value(html, name) for name in ("pageId", "formToken")}
