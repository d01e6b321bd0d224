"""The pages list (search, status, order, keyset paging), new page, archive and delete."""

import re

from cms.models import Page
from studio.pages_support import create_page, read_page


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/studio/pages/[^"]+/edit">([^<]+)</a>', html)


async def test_list_pages_forward_and_back_with_keyset_cursors(studio_editor):
    for number in range(30):
        await create_page(studio_editor, f"page-{number:02d}", f"Page {number:02d}")

    first = await studio_editor.get("/studio/pages?order=title")
    next_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    second = await studio_editor.get(next_url)
    prev_url = re.search(r'href="([^"]+)" rel="prev"', second.text).group(1).replace("&amp;", "&")
    back = await studio_editor.get(prev_url)

    assert titles(first.text) == [f"Page {n:02d}" for n in range(25)]
    assert titles(second.text) == [f"Page {n:02d}" for n in range(25, 30)]
    assert "after=" in next_url and 'rel="next"' not in second.text
    assert titles(back.text) == titles(first.text)


async def test_list_searches_titles_and_filters_by_status(studio_editor, seeded_page):
    await create_page(studio_editor, "harvard-notes", "Harvard notes")
    await create_page(studio_editor, "other", "Something else")

    drafts = await studio_editor.get("/studio/pages?q=harvard&status=DRAFT")
    published = await studio_editor.get("/studio/pages?q=harvard&status=PUBLISHED")

    assert titles(drafts.text) == ["Harvard notes"]
    assert titles(published.text) == [
        "Harvard Medical School: Pioneering Excellence in Medical Education"
    ]


async def test_list_needs_sign_in(studio_browser):
    browser = await studio_browser()
    response = await browser.get("/studio/pages")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/studio/sign-in")


async def test_create_page_opens_the_editor(studio_editor):
    await studio_editor.get("/studio/pages/new")
    response = await studio_editor.post(
        "/studio/pages/new", {"title": "Open day", "slug": "open-day", "summary": "Come along"}
    )

    assert response.status_code == 303
    page_id = response.headers["location"].split("/")[3]
    page = await read_page(studio_editor, page_id)
    assert (page["title"], page["slug"], page["summary"], page["status"]) == (
        "Open day",
        "open-day",
        "Come along",
        "DRAFT",
    )


async def test_create_page_shows_the_api_error_next_to_the_field(studio_editor):
    await create_page(studio_editor, "taken", "Taken")
    await studio_editor.get("/studio/pages/new")

    response = await studio_editor.post("/studio/pages/new", {"title": "Again", "slug": "taken"})

    assert response.status_code == 422
    assert 'id="slug-error"' in response.text
    assert 'aria-invalid="true" aria-describedby="slug-error"' in response.text
    assert 'value="Again"' in response.text


async def test_create_page_without_csrf_token_is_refused(studio_editor):
    response = await studio_editor.post(
        "/studio/pages/new", {"title": "Forged", "slug": "forged"}, csrf=False
    )
    assert response.status_code == 403
    assert titles((await studio_editor.get("/studio/pages")).text) == []


async def test_archive_hides_the_page_from_readers(studio_editor, client, seeded_page):
    listed = await studio_editor.get("/studio/pages")
    page_id = re.search(r'action="/studio/pages/([^/]+)/archive"', listed.text).group(1)

    response = await studio_editor.post(f"/studio/pages/{page_id}/archive")

    assert response.status_code == 303
    assert response.headers["location"] == "/studio/pages?done=archived"
    assert (await read_page(studio_editor, page_id))["status"] == "ARCHIVED"
    assert (await client.get("/pages/harvard-medical-school")).status_code == 404


async def test_delete_asks_first_then_deletes(studio_editor):
    page_id = await create_page(studio_editor, "doomed", "Doomed")

    confirm = await studio_editor.get(f"/studio/pages/{page_id}/delete")
    assert confirm.status_code == 200
    assert "Delete “Doomed”?" in confirm.text
    assert await read_page(studio_editor, page_id) is not None

    response = await studio_editor.post(f"/studio/pages/{page_id}/delete", {"confirm": "yes"})
    assert response.headers["location"] == "/studio/pages?done=deleted"
    assert await read_page(studio_editor, page_id) is None


async def test_published_page_is_not_deleted_without_confirmation(studio_editor, seeded_page):
    listed = await studio_editor.get("/studio/pages")
    page_id = re.search(r'href="/studio/pages/([^/]+)/delete"', listed.text).group(1)
    await studio_editor.get(f"/studio/pages/{page_id}/delete")

    response = await studio_editor.post(f"/studio/pages/{page_id}/delete", {})

    assert response.status_code == 422
    assert "This page is published: confirm to delete it" in response.text
    assert (await read_page(studio_editor, page_id))["status"] == "PUBLISHED"


async def list_statements(browser, sql_counter, path: str) -> tuple[int, str]:
    sql_counter.statements.clear()
    response = await browser.get(path)
    assert response.status_code == 200
    return sql_counter.count, response.text


async def test_list_costs_the_same_with_ten_times_the_pages(studio_editor, sql_counter):
    """Keyset paging: the page of the list after a cursor is one indexed range, whatever
    the number of pages before or after it."""
    await Page.bulk_create([Page(slug=f"bulk-{n:04d}", title=f"Bulk {n:04d}") for n in range(60)])
    first = await studio_editor.get("/studio/pages?order=title")
    next_url = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    few, _ = await list_statements(studio_editor, sql_counter, next_url)

    await Page.bulk_create([Page(slug=f"more-{n:04d}", title=f"More {n:04d}") for n in range(600)])
    many, html = await list_statements(studio_editor, sql_counter, next_url)

    assert titles(html)[0] == "Bulk 0025"
    assert many == few
