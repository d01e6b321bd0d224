"""`cms export` / `cms import` carry the media library: its rows and its files (images and
other files alike), from one storage into another (a directory or a bucket), nothing
lost."""

import base64
import hashlib
import json
import uuid

import boto3
import pytest
from cli_support import Cms

from cms.config import Settings
from cms.media.storage import open_storage, original_key
from media.file_support import make_pdf
from media.media_support import api, make_image, upload

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])
SET_COVER = """
mutation Cover($cover: ID!) {
  createPage(input: {slug: "cover", title: "Cover", coverImageId: $cover}) { errors { code } }
}
"""
DESCRIBE = """
mutation D($id: ID!) {
  updateAsset(input: {id: $id, alt: "Sky", caption: "Evening", focalPoint: {x: 0.2, y: 0.8}}) {
    errors { code }
  }
}
"""


def media_env(settings: Settings) -> dict[str, str]:
    if settings.media_url:
        return {
            "CMS_MEDIA_URL": settings.media_url,
            "CMS_MEDIA_S3_ENDPOINT": settings.media_s3_endpoint or "",
        }
    return {"CMS_MEDIA_ROOT": str(settings.media_root)}


def target_settings(source: Settings, tmp_path) -> Settings:
    """Another, empty storage of the same kind."""
    if not source.media_url:
        return source.model_copy(update={"media_root": tmp_path / "imported-media"})
    bucket = f"imported-{uuid.uuid4().hex[:12]}"
    endpoint = source.media_s3_endpoint
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return source.model_copy(update={"media_url": f"s3://{bucket}"})


async def test_export_then_import_carries_assets_and_their_files(
    http, database, media_settings, editor_token, tmp_path
):
    photos = [make_image(60, 40, ".jpg"), make_image(30, 30, ".png", colour=200), make_pdf()]
    assets = [
        (await upload(http, data, f"p{n}", editor_token))["asset"] for n, data in enumerate(photos)
    ]
    await api(http, DESCRIBE, {"id": assets[0]["id"]}, editor_token)
    await api(http, SET_COVER, {"cover": assets[0]["id"]}, editor_token)
    source = Cms(database.url, tmp_path, media_env(media_settings))
    backup = tmp_path / "backup.json"
    source.run("export", "--output", str(backup))
    exported = json.loads(backup.read_text())
    assert [a["alt"] for a in exported["assets"]] == ["Sky", "", ""]
    assert [a["kind"] for a in exported["assets"]] == ["image", "image", "file"]
    assert exported["assets"][2]["width"] is None
    assert base64.b64decode(exported["assetFiles"][assets[1]["contentHash"]]) == photos[1]
    assert base64.b64decode(exported["assetFiles"][assets[2]["contentHash"]]) == photos[2]

    target_url = await database.new_database_url(tmp_path)
    imported_to = target_settings(media_settings, tmp_path)
    try:
        target = Cms(target_url, tmp_path, media_env(imported_to))
        target.run("migrate")
        assert "Imported 3 assets, 1 pages" in target.run("import", str(backup)).stdout
        again = tmp_path / "again.json"
        target.run("export", "--output", str(again))
        assert json.loads(again.read_text()) == exported
    finally:
        await database.drop(target_url)
    storage = open_storage(imported_to)
    for asset, data in zip(assets, photos, strict=True):
        stored = await storage.get(original_key(asset["contentHash"]))
        assert stored == data and hashlib.sha256(stored).hexdigest() == asset["contentHash"]
