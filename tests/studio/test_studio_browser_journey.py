"""THE editor journey in a real browser (Debian's Chromium via Playwright, a real server):
the first admin made with the CLI signs in, writes a page with nested sections, reorders
them by drag and by keyboard, watches the preview follow, publishes, meets a conflict from
a second browser and resolves it, compares and restores a revision, schedules, moderates
comments in bulk and signs out. Every studio page is screenshotted at 1280 and 375 px
(/tmp/studio-screenshots/) and checked with axe-core: no serious or critical violation."""

import re
from collections.abc import Iterator

import httpx
import pytest
from live_server import live_server
from playwright.async_api import Page, expect

from studio.journey_support import (
    Inspector,
    cms_command,
    install_axe,
    new_session,
    sign_in,
)

pytestmark = pytest.mark.slow

ADMIN = ("ada@example.com", "Ada Admin", "a long admin password 1")
EDITOR = ("edna@example.com", "Edna Editor", "a long editor password 2")
ADD_COMMENT = """
mutation Add($input: AddCommentInput!) { addComment(input: $input) { errors { message } } }
"""


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    with live_server(
        database.url,
        comment_form_token_required="false",
        comment_rate_limits="",
        comment_duplicate_check="false",
        comment_previously_approved="false",
    ) as base_url:
        yield base_url


def section(page: Page, title: str):
    """The section item whose own heading is ``title`` (its input's value attribute: the
    server renders it, and add_section sets it for new sections)."""
    return page.locator("li.section-item").filter(
        has=page.locator(f"xpath=./div[@class='section-card']//input[@value='{title}']")
    )


def card(page: Page, title: str):
    """The section's own card (heading, buttons, text), not those of its children."""
    return section(page, title).locator("xpath=./div[@class='section-card']")


async def editor_ready(page: Page) -> None:
    await expect(page.locator("html")).to_have_attribute("data-editor", "ready")


async def saved(page: Page) -> None:
    await expect(page.locator("#save-state")).to_have_text("All changes saved", timeout=15_000)


async def leaving_warns(page: Page) -> bool:
    """Whether leaving the page now would ask first (its beforeunload handler cancels)."""
    return await page.evaluate(
        """() => {
            const event = new Event("beforeunload", {cancelable: true});
            window.dispatchEvent(event);
            return event.defaultPrevented;
        }"""
    )


async def titles_in_tree(page: Page) -> list[str]:
    return await page.evaluate(
        """() => Array.from(document.querySelectorAll("#section-tree li.section-item")).map(
            li => "  ".repeat(Number(li.dataset.depth)) + li.querySelector(".section-title").value
        )"""
    )


async def add_section(page: Page, title: str, body: str, parent: str | None = None) -> None:
    if parent is None:
        await page.get_by_role("button", name="Add section", exact=True).click()
    else:
        await card(page, parent).get_by_role("button", name="Add subsection").click()
    heading = page.locator(".section-title:focus")
    await heading.fill(title)
    await heading.evaluate("input => input.setAttribute('value', input.value)")
    await card(page, title).locator(".CodeMirror").click()
    await page.keyboard.type(body)


