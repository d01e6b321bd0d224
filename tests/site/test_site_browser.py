"""The reader site in a real browser: Debian's Chromium, driven by Playwright, against a
real uvicorn server on the test database. Screenshots go to a temporary folder and to
/tmp/site-screenshots/ for people to look at."""

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from live_server import live_server
from playwright.async_api import Browser, Page, expect

# A browser journey needs no particular database: CI runs it once, on SQLite.
pytestmark = pytest.mark.slow

SHARED_SCREENSHOTS = Path("/tmp/site-screenshots")
ARTICLE = "/pages/harvard-medical-school"
TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
FORM_MIN_SECONDS = 1.0

APPROVE = """
mutation Approve($id: ID!) {
  moderateComment(input: {id: $id, status: APPROVED}) { comment { status } errors { message } }
}
"""
PENDING_IN_QUEUE = """
query Queue { comments(status: PENDING, first: 10) { edges { node { id body } } } }
"""


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    """The app served by uvicorn; spam defences that would slow the tests are relaxed, the
    form token stays on (with a short minimum time) so the real form flow is exercised."""
    with live_server(
        database.url,
        comment_form_min_seconds=str(FORM_MIN_SECONDS),
        comment_rate_limits="",
        comment_duplicate_check="false",
        comment_previously_approved="false",
        # The suite empties the tables between tests behind the server's back: a page kept
        # in its response cache would name a page id that is gone.
        response_cache="false",
    ) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    SHARED_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return tmp_path_factory.mktemp("screenshots")


async def screenshot(page: Page, folder: Path, name: str, full_page: bool = True) -> None:
    path = folder / f"{name}.png"
    await page.screenshot(path=path, full_page=full_page)
    shutil.copy(path, SHARED_SCREENSHOTS / path.name)


async def open_page(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors  # type: ignore[attr-defined]
    await page.goto(url)
    return page


async def test_reader_sees_the_article_with_contents_and_numbered_programmes(
    server, browser, screenshot_dir, seeded_page
):
    page = await open_page(browser, server + ARTICLE, DESKTOP)

    await expect(page).to_have_title(f"{TITLE} · CMS Reader")
    await expect(page.locator("h1")).to_have_text(TITLE)
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.locator("h2#academic-programs")).to_have_text("Academic Programs")
    programmes = page.locator("#academic-programs ~ ol.subsections > li > h3")
    await expect(programmes).to_have_text(
        [
            "1. Medical Doctor (MD) Program",
            "2. Doctor of Philosophy (PhD) Programs",
            "3. Master\u2019s Programs",
        ]
    )
    toc = page.locator("nav.toc")
    await expect(toc.get_by_role("link", name="Future Directions")).to_have_attribute(
        "href", "#future-directions"
    )
    await expect(page.get_by_role("link", name="GraphQL API").first).to_have_attribute(
        "href", "/graphql"
    )
    await expect(
        page.get_by_text("No comments yet. Why don\u2019t you start the discussion?")
    ).to_be_visible()
    await screenshot(page, screenshot_dir, "article-desktop-1280")
    await screenshot(page, screenshot_dir, "article-top-desktop-1280", full_page=False)

    await toc.get_by_role("link", name="Master\u2019s Programs").click()
    await expect(page).to_have_url(server + ARTICLE + "#masters-programs")
    assert page.script_errors == []  # type: ignore[attr-defined]

    phone = await open_page(browser, server + ARTICLE, PHONE)
    overflow = await phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the page scrolls sideways on a phone"
    await screenshot(phone, screenshot_dir, "article-phone-375", full_page=False)
    await phone.locator("#respond").scroll_into_view_if_needed()
    await screenshot(phone, screenshot_dir, "comment-form-phone-375", full_page=False)


