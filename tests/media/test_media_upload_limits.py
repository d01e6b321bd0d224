"""Upload limits, each a setting: bytes, pixels (decompression bombs), types; SVG refused;
the CSRF-safe header and a token are required before the body is read."""

import time

import httpx
import pytest
import pyvips

from cms.app import create_app
from media.media_support import animated_gif, make_image, many_frame_gif, post_upload, upload


def app_with(media_settings, **changes):
    return create_app(media_settings.model_copy(update=changes), manage_database=False)


async def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cms.test")


async def test_an_svg_is_refused_whatever_its_name(http, editor_token):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(1)</script><rect width="10" height="10"/></svg>'
    )
    for name in ("logo.svg", "logo.png"):
        payload = await upload(http, svg, name, editor_token)
        assert [e["code"] for e in payload["errors"]] == ["UNSUPPORTED_TYPE"], name


async def test_a_file_over_the_byte_limit_is_refused(media_settings, editor_token):
    data = make_image(200, 200, ".png", compression=0)
    async with await client_for(app_with(media_settings, media_max_bytes=len(data) - 1)) as http:
        payload = await upload(http, data, "big.png", editor_token)

    assert payload["asset"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("file", "FILE_TOO_LARGE")


async def test_a_request_far_over_the_byte_limit_is_refused_by_its_declared_length(
    media_settings, editor_token
):
    app = app_with(media_settings, media_max_bytes=1024, max_body_bytes=1024)
    async with await client_for(app) as http:
        response = await post_upload(http, b"x" * 200_000, "huge.png", token=editor_token)

    assert response.status_code == 413


async def test_uploads_may_be_larger_than_other_request_bodies(media_settings, editor_token):
    data = make_image(400, 400, ".png", compression=0)
    assert len(data) > 400_000
    app = app_with(media_settings, max_body_bytes=100_000, media_max_bytes=1_000_000)
    async with await client_for(app) as http:
        payload = await upload(http, data, "large.png", editor_token)

    assert payload["errors"] == []


async def test_a_decompression_bomb_is_refused_from_its_header(media_settings, editor_token):
    # 8000x8000 pixels of black: 64 megapixels in a few kilobytes.
    bomb = pyvips.Image.black(8000, 8000).cast("uchar").pngsave_buffer(compression=9)
    assert len(bomb) < 200_000
    async with await client_for(app_with(media_settings, media_max_pixels=50_000_000)) as http:
        started = time.perf_counter()
        payload = await upload(http, bomb, "bomb.png", editor_token)
        elapsed = time.perf_counter() - started

    [error] = payload["errors"]
    assert error["code"] == "TOO_MANY_PIXELS"
    assert "8000x8000" in error["message"]
    assert elapsed < 2, "the bomb was decoded"


async def test_a_small_gif_of_thousands_of_frames_is_refused_from_its_header(
    media_settings, editor_token
):
    # 6000 one-pixel frames on a 100x100 screen: 60 megapixels to decode in 138 kB.
    bomb = many_frame_gif(100, 100, 6000)
    assert len(bomb) < 200_000
    app = app_with(media_settings, media_max_pixels=50_000_000, media_max_frames=10_000)
    async with await client_for(app) as http:
        started = time.perf_counter()
        payload = await upload(http, bomb, "bomb.gif", editor_token)
        elapsed = time.perf_counter() - started

    [error] = payload["errors"]
    assert error["code"] == "TOO_MANY_PIXELS"
    assert "100x100 x 6000 frames (60000000 pixels)" in error["message"]
    assert elapsed < 2, "the frames were decoded"


async def test_an_animation_over_the_frame_limit_is_refused(media_settings, editor_token):
    async with await client_for(app_with(media_settings, media_max_frames=4)) as http:
        refused = await upload(http, animated_gif(40, 20, frames=5), "long.gif", editor_token)
        accepted = await upload(http, animated_gif(40, 20, frames=4), "short.gif", editor_token)

    [error] = refused["errors"]
    assert (error["field"], error["code"]) == ("file", "TOO_MANY_FRAMES")
    assert "5 frames" in error["message"]
    assert accepted["errors"] == []


async def test_only_the_allowed_types_are_accepted(media_settings, editor_token):
    app = app_with(media_settings, media_allowed_types=["image/jpeg", "image/png"])
    async with await client_for(app) as http:
        refused = await upload(http, make_image(10, 10, ".gif"), "a.gif", editor_token)
        accepted = await upload(http, make_image(10, 10, ".jpg"), "a.jpg", editor_token)

    assert [e["code"] for e in refused["errors"]] == ["UNSUPPORTED_TYPE"]
    assert "image/gif" in refused["errors"][0]["message"]
    assert accepted["asset"]["mediaType"] == "image/jpeg"


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        (".jpg", "image/jpeg"),
        (".webp", "image/webp"),
        (".avif", "image/avif"),
        (".gif", "image/gif"),
    ],
)
async def test_each_accepted_type_is_detected(http, editor_token, suffix, media_type):
    payload = await upload(http, make_image(24, 16, suffix), "file.bin", editor_token)

    assert payload["asset"]["mediaType"] == media_type


async def test_a_truncated_image_is_refused(http, editor_token):
    data = make_image(300, 200, ".jpg")

    payload = await upload(http, data[: len(data) // 2], "cut.jpg", editor_token)

    assert payload["asset"] is None
    assert [e["code"] for e in payload["errors"]] == ["INVALID"]


async def test_an_upload_without_the_preflight_header_is_refused_before_its_body(
    http, editor_token
):
    response = await post_upload(
        http, make_image(), "a.png", token=editor_token, headers={"Apollo-Require-Preflight": ""}
    )

    assert response.status_code == 400
    assert "Apollo-Require-Preflight" in response.json()["errors"][0]["message"]


async def test_an_upload_without_a_token_is_refused(http):
    response = await post_upload(http, make_image(), "a.png", token=None)

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
