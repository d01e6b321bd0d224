"""Optimistic concurrency: a change made from an old version is refused, never lost."""

import asyncio

from editorial_support import DELETE_SECTION

from cms.models import Page, Section


async def test_updating_a_page_from_an_old_version_is_a_conflict_with_the_current_version(
    editor,
):
    page = await editor.create_page()
    await editor.update_page(page["id"], 1, title="First")

    payload = await editor.update_page(page["id"], 1, title="Second")

    assert payload["page"] is None
    assert [(e["field"], e["code"], e["currentVersion"]) for e in payload["errors"]] == [
        ("version", "CONFLICT", 2)
    ]
    assert "version 2" in payload["errors"][0]["message"]
    assert (await Page.get()).title == "First"


async def test_a_section_change_from_an_old_version_is_a_conflict_and_saves_nothing(editor):
    page = await editor.create_page()
    section = await editor.add_section(page, "Intro", "Original.")

    payload = await editor.update_section(section["id"], 1, body="Overwrite.")

    assert [(e["code"], e["currentVersion"]) for e in payload["errors"]] == [("CONFLICT", 2)]
    assert (await Section.get()).body == "Original."
    assert (await Page.get()).version == 2


async def test_deleting_a_section_from_an_old_version_is_a_conflict(editor):
    page = await editor.create_page()
    section = await editor.add_section(page, "Intro")

    payload = await editor.call(
        DELETE_SECTION, "deleteSection", input={"id": section["id"], "version": 1}
    )

    assert [e["code"] for e in payload["errors"]] == ["CONFLICT"]
    assert await Section.exists()


async def test_publishing_an_old_version_is_a_conflict(editor):
    page = await editor.create_page()
    await editor.update_page(page["id"], 1, title="Changed")

    payload = await editor.call(
        """mutation ($input: PublishPageInput!) { publishPage(input: $input) {
          errors { code currentVersion } } }""",
        "publishPage",
        input={"id": page["id"], "version": 1},
    )

    assert payload["errors"] == [{"code": "CONFLICT", "currentVersion": 2}]


async def test_two_editors_saving_the_same_version_at_once_one_wins_one_gets_a_conflict(
    editor, second_editor
):
    page = await editor.create_page()

    first, second = await asyncio.gather(
        editor.update_page(page["id"], 1, title="Alice's title"),
        second_editor.update_page(page["id"], 1, title="Bob's title"),
    )

    outcomes = sorted([bool(first["errors"]), bool(second["errors"])])
    assert outcomes == [False, True]
    winner, loser = (first, second) if not first["errors"] else (second, first)
    assert loser["errors"][0]["code"] == "CONFLICT"
    assert loser["errors"][0]["currentVersion"] == 2
    stored = await Page.get()
    assert (stored.title, stored.version) == (winner["page"]["title"], 2)


async def test_two_editors_editing_one_section_at_once_never_lose_an_update(editor, second_editor):
    page = await editor.create_page()
    section = await editor.add_section(page, "Intro", "Original.")

    results = await asyncio.gather(
        *[
            (editor if n % 2 else second_editor).update_section(section["id"], 2, body=f"B{n}")
            for n in range(6)
        ]
    )

    saved = [r["section"]["body"] for r in results if not r["errors"]]
    assert len(saved) == 1
    assert {r["errors"][0]["code"] for r in results if r["errors"]} == {"CONFLICT"}
    assert (await Section.get()).body == saved[0]
    assert (await Page.get()).version == 3
