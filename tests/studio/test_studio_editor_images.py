"""Images in the page editor: autosave sets and removes the cover image (updatePage's
coverImageId), refuses a cover without alt text with the API's error on that field, and
the editor page carries the picker, the upload script and the cover field."""

from studio.library_support import upload_image
from studio.pages_support import add_section, api, create_page, open_editor, save

COVER = """
query Cover($id: ID!) { node(id: $id) { ... on Page { coverImage { alt width } } } }
"""
DESCRIBE = """
mutation Describe($id: ID!) { updateAsset(input: {id: $id, alt: "Boats"}) { errors { code } } }
"""


async def cover_of(browser, page_id: str) -> dict | None:
    return (await api(browser, COVER, {"id": page_id}))["node"]["coverImage"]


async def test_autosave_sets_and_removes_the_cover_image(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    await api(studio_editor, DESCRIBE, {"id": asset["id"]})
    page_id = await create_page(studio_editor, "harbour-walk", "Harbour walk")
    await open_editor(studio_editor, page_id)

    chosen = await save(
        studio_editor,
        page_id,
        {"version": 1, "changedFields": ["coverImageId"], "page": {"coverImageId": asset["id"]}},
    )
    assert chosen.status_code == 200, chosen.text
    assert await cover_of(studio_editor, page_id) == {"alt": "Boats", "width": 40}

    removed = await save(
        studio_editor,
        page_id,
        {
            "version": chosen.json()["version"],
            "changedFields": ["coverImageId"],
            "page": {"coverImageId": ""},
        },
    )
    assert removed.status_code == 200, removed.text
    assert await cover_of(studio_editor, page_id) is None


async def test_a_cover_without_alt_text_is_refused_on_its_field(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    page_id = await create_page(studio_editor, "harbour-walk", "Harbour walk")
    await open_editor(studio_editor, page_id)

    response = await save(
        studio_editor,
        page_id,
        {"version": 1, "changedFields": ["coverImageId"], "page": {"coverImageId": asset["id"]}},
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["target"], error["field"], error["code"]) == ("page", "coverImageId", "REQUIRED")
    assert "alt text" in error["message"]
    assert await cover_of(studio_editor, page_id) is None


async def test_the_editor_offers_the_picker_and_the_cover_field(studio_editor):
    page_id = await create_page(studio_editor, "harbour-walk", "Harbour walk")

    html = (await open_editor(studio_editor, page_id)).text

    assert '<dialog id="image-picker"' in html
    assert 'id="upload-config"' in html and "js/image-picker.js" in html
    assert 'id="page-coverImageId"' in html and "No cover image." in html


async def test_the_editor_shows_the_apis_warnings_about_a_sections_images(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    page_id = await create_page(studio_editor, "harbour-walk", "Harbour walk")
    body = f"Boats.\n\n![](asset:{asset['id']})\n\n![Gone](asset:999999)"
    await add_section(studio_editor, page_id, "The harbour", body)

    html = (await open_editor(studio_editor, page_id)).text

    assert '<ul class="notice notice--error image-warnings"' in html
    assert f"Image asset:{asset['id']} has no alt text" in html
    assert "is unknown or deleted; it is not shown." in html
