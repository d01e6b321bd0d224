"""Files are served as downloads at their signed URL: the stored bytes, as an attachment
under a safe name, never rendered by the browser, cached for good with an ETag; a changed
signature gets 403 and ids cannot be tried one by one."""

import hashlib
from urllib.parse import urlsplit

import httpx
import pytest

from cms.app import create_app
from cms.global_ids import from_global_id
from cms.media.library import MediaLibrary
from media.file_support import make_pdf
from media.media_support import api, make_image, upload

pytestmark = pytest.mark.parametrize("storage_kind", ["local", "s3"])
DOWNLOAD_URL = "query Url($id: ID!) { node(id: $id) { ... on Asset { downloadUrl } } }"
REPORT = make_pdf("Annual report 2026")


async def download_url(http, token, data=REPORT, name="Jahresbericht 2026 \u2013 Köln.pdf") -> str:
    asset = (await upload(http, data, name, token))["asset"]
    return (await api(http, DOWNLOAD_URL, {"id": asset["id"]}, token))["node"]["downloadUrl"]


async def test_a_file_is_downloaded_as_an_attachment_that_is_never_rendered(http, editor_token):
    url = await download_url(http, editor_token)

    response = await http.get(url)

    assert response.status_code == 200
    assert response.content == REPORT
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(REPORT))
    assert response.headers["content-disposition"] == (
        'attachment; filename="Jahresbericht 2026  Koln.pdf"; '
        "filename*=UTF-8''Jahresbericht%202026%20%E2%80%93%20K%C3%B6ln.pdf"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert url.endswith("/Jahresbericht%202026%20%E2%80%93%20K%C3%B6ln.pdf")


async def test_text_is_sent_as_utf8_text(http, editor_token):
    text = "Öffnungszeiten: Mo\u2013Fr\n".encode()

    response = await http.get(await download_url(http, editor_token, text, "hours"))

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == text
    assert "filename*=UTF-8''hours.txt" in response.headers["content-disposition"]


async def test_the_etag_is_the_content_hash_and_a_match_gets_304(http, editor_token):
    url = await download_url(http, editor_token)
    first = await http.get(url)

    again = await http.get(url, headers={"If-None-Match": first.headers["etag"]})

    assert first.headers["etag"] == f'"{hashlib.sha256(REPORT).hexdigest()}"'
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_head_answers_the_headers_without_the_body(http, editor_token):
    url = await download_url(http, editor_token)

    response = await http.head(url)

    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-length"] == str(len(REPORT))
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")


async def test_a_byte_range_is_served_as_206(http, editor_token):
    url = await download_url(http, editor_token)

    part = await http.get(url, headers={"Range": "bytes=5-14"})
    tail = await http.get(url, headers={"Range": "bytes=-10"})
    outside = await http.get(url, headers={"Range": f"bytes={len(REPORT)}-"})

    assert part.status_code == 206 and part.content == REPORT[5:15]
    assert part.headers["content-range"] == f"bytes 5-14/{len(REPORT)}"
    assert tail.status_code == 206 and tail.content == REPORT[-10:]
    assert outside.status_code == 416
    assert outside.headers["content-range"] == f"bytes */{len(REPORT)}"


async def test_several_or_invalid_ranges_get_the_whole_file(http, editor_token):
    url = await download_url(http, editor_token)

    several = await http.get(url, headers={"Range": "bytes=0-1,5-6"})
    backwards = await http.get(url, headers={"Range": "bytes=9-2"})

    assert several.status_code == backwards.status_code == 200
    assert several.content == backwards.content == REPORT


async def test_a_changed_signature_or_id_is_refused(http, editor_token):
    url = await download_url(http, editor_token)
    prefix, signature, segment, asset_id, name = url.rsplit("/", 4)
    forged = "A" + signature[1:] if signature[0] != "A" else "B" + signature[1:]

    tampered = await http.get(f"{prefix}/{forged}/{segment}/{asset_id}/{name}")
    other_id = await http.get(f"{prefix}/{signature}/{segment}/{int(asset_id) + 1}/{name}")

    assert tampered.status_code == 403
    assert other_id.status_code == 403


async def test_a_signed_url_of_no_file_is_not_found(http, media_settings, editor_token):
    media = MediaLibrary.from_settings(media_settings)
    image = (await upload(http, make_image(20, 20, ".png"), "a.png", editor_token))["asset"]
    _, image_pk = from_global_id(image["id"])

    missing = await http.get(media.downloads.url(999_999, "x.pdf"))
    an_image = await http.get(media.downloads.url(image_pk, "a.png"))

    assert missing.status_code == 404
    assert an_image.status_code == 404


async def test_images_have_no_download_url(http, editor_token):
    image = (await upload(http, make_image(20, 20, ".png"), "a.png", editor_token))["asset"]

    data = await api(http, DOWNLOAD_URL, {"id": image["id"]}, editor_token)

    assert data["node"]["downloadUrl"] is None


async def test_a_media_origin_makes_the_download_url_absolute(media_settings, editor_token):
    cdn = "https://media.example.com"
    app = create_app(
        media_settings.model_copy(update={"media_public_url": cdn}), manage_database=False
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://cms.test"
    ) as http:
        url = await download_url(http, editor_token)
        # The CDN forwards /media/… to the app unchanged.
        response = await http.get(urlsplit(url).path)

    assert url.startswith(f"{cdn}/media/")
    assert response.status_code == 200 and response.content == REPORT
