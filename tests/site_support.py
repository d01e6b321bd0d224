"""Helpers for the reader site's tests: the seeded article's address, the comment form's
hidden fields, and a page's text as readers see it."""

import re
from html import unescape

import httpx

ARTICLE = "/pages/harvard-medical-school"


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, f"no hidden input {name}"
    return unescape(match.group(1))


def text(html: str) -> str:
    """The page's text, tags removed and whitespace folded, to assert on what readers see."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


async def comment_form(client: httpx.AsyncClient) -> dict[str, str]:
    html = (await client.get(ARTICLE)).text
    return {name: hidden_value(html, name) for name in ("pageId", "formToken")}
