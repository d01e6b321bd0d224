"""The reader site in Debian's Chromium against a real uvicorn server: comments with and
without JavaScript in persisted-queries-only mode, preview links (valid, expired, forged),
search, and every kind of page at phone and desktop widths (screenshots in
/tmp/site-screenshots/)."""

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from browser_support import (
    DESKTOP,
    PHONE,
    new_page,
    no_sideways_scroll,
    screenshot,
)
from live_server import live_server
from playwright.async_api import expect
from site_support import ARTICLE, TITLE

from cms.models import Comment
from schema.relay import to_global_id

# A browser journey needs no particular database: CI runs it once, on SQLite.
pytestmark = pytest.mark.slow

FORM_MIN_SECONDS = 1.0
PENDING = "Your comment is awaiting moderation."
# Each server keeps pages in its response cache; the suite empties the tables between
# tests behind its back, so these servers do not cache (caching: test_site_caching.py).
SERVER_SETTINGS = {
    "comment_form_min_seconds": str(FORM_MIN_SECONDS),
    "comment_rate_limits": "",
    "comment_duplicate_check": "false",
    "comment_previously_approved": "false",
    "response_cache": "false",
}
CREATE_PAGE = "mutation($p: CreatePageInput!) { createPage(input: $p) { page { id } } }"
CREATE_SECTION = """
mutation($s: CreateSectionInput!) { createSection(input: $s) { errors { message } } }
"""
PREVIEW_LINK = """
mutation($id: ID!, $seconds: Int!) {
  createPreviewLink(input: {pageId: $id, expiresIn: $seconds}) { link { url } }
}"""
STYLE_GUIDE = """Some **bold**, some *italic* and `inline code`.

> A quotation long enough to wrap onto a second line on a phone screen.

```python
def greet(name: str) -> str:
    return f"Hello, {name}!"
```

| Programme | Years | Students |
| --- | ---: | ---: |
| MD | 4 | 720 |
| PhD | 5-7 | 1,100 |
"""


@pytest.fixture(scope="module")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("site-screenshots")


async def graphql(base: str, query: str, variables: dict, token: str) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def comment_gid(pk: int) -> str:
    return to_global_id("Comment", pk)


async def fill_comment(page, body: str, name: str) -> None:
    await page.get_by_role("textbox", name="Comment", exact=True).fill(body)
    await page.get_by_role("textbox", name="Name", exact=True).fill(name)
    await page.get_by_role("textbox", name="Email", exact=True).fill("reader@example.org")


async def test_comments_with_and_without_javascript_in_persisted_only_mode(
    database, browser, screenshot_dir, seeded_page
):
    with live_server(database.url, persisted_queries_only="true", **SERVER_SETTINGS) as base:
        context, page = await new_page(browser, DESKTOP)
        sent: list[dict] = []
        page.on(
            "request",
            lambda request: (
                sent.append(json.loads(request.post_data or "{}"))
                if request.url.endswith("/graphql") and request.method == "POST"
                else None
            ),
        )
        await page.goto(base + ARTICLE)
        await expect(page.locator("#comment-form")).to_have_attribute("data-enhanced", "true")
        await expect(page.locator("html")).to_have_attribute("data-live-comments", "connected")
        await fill_comment(page, "Posted by the script.", "Ada")
        await asyncio.sleep(FORM_MIN_SECONDS)
        await page.get_by_role("button", name="Post Comment").click()
        own = page.locator("#comment-list .comment--pending")
        await expect(own).to_contain_text("Posted by the script.")
        await expect(own).to_contain_text(PENDING)
        assert sent and all("query" not in body and "extensions" in body for body in sent)
        assert page.script_errors == []  # type: ignore[attr-defined]
        await context.close()

        context, page = await new_page(browser, PHONE, javascript=False)
        await page.goto(base + ARTICLE)
        await fill_comment(page, "Posted without a script.", "Grace")
        await page.get_by_role("button", name="Post Comment").click()
        await expect(page.locator("#form-errors")).to_contain_text("Almost there")
        await expect(page.get_by_role("textbox", name="Comment", exact=True)).to_have_value(
            "Posted without a script."
        )
        await asyncio.sleep(FORM_MIN_SECONDS)
        await page.get_by_role("button", name="Post Comment").click()
        comment = await Comment.get(body="Posted without a script.")
        gid = comment_gid(comment.id)
        await expect(page).to_have_url(
            f"{base}{ARTICLE}?{urlencode({'comment': gid})}#comment-{gid}"
        )
        mine = page.locator(".comment--pending").filter(has_text="Posted without a script.")
        await expect(mine).to_contain_text(PENDING)
        await screenshot(page, screenshot_dir, "comment-no-js-pending-375")

        await page.reload()
        await expect(mine).to_contain_text(PENDING)
        assert await Comment.filter(body=comment.body).count() == 1
        await context.close()


