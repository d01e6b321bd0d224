"""The library: listing, searching, editing, and deletion refused while an asset is shown
(with where); cover images and figures in pages."""

import pytest

from cms.media.storage import original_key
from media.media_support import api, make_image, upload

LIBRARY = """
query Library($first: Int, $after: String, $search: String, $type: String) {
  assets(first: $first, after: $after, search: $search, type: $type) {
    edges { node { id originalName mediaType } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
UPDATE = """
mutation Update($input: UpdateAssetInput!) {
  updateAsset(input: $input) {
    asset { image { alt caption credit decorative } }
    errors { field code }
  }
}
"""
DELETE = """
mutation Delete($id: ID!) {
  deleteAsset(id: $id) {
    deletedId
    errors { field code message }
    usage { pageId pageTitle place }
  }
}
"""
CREATE_PAGE = """
mutation Create($cover: ID) {
  createPage(input: {slug: "with-images", title: "With images", coverImageId: $cover}) {
    page { id version coverImage { alt width } }
    errors { field code message }
  }
}
"""
UPDATE_PAGE = """
mutation UpdatePage($id: ID!, $version: Int!, $cover: ID) {
  updatePage(input: {id: $id, version: $version, coverImageId: $cover}) {
    page { version coverImage { alt } }
    errors { field code }
  }
}
"""
ADD_SECTION = """
mutation Add($page: ID!, $body: String!) {
  createSection(input: {pageId: $page, title: "Pictures", body: $body}) {
    section { id bodyHtml imageWarnings }
    errors { field code message }
  }
}
"""
PUBLISH = """
mutation Publish($id: ID!) { publishPage(input: {id: $id}) { errors { code } } }
"""
READER_PAGE = """
query Read { page(slug: "with-images") {
  coverImage { alt url(width: 320, height: 200) srcset(widths: [100, 200]) placeholder }
  sections { bodyHtml imageWarnings }
} }
"""


async def described_asset(http, token, name="cat.png", alt="A cat", colour=90):
    asset = (await upload(http, make_image(400, 300, ".png", colour=colour), name, token))["asset"]
    if alt:
        await api(http, UPDATE, {"input": {"id": asset["id"], "alt": alt}}, token)
    return asset


async def test_the_library_lists_newest_first_in_pages_and_filters(http, editor_token):
    names = [f"photo-{n}.png" for n in range(5)]
    for n, name in enumerate(names):
        await upload(http, make_image(10 + n, 10, ".png"), name, editor_token)
    await upload(http, make_image(12, 12, ".jpg"), "scan.jpg", editor_token)

    first = (await api(http, LIBRARY, {"first": 4}, editor_token))["assets"]
    rest = (
        await api(
            http, LIBRARY, {"first": 4, "after": first["pageInfo"]["endCursor"]}, editor_token
        )
    )["assets"]
    listed = [e["node"]["originalName"] for e in first["edges"] + rest["edges"]]
    assert listed == ["scan.jpg", *reversed(names)]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]

    pngs = (await api(http, LIBRARY, {"type": "image/jpeg"}, editor_token))["assets"]
    assert [e["node"]["originalName"] for e in pngs["edges"]] == ["scan.jpg"]
    found = (await api(http, LIBRARY, {"search": "PHOTO-3"}, editor_token))["assets"]
    assert [e["node"]["originalName"] for e in found["edges"]] == ["photo-3.png"]


async def test_readers_cannot_list_the_library(http):
    response = await http.post("/graphql", json={"query": LIBRARY})

    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_editors_describe_an_asset(http, editor_token):
    asset = await described_asset(http, editor_token, alt=None)
    changes = {"id": asset["id"], "alt": " A dog ", "caption": "Rex", "credit": "Ada"}

    data = await api(http, UPDATE, {"input": changes}, editor_token)

    assert data["updateAsset"]["asset"]["image"] == {
        "alt": "A dog",
        "caption": "Rex",
        "credit": "Ada",
        "decorative": False,
    }


async def test_an_image_without_alt_text_cannot_be_a_cover_unless_decorative(http, editor_token):
    asset = await described_asset(http, editor_token, alt=None)

    refused = await api(http, CREATE_PAGE, {"cover": asset["id"]}, editor_token)
    assert refused["createPage"]["errors"][0]["field"] == "coverImageId"
    assert refused["createPage"]["errors"][0]["code"] == "REQUIRED"

    decorative = {"id": asset["id"], "decorative": True}
    await api(http, UPDATE, {"input": decorative}, editor_token)
    created = await api(http, CREATE_PAGE, {"cover": asset["id"]}, editor_token)
    assert created["createPage"]["page"]["coverImage"] == {"alt": "", "width": 400}


async def test_readers_see_the_cover_and_figures_once_published(http, editor_token):
    cover = await described_asset(http, editor_token)
    figure = await described_asset(http, editor_token, "fig.png", "A chart", colour=150)
    page = (await api(http, CREATE_PAGE, {"cover": cover["id"]}, editor_token))["createPage"]
    body = f'Before.\n\n![]({"asset:" + figure["id"]} "Sales by year")\n\nAfter.'
    added = await api(http, ADD_SECTION, {"page": page["page"]["id"], "body": body}, editor_token)
    html = added["createSection"]["section"]["bodyHtml"]
    assert '<figure class="figure"><picture><source type="image/avif"' in html
    assert 'width="400" height="300" alt="A chart" loading="lazy"' in html
    assert "<figcaption>Sales by year</figcaption>" in html
    assert "<p><figure" not in html

    await api(http, PUBLISH, {"id": page["page"]["id"]}, editor_token)
    read = (await api(http, READER_PAGE))["page"]

    assert read["coverImage"]["alt"] == "A cat"
    assert read["coverImage"]["url"].startswith("/media/")
    assert read["coverImage"]["srcset"].endswith(" 200w")
    assert read["coverImage"]["placeholder"].startswith("data:image/webp;base64,")
    assert read["sections"][0]["bodyHtml"] == html
    assert read["sections"][0]["imageWarnings"] == []
    image = await http.get(read["coverImage"]["url"], headers={"Accept": "image/webp"})
    assert image.headers["content-type"] == "image/webp"


async def test_a_missing_asset_renders_nothing_and_editors_are_warned(http, editor_token):
    page = (await api(http, CREATE_PAGE, {}, editor_token))["createPage"]["page"]
    body = "Text.\n\n![gone](asset:QXNzZXQ6OTk5OTk=)\n\nMore."

    added = await api(http, ADD_SECTION, {"page": page["id"], "body": body}, editor_token)

    section = added["createSection"]["section"]
    assert section["bodyHtml"].split() == ["<p>Text.</p>", "<p>More.</p>"]
    assert section["imageWarnings"] == [
        "Image asset:QXNzZXQ6OTk5OTk= is unknown or deleted; it is not shown."
    ]


async def test_deleting_an_asset_in_use_is_refused_with_where(http, storage, editor_token):
    cover = await described_asset(http, editor_token)
    figure = await described_asset(http, editor_token, "fig.png", "A chart", colour=150)
    page = (await api(http, CREATE_PAGE, {"cover": cover["id"]}, editor_token))["createPage"]
    page_id = page["page"]["id"]
    body = f"![](asset:{figure['id']})"
    await api(http, ADD_SECTION, {"page": page_id, "body": body}, editor_token)
    await api(http, PUBLISH, {"id": page_id}, editor_token)

    refused = (await api(http, DELETE, {"id": cover["id"]}, editor_token))["deleteAsset"]
    assert refused["deletedId"] is None
    assert refused["errors"][0]["code"] == "IN_USE"
    assert "cover image of page 'With images'" in refused["errors"][0]["message"]
    assert {use["place"] for use in refused["usage"]} == {"cover image", "live cover image"}
    in_body = (await api(http, DELETE, {"id": figure["id"]}, editor_token))["deleteAsset"]
    assert {use["place"] for use in in_body["usage"]} == {
        "section 'pictures'",
        "live section 'pictures'",
    }

    # Removed from the working copy, the cover is still what readers see: still refused.
    version = await api(http, '{ page(slug: "with-images") { version } }', {}, editor_token)
    removed = await api(
        http,
        UPDATE_PAGE,
        {"id": page_id, "version": version["page"]["version"], "cover": ""},
        editor_token,
    )
    assert removed["updatePage"]["page"]["coverImage"] is None
    still = (await api(http, DELETE, {"id": cover["id"]}, editor_token))["deleteAsset"]
    assert [use["place"] for use in still["usage"]] == ["live cover image"]

    await api(http, PUBLISH, {"id": page_id}, editor_token)
    deleted = (await api(http, DELETE, {"id": cover["id"]}, editor_token))["deleteAsset"]
    assert deleted == {"deletedId": cover["id"], "errors": [], "usage": []}
    assert await storage.get(original_key(cover["contentHash"])) is None


@pytest.mark.parametrize("storage_kind", ["s3"])
async def test_a_deleted_asset_leaves_the_bucket(http, storage, editor_token, storage_kind):
    asset = await described_asset(http, editor_token)
    assert await storage.get(original_key(asset["contentHash"])) is not None

    await api(http, DELETE, {"id": asset["id"]}, editor_token)

    assert await storage.get(original_key(asset["contentHash"])) is None


REVISION_SECTIONS = """
query Revisions { page(slug: "with-images") {
  revisions(first: 1) { edges { node { sections { bodyHtml imageWarnings } } } }
} }
"""


async def test_revisions_show_figures_and_warn_of_missing_images(http, editor_token):
    figure = await described_asset(http, editor_token, "fig.png", "A chart")
    page = (await api(http, CREATE_PAGE, {}, editor_token))["createPage"]["page"]
    body = f"![](asset:{figure['id']})\n\n![](asset:QXNzZXQ6OTk5OTk=)"
    await api(http, ADD_SECTION, {"page": page["id"], "body": body}, editor_token)

    data = await api(http, REVISION_SECTIONS, {}, editor_token)

    [edge] = data["page"]["revisions"]["edges"]
    [section] = edge["node"]["sections"]
    assert section["bodyHtml"].count("<figure") == 1 and 'alt="A chart"' in section["bodyHtml"]
    assert section["imageWarnings"] == [
        "Image asset:QXNzZXQ6OTk5OTk= is unknown or deleted; it is not shown."
    ]


async def test_editors_are_warned_of_an_image_shown_without_alt_text(http, editor_token):
    bare = await described_asset(http, editor_token, "bare.png", alt=None)
    page = (await api(http, CREATE_PAGE, {}, editor_token))["createPage"]["page"]
    body = f"![](asset:{bare['id']})\n\n![Described here](asset:{bare['id']})"

    added = await api(http, ADD_SECTION, {"page": page["id"], "body": body}, editor_token)

    [warning] = added["createSection"]["section"]["imageWarnings"]
    assert warning.startswith(f"Image asset:{bare['id']} has no alt text")
    assert 'alt="Described here"' in added["createSection"]["section"]["bodyHtml"]
