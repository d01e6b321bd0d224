"""Debian's Chromium driven by Playwright, for every browser test (site, studio, media); the
screenshots are copied to /tmp/site-screenshots/ for people to look at."""

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHARED_SCREENSHOTS = Path("/tmp/site-screenshots")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@asynccontextmanager
async def launch_chromium() -> AsyncIterator[Browser]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def new_page(
    browser: Browser, viewport: dict[str, int], *, javascript: bool = True
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors  # type: ignore[attr-defined]
    return context, page


async def screenshot(page: Page, folder: Path, name: str) -> None:
    """The first screen and the whole page, as ``name``.png and ``name``-full.png."""
    SHARED_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for suffix, full_page in (("", False), ("-full", True)):
        path = folder / f"{name}{suffix}.png"
        await page.screenshot(path=path, full_page=full_page)
        shutil.copy(path, SHARED_SCREENSHOTS / path.name)


async def no_sideways_scroll(page: Page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways at {page.viewport_size}"