async def test_comment_errors_show_next_to_fields_then_pending_then_live_when_approved(
    server, browser, screenshot_dir, seeded_page, editor_token
):
    watcher = await open_page(browser, server + ARTICLE, DESKTOP)
    await expect(watcher.locator("html")).to_have_attribute("data-live-comments", "connected")
    author = await open_page(browser, server + ARTICLE, PHONE)
    await expect(author.locator("#comment-form")).to_have_attribute("data-enhanced", "true")
    await author.evaluate("window.notReloaded = true")

    await author.get_by_role("textbox", name="Comment", exact=True).fill(
        "A fine history of a fine school."
    )
    await author.get_by_role("textbox", name="Name", exact=True).fill("Ada Reader")
    await author.get_by_role("textbox", name="Email", exact=True).fill("ada-at-example.org")
    await asyncio.sleep(FORM_MIN_SECONDS)  # the form token's minimum age
    await author.get_by_role("button", name="Post Comment").click()

    email_error = author.locator("#authorEmail-error")
    await expect(email_error).to_be_visible()
    await expect(email_error).to_contain_text("Not a valid email address")
    await expect(author.get_by_role("textbox", name="Email", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )
    await expect(author.get_by_role("textbox", name="Name", exact=True)).not_to_have_attribute(
        "aria-invalid", "true"
    )
    await screenshot(author, screenshot_dir, "comment-error-phone-375", full_page=False)

    await author.get_by_role("textbox", name="Email", exact=True).fill("ada@example.org")
    await author.get_by_role("button", name="Post Comment").click()
    own = author.locator("#comment-list .comment--pending")
    await expect(own).to_contain_text("Your comment is awaiting moderation.")
    await expect(own).to_contain_text("A fine history of a fine school.")
    await expect(email_error).to_be_hidden()
    assert await author.evaluate("window.notReloaded") is True
    await screenshot(author, screenshot_dir, "comment-pending-phone-375", full_page=False)
    await expect(watcher.locator("#comment-list")).not_to_contain_text("A fine history")

    async with httpx.AsyncClient(base_url=server, timeout=10) as http:
        headers = {"Authorization": f"Bearer {editor_token}"}
        queue = await http.post("/graphql", json={"query": PENDING_IN_QUEUE}, headers=headers)
        [edge] = queue.json()["data"]["comments"]["edges"]
        approved = await http.post(
            "/graphql",
            json={"query": APPROVE, "variables": {"id": edge["node"]["id"]}},
            headers=headers,
        )
        assert approved.json()["data"]["moderateComment"]["comment"]["status"] == "APPROVED"

    await watcher.evaluate("window.notReloaded = true")
    live = watcher.locator("#comment-list > .comment").filter(has_text="A fine history")
    await expect(live).to_be_visible()
    await expect(live).to_contain_text("Ada Reader")
    await expect(live).not_to_contain_text("awaiting moderation")
    assert await watcher.evaluate("window.notReloaded") is True
    await expect(watcher.locator(".no-comments")).to_have_count(0)
    await expect(watcher.locator("#comment-count")).to_have_text("1 comment")
    await screenshot(watcher, screenshot_dir, "comment-live-desktop-1280")

    # A reply, also without a reload, waits in its place under the comment it answers.
    await live.get_by_role("link", name="Reply to Ada Reader").click()
    await expect(watcher.locator("#replying-to")).to_contain_text("to Ada Reader")
    await expect(watcher.get_by_role("textbox", name="Comment", exact=True)).to_be_focused()
    await watcher.get_by_role("textbox", name="Comment", exact=True).fill("Agreed, Ada.")
    await watcher.get_by_role("textbox", name="Name", exact=True).fill("Grace")
    await watcher.get_by_role("textbox", name="Email", exact=True).fill("grace@example.org")
    await asyncio.sleep(FORM_MIN_SECONDS)
    await watcher.get_by_role("button", name="Post Comment").click()
    reply = live.locator(".comment-list--children > .comment--pending")
    await expect(reply).to_contain_text("Agreed, Ada.")
    await expect(reply).to_contain_text("Your comment is awaiting moderation.")
    await expect(watcher.locator("#replying-to")).to_be_hidden()
    await screenshot(watcher, screenshot_dir, "comment-reply-pending-desktop-1280", full_page=False)
    assert watcher.script_errors == [] and author.script_errors == []  # type: ignore[attr-defined]


async def test_home_lists_the_article(server, browser, screenshot_dir, seeded_page):
    page = await open_page(browser, server + "/", PHONE)
    await page.get_by_role("link", name=TITLE, exact=True).click()
    await expect(page).to_have_url(server + ARTICLE)
    await page.go_back()
    await screenshot(page, screenshot_dir, "home-phone-375", full_page=False)

    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()


async def test_graphiql_runs_the_default_query_and_shows_the_article_title(
    server, browser, screenshot_dir, seeded_page
):
    page = await open_page(browser, server + "/graphql", DESKTOP)
    await expect(page.locator(".graphiql-query-editor")).to_contain_text("harvard-medical-school")
    await page.locator(".graphiql-execute-button").click()
    await expect(page.locator(".graphiql-response")).to_contain_text(TITLE, timeout=15_000)
    await screenshot(page, screenshot_dir, "graphiql-desktop-1280", full_page=False)
