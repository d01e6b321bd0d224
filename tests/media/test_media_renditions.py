"""Renditions at /media/<signature>/<spec>/<id>.<ext>: made on first request, stored,
served immutable; metadata stripped; signatures checked; formats negotiated."""

import asyncio

import pytest

from cms.media.storage import original_key, rendition_key
from media.media_support import (
    AVIF_FIRST,
    loaded,
    make_image,
    photo_with_gps_and_orientation,
    rendition_url,
    upload,
)

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])


async def uploaded(http, token, data, name="photo.jpg"):
    return (await upload(http, data, name, token))["asset"]


async def test_a_rendition_is_made_on_first_request_stored_and_served_immutable(
    http, storage, editor_token
):
    asset = await uploaded(http, editor_token, make_image(800, 600, ".jpg"))
    url = await rendition_url(http, editor_token, asset["id"], width=400, format="WEBP")

    first = await http.get(url)
    again = await http.get(url)

    assert first.status_code == again.status_code == 200
    assert first.headers["content-type"] == "image/webp"
    assert first.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert first.headers["etag"] == again.headers["etag"]
    assert "accept" not in first.headers.get("vary", "").lower()
    assert (loaded(first.content).width, loaded(first.content).height) == (400, 300)
    spec = url.split("/")[3]
    stored = await storage.get(rendition_key(asset["contentHash"], spec, "webp"))
    assert stored == first.content
    unchanged = await http.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert unchanged.status_code == 304


async def test_exif_and_gps_are_stripped_and_orientation_applied(http, editor_token):
    asset = await uploaded(http, editor_token, photo_with_gps_and_orientation(120, 60))
    assert (asset["width"], asset["height"]) == (60, 120)  # as displayed
    url = await rendition_url(http, editor_token, asset["id"], width=30, format="JPEG")

    image = loaded((await http.get(url)).content)

    assert (image.width, image.height) == (30, 60)
    fields = image.get_fields()
    assert not [name for name in fields if name.startswith("exif") or "gps" in name.lower()]
    assert "orientation" not in fields or image.get("orientation") == 1


async def test_a_tampered_signature_or_spec_is_refused(http, editor_token):
    asset = await uploaded(http, editor_token, make_image(200, 100, ".png"))
    url = await rendition_url(http, editor_token, asset["id"], width=100)
    _, media, signature, spec, name = url.split("/")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]

    assert (await http.get(url)).status_code == 200
    for forged in (
        f"/{media}/{flipped}/{spec}/{name}",
        f"/{media}/{signature}/{spec.replace('w100', 'w5000')}/{name}",
        f"/{media}/{signature}/{spec}/{name.replace('.auto', '.png')}",
    ):
        response = await http.get(forged)
        assert response.status_code == 403, forged


async def test_auto_format_follows_accept_and_varies_on_it(http, editor_token):
    asset = await uploaded(http, editor_token, make_image(300, 200, ".png"))
    url = await rendition_url(http, editor_token, asset["id"], width=150)
    assert url.endswith(".auto")

    for accept, content_type in (
        (AVIF_FIRST, "image/avif"),
        ("image/webp,*/*", "image/webp"),
        ("image/png,image/*;q=0.8", "image/jpeg"),
        ("", "image/jpeg"),
    ):
        response = await http.get(url, headers={"Accept": accept})
        assert response.headers["content-type"] == content_type, accept
        assert "Accept" in response.headers["vary"].split(", ")
        assert loaded(response.content).width == 150


async def test_concurrent_first_requests_make_one_rendition(http, media_app, editor_token):
    asset = await uploaded(http, editor_token, make_image(1600, 1200, ".jpg"))
    url = await rendition_url(http, editor_token, asset["id"], width=700, format="JPEG")
    renditions = media_app.state.renditions

    responses = await asyncio.gather(*(http.get(url) for _ in range(8)))

    assert {response.status_code for response in responses} == {200}
    assert len({response.content for response in responses}) == 1
    assert renditions.renders == 1


async def test_an_unknown_asset_is_not_found(http, media_app, editor_token):
    asset = await uploaded(http, editor_token, make_image(40, 40, ".png"))
    signer = media_app.state.renditions.media.signer
    from cms.media.specs import RenditionSpec

    response = await http.get(signer.url(RenditionSpec(width=20), 999_999, "jpg"))

    assert response.status_code == 404
    assert asset["id"]


async def test_an_original_damaged_in_the_storage_gets_a_plain_500_and_is_logged(
    http, storage, editor_token, caplog
):
    data = make_image(800, 600, ".webp")
    asset = await uploaded(http, editor_token, data, "harbour.webp")
    damaged = bytearray(data)
    for index in range(len(data) // 2, len(data) // 2 + 64):
        damaged[index] ^= 0x5A  # the header still reads; the pixels do not decode
    await storage.put(original_key(asset["contentHash"]), bytes(damaged))
    url = await rendition_url(http, editor_token, asset["id"], width=100, format="JPEG")

    response = await http.get(url)

    assert response.status_code == 500
    assert response.text == "The image cannot be rendered."
    assert "immutable" not in response.headers.get("cache-control", "")
    assert any("cannot be rendered" in record.getMessage() for record in caplog.records)
