"""Cover crops keep the focal point in view; without one, libvips' attention crop finds the
subject. Fit CONTAIN never crops; nothing is ever enlarged; widths may be limited."""

import httpx
import pytest

from cms.app import create_app
from media.media_support import api, loaded, rendition_url, upload, white_square_on_black

SET_FOCAL = """
mutation Focus($id: ID!, $x: Float!, $y: Float!) {
  updateAsset(input: {id: $id, focalPoint: {x: $x, y: $y}}) {
    asset { image { focalPoint { x y } } }
    errors { field code }
  }
}
"""


def mean_brightness(data: bytes) -> float:
    return loaded(data).avg()


async def square_asset(http, token, left: int) -> dict:
    """1000x500 black with a 100 px white square at ``left``."""
    data = white_square_on_black(1000, 500, left, 100)
    return (await upload(http, data, "square.png", token))["asset"]


async def test_a_cover_crop_keeps_the_focal_point_in_view(http, editor_token):
    asset = await square_asset(http, editor_token, left=850)
    focused = await api(http, SET_FOCAL, {"id": asset["id"], "x": 0.9, "y": 0.5}, editor_token)
    assert focused["updateAsset"]["asset"]["image"]["focalPoint"] == {"x": 0.9, "y": 0.5}

    url = await rendition_url(http, editor_token, asset["id"], width=250, height=250)
    image = loaded((await http.get(url)).content)

    assert (image.width, image.height) == (250, 250)
    # The square (x 850-950 of 1000) is in the right-hand crop.
    assert image.max() > 200


async def test_moving_the_focal_point_changes_the_url_and_the_crop(http, editor_token):
    asset = await square_asset(http, editor_token, left=50)
    await api(http, SET_FOCAL, {"id": asset["id"], "x": 0.1, "y": 0.5}, editor_token)
    left_url = await rendition_url(http, editor_token, asset["id"], width=250, height=250)
    await api(http, SET_FOCAL, {"id": asset["id"], "x": 0.9, "y": 0.5}, editor_token)
    right_url = await rendition_url(http, editor_token, asset["id"], width=250, height=250)

    assert left_url != right_url
    assert loaded((await http.get(left_url)).content).max() > 200
    assert loaded((await http.get(right_url)).content).max() == 0  # only black there


async def test_without_a_focal_point_the_crop_finds_the_subject(http, editor_token):
    asset = await square_asset(http, editor_token, left=880)
    url = await rendition_url(http, editor_token, asset["id"], width=250, height=250)

    assert loaded((await http.get(url)).content).max() > 200


async def test_contain_fits_the_box_without_cropping_or_enlarging(http, editor_token):
    asset = await square_asset(http, editor_token, left=450)
    fitted = await rendition_url(
        http, editor_token, asset["id"], width=200, height=200, fit="CONTAIN"
    )
    huge = await rendition_url(http, editor_token, asset["id"], width=4000, format="PNG")

    image = loaded((await http.get(fitted)).content)
    assert (image.width, image.height) == (200, 100)
    assert loaded((await http.get(huge)).content).width == 1000


async def test_a_focal_point_outside_the_image_is_refused(http, editor_token):
    asset = await square_asset(http, editor_token, left=0)

    data = await api(http, SET_FOCAL, {"id": asset["id"], "x": 1.5, "y": 0.5}, editor_token)

    assert data["updateAsset"]["errors"] == [{"field": "focalPoint", "code": "INVALID"}]


async def test_only_configured_widths_are_served_when_a_list_is_set(media_settings, editor_token):
    app = create_app(
        media_settings.model_copy(update={"media_allowed_widths": [320, 640]}),
        manage_database=False,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        asset = await square_asset(http, editor_token, left=0)
        offered = await rendition_url(http, editor_token, asset["id"], width=320)
        other = await rendition_url(http, editor_token, asset["id"], width=500)

        assert (await http.get(offered)).status_code == 200
        assert (await http.get(other)).status_code == 400


@pytest.mark.parametrize("storage_kind", ["s3"])
async def test_crops_are_made_from_a_bucket_too(http, editor_token, storage_kind):
    asset = await square_asset(http, editor_token, left=850)
    await api(http, SET_FOCAL, {"id": asset["id"], "x": 0.9, "y": 0.5}, editor_token)
    url = await rendition_url(http, editor_token, asset["id"], width=250, height=250)

    assert loaded((await http.get(url)).content).max() > 200