async def test_the_editors_journey(server, browser, database):
    axe = install_axe()
    inspector = Inspector(axe)
    cms_command(
        database.url,
        "user",
        "create",
        "--email",
        ADMIN[0],
        "--name",
        ADMIN[1],
        "--role",
        "admin",
        "--password-stdin",
        stdin=ADMIN[2] + "\n",
    )
    cms_command(
        database.url,
        "user",
        "create",
        "--email",
        EDITOR[0],
        "--name",
        EDITOR[1],
        "--role",
        "editor",
        "--password-stdin",
        stdin=EDITOR[2] + "\n",
    )

    ada = await new_session(browser)
    page = await ada.new_page()
    await page.goto(server + "/studio/sign-in")
    await inspector.at_both_widths(page, "sign-in")
    await sign_in(page, server, ADMIN[0], ADMIN[2])
    await inspector.at_both_widths(page, "dashboard")

    # A new page with nested sections.
    await page.get_by_role("link", name="Pages", exact=True).click()
    await page.get_by_role("link", name="New page").click()
    await page.get_by_label("Title").fill("Field guide")
    await expect(page.get_by_label("Slug")).to_have_value("field-guide")
    await inspector.at_both_widths(page, "new-page")
    await page.get_by_role("button", name="Create draft").click()
    await editor_ready(page)
    await expect(page.locator("#page-title")).to_have_value("Field guide")
    await add_section(page, "Birds", "Robins sing at dawn.")
    await add_section(page, "Owls", "Owls hunt at night.", parent="Birds")
    await add_section(page, "Trees", "Oaks grow slowly.")
    await add_section(page, "Maples", "Maples turn red.")
    await saved(page)
    assert await titles_in_tree(page) == ["Birds", "  Owls", "Trees", "Maples"]
    preview = page.frame_locator("#preview")
    await expect(preview.locator("h2#birds")).to_have_text("Birds")
    await expect(preview.locator("h3")).to_contain_text(["Owls"])

    # Reorder by keyboard: Maples up, indented under Birds, then out again.
    await card(page, "Maples").get_by_role("button", name="Move up").focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#announcer")).to_contain_text("“Maples” is now 2 of 3")
    assert await titles_in_tree(page) == ["Birds", "  Owls", "Maples", "Trees"]
    await card(page, "Maples").get_by_role("button", name="Indent").focus()
    await page.keyboard.press("Enter")
    assert await titles_in_tree(page) == ["Birds", "  Owls", "  Maples", "Trees"]
    await card(page, "Maples").get_by_role("button", name="Outdent").press("Enter")
    await saved(page)
    assert await titles_in_tree(page) == ["Birds", "  Owls", "Maples", "Trees"]

    # The Markdown editor is no keyboard trap: Tab moves on to the next control.
    await card(page, "Maples").locator(".CodeMirror").click()
    await page.keyboard.press("Tab")
    await expect(card(page, "Maples").locator(".CodeMirror textarea")).not_to_be_focused()
    await expect(card(page, "Maples").locator(".CodeMirror")).to_contain_text("Maples turn red.")

    # Reorder by drag and drop: Trees by its handle onto Maples, above it.
    handle = await card(page, "Trees").locator(".drag-handle").bounding_box()
    target = await card(page, "Maples").bounding_box()
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    await page.mouse.move(x, y)
    await page.mouse.down()
    await page.mouse.move(x, target["y"] + target["height"] / 2, steps=20)
    await page.mouse.up()
    await saved(page)
    assert await titles_in_tree(page) == ["Birds", "  Owls", "Trees", "Maples"]

    # The preview follows the editor as it types.
    await card(page, "Trees").locator(".CodeMirror").click()
    await page.keyboard.press("End")
    await page.keyboard.type(" Birches grow fast.")
    await expect(preview.locator("#trees + p")).to_contain_text("Birches grow fast.")
    await expect(preview.locator(".draft-banner")).to_contain_text("Draft preview")
    await expect(preview.locator("h2")).to_have_text(["Contents", "Birds", "Trees", "Maples"])
    await inspector.at_both_widths(page, "editor")

    # Publish, and readers see it.
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_text("Published: readers see this version now.")).to_be_visible()
    reader = await ada.new_page()
    await reader.goto(server + "/pages/field-guide")
    await expect(reader.locator("h1")).to_have_text("Field guide")
    await expect(reader.locator("h2#trees")).to_be_visible()
    await reader.close()

    # A second browser edits the same page: the first gets a conflict and keeps its copy.
    edna = await new_session(browser)
    other = await edna.new_page()
    await sign_in(other, server, EDITOR[0], EDITOR[2])
    await other.goto(page.url.split("?")[0])
    await expect(other.locator("#presence")).to_contain_text("Also editing this page: Ada Admin")
    await card(other, "Birds").locator(".CodeMirror").click()
    await other.keyboard.press("End")
    await other.keyboard.type(" Wrens too.")
    assert await leaving_warns(other), "no warning before leaving with unsaved changes"
    await saved(other)
    assert not await leaving_warns(other)
    await card(page, "Birds").locator(".CodeMirror").click()
    await page.keyboard.press("End")
    await page.keyboard.type(" Blackbirds as well.")
    conflict = page.locator("#conflict")
    await expect(conflict).to_be_visible(timeout=15_000)
    await expect(conflict).to_contain_text("Edna Editor saved it")
    await expect(conflict.locator("del")).to_contain_text(["Wrens too."])
    await expect(conflict.locator("ins")).to_contain_text(["Blackbirds as well."])
    await expect(page.locator("#save-state")).to_contain_text("Not saved")
    await inspector.at_both_widths(page, "editor-conflict")
    await conflict.get_by_role("button", name="Keep mine").click()
    await expect(page.locator("#conflict")).to_be_hidden(timeout=15_000)
    await saved(page)
    birds_text = card(page, "Birds").locator(".CodeMirror")
    await expect(birds_text).to_contain_text("Blackbirds as well.")
    await expect(birds_text).not_to_contain_text("Wrens")
    await edna.context.close()

    # Compare two revisions and restore one.
    await page.get_by_role("link", name="Revisions and history").click()
    await inspector.at_both_widths(page, "revisions")
    await page.get_by_role("row").filter(has_text="Edna Editor").get_by_role("radio").first.check()
    await page.get_by_role("button", name="Compare").click()
    await expect(page.locator(".line--removed")).to_contain_text(["Wrens too."])
    await expect(page.locator(".line--added")).to_contain_text(["Blackbirds as well."])
    await inspector.at_both_widths(page, "revisions-compare")
    await page.get_by_role("link", name="Revisions", exact=True).click()
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Restore revision 3", exact=True).click()
    await expect(page.get_by_text("Revision restored as the working copy.")).to_be_visible()

    # Schedule a publication, shown in the browser's time zone.
    await expect(page.locator("#schedule-zone")).to_contain_text("Europe/Paris")
    await page.get_by_role("button", name="Schedule").click()
    await expect(page.get_by_text("Publication scheduled.")).to_be_visible()
    await expect(page.locator(".jobs")).to_contain_text("(Europe/Paris)")
    await page.get_by_role("button", name="Create preview link").click()
    await expect(page.get_by_label("Preview link")).to_have_value(
        re.compile("^" + re.escape(server) + "/preview/.+")
    )
    await inspector.at_both_widths(page, "editor-published")

    # Pages list and the delete confirmation.
    await page.goto(server + "/studio/pages")
    await inspector.at_both_widths(page, "pages")
    await page.get_by_role("link", name="Delete Field guide").click()
    await inspector.at_both_widths(page, "delete-page")

    await moderate_in_bulk(page, server, inspector)

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(re.compile(re.escape(server) + "/studio/sign-in"))
    assert ada.problems == []
    assert inspector.violations == {}, inspector.violations


