"""Helpers for the studio's media library tests: uploads sent as the studio's script sends
them (a GraphQL multipart request with the session cookie, the X-CSRF-Token and the
Apollo-Require-Preflight headers), and the library's grid read back from its HTML."""

import re
from typing import Any

import httpx
from media.media_support import make_image
from media.media_support import post_upload as send_upload

from studio.browser import StudioBrowser

NAMES = re.compile(r'<span class="asset-card__name">([^<]+)</span>')


async def post_upload(
    browser: StudioBrowser, data: bytes, name: str, *, csrf: str | None = None
) -> httpx.Response:
    """No token: the session cookie and its CSRF header, as js/uploads.js sends them."""
    token_free = {"X-CSRF-Token": browser.csrf if csrf is None else csrf}
    return await send_upload(browser.http, data, name, token=None, headers=token_free)


async def upload_image(browser: StudioBrowser, name: str, colour: int = 90) -> dict[str, Any]:
    """Upload a small PNG (a different one per ``colour``); the new asset."""
    response = await post_upload(browser, make_image(40, 30, colour=colour), name)
    payload = response.json()["data"]["uploadAsset"]
    assert payload["errors"] == [], payload
    return payload["asset"]


def grid_names(html: str) -> list[str]:
    return NAMES.findall(html)


def link(html: str, rel: str) -> str:
    match = re.search(rf'href="([^"]+)" rel="{rel}"', html)
    assert match, f"no {rel} link"
    return match.group(1).replace("&amp;", "&")
