"""Autosaves keep a page's history meaningful: an author's autosaves within the window
update their latest autosave revision instead of recording one each; a publish, another
author's edit, a save with a note or the end of the window start a new one — and every
published state stays restorable."""

from datetime import timedelta

from cms.config import Settings
from cms.global_ids import from_global_id
from cms.models import Revision, Role
from studio.pages_support import api, create_page, open_editor, read_page, save

HISTORY = """
query History($id: ID!) { node(id: $id) { ... on Page {
  revisions(first: 50) { totalCount edges { node {
    id number kind pageVersion authorName message title sections { body } } } } } } }
"""
PUBLISH = """
mutation Publish($id: ID!) { publishPage(input: {id: $id}) { page { version } errors { message } } }
"""
AUTOSAVES = 20


async def history(browser, page_id: str) -> list[dict]:
    revisions = (await api(browser, HISTORY, {"id": page_id}))["node"]["revisions"]
    return [edge["node"] for edge in revisions["edges"]]


async def autosave(browser, page_id: str, title: str, **batch) -> int:
    """One autosave batch changing the title (as editor.js sends it); the new version."""
    page = await read_page(browser, page_id)
    response = await save(
        browser,
        page_id,
        {
            "version": page["version"],
            "page": {"title": title, "slug": page["slug"], "summary": ""},
            "changedFields": ["title"],
            **batch,
        },
    )
    assert response.status_code == 200, response.text
    return response.json()["version"]


def kinds(revisions: list[dict]) -> list[tuple[int, str, str, str | None]]:
    return [(r["number"], r["kind"], r["title"], r["authorName"]) for r in revisions]


async def test_autosaves_within_the_window_make_one_revision_with_the_last_content(
    studio_editor,
):
    page_id = await create_page(studio_editor, "guide", "Guide")
    # The first batch adds a section too: several mutations, still one revision.
    new_section = {"op": "add", "tempId": "new-1", "parentId": None, "position": 0}
    await autosave(
        studio_editor,
        page_id,
        "Draft 0",
        operations=[new_section],
        sections=[{"id": "new-1", "title": "Intro", "body": "Hello"}],
    )
    for number in range(1, AUTOSAVES):
        version = await autosave(studio_editor, page_id, f"Draft {number}")

    revisions = await history(studio_editor, page_id)
    assert kinds(revisions) == [
        (2, "SAVE", f"Draft {AUTOSAVES - 1}", "Edna Editor"),
        (1, "SAVE", "Guide", "Edna Editor"),
    ]
    assert revisions[0]["pageVersion"] == version
    assert revisions[0]["sections"] == [{"body": "Hello"}]


async def test_another_authors_edit_starts_a_new_revision(studio_editor, make_user, studio_browser):
    page_id = await create_page(studio_editor, "guide", "Guide")
    await make_user("otto@example.com", "Otto Other", Role.EDITOR)
    otto = await studio_browser()
    await otto.sign_in("otto@example.com")

    await autosave(studio_editor, page_id, "Edna 1")
    await autosave(studio_editor, page_id, "Edna 2")
    await autosave(otto, page_id, "Otto 1")
    await autosave(otto, page_id, "Otto 2")
    await autosave(studio_editor, page_id, "Edna 3")

    assert kinds(await history(studio_editor, page_id))[:3] == [
        (4, "SAVE", "Edna 3", "Edna Editor"),
        (3, "SAVE", "Otto 2", "Otto Other"),
        (2, "SAVE", "Edna 2", "Edna Editor"),
    ]


async def test_a_publish_starts_a_new_revision_and_stays_restorable(studio_editor):
    page_id = await create_page(studio_editor, "guide", "Guide")
    await autosave(studio_editor, page_id, "Before publishing")
    published = await api(studio_editor, PUBLISH, {"id": page_id})
    assert published["publishPage"]["errors"] == []
    await autosave(studio_editor, page_id, "After publishing")
    await autosave(studio_editor, page_id, "Later still")

    revisions = await history(studio_editor, page_id)
    assert kinds(revisions)[:3] == [
        (4, "SAVE", "Later still", "Edna Editor"),
        (3, "PUBLISH", "Before publishing", "Edna Editor"),
        (2, "SAVE", "Before publishing", "Edna Editor"),
    ]
    version = (await read_page(studio_editor, page_id))["version"]
    restore = await studio_editor.post(
        f"/studio/pages/{page_id}/revisions/{revisions[1]['id']}/restore", {"version": version}
    )
    assert restore.status_code == 303
    assert (await read_page(studio_editor, page_id))["title"] == "Before publishing"


async def test_after_the_window_a_new_revision_starts(studio_editor, settings: Settings):
    page_id = await create_page(studio_editor, "guide", "Guide")
    await autosave(studio_editor, page_id, "Morning")
    await autosave(studio_editor, page_id, "Still morning")
    # Time passes: the revision was started a window (and a second) ago.
    window = timedelta(seconds=settings.autosave_revision_window_seconds + 1)
    _, page_pk = from_global_id(page_id) or ("", 0)
    started = await Revision.get(page_id=page_pk, number=2)
    await Revision.filter(id=started.id).update(created_at=started.created_at - window)
    await autosave(studio_editor, page_id, "Afternoon")

    assert kinds(await history(studio_editor, page_id)) == [
        (3, "SAVE", "Afternoon", "Edna Editor"),
        (2, "SAVE", "Still morning", "Edna Editor"),
        (1, "SAVE", "Guide", "Edna Editor"),
    ]


async def test_a_save_with_a_note_keeps_its_own_revision(studio_editor):
    page_id = await create_page(studio_editor, "guide", "Guide")
    await autosave(studio_editor, page_id, "First draft")
    await autosave(studio_editor, page_id, "Draft")
    await autosave(studio_editor, page_id, "Noted", message="Ready for review")
    await autosave(studio_editor, page_id, "Tweaked")

    revisions = await history(studio_editor, page_id)
    assert kinds(revisions)[:3] == [
        (4, "SAVE", "Tweaked", "Edna Editor"),
        (3, "SAVE", "Noted", "Edna Editor"),
        (2, "SAVE", "Draft", "Edna Editor"),
    ]
    assert revisions[1]["message"] == "Ready for review"


async def test_history_and_compare_show_the_continued_revision(studio_editor):
    page_id = await create_page(studio_editor, "guide", "Guide")
    for number in range(3):
        await autosave(studio_editor, page_id, f"Draft {number}")
    first, latest = [r["id"] for r in reversed(await history(studio_editor, page_id))]

    listing = await studio_editor.get(f"/studio/pages/{page_id}/revisions")
    compare = await studio_editor.get(
        f"/studio/pages/{page_id}/revisions/compare", params={"from": first, "to": latest}
    )

    assert listing.status_code == 200 and listing.text.count('id="to-') == 2
    assert compare.status_code == 200 and "Draft 2" in compare.text
    assert (await open_editor(studio_editor, page_id)).status_code == 200