async def test_preview_links_valid_expired_and_forged(
    database, browser, screenshot_dir, seeded_page, editor_token
):
    with live_server(database.url, **SERVER_SETTINGS) as base:
        created = await graphql(
            base,
            CREATE_PAGE,
            {"p": {"slug": "style-guide", "title": "The style guide", "summary": "How we write."}},
            editor_token,
        )
        page_id = created["createPage"]["page"]["id"]
        section = {"pageId": page_id, "title": "Markdown", "body": STYLE_GUIDE}
        await graphql(base, CREATE_SECTION, {"s": section}, editor_token)
        link = await graphql(base, PREVIEW_LINK, {"id": page_id, "seconds": 3600}, editor_token)
        short = await graphql(base, PREVIEW_LINK, {"id": page_id, "seconds": 1}, editor_token)
        url = link["createPreviewLink"]["link"]["url"]

        for name, viewport in (("375", PHONE), ("1280", DESKTOP)):
            context, page = await new_page(browser, viewport)
            await page.goto(url)
            await expect(page.get_by_role("note", name="Preview")).to_contain_text(
                "Preview — not published."
            )
            await expect(page.locator("h1")).to_have_text("The style guide")
            await expect(page.locator("pre code.language-python")).to_contain_text("def greet")
            await expect(page.locator("table")).to_be_visible()
            await no_sideways_scroll(page)
            await screenshot(page, screenshot_dir, f"preview-{name}")
            await context.close()

        context, page = await new_page(browser, PHONE)
        expired = short["createPreviewLink"]["link"]["url"]
        deadline = time.monotonic() + 10
        while (await page.goto(expired)).status == 200:
            assert time.monotonic() < deadline, "the short preview link never expired"
        await expect(page.locator("h1")).to_have_text("This preview is not available")
        await expect(page.locator("body")).not_to_contain_text("How we write.")
        await screenshot(page, screenshot_dir, "preview-expired-375")
        forged = url[:-2] + ("AA" if not url.endswith("AA") else "BB")
        assert (await page.goto(forged)).status == 404
        await expect(page.locator("body")).not_to_contain_text("How we write.")
        await context.close()


async def test_every_page_at_phone_and_desktop_widths(
    database, browser, screenshot_dir, seeded_page
):
    pages = {
        "home": ("/", "Latest pages"),
        "article": (ARTICLE, TITLE),
        "search": ("/search?q=research", "Search"),
        "404": ("/pages/no-such-page", "Page not found"),
    }
    with live_server(database.url, **SERVER_SETTINGS) as base:
        for width, viewport in (("375", PHONE), ("1280", DESKTOP)):
            context, page = await new_page(browser, viewport)
            for name, (path, heading) in pages.items():
                await page.goto(base + path)
                await expect(page.locator("h1")).to_have_text(heading)
                await no_sideways_scroll(page)
                await screenshot(page, screenshot_dir, f"{name}-{width}")
            assert page.script_errors == []  # type: ignore[attr-defined]
            await context.close()

        context, page = await new_page(browser, PHONE)
        await page.goto(base + "/")
        await page.get_by_role("link", name="Search").first.click()
        await page.get_by_role("searchbox", name="Words to look for").fill("research")
        await page.get_by_role("button", name="Search").click()
        result = page.locator(".search-result").first
        await expect(result.locator("mark").first).to_have_text("research", ignore_case=True)
        await result.get_by_role("link").first.click()
        await expect(page).to_have_url(f"{base}{ARTICLE}#research-and-innovation")
        await context.close()
