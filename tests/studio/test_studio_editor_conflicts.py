"""Conflicts: a save based on an old version is refused, nothing is overwritten, and the
editor is shown what differs (their copy against mine) to choose from."""

from studio.pages_support import (
    add_section,
    create_page,
    editor_version,
    open_editor,
    read_page,
    save,
)

MINUS = "\u2212"  # removed lines are marked with a minus sign


async def two_editors_open_one_page(studio_editor, studio_admin) -> tuple[str, str, int]:
    page_id = await create_page(studio_editor, "shared", "Shared page")
    section_id = await add_section(studio_editor, page_id, "Plan", "Step one\nStep two\nStep three")
    version = editor_version((await open_editor(studio_editor, page_id)).text)
    assert editor_version((await open_editor(studio_admin, page_id)).text) == version
    return page_id, section_id, version


def edit(section_id: str, version: int, body: str, **extra) -> dict:
    return {
        "version": version,
        "sections": [{"id": section_id, "title": "Plan", "body": body}],
        "changedSections": [section_id],
        **extra,
    }


async def test_second_save_from_an_old_version_is_refused_and_shows_the_diff(
    studio_editor, studio_admin
):
    page_id, section_id, version = await two_editors_open_one_page(studio_editor, studio_admin)
    theirs = await save(
        studio_admin, page_id, edit(section_id, version, "Step one\nStep 2\nStep three")
    )
    assert theirs.status_code == 200

    mine = await save(
        studio_editor, page_id, edit(section_id, version, "Step one\nStep two\nStep 3")
    )

    assert mine.status_code == 409
    body = mine.json()
    assert body["conflict"] is True
    assert body["version"] == theirs.json()["version"]
    html = body["html"]
    assert "Someone else changed this page" in html
    assert "<strong>Ada Admin</strong> saved it" in html
    assert f"{MINUS} Step 2</del>" in html and "+ Step two</ins>" in html
    assert "+ Step 3</ins>" in html
    page = await read_page(studio_editor, page_id)
    assert page["sections"][0]["body"] == "Step one\nStep 2\nStep three"


async def test_keep_mine_saves_my_copy_over_theirs_at_their_version(studio_editor, studio_admin):
    page_id, section_id, version = await two_editors_open_one_page(studio_editor, studio_admin)
    theirs = await save(studio_admin, page_id, edit(section_id, version, "Theirs"))
    refused = await save(studio_editor, page_id, edit(section_id, version, "Mine"))

    kept = await save(
        studio_editor,
        page_id,
        edit(section_id, refused.json()["version"], "Mine", keepMine=True),
    )

    assert theirs.status_code == 200 and refused.status_code == 409
    assert kept.status_code == 200
    assert (await read_page(studio_editor, page_id))["sections"][0]["body"] == "Mine"


async def test_keep_mine_skips_sections_the_other_editor_deleted(studio_editor, studio_admin):
    page_id, section_id, version = await two_editors_open_one_page(studio_editor, studio_admin)
    deleted = await save(
        studio_admin,
        page_id,
        {"version": version, "operations": [{"op": "delete", "id": section_id}]},
    )
    refused = await save(studio_editor, page_id, edit(section_id, version, "Mine"))
    assert deleted.status_code == 200
    # Their copy has no such section: in mine it shows as added.
    assert refused.status_code == 409
    assert "section-diff--added" in refused.json()["html"]

    kept = await save(
        studio_editor,
        page_id,
        {
            **edit(section_id, refused.json()["version"], "Mine", keepMine=True),
            "page": {"title": "Shared page, mine", "slug": "shared"},
            "changedFields": ["title"],
        },
    )

    assert kept.status_code == 200
    page = await read_page(studio_editor, page_id)
    assert (page["title"], page["sections"]) == ("Shared page, mine", [])


async def test_a_move_from_an_old_version_is_refused_too(studio_editor, studio_admin):
    page_id, _, version = await two_editors_open_one_page(studio_editor, studio_admin)
    other = await add_section(studio_admin, page_id, "Other", "")

    moved = await save(
        studio_editor,
        page_id,
        {"version": version, "operations": [{"op": "move", "id": other, "position": 0}]},
    )

    assert moved.status_code == 409
    titles = [section["title"] for section in (await read_page(studio_editor, page_id))["sections"]]
    assert titles == ["Plan", "Other"]
