"""Files (not images) in the studio's media library: the grid shows them as file cards, the
type filter names them, their page offers the signed download and the Markdown that links
them, and the editor's image picker leaves them out."""

import html
import re

from media.file_support import make_pdf

from studio.library_support import grid_names, post_upload, upload_image


async def upload_pdf(browser, name: str = "annual-report.pdf") -> dict:
    response = await post_upload(browser, make_pdf(), name)
    payload = response.json()["data"]["uploadAsset"]
    assert payload["errors"] == [], payload
    return payload["asset"]


async def test_a_file_shows_as_a_card_named_by_its_type(studio_editor):
    await upload_pdf(studio_editor)

    response = await studio_editor.get("/studio/media")

    assert grid_names(response.text) == ["annual-report.pdf"]
    assert '<span class="asset-file-type">PDF</span>' in response.text
    images, files = re.findall(r'<optgroup label="(\w+)">(.*?)</optgroup>', response.text)
    assert images[0] == "Images" and '<option value="image/png">PNG</option>' in images[1]
    assert files[0] == "Files" and '<option value="application/pdf">PDF</option>' in files[1]
    assert "image/" not in files[1]
    assert "asset-thumb__image" not in response.text


async def test_the_type_filter_keeps_files_of_one_type(studio_editor):
    await upload_pdf(studio_editor)
    await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.get("/studio/media?type=application/pdf")

    assert grid_names(response.text) == ["annual-report.pdf"]


async def test_a_files_page_offers_its_download_and_the_markdown_link(studio_editor):
    asset = await upload_pdf(studio_editor)

    response = await studio_editor.get(f"/studio/media/{asset['id']}")

    assert response.status_code == 200
    href = html.unescape(re.search(r'<a class="button" href="([^"]+)" download>', response.text)[1])
    assert f"[annual-report.pdf](asset:{asset['id']})" in html.unescape(response.text)
    assert 'id="alt"' not in response.text and 'id="focal_x"' not in response.text
    download = await studio_editor.http.get(href)
    assert download.status_code == 200
    assert download.content == make_pdf()
    assert download.headers["content-disposition"].startswith("attachment;")


async def test_the_image_picker_leaves_files_out(studio_editor):
    pdf = await upload_pdf(studio_editor, "harbour-plan.pdf")
    image = await upload_image(studio_editor, "harbour.png")

    response = await studio_editor.get("/studio/media/picker?q=harbour")

    assert f'data-asset-id="{image["id"]}"' in response.text
    assert pdf["id"] not in response.text