async def moderate_in_bulk(page: Page, server: str, inspector: Inspector) -> None:
    """Readers leave two comments; the editor approves both at once from the queue."""
    async with httpx.AsyncClient(base_url=server, timeout=10) as http:
        read = await http.post("/graphql", json={"query": '{ page(slug: "field-guide") { id } }'})
        page_id = read.json()["data"]["page"]["id"]
        for number in (1, 2):
            comment = {
                "pageId": page_id,
                "authorName": f"Reader {number}",
                "authorEmail": f"reader{number}@example.org",
                "body": f"Comment number {number}",
            }
            added = await http.post(
                "/graphql", json={"query": ADD_COMMENT, "variables": {"input": comment}}
            )
            assert added.json()["data"]["addComment"]["errors"] == []
    await page.goto(server + "/studio/")
    await expect(page.get_by_role("link", name="Comments")).to_contain_text("2")
    await page.get_by_role("link", name="Comments").click()
    await inspector.at_both_widths(page, "comments")
    await page.get_by_label("Reader 1").check()
    await page.get_by_label("Reader 2").check()
    await page.get_by_role("button", name="Approve selected").click()
    await expect(page.get_by_text("Comment number 1")).to_be_hidden()
    reader = await page.context.new_page()
    await reader.goto(server + "/pages/field-guide")
    await expect(reader.locator("#comment-list")).to_contain_text("Comment number 1")
    await expect(reader.locator("#comment-list")).to_contain_text("Comment number 2")
    await reader.close()
