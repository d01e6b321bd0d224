"""The editor's publishing panel: publish, unpublish, schedule in the editor's time zone,
cancel, preview links — each refused, with nothing done, when the page changed meanwhile."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

from studio.library_support import upload_image
from studio.pages_support import add_section, create_page, editor_version, open_editor, read_page

JOBS = """
query Jobs($id: ID!) {
  node(id: $id) { ... on Page { scheduledJobs(first: 5) { edges { node { runAt status } } } } }
}
"""


async def draft(browser) -> tuple[str, int]:
    page_id = await create_page(browser, "news", "News")
    await add_section(browser, page_id, "Headline", "Big **news**")
    return page_id, editor_version((await open_editor(browser, page_id)).text)


async def test_publish_puts_the_page_on_the_reader_site(studio_editor, client):
    page_id, version = await draft(studio_editor)

    response = await studio_editor.post(f"/studio/pages/{page_id}/publish", {"version": version})

    assert response.status_code == 303
    assert response.headers["location"] == f"/studio/pages/{page_id}/edit?done=published"
    reader = await client.get("/pages/news")
    assert reader.status_code == 200
    assert "<strong>news</strong>" in reader.text
    editor = await studio_editor.get(response.headers["location"])
    assert "Published: readers see this version now." in editor.text


async def test_publish_from_an_old_version_is_refused(studio_editor, client):
    page_id, version = await draft(studio_editor)
    await add_section(studio_editor, page_id, "Late addition", "")

    response = await studio_editor.post(f"/studio/pages/{page_id}/publish", {"version": version})

    assert response.status_code == 409
    assert "Someone else changed this page since you opened it" in response.text
    assert (await read_page(studio_editor, page_id))["status"] == "DRAFT"
    assert (await client.get("/pages/news")).status_code == 404


async def test_publishing_an_image_without_alt_text_is_refused_and_says_where(
    studio_editor, client
):
    image = await upload_image(studio_editor, "harbour.png")
    page_id = await create_page(studio_editor, "news", "News")
    await add_section(studio_editor, page_id, "Harbour", f"![](asset:{image['id']})")
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await studio_editor.post(f"/studio/pages/{page_id}/publish", {"version": version})

    assert response.status_code == 422
    assert "Section “Harbour” shows image" in unescape(response.text)
    assert "without alt text" in response.text
    assert (await client.get("/pages/news")).status_code == 404


async def test_unpublish_takes_the_page_down(studio_editor, client):
    page_id, version = await draft(studio_editor)
    await studio_editor.post(f"/studio/pages/{page_id}/publish", {"version": version})
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await studio_editor.post(f"/studio/pages/{page_id}/unpublish", {"version": version})

    assert response.headers["location"].endswith("?done=unpublished")
    assert (await client.get("/pages/news")).status_code == 404


async def test_schedule_takes_the_local_time_in_the_editors_time_zone(studio_editor):
    page_id, _ = await draft(studio_editor)
    local = (datetime.now(UTC) + timedelta(days=2)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    response = await studio_editor.post(
        f"/studio/pages/{page_id}/schedule",
        {"at": local.strftime("%Y-%m-%dT%H:%M"), "timezone": "America/New_York"},
    )

    assert response.headers["location"].endswith("?done=scheduled")
    body = (await studio_editor.graphql(JOBS, {"id": page_id})).json()
    [job] = [edge["node"] for edge in body["data"]["node"]["scheduledJobs"]["edges"]]
    run_at = datetime.fromisoformat(job["runAt"])
    assert run_at.astimezone(UTC).hour in (13, 14)  # 9:30 in New York: EDT or EST
    assert (run_at.minute, job["status"]) == (30, "PENDING")
    editor = await studio_editor.get(response.headers["location"])
    assert "Publish at" in editor.text and "/cancel" in editor.text


async def test_schedule_in_the_past_shows_the_api_error(studio_editor):
    page_id, _ = await draft(studio_editor)

    response = await studio_editor.post(
        f"/studio/pages/{page_id}/schedule", {"at": "2020-01-01T09:00", "timezone": "UTC"}
    )

    assert response.status_code == 422
    assert "future" in response.text


async def test_cancel_a_scheduled_publication(studio_editor):
    page_id, _ = await draft(studio_editor)
    at = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    scheduled = await studio_editor.post(
        f"/studio/pages/{page_id}/schedule", {"at": at, "timezone": "UTC"}
    )
    editor = await studio_editor.get(scheduled.headers["location"])
    cancel_path = re.search(r'action="([^"]+/cancel)"', editor.text).group(1)

    response = await studio_editor.post(cancel_path)

    assert response.headers["location"].endswith("?done=cancelled")
    body = (await studio_editor.graphql(JOBS, {"id": page_id})).json()
    assert [edge["node"]["status"] for edge in body["data"]["node"]["scheduledJobs"]["edges"]] == [
        "CANCELLED"
    ]


async def test_preview_link_is_shown_to_copy_and_opens_the_draft(studio_editor, client):
    page_id, _ = await draft(studio_editor)

    response = await studio_editor.post(f"/studio/pages/{page_id}/preview-link")

    token = parse_qs(urlsplit(response.headers["location"]).query)["preview_link"][0]
    editor = await studio_editor.get(response.headers["location"])
    assert f'value="http://cms.test/preview/{token}"' in unescape(editor.text)
    assert 'data-copy="preview-link-url"' in editor.text
    shared = await client.get(f"/preview/{token}")
    assert shared.status_code == 200
    assert "<strong>news</strong>" in shared.text and "Preview — not published" in shared.text
