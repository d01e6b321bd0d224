"""A preview link opens the page's working copy on the reader site: the site's own page,
marked as a draft, never cached, not indexed, without comments."""

CREATE_LINK = """
mutation Link($id: ID!) {
  createPreviewLink(input: {pageId: $id, expiresIn: 600}) { link { token } errors { code } }
}
"""
DRAFT = """
mutation {
  createPage(input: {slug: "launch-notes", title: "Launch notes"}) { page { id version } }
}
"""
SECTION = """
mutation Add($id: ID!) {
  createSection(input: {pageId: $id, title: "Plan", body: "Ship **on Monday**."}) {
    errors { code } }
}
"""


async def preview_token(gql, editor_token) -> str:
    page = (await gql.data(DRAFT, token=editor_token))["createPage"]["page"]
    await gql.data(SECTION, {"id": page["id"]}, editor_token)
    link = await gql.data(CREATE_LINK, {"id": page["id"]}, editor_token)
    return link["createPreviewLink"]["link"]["token"]


async def test_preview_link_shows_the_draft_with_the_site_template(client, gql, editor_token):
    token = await preview_token(gql, editor_token)

    response = await client.get(f"/preview/{token}")

    assert response.status_code == 200
    assert '<h1 class="article__title">Launch notes</h1>' in response.text
    assert '<h2 id="plan">Plan</h2>' in response.text
    assert "<strong>on Monday</strong>" in response.text
    assert "Draft preview" in response.text
    assert 'id="comments"' not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-robots-tag"] == "noindex, nofollow"


async def test_the_draft_stays_off_its_reader_url(client, gql, editor_token):
    await preview_token(gql, editor_token)

    assert (await client.get("/pages/launch-notes")).status_code == 404


async def test_forged_preview_link_is_not_found(client, gql, editor_token):
    token = await preview_token(gql, editor_token)

    response = await client.get(f"/preview/{token[:-2]}xx")

    assert response.status_code == 404
    assert "This preview link is not valid." in response.text
    assert response.headers["cache-control"] == "no-store"
