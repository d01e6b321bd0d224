"""An uploaded image on the reader site in a real browser (Debian's Chromium through
Playwright, a uvicorn server): the rendition the browser picks fits the viewport."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import pyvips
from browser_support import DESKTOP, PHONE
from live_server import live_server
from playwright.async_api import Browser

from media.media_support import UPLOAD, make_image, publish_page_with_images

pytestmark = pytest.mark.slow

# For people to look at, next to the reader site's (tests/test_site_browser.py).
SHARED_SCREENSHOTS = Path("/tmp/site-screenshots")


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    media = tmp_path_factory.mktemp("browser-media")
    with live_server(database.url, media_root=str(media)) as base_url:
        yield base_url


async def publish_page_with_photo(base_url: str, token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=30, headers=headers) as http:

        async def call(query: str, variables: dict) -> dict:
            body = await http.post("/graphql", json={"query": query, "variables": variables})
            assert "errors" not in body.json(), body.json()
            return body.json()["data"]

        files = {
            "operations": (None, json.dumps({"query": UPLOAD, "variables": {"file": None}})),
            "map": (None, json.dumps({"0": ["variables.file"]})),
            "0": ("harbour.jpg", make_image(2400, 1600, ".jpg"), "image/jpeg"),
        }
        uploaded = await http.post(
            "/graphql", files=files, headers={"Apollo-Require-Preflight": "true"}
        )
        asset_id = uploaded.json()["data"]["uploadAsset"]["asset"]["id"]
        body = f'Text.\n\n![](asset:{asset_id} "At dusk")'
        await publish_page_with_images(
            call, asset_id, slug="harbour", alt="A grey harbour", body=body
        )


async def chosen_renditions(browser: Browser, url: str, viewport: dict) -> dict:
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    await page.goto(url)
    figure = page.locator(".figure img")
    await figure.scroll_into_view_if_needed()
    await page.wait_for_function(
        "[...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
    SHARED_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=SHARED_SCREENSHOTS / f"images-{viewport['width']}.png")
    chosen = await page.evaluate(
        """() => [...document.images].map(img => ({
            src: img.currentSrc, natural: img.naturalWidth, alt: img.alt}))"""
    )
    await context.close()
    return {"cover": chosen[0], "figure": chosen[1]}


async def test_the_browser_gets_the_rendition_its_viewport_needs(server, browser, editor_token):
    await publish_page_with_photo(server, editor_token)

    phone = await chosen_renditions(browser, server + "/pages/harbour", PHONE)
    desktop = await chosen_renditions(browser, server + "/pages/harbour", DESKTOP)

    # 375 px wide: the 640 px rendition; 1280 px wide, a 42rem (672 px) column: 960 px.
    assert "/w640_" in phone["cover"]["src"]
    assert "/w960_" in desktop["cover"]["src"]
    assert phone["cover"]["alt"] == "A grey harbour"
    # Figures offer AVIF first: Chromium takes it.
    assert phone["figure"]["src"].endswith(".avif") and "/w640_" in phone["figure"]["src"]
    assert desktop["figure"]["src"].endswith(".avif") and "/w960_" in desktop["figure"]["src"]
    async with httpx.AsyncClient(timeout=30) as http:
        for chosen, width in ((phone, 640), (desktop, 960)):
            for image in chosen.values():
                assert image["natural"] > 0, image
                served = await http.get(image["src"], headers={"Accept": "image/avif,*/*"})
                assert served.headers["content-type"] == "image/avif"
                assert pyvips.Image.new_from_buffer(served.content, "").width == width
