"""Alt text is required to show an image to readers: a working copy may hold an image that
nothing describes (its section warns the editor), but publishing or scheduling a publish of
it is refused, naming the section — until the Markdown or the asset describes the image, or
the asset is marked decorative. The Markdown is read as it is rendered."""

import pytest

from media.file_support import make_pdf
from media.media_support import api, make_image, upload

PAGE = """
mutation Create($slug: String!) {
  createPage(input: {slug: $slug, title: "Harbour"}) { page { id } }
}
"""
SECTION = """
mutation Add($page: ID!, $body: String!) {
  createSection(input: {pageId: $page, title: "At dawn", body: $body}) {
    section { imageWarnings }
    errors { code }
  }
}
"""
PUBLISH = """
mutation Publish($id: ID!) {
  publishPage(input: {id: $id}) { page { status } errors { field code message } }
}
"""
SCHEDULE = """
mutation Schedule($input: SchedulePageInput!) {
  schedulePublish(input: $input) { job { id } errors { field code } }
}
"""
DESCRIBE = """
mutation Describe($input: UpdateAssetInput!) { updateAsset(input: $input) { errors { code } } }
"""
READ = "query Read($slug: String!) { page(slug: $slug) { status } }"


async def draft_showing(http, token, body_of) -> tuple[str, str]:
    """A draft page whose section body is ``body_of(asset id)`` for a fresh, undescribed
    image; the page's and the image's ids."""
    image = (await upload(http, make_image(40, 30), "harbour.png", token))["asset"]["id"]
    page = (await api(http, PAGE, {"slug": "harbour"}, token))["createPage"]["page"]["id"]
    await api(http, SECTION, {"page": page, "body": body_of(image)}, token)
    return page, image


async def publish(http, token, page: str) -> dict:
    return (await api(http, PUBLISH, {"id": page}, token))["publishPage"]


async def test_publishing_an_image_nothing_describes_is_refused_naming_the_section(
    http, editor_token
):
    page, image = await draft_showing(http, editor_token, lambda i: f"Boats.\n\n![](asset:{i})")

    payload = await publish(http, editor_token, page)

    assert payload["page"] is None
    [error] = payload["errors"]
    assert (error["field"], error["code"]) == ("sections", "REQUIRED")
    assert "“At dawn”" in error["message"] and f"asset:{image}" in error["message"]
    assert (await api(http, READ, {"slug": "harbour"}))["page"] is None


async def test_scheduling_the_publish_is_refused_too(http, editor_token):
    page, _ = await draft_showing(http, editor_token, lambda i: f"![](asset:{i})")

    scheduled = await api(
        http, SCHEDULE, {"input": {"pageId": page, "at": "2099-01-01T09:00:00Z"}}, editor_token
    )

    assert scheduled["schedulePublish"]["job"] is None
    assert scheduled["schedulePublish"]["errors"] == [{"field": "sections", "code": "REQUIRED"}]


@pytest.mark.parametrize(
    ("body_of", "change"),
    [
        (lambda i: f"![Fishing boats at dawn](asset:{i})", None),
        (lambda i: f"![Boats \\] at dawn](asset:{i})", None),
        (lambda i: f"![](asset:{i})", {"alt": "Fishing boats at dawn"}),
        (lambda i: f"![](asset:{i})", {"decorative": True}),
        (lambda i: f"Write `![](asset:{i})` to show an image.", None),
    ],
    ids=["alt-in-markdown", "alt-holding-a-bracket", "alt-on-asset", "decorative", "code-span"],
)
async def test_an_image_described_anywhere_or_not_shown_is_published(
    http, editor_token, body_of, change
):
    page, image = await draft_showing(http, editor_token, body_of)
    if change:
        await api(http, DESCRIBE, {"input": {"id": image, **change}}, editor_token)

    payload = await publish(http, editor_token, page)

    assert payload["errors"] == []
    assert payload["page"]["status"] == "PUBLISHED"


async def test_a_link_to_a_file_needs_no_alt_text(http, editor_token):
    report = (await upload(http, make_pdf(), "report.pdf", editor_token))["asset"]["id"]
    page = (await api(http, PAGE, {"slug": "harbour"}, editor_token))["createPage"]["page"]["id"]
    await api(http, SECTION, {"page": page, "body": f"[]( asset:{report})"}, editor_token)

    assert (await publish(http, editor_token, page))["errors"] == []
