"""The studio's media library (/studio/media): the grid lists the library newest first with
signed thumbnails, searches, filters by type and pages with keyset cursors; uploads from
the studio go to /graphql with the session and its CSRF header; strangers are sent to sign in."""

import re

import httpx
from media.media_support import make_image

from cms.app import create_app
from cms.models import Asset
from studio.library_support import grid_names, link, post_upload, upload_image


async def test_the_library_lists_uploads_newest_first_with_signed_thumbnails(studio_editor):
    await upload_image(studio_editor, "harbour.png", colour=10)
    await upload_image(studio_editor, "lighthouse.png", colour=20)

    response = await studio_editor.get("/studio/media")

    assert response.status_code == 200
    assert grid_names(response.text) == ["lighthouse.png", "harbour.png"]
    thumbnail = re.search(r'<img class="asset-thumb__image" src="([^"]+)"', response.text)[1]
    assert re.fullmatch(r"/media/[^/]+/w240_[^/]+/\d+\.webp", thumbnail)
    assert 'width="40" height="30"' in response.text
    assert 'src="data:image/webp;base64,' in response.text
    assert (await studio_editor.http.get(thumbnail)).headers["content-type"] == "image/webp"
    assert 'href="/studio/media" aria-current="page"' in response.text


async def test_the_library_searches_and_filters_by_type(studio_editor):
    await upload_image(studio_editor, "harbour.png", colour=10)
    await upload_image(studio_editor, "lighthouse.png", colour=20)
    jpeg = await post_upload(studio_editor, make_image(30, 20, ".jpg"), "harbour-night.jpg")
    assert jpeg.json()["data"]["uploadAsset"]["errors"] == []

    searched = await studio_editor.get("/studio/media?q=harbour")
    pngs = await studio_editor.get("/studio/media?q=harbour&type=image/png")

    assert grid_names(searched.text) == ["harbour-night.jpg", "harbour.png"]
    assert grid_names(pngs.text) == ["harbour.png"]
    assert '<option value="image/png" selected>PNG</option>' in pngs.text


async def test_the_library_pages_forward_and_back_with_keyset_cursors(studio_editor):
    for number in range(27):
        await upload_image(studio_editor, f"photo-{number:02d}.png", colour=number)

    first = await studio_editor.get("/studio/media")
    second = await studio_editor.get(link(first.text, "next"))
    back = await studio_editor.get(link(second.text, "prev"))

    assert grid_names(first.text) == [f"photo-{n:02d}.png" for n in range(26, 2, -1)]
    assert grid_names(second.text) == ["photo-02.png", "photo-01.png", "photo-00.png"]
    assert 'rel="next"' not in second.text
    assert grid_names(back.text) == grid_names(first.text)


async def test_htmx_gets_the_grid_alone_to_show_new_uploads(studio_editor):
    await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.http.get("/studio/media", headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<div id="media-grid"')
    assert grid_names(response.text) == ["harbour.png"]
    assert "<html" not in response.text


async def test_an_upload_from_the_studio_is_refused_without_the_csrf_header(studio_editor):
    response = await post_upload(studio_editor, make_image(), "forged.png", csrf="")

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not await Asset.exists()


async def test_an_upload_with_another_sessions_token_is_forbidden(studio_editor, studio_admin):
    response = await post_upload(studio_editor, make_image(), "forged.png", csrf=studio_admin.csrf)

    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not await Asset.exists()


async def test_a_refused_upload_says_why_in_a_typed_error(studio_editor):
    page = b"<!DOCTYPE html><html><body><p>Just some notes</p></body></html>"
    response = await post_upload(studio_editor, page, "notes.png")

    payload = response.json()["data"]["uploadAsset"]
    assert payload["asset"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("file", "UNSUPPORTED_TYPE")]


async def test_the_upload_zone_carries_the_document_and_the_limits(studio_editor):
    response = await studio_editor.get("/studio/media")

    config = re.search(
        r'<script type="application/json" id="upload-config">(.*?)</script>', response.text, re.S
    )[1]
    assert "uploadAsset(file: $file)" in config
    assert '"maxBytes"' in config
    assert 'id="upload-input"' in response.text and "multiple" in response.text


async def test_the_library_needs_sign_in(studio_browser):
    browser = await studio_browser()

    for path in ("/studio/media", "/studio/media/picker", "/studio/media/QXNzZXQ6MQ=="):
        response = await browser.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/studio/sign-in?next=" + path.replace("=", "%3D")


async def test_the_picker_lists_images_to_insert(studio_editor):
    asset = await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.get("/studio/media/picker?q=harb")

    assert f'data-asset-id="{asset["id"]}"' in response.text
    assert "No alt text yet" in response.text
    assert "<html" not in response.text


async def test_thumbnails_from_a_media_cdn_are_allowed_by_the_studios_policy(settings):
    cdn = "https://media.example.com"
    app = create_app(settings.model_copy(update={"media_public_url": cdn}), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        response = await http.get("/studio/sign-in")

    directives = response.headers["content-security-policy"].split("; ")
    assert f"img-src 'self' data: {cdn}" in directives


def stored_assets(prefix: str, count: int) -> list[Asset]:
    """Rows as an upload leaves them (no files: the grid only reads rows and signs URLs)."""
    return [
        Asset(
            content_hash=f"{prefix}{n:060d}",
            original_name=f"{prefix}-{n:04d}.png",
            media_type="image/png",
            size=100,
            width=40,
            height=30,
            uploader="Bulk",
        )
        for n in range(count)
    ]


async def test_the_library_costs_the_same_with_ten_times_the_files(studio_editor, sql_counter):
    """The grid is one keyset range per page: its statements do not grow with the library."""
    await Asset.bulk_create(stored_assets("few", 30))
    sql_counter.statements.clear()
    few = await studio_editor.get("/studio/media")
    few_statements = sql_counter.count

    await Asset.bulk_create(stored_assets("many", 300))
    sql_counter.statements.clear()
    many = await studio_editor.get("/studio/media")

    assert len(grid_names(few.text)) == len(grid_names(many.text)) == 24
    assert sql_counter.count == few_statements
