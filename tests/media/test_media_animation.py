"""Animated GIF (and WebP) uploads stay animated in GIF and WebP renditions — resized and
cropped frame by frame — and AUTO picks a format that animates; JPEG, PNG and AVIF
renditions and the placeholder are stills of the first frame."""

import base64

import httpx
import pytest

from cms.app import create_app
from media.media_support import (
    AVIF_FIRST,
    animated_gif,
    api,
    frames_of,
    loaded,
    make_image,
    rendition_url,
    upload,
)

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])
FRAMES = 5
SET_FOCAL = """
mutation Focus($id: ID!, $x: Float!, $y: Float!) {
  updateAsset(input: {id: $id, focalPoint: {x: $x, y: $y}}) { errors { code } }
}
"""


async def animation(http, token) -> dict:
    """A 200x100 GIF of five frames, uploaded."""
    payload = await upload(http, animated_gif(200, 100, FRAMES), "dance.gif", token)
    assert payload["errors"] == []
    return payload["asset"]


@pytest.mark.parametrize(("format", "content_type"), [("GIF", "image/gif"), ("WEBP", "image/webp")])
async def test_gif_and_webp_renditions_keep_every_frame_at_the_size_asked(
    http, editor_token, format, content_type
):
    asset = await animation(http, editor_token)
    assert (asset["width"], asset["height"]) == (200, 100)  # one frame's size
    url = await rendition_url(http, editor_token, asset["id"], width=100, format=format)

    response = await http.get(url)

    assert response.headers["content-type"] == content_type
    frames = frames_of(response.content)
    assert len(frames) == FRAMES
    assert {(frame.width, frame.height) for frame in frames} == {(100, 50)}
    # The frames differ (each its own grey): the animation was kept, not one frame repeated.
    assert len({round(frame.min()) for frame in frames}) == FRAMES


async def test_auto_serves_animated_webp_or_else_gif_never_avif(http, editor_token):
    asset = await animation(http, editor_token)
    url = await rendition_url(http, editor_token, asset["id"], width=100)

    for accept, content_type in (
        (AVIF_FIRST, "image/webp"),
        ("image/webp,*/*", "image/webp"),
        ("image/png,image/*;q=0.8", "image/gif"),
        ("", "image/gif"),
    ):
        response = await http.get(url, headers={"Accept": accept})
        assert response.headers["content-type"] == content_type, accept
        assert "Accept" in response.headers["vary"].split(", ")
        assert len(frames_of(response.content)) == FRAMES, accept


@pytest.mark.parametrize("format", ["JPEG", "PNG", "AVIF"])
async def test_other_formats_get_a_still_of_the_first_frame(http, editor_token, format):
    asset = await animation(http, editor_token)
    url = await rendition_url(http, editor_token, asset["id"], width=100, format=format)

    [frame] = frames_of((await http.get(url)).content)

    assert (frame.width, frame.height) == (100, 50)


async def test_a_cover_crop_around_the_focal_point_crops_every_frame(http, editor_token):
    asset = await animation(http, editor_token)
    # The white square is near the right edge of every frame.
    await api(http, SET_FOCAL, {"id": asset["id"], "x": 0.85, "y": 0.5}, editor_token)
    url = await rendition_url(http, editor_token, asset["id"], width=60, height=60, format="GIF")

    frames = frames_of((await http.get(url)).content)

    assert len(frames) == FRAMES
    assert {(frame.width, frame.height) for frame in frames} == {(60, 60)}
    assert all(frame.max() > 200 for frame in frames)


async def test_without_a_focal_point_the_attention_crop_keeps_the_animation(http, editor_token):
    asset = await animation(http, editor_token)
    url = await rendition_url(http, editor_token, asset["id"], width=60, height=60, format="WEBP")

    frames = frames_of((await http.get(url)).content)

    assert len(frames) == FRAMES
    assert {(frame.width, frame.height) for frame in frames} == {(60, 60)}
    assert all(frame.max() > 200 for frame in frames)  # the square is the subject


async def test_the_placeholder_of_an_animation_is_a_still(http, editor_token):
    asset = await animation(http, editor_token)
    placeholder = asset["image"]["placeholder"]

    data = base64.b64decode(placeholder.removeprefix("data:image/webp;base64,"))

    assert len(frames_of(data)) == 1


async def test_a_still_gif_is_negotiated_like_any_still(http, editor_token):
    asset = (await upload(http, make_image(120, 80, ".gif"), "still.gif", editor_token))["asset"]
    url = await rendition_url(http, editor_token, asset["id"], width=60)

    response = await http.get(url, headers={"Accept": AVIF_FIRST})

    assert response.headers["content-type"] == "image/avif"
    assert loaded(response.content).width == 60


async def test_an_animation_over_the_limits_now_in_force_is_rendered_as_a_still(
    http, media_settings, editor_token
):
    # Uploaded when five frames were allowed (or imported); the limit is now four.
    asset = await animation(http, editor_token)
    stricter = create_app(
        media_settings.model_copy(update={"media_max_frames": 4}), manage_database=False
    )
    transport = httpx.ASGITransport(app=stricter)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as now:
        gif = await rendition_url(now, editor_token, asset["id"], width=100, format="GIF")
        auto = await rendition_url(now, editor_token, asset["id"], width=100)

        assert len(frames_of((await now.get(gif)).content)) == 1
        negotiated = await now.get(auto, headers={"Accept": AVIF_FIRST})
        assert negotiated.headers["content-type"] == "image/avif"
