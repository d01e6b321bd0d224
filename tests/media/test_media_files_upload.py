"""Uploading files besides images over the GraphQL multipart request: stored as FILE
assets, deduplicated, and refused — nothing stored — when their bytes are markup, whatever
their name. Image-only rules (alt text, covers) do not apply to them."""

import hashlib

import httpx
import obstore
import pytest

from cms.app import create_app
from cms.media.storage import original_key
from media.file_support import DOCX, HTML_PAGE, SVG, make_bomb_docx, make_docx, make_pdf
from media.media_support import api, make_image, post_upload, upload

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])
FILE_ASSET = """
query File($id: ID!) {
  node(id: $id) { ... on Asset { kind mediaType width height image { alt } downloadUrl } }
}
"""


async def stored_keys(storage) -> list[str]:
    return [
        meta["path"] async for batch in obstore.list(storage.store, prefix=None) for meta in batch
    ]


@pytest.mark.parametrize(
    ("data", "name", "media_type"),
    [
        (make_pdf(), "Annual report 2026.pdf", "application/pdf"),
        ("Opening hours:\nMon\u2013Fri 9\u201317\n".encode(), "hours.txt", "text/plain"),
        (make_docx(), "minutes.docx", DOCX),
    ],
)
async def test_a_file_is_stored_as_a_file_asset(
    http, storage, editor_token, data, name, media_type
):
    payload = await upload(http, data, name, editor_token)

    asset = payload["asset"]
    assert payload["errors"] == []
    assert (asset["mediaType"], asset["originalName"], asset["size"]) == (
        media_type,
        name,
        len(data),
    )
    assert asset["contentHash"] == hashlib.sha256(data).hexdigest()
    assert await storage.get(original_key(asset["contentHash"])) == data
    described = (await api(http, FILE_ASSET, {"id": asset["id"]}, editor_token))["node"]
    assert described["kind"] == "FILE" and described["image"] is None
    assert described["width"] is None and described["height"] is None
    assert described["downloadUrl"].startswith("/media/")


async def test_the_same_file_uploaded_twice_is_one_asset(http, storage, editor_token):
    data = make_pdf("Twice")

    first = await upload(http, data, "report.pdf", editor_token)
    second = await upload(http, data, "report (1).pdf", editor_token)

    assert first["asset"]["id"] == second["asset"]["id"]
    assert len(await stored_keys(storage)) == 1


@pytest.mark.parametrize(
    ("data", "name"),
    [(HTML_PAGE, "invoice.pdf"), (HTML_PAGE, "readme.txt"), (SVG, "logo.svg"), (SVG, "a.txt")],
)
async def test_markup_is_refused_whatever_its_name_and_nothing_is_stored(
    http, storage, editor_token, data, name
):
    payload = await upload(http, data, name, editor_token)

    assert payload["asset"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "UNSUPPORTED_TYPE")]
    assert await stored_keys(storage) == []


async def test_a_zip_bomb_dressed_as_a_docx_is_refused_at_once(http, storage, editor_token):
    payload = await upload(http, make_bomb_docx(), "big.docx", editor_token)

    assert [e["code"] for e in payload["errors"]] == ["UNSUPPORTED_TYPE"]
    assert await stored_keys(storage) == []


async def test_a_type_left_out_of_the_allowed_list_is_refused(media_settings, editor_token):
    settings = media_settings.model_copy(update={"media_allowed_types": ["image/png"]})
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        response = await post_upload(http, make_pdf(), "a.pdf", token=editor_token)

    errors = response.json()["data"]["uploadAsset"]["errors"]
    assert [e["code"] for e in errors] == ["UNSUPPORTED_TYPE"]
    assert "application/pdf" in errors[0]["message"]


UPDATE = """
mutation Update($input: UpdateAssetInput!) {
  updateAsset(input: $input) { asset { id } errors { field code } }
}
"""
COVER = """
mutation Cover($cover: ID!) {
  createPage(input: {slug: "pdf-cover", title: "PDF cover", coverImageId: $cover}) {
    page { id } errors { field code }
  }
}
"""


async def test_a_file_takes_a_caption_but_no_image_only_description(http, editor_token):
    asset = (await upload(http, make_pdf(), "r.pdf", editor_token))["asset"]

    captioned = await api(
        http, UPDATE, {"input": {"id": asset["id"], "caption": "The 2026 report"}}, editor_token
    )
    refused = await api(
        http,
        UPDATE,
        {"input": {"id": asset["id"], "alt": "A report", "focalPoint": {"x": 0.5, "y": 0.5}}},
        editor_token,
    )

    assert captioned["updateAsset"]["errors"] == []
    assert refused["updateAsset"]["errors"] == [
        {"field": "alt", "code": "INVALID"},
        {"field": "focalPoint", "code": "INVALID"},
    ]


async def test_a_file_cannot_be_a_cover_image(http, editor_token):
    asset = (await upload(http, make_pdf(), "r.pdf", editor_token))["asset"]

    data = await api(http, COVER, {"cover": asset["id"]}, editor_token)

    assert data["createPage"]["errors"] == [{"field": "coverImageId", "code": "INVALID"}]


LIBRARY = """
query Library($kind: AssetKind, $type: String) {
  assets(first: 10, kind: $kind, type: $type) { edges { node { originalName kind } } }
}
"""


async def test_the_library_lists_files_or_images_alone(http, editor_token):
    await upload(http, make_image(20, 20, ".png"), "photo.png", editor_token)
    await upload(http, make_pdf(), "report.pdf", editor_token)
    await upload(http, make_docx(), "minutes.docx", editor_token)

    async def names(**filters) -> list[str]:
        variables = {"kind": None, "type": None, **filters}
        data = await api(http, LIBRARY, variables, editor_token)
        return [edge["node"]["originalName"] for edge in data["assets"]["edges"]]

    assert await names(kind="FILE") == ["minutes.docx", "report.pdf"]
    assert await names(kind="IMAGE") == ["photo.png"]
    assert await names(type="application/pdf") == ["report.pdf"]
    assert await names(kind="IMAGE", type="application/pdf") == []
