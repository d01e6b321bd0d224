"""Studio responses are never stored by a cache nor framed, under a strict CSP; signed-in
traffic leaves readers' cached responses and CDN headers as they were."""

import pytest

from cms.models import Page, PageStatus

PAGES = ["/studio/", "/studio/comments", "/studio/tokens", "/studio/users", "/studio/webhooks"]
TITLE = "query ($slug: String!) { page(slug: $slug) { title } }"


def assert_private_and_unframeable(response) -> None:
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp


@pytest.mark.parametrize("path", PAGES)
async def test_signed_in_pages_are_not_cached_or_framed(studio_admin, path):
    response = await studio_admin.get(path)
    assert response.status_code == 200
    assert_private_and_unframeable(response)


async def test_sign_in_refusals_and_redirects_are_not_cached_or_framed(
    studio_browser, studio_editor
):
    stranger = await studio_browser()
    for response in (
        await stranger.get("/studio/sign-in"),
        await stranger.get("/studio/"),
        await stranger.sign_in("nobody@example.com", "wrong password"),
        await studio_editor.get("/studio/users"),
        await studio_editor.post("/studio/comments", {}, csrf=False),
    ):
        assert_private_and_unframeable(response)


async def test_the_pages_load_no_inline_script_or_style(studio_admin):
    html = (await studio_admin.get("/studio/")).text
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert 'src="/studio/static/vendor/htmx.min.js?v=' in html


async def test_versioned_static_files_may_be_cached(studio_browser):
    browser = await studio_browser()
    html = (await browser.get("/studio/sign-in")).text
    path = html.split('src="', 1)[1].split('"', 1)[0]
    response = await browser.get(path)
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]


async def test_a_signed_in_graphql_read_is_private_and_not_shared(studio_editor, studio_browser):
    await Page.create(slug="news", title="Draft title", status=PageStatus.DRAFT)
    reader = await studio_browser()
    anonymous = await reader.http.get(
        "/graphql", params={"query": TITLE, "variables": '{"slug": "news"}'}
    )
    assert anonymous.json() == {"data": {"page": None}}
    assert anonymous.headers["cache-control"].startswith("public")

    editor = await studio_editor.http.get(
        "/graphql",
        params={"query": TITLE, "variables": '{"slug": "news"}'},
        headers={"X-CSRF-Token": studio_editor.csrf},
    )
    assert editor.json() == {"data": {"page": {"title": "Draft title"}}}
    assert editor.headers["cache-control"] == "private, no-store"
    assert "surrogate-key" not in editor.headers

    again = await reader.http.get(
        "/graphql", params={"query": TITLE, "variables": '{"slug": "news"}'}
    )
    assert again.json() == {"data": {"page": None}}
    assert again.headers["cache-control"] == anonymous.headers["cache-control"]
    assert again.headers["etag"] == anonymous.headers["etag"]


async def test_a_signed_in_browser_reading_without_the_header_gets_the_readers_answer(
    studio_editor,
):
    await Page.create(slug="news", title="Draft title", status=PageStatus.DRAFT)
    response = await studio_editor.http.get(
        "/graphql", params={"query": TITLE, "variables": '{"slug": "news"}'}
    )
    assert response.json() == {"data": {"page": None}}
    assert response.headers["cache-control"].startswith("public")


async def test_the_reader_site_looks_the_same_to_a_signed_in_editor(studio_editor, studio_browser):
    await Page.create(slug="news", title="Draft title", status=PageStatus.DRAFT)
    reader = await studio_browser()
    for path in ("/", "/pages/news"):
        as_editor = await studio_editor.http.get(path)
        as_reader = await reader.http.get(path)
        assert as_editor.status_code == as_reader.status_code
        assert as_editor.headers.get("cache-control") == as_reader.headers.get("cache-control")
        assert "Draft title" not in as_editor.text
