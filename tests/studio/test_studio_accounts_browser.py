"""In Debian's Chromium: signing in and moderating from a phone, by keyboard only; the
strict CSP holds (no console errors) and htmx sends the CSRF header."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import PHONE
from comment_support import published_page, stored_comment
from live_server import live_server
from playwright.async_api import expect

from cms.models import Comment, CommentStatus, Role
from studio.browser import PASSWORD

pytestmark = pytest.mark.slow

SCREENSHOTS = Path("/tmp/studio-screenshots")


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    with live_server(database.url) as base_url:
        yield base_url


async def test_an_editor_signs_in_and_moderates_on_a_phone_by_keyboard(server, browser, make_user):
    await make_user("edna@example.com", "Edna Editor", Role.EDITOR)
    page_row = await published_page()
    comment = await stored_comment(page_row, body="Please approve me", status=CommentStatus.PENDING)
    context = await browser.new_context(viewport=PHONE)
    page = await context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    await page.goto(f"{server}/studio/comments")
    await expect(page).to_have_url(f"{server}/studio/sign-in?next=/studio/comments")
    await expect(page.locator("#email")).to_be_focused()  # autofocus: type at once
    await page.keyboard.type("edna@example.com")
    await page.keyboard.press("Tab")
    await page.keyboard.type(PASSWORD)
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{server}/studio/comments")
    await expect(page.get_by_role("link", name="Pending (1)")).to_be_visible()
    await expect(page.locator(".badge")).to_have_text("1")

    await page.get_by_role("checkbox").focus()
    await page.keyboard.press("Space")
    await page.get_by_role("button", name="Approve selected").focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("status")).to_have_text("1 comment approved.")
    assert (await Comment.get(id=comment.id)).status is CommentStatus.APPROVED
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    await page.screenshot(path=SCREENSHOTS / "comments-approved-375.png", full_page=True)

    token = await page.evaluate("window.Studio.csrfToken()")
    assert token and token == await page.locator('meta[name="csrf-token"]').get_attribute("content")
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{server}/studio/sign-in?notice=signed-out")
    assert console_errors == []
    await context.close()
