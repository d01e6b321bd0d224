"""An asset's page in the studio (/studio/media/{id}): its form saves alt text, caption,
credit, decorative and the focal point through updateAsset; the API's refusals are shown
next to the fields; delete is refused, with the pages that show it, while it is used."""

import re

from cms.models import Asset
from studio.library_support import upload_image
from studio.pages_support import api, create_page

READ_ASSET = """
query Read($id: ID!) {
  node(id: $id) {
    ... on Asset { image { alt caption credit decorative focalPoint { x y } } }
  }
}
"""
USE_AS_COVER = """
mutation Cover($input: UpdatePageInput!) { updatePage(input: $input) { errors { code } } }
"""


async def read_image(browser, asset_id: str) -> dict:
    return (await api(browser, READ_ASSET, {"id": asset_id}))["node"]["image"]


async def test_the_page_shows_the_preview_and_the_form(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.get(f"/studio/media/{asset['id']}")

    assert response.status_code == 200
    assert re.search(
        r'<img class="focal-frame__image" id="asset-image" src="/media/', response.text
    )
    assert 'id="focal_x"' in response.text and 'id="focal_y"' in response.text
    assert "This image has no alt text" in response.text
    assert "No page shows it." in response.text


async def test_saving_the_form_describes_the_asset_and_sets_its_focal_point(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    await studio_editor.get(f"/studio/media/{asset['id']}")

    response = await studio_editor.post(
        f"/studio/media/{asset['id']}",
        {
            "alt": "Boats in the harbour at dusk",
            "caption": "The old harbour",
            "credit": "Photo: Ada",
            "focal_x": "25",
            "focal_y": "62.5",
        },
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/studio/media/{asset['id']}?done=saved"
    assert await read_image(studio_editor, asset["id"]) == {
        "alt": "Boats in the harbour at dusk",
        "caption": "The old harbour",
        "credit": "Photo: Ada",
        "decorative": False,
        "focalPoint": {"x": 0.25, "y": 0.625},
    }
    shown = await studio_editor.get(response.headers["location"])
    assert 'value="25"' in shown.text and 'value="62.5"' in shown.text
    assert "Saved." in shown.text


async def test_clearing_the_focal_point_and_marking_decorative(studio_editor):
    asset = await upload_image(studio_editor, "border.png")
    await studio_editor.get(f"/studio/media/{asset['id']}")
    form = {"alt": "", "focal_x": "10", "focal_y": "10"}
    await studio_editor.post(f"/studio/media/{asset['id']}", form)

    await studio_editor.post(
        f"/studio/media/{asset['id']}",
        {"alt": "", "decorative": "on", "clear_focal_point": "on", "focal_x": "10"},
    )

    image = await read_image(studio_editor, asset["id"])
    assert (image["decorative"], image["focalPoint"]) == (True, None)


async def test_the_apis_refusal_is_shown_next_to_its_field(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    await studio_editor.get(f"/studio/media/{asset['id']}")

    response = await studio_editor.post(
        f"/studio/media/{asset['id']}", {"alt": "x" * 1001, "focal_x": "150", "focal_y": "20"}
    )

    assert response.status_code == 422
    assert re.search(r'id="alt" name="alt" rows="3" aria-invalid="true"', response.text)
    assert re.search(r'<p class="field-error" id="alt-error">[^<]*1000', response.text)
    assert re.search(r'<p class="field-error" id="focal_x-error">', response.text)
    assert (await read_image(studio_editor, asset["id"]))["alt"] == ""


async def test_a_half_given_focal_point_is_refused_by_the_form(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    await studio_editor.get(f"/studio/media/{asset['id']}")

    response = await studio_editor.post(f"/studio/media/{asset['id']}", {"focal_x": "30"})

    assert response.status_code == 422
    assert "Give both positions, or neither." in response.text


async def test_saving_without_the_csrf_token_is_refused(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.post(
        f"/studio/media/{asset['id']}", {"alt": "Forged"}, csrf=False
    )

    assert response.status_code == 403
    assert (await read_image(studio_editor, asset["id"]))["alt"] == ""


async def test_delete_is_refused_while_a_page_shows_it_and_lists_where(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")
    await studio_editor.get(f"/studio/media/{asset['id']}")
    await studio_editor.post(f"/studio/media/{asset['id']}", {"alt": "Boats"})
    page_id = await create_page(studio_editor, "harbour-walk", "Harbour walk")
    await api(
        studio_editor,
        USE_AS_COVER,
        {"input": {"id": page_id, "version": 1, "coverImageId": asset["id"]}},
    )

    confirm = await studio_editor.get(f"/studio/media/{asset['id']}/delete")
    refused = await studio_editor.post(f"/studio/media/{asset['id']}/delete")

    assert "cannot be deleted" in confirm.text and "Delete for good" not in confirm.text
    assert refused.status_code == 422
    assert "Not deleted." in refused.text
    assert f'<a href="/studio/pages/{page_id}/edit">Harbour walk</a>' in refused.text
    assert "cover image" in refused.text
    assert await Asset.exists(original_name="harbour.png")


async def test_delete_after_confirmation_removes_an_unused_asset(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")

    confirm = await studio_editor.get(f"/studio/media/{asset['id']}/delete")
    response = await studio_editor.post(f"/studio/media/{asset['id']}/delete")

    assert "Delete for good" in confirm.text
    assert response.status_code == 303
    assert response.headers["location"] == "/studio/media?done=deleted"
    assert not await Asset.exists()


async def test_delete_without_the_csrf_token_is_refused(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.post(f"/studio/media/{asset['id']}/delete", csrf=False)

    assert response.status_code == 403
    assert await Asset.exists()


async def test_an_unknown_asset_is_not_found(studio_editor):
    response = await studio_editor.get("/studio/media/QXNzZXQ6OTk5OQ==")

    assert response.status_code == 404
