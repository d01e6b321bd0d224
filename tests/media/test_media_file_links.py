"""Files in section bodies: ``[text](asset:ID)`` is a download link with the file's type and
size, in bodyHtml and on the reader site; a file is never shown as an image; a link to an
asset that is gone, or to an image, is plain text and editors are told; a linked file
cannot be deleted."""

from cms.global_ids import from_global_id
from media.file_support import make_pdf
from media.media_support import api, make_image, upload

PAGE = """
mutation Create($slug: String!) {
  createPage(input: {slug: $slug, title: "Reports"}) { page { id } }
}
"""
SECTION = """
mutation Add($page: ID!, $body: String!) {
  createSection(input: {pageId: $page, title: "Downloads", body: $body}) {
    section { bodyHtml imageWarnings }
    errors { code }
  }
}
"""
PUBLISH = "mutation P($id: ID!) { publishPage(input: {id: $id}) { errors { code } } }"
DELETE = """
mutation Delete($id: ID!) {
  deleteAsset(id: $id) { deletedId errors { code } usage { place } }
}
"""
DOWNLOAD_URL = "query Url($id: ID!) { node(id: $id) { ... on Asset { downloadUrl } } }"
PDF = make_pdf("Annual report")
REPORT = PDF + b"%" + b"x" * (1800 - len(PDF) - 1)  # 1.8 KB, a comment after the PDF


async def section_with(http, token, body: str, slug: str = "reports") -> tuple[str, dict]:
    page = (await api(http, PAGE, {"slug": slug}, token))["createPage"]["page"]["id"]
    added = await api(http, SECTION, {"page": page, "body": body}, token)
    return page, added["createSection"]["section"]


async def uploaded_report(http, token) -> tuple[str, str]:
    asset = (await upload(http, REPORT, "annual-report.pdf", token))["asset"]
    url = (await api(http, DOWNLOAD_URL, {"id": asset["id"]}, token))["node"]["downloadUrl"]
    return asset["id"], url


async def test_a_link_to_a_file_is_a_download_link_with_its_type_and_size(http, editor_token):
    asset_id, url = await uploaded_report(http, editor_token)

    _, section = await section_with(
        http, editor_token, f"Read the [Annual report](asset:{asset_id}) today."
    )

    assert section["bodyHtml"] == (
        f'<p>Read the <a href="{url}" download="" rel="noopener noreferrer">Annual report</a> '
        '<small class="download__meta">(PDF, 1.8 KB)</small> today.</p>\n'
    )
    assert section["imageWarnings"] == []


async def test_a_file_shown_as_an_image_is_a_link_never_an_img(http, editor_token):
    asset_id, url = await uploaded_report(http, editor_token)
    _, pk = from_global_id(asset_id)

    _, section = await section_with(http, editor_token, f"![The report](asset:{pk})")

    html = section["bodyHtml"]
    assert "<img" not in html and "<figure" not in html
    assert f'<a href="{url}" download="" rel="noopener noreferrer">The report</a>' in html


async def test_a_link_to_an_asset_that_is_gone_is_plain_text_and_editors_are_told(
    http, editor_token
):
    asset_id, _ = await uploaded_report(http, editor_token)
    await api(http, DELETE, {"id": asset_id}, editor_token)

    _, section = await section_with(http, editor_token, f"See [the report](asset:{asset_id}).")

    assert section["bodyHtml"] == "<p>See the report.</p>\n"
    assert section["imageWarnings"] == [
        f"File asset:{asset_id} is unknown or deleted; the link is shown as plain text."
    ]


async def test_a_link_to_an_image_is_plain_text_and_editors_are_told(http, editor_token):
    image = (await upload(http, make_image(40, 30, ".png"), "a.png", editor_token))["asset"]

    _, section = await section_with(http, editor_token, f"A [photo](asset:{image['id']}).")

    assert section["bodyHtml"] == "<p>A photo.</p>\n"
    assert section["imageWarnings"] == [
        f"asset:{image['id']} is an image, not a file: show it with ![alt text](asset:…); "
        "the link is shown as plain text."
    ]


async def test_a_linked_file_cannot_be_deleted_while_a_page_links_to_it(http, editor_token):
    asset_id, _ = await uploaded_report(http, editor_token)
    page, _ = await section_with(http, editor_token, f"[Report](asset:{asset_id})")
    await api(http, PUBLISH, {"id": page}, editor_token)

    refused = (await api(http, DELETE, {"id": asset_id}, editor_token))["deleteAsset"]

    assert refused["deletedId"] is None
    assert [e["code"] for e in refused["errors"]] == ["IN_USE"]
    assert {use["place"] for use in refused["usage"]} == {
        "section 'downloads'",
        "live section 'downloads'",
    }


async def test_readers_get_the_download_link_on_the_site(http, editor_token):
    asset_id, url = await uploaded_report(http, editor_token)
    page, _ = await section_with(
        http, editor_token, f"Get the [Annual report](asset:{asset_id}).", slug="annual"
    )
    await api(http, PUBLISH, {"id": page}, editor_token)

    html = (await http.get("/pages/annual")).text
    downloaded = await http.get(url)

    assert f'<a href="{url}" download="" rel="noopener noreferrer">Annual report</a>' in html
    assert '<small class="download__meta">(PDF, 1.8 KB)</small>' in html
    assert downloaded.content == REPORT
