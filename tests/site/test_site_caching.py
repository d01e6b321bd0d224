"""The site's pages under the API's caching rules: an ETag and 304s, the public
Cache-Control, surrogate keys naming what a page shows, kept in the response cache and
dropped by exactly the changes the API's answers are dropped by."""

import re

from site_support import ARTICLE, api, text

from cms.models import Page

PUBLISH_NEW_PAGE = """
mutation New($page: CreatePageInput!) {
  createPage(input: $page) { page { id } errors { message } }
}"""
PUBLISH = """
mutation Publish($id: ID!) { publishPage(input: {id: $id}) { errors { message } } }
"""
ADD_COMMENT = """
mutation Add($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }
"""
APPROVE = """
mutation Approve($id: ID!) {
  moderateComment(input: {id: $id, status: APPROVED}) { errors { message } }
}"""


async def publish(client, token: str, slug: str, title: str) -> str:
    data = await api(client, PUBLISH_NEW_PAGE, {"page": {"slug": slug, "title": title}}, token)
    page_id = data["createPage"]["page"]["id"]
    await api(client, PUBLISH, {"id": page_id}, token)
    return page_id


async def test_pages_carry_an_etag_and_answer_304_when_the_reader_has_them(client, seeded_page):
    first = await client.get(ARTICLE)
    etag = first.headers["etag"]

    again = await client.get(ARTICLE, headers={"If-None-Match": etag})

    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert first.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    assert "stale-while-revalidate=" in first.headers["cache-control"]


async def test_surrogate_keys_name_what_each_page_shows(client, seeded_page):
    article = await client.get(ARTICLE)
    home = await client.get("/")
    missing = await client.get("/pages/not-yet")

    page_key = (await api(client, '{ page(slug: "harvard-medical-school") { id } }'))["page"]["id"]
    assert set(article.headers["surrogate-key"].split()) == {"cms-content", page_key}
    assert {"cms-content", page_key, "page-list"} <= set(home.headers["surrogate-key"].split())
    assert missing.status_code == 404
    assert "not-found" in missing.headers["surrogate-key"].split()
    assert article.headers["cache-tag"] == ",".join(article.headers["surrogate-key"].split())


async def test_a_cached_page_is_served_until_a_change_readers_see(client, seeded_page):
    await client.get(ARTICLE)
    # Behind the API's back (no event, no mutation): the cached page is what readers get.
    await Page.filter(id=seeded_page.id).update(title="Changed behind the API")
    assert "Changed behind the API" not in (await client.get(ARTICLE)).text


async def test_publishing_a_page_refreshes_the_home_page_and_its_address(
    client, seeded_page, editor_token
):
    assert "Visiting hours" not in (await client.get("/")).text
    assert (await client.get("/pages/visiting-hours")).status_code == 404

    await publish(client, editor_token, "visiting-hours", "Visiting hours")

    assert "Visiting hours" in (await client.get("/")).text
    assert (await client.get("/pages/visiting-hours")).status_code == 200
    assert "Visiting hours" in (await client.get("/feed.xml")).text


async def test_approving_a_comment_refreshes_the_article(client, seeded_page, editor_token):
    before = await client.get(ARTICLE)
    page_id = (await api(client, '{ page(slug: "harvard-medical-school") { id } }'))["page"]["id"]
    comment = {"pageId": page_id, "authorName": "Ada", "authorEmail": "a@example.org"}
    added = await api(client, ADD_COMMENT, {"input": {**comment, "body": "Well written."}})
    assert "Well written." not in (await client.get(ARTICLE)).text  # pending: nothing changed

    await api(client, APPROVE, {"id": added["addComment"]["comment"]["id"]}, editor_token)

    after = await client.get(ARTICLE, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert "Well written." in text(after.text)


async def test_versioned_assets_and_fonts_may_be_kept_for_a_year(client, seeded_page):
    html = (await client.get(ARTICLE)).text
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    font = re.search(r'<link rel="preload" href="([^"]+)"', html).group(1)

    for url in (stylesheet, font):
        response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "?v=" in stylesheet
    assert (await client.get("/favicon.ico")).headers["cache-control"] == "public, max-age=86400"
