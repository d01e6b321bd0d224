"""Uploading images over the GraphQL multipart request: what is stored, deduplication, and
every refusal — each checked from the bytes, before anything is stored."""

import hashlib

import pytest

from cms.media.storage import original_key
from media.media_support import api, make_image, upload

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])


async def test_upload_stores_the_original_and_describes_it_from_its_bytes(
    http, storage, editor_token
):
    data = make_image(64, 48, ".png")

    payload = await upload(http, data, "holiday photo.png", editor_token)

    asset = payload["asset"]
    assert payload["errors"] == []
    assert asset["mediaType"] == "image/png"
    assert (asset["width"], asset["height"], asset["size"]) == (64, 48, len(data))
    assert asset["originalName"] == "holiday photo.png"
    assert asset["uploader"] == "test editor"
    assert asset["contentHash"] == hashlib.sha256(data).hexdigest()
    assert asset["image"]["placeholder"].startswith("data:image/webp;base64,")
    assert await storage.get(original_key(asset["contentHash"])) == data


async def test_the_same_bytes_uploaded_twice_are_one_asset(http, storage, editor_token):
    data = make_image(32, 32, ".jpg")

    first = await upload(http, data, "a.jpg", editor_token)
    second = await upload(http, data, "copy of a.jpg", editor_token)

    assert first["asset"]["id"] == second["asset"]["id"]
    assert second["asset"]["originalName"] == "a.jpg"
    stored = [key async for key in _keys(storage, "originals/")]
    assert stored == [original_key(first["asset"]["contentHash"])]


async def _keys(storage, prefix):
    import obstore

    async for batch in obstore.list(storage.store, prefix=prefix):
        for meta in batch:
            yield meta["path"].removeprefix("cms/")


async def test_a_png_named_jpg_is_stored_as_png(http, editor_token):
    payload = await upload(http, make_image(20, 10, ".png"), "photo.jpg", editor_token)

    assert payload["asset"]["mediaType"] == "image/png"


async def test_html_named_png_is_refused_and_nothing_is_stored(http, storage, editor_token):
    page = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

    payload = await upload(http, page, "innocent.png", editor_token)

    assert payload["asset"] is None
    assert [e["code"] for e in payload["errors"]] == ["UNSUPPORTED_TYPE"]
    assert [key async for key in _keys(storage, "")] == []


async def test_a_file_given_inline_instead_of_as_a_part_is_a_typed_error(http, editor_token):
    for literal in ('""', "[]", '{name: "x.png"}'):
        body = await api(
            http,
            f"mutation {{ uploadAsset(file: {literal}) {{ asset {{ id }} "
            "errors { field code } } }",
            token=editor_token,
        )

        assert body["uploadAsset"] == {
            "asset": None,
            "errors": [{"field": "file", "code": "REQUIRED"}],
        }, literal
