"""A page's history in the studio: revisions with author, time and note; a section-by-section
comparison of any two; restoring one as the working copy."""

import re

from studio.pages_support import (
    add_section,
    create_page,
    editor_version,
    open_editor,
    read_page,
    save,
)

MINUS = "\u2212"  # removed lines are marked with a minus sign


async def page_with_history(browser) -> tuple[str, str]:
    page_id = await create_page(browser, "history", "History")
    section_id = await add_section(browser, page_id, "Story", "Once\nupon\na time")
    version = editor_version((await open_editor(browser, page_id)).text)
    response = await save(
        browser,
        page_id,
        {
            "version": version,
            "sections": [{"id": section_id, "title": "The story", "body": "Once\nupon\nthe end"}],
            "changedSections": [section_id],
            "message": "Rewrote the ending",
        },
    )
    assert response.status_code == 200
    return page_id, section_id


def revision_ids(html: str) -> dict[int, str]:
    return {
        int(number): revision_id
        for revision_id, number in re.findall(r'name="to" value="([^"]+)" id="to-(\d+)"', html)
    }


async def test_revisions_list_author_time_and_note(studio_editor):
    page_id, _ = await page_with_history(studio_editor)

    response = await studio_editor.get(f"/studio/pages/{page_id}/revisions")

    assert response.status_code == 200
    assert sorted(revision_ids(response.text)) == [1, 2, 3, 4]
    assert "Rewrote the ending" in response.text
    assert "Edna Editor" in response.text
    assert re.search(
        r'<time class="muted" datetime="[^"]+">\w+ \d+, \d{4}, \d\d:\d\d:\d\d UTC', response.text
    )


async def test_compare_two_revisions_section_by_section(studio_editor):
    page_id, _ = await page_with_history(studio_editor)
    ids = revision_ids((await studio_editor.get(f"/studio/pages/{page_id}/revisions")).text)

    response = await studio_editor.get(
        f"/studio/pages/{page_id}/revisions/compare", params={"from": ids[4], "to": ids[1]}
    )

    html = response.text
    assert response.status_code == 200
    assert "Revision 1 → 4" in html
    assert "section-diff--added" in html  # revision 1 had no sections
    assert "+ the end</ins>" in html

    between = await studio_editor.get(
        f"/studio/pages/{page_id}/revisions/compare", params={"from": ids[2], "to": ids[4]}
    )
    assert "<del>Story</del> → <ins>The story</ins>" in between.text
    assert f"{MINUS} a time</del>" in between.text and "+ the end</ins>" in between.text
    assert "  upon" in between.text


async def test_compare_refuses_revisions_of_another_page(studio_editor):
    page_id, _ = await page_with_history(studio_editor)
    other_id = await create_page(studio_editor, "other", "Other")
    ids = revision_ids((await studio_editor.get(f"/studio/pages/{page_id}/revisions")).text)

    response = await studio_editor.get(
        f"/studio/pages/{other_id}/revisions/compare", params={"from": ids[1], "to": ids[2]}
    )

    assert response.status_code == 404


async def test_restore_makes_an_old_revision_the_working_copy(studio_editor):
    page_id, _ = await page_with_history(studio_editor)
    listing = await studio_editor.get(f"/studio/pages/{page_id}/revisions")
    ids = revision_ids(listing.text)
    version = (await read_page(studio_editor, page_id))["version"]

    response = await studio_editor.post(
        f"/studio/pages/{page_id}/revisions/{ids[2]}/restore",
        {"version": version, "message": "Restored revision 2."},
    )

    assert response.headers["location"] == f"/studio/pages/{page_id}/edit?done=restored"
    page = await read_page(studio_editor, page_id)
    assert (page["sections"][0]["title"], page["sections"][0]["body"]) == (
        "Story",
        "Once\nupon\na time",
    )
    history = await studio_editor.get(f"/studio/pages/{page_id}/revisions")
    assert "Restored revision 2." in history.text


async def test_restore_from_an_old_version_is_refused(studio_editor):
    page_id, _ = await page_with_history(studio_editor)
    ids = revision_ids((await studio_editor.get(f"/studio/pages/{page_id}/revisions")).text)
    version = (await read_page(studio_editor, page_id))["version"]

    response = await studio_editor.post(
        f"/studio/pages/{page_id}/revisions/{ids[2]}/restore", {"version": version - 1}
    )

    assert response.status_code == 409
    assert (await read_page(studio_editor, page_id))["sections"][0]["title"] == "The story"
