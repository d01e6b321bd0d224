"""The editor and its autosave: the form and section tree, batches of changes saved in
order with the page version, new sections' IDs, errors by field."""

from studio.pages_support import (
    add_section,
    create_page,
    editor_version,
    open_editor,
    read_page,
    save,
    tree,
)


async def page_with_sections(browser) -> tuple[str, dict[str, str]]:
    page_id = await create_page(browser, "guide", "Guide")
    ids = {"Intro": await add_section(browser, page_id, "Intro", "Hello")}
    ids["Details"] = await add_section(browser, page_id, "Details", "Line one")
    ids["Deeper"] = await add_section(browser, page_id, "Deeper", "Nested", ids["Details"])
    return page_id, ids


async def test_editor_shows_fields_and_the_nested_section_tree(studio_editor):
    page_id, ids = await page_with_sections(studio_editor)

    response = await open_editor(studio_editor, page_id)

    html = response.text
    assert 'id="page-title" name="title" value="Guide"' in html
    assert editor_version(html) == (await read_page(studio_editor, page_id))["version"]
    details = html.index(f'data-id="{ids["Details"]}"')
    deeper = html.index(f'data-id="{ids["Deeper"]}"')
    assert details < deeper
    assert f'data-id="{ids["Deeper"]}" data-depth="1"' in html
    assert f'src="/studio/pages/{page_id}/preview"' in html
    assert response.headers["cache-control"] == "no-store"


async def test_save_writes_page_fields_and_section_texts_in_one_batch(studio_editor):
    page_id, ids = await page_with_sections(studio_editor)
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await save(
        studio_editor,
        page_id,
        {
            "version": version,
            "page": {"title": "A better guide", "slug": "guide", "summary": "Short"},
            "changedFields": ["title", "summary"],
            "sections": [{"id": ids["Intro"], "title": "Welcome", "body": "Hello *there*"}],
            "changedSections": [ids["Intro"]],
        },
    )

    assert response.status_code == 200
    page = await read_page(studio_editor, page_id)
    assert response.json()["version"] == page["version"] == version + 2
    assert (page["title"], page["summary"]) == ("A better guide", "Short")
    assert (page["sections"][0]["title"], page["sections"][0]["body"]) == (
        "Welcome",
        "Hello *there*",
    )


async def test_new_sections_get_real_ids_and_nest_in_one_batch(studio_editor):
    page_id, ids = await page_with_sections(studio_editor)
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await save(
        studio_editor,
        page_id,
        {
            "version": version,
            "sections": [
                {"id": "new-1", "title": "Appendix", "body": "More"},
                {"id": "new-2", "title": "Appendix A", "body": "Even more"},
            ],
            "operations": [
                {"op": "add", "tempId": "new-1", "parentId": None, "position": 2},
                {"op": "add", "tempId": "new-2", "parentId": "new-1", "position": 0},
                {"op": "move", "id": ids["Intro"], "parentId": ids["Details"], "position": 1},
                {"op": "delete", "id": ids["Deeper"]},
            ],
        },
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body["ids"]) == {"new-1", "new-2"}
    page = await read_page(studio_editor, page_id)
    assert tree(page["sections"]) == ["Details", ["Intro"], "Appendix", ["Appendix A"]]
    assert page["sections"][1]["id"] == body["ids"]["new-1"]
    assert body["version"] == page["version"] == version + 4


async def test_a_refused_field_is_reported_by_name_and_nothing_after_it_is_saved(studio_editor):
    await create_page(studio_editor, "taken", "Taken")
    page_id, ids = await page_with_sections(studio_editor)
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await save(
        studio_editor,
        page_id,
        {
            "version": version,
            "page": {"title": "Guide", "slug": "taken", "summary": ""},
            "changedFields": ["slug"],
            "sections": [{"id": ids["Intro"], "title": "Intro", "body": "Changed"}],
            "changedSections": [ids["Intro"]],
        },
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["target"], error["field"], error["code"]) == ("page", "slug", "DUPLICATE")
    page = await read_page(studio_editor, page_id)
    assert (page["slug"], page["version"]) == ("guide", version)
    assert page["sections"][0]["body"] == "Hello"


async def test_comments_can_be_closed_from_the_editor(studio_editor):
    page_id, _ = await page_with_sections(studio_editor)
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await save(
        studio_editor,
        page_id,
        {
            "version": version,
            "page": {"title": "Guide", "slug": "guide", "commentsOpen": False},
            "changedFields": ["commentsOpen"],
        },
    )

    assert response.status_code == 200
    assert (await read_page(studio_editor, page_id))["commentsOpen"] is False


async def test_save_without_csrf_header_is_refused(studio_editor):
    page_id, _ = await page_with_sections(studio_editor)
    version = editor_version((await open_editor(studio_editor, page_id)).text)

    response = await save(
        studio_editor,
        page_id,
        {"version": version, "page": {"title": "Hijacked"}, "changedFields": ["title"]},
        csrf="forged",
    )

    assert response.status_code == 403
    assert (await read_page(studio_editor, page_id))["title"] == "Guide"


async def test_malformed_batch_is_a_bad_request(studio_editor):
    page_id, _ = await page_with_sections(studio_editor)
    await open_editor(studio_editor, page_id)

    response = await studio_editor.http.post(
        f"/studio/pages/{page_id}/save",
        json={"version": "one", "page": {}, "sections": []},
        headers={"X-CSRF-Token": studio_editor.csrf},
    )

    assert response.status_code == 400
