"""/preview/<token>: an editor's draft with the reader templates for whoever holds a valid
link — marked as not published, never indexed, never cached — and a friendly page, with
none of the draft, for a link that expired, was revoked or was forged."""

import logging
import time
from urllib.parse import urlsplit

import httpx
from site_support import BASE_URL, api, meta, site_client, text

CREATE_DRAFT = """
mutation Draft($page: CreatePageInput!) {
  createPage(input: $page) { page { id } errors { message } }
}"""
ADD_SECTION = """
mutation Section($section: CreateSectionInput!) {
  createSection(input: $section) { errors { message } }
}"""
PREVIEW_LINK = """
mutation Link($input: CreatePreviewLinkInput!) {
  createPreviewLink(input: $input) { link { token url expiresAt } errors { field message } }
}"""
DRAFT_TEXT = "The new wing opens in spring, with a library on every floor."
NOT_AVAILABLE = "This preview is not available"
EXPIRY_DEADLINE_SECONDS = 10


async def draft_page(http: httpx.AsyncClient, token: str) -> str:
    page = {"slug": "new-wing", "title": "The new wing", "summary": "Plans for the new wing."}
    data = await api(http, CREATE_DRAFT, {"page": page}, token)
    page_id = data["createPage"]["page"]["id"]
    section = {"pageId": page_id, "title": "Opening", "body": DRAFT_TEXT}
    await api(http, ADD_SECTION, {"section": section}, token)
    return page_id


async def preview_link(
    http: httpx.AsyncClient, token: str, page_id: str, expires_in: int = 3600
) -> dict[str, str]:
    variables = {"input": {"pageId": page_id, "expiresIn": expires_in}}
    data = await api(http, PREVIEW_LINK, variables, token)
    return data["createPreviewLink"]["link"]


def path_of(url: str) -> str:
    return urlsplit(url).path


def assert_refused_without_content(response: httpx.Response) -> None:
    assert response.status_code == 404
    assert NOT_AVAILABLE in text(response.text)
    assert DRAFT_TEXT not in response.text and "The new wing" not in response.text
    assert response.headers["cache-control"] == "private, no-store"
    assert meta(response.text, "name", "robots") == "noindex, nofollow"


async def test_create_preview_link_returns_the_preview_pages_full_url(client, editor_token):
    page_id = await draft_page(client, editor_token)

    link = await preview_link(client, editor_token, page_id)

    assert link["url"] == f"{BASE_URL}/preview/{link['token']}"


async def test_the_preview_url_is_on_the_public_url_when_one_is_set(settings, editor_token):
    async with site_client(settings, public_url="https://news.example.org") as http:
        link = await preview_link(http, editor_token, await draft_page(http, editor_token))

    assert link["url"] == f"https://news.example.org/preview/{link['token']}"


async def test_a_valid_link_shows_the_draft_marked_as_not_published(client, editor_token):
    page_id = await draft_page(client, editor_token)
    link = await preview_link(client, editor_token, page_id)

    response = await client.get(path_of(link["url"]))

    assert response.status_code == 200
    page = text(response.text)
    assert "Preview — not published." in page
    assert "The new wing" in page and DRAFT_TEXT in page
    assert meta(response.text, "name", "robots") == "noindex, nofollow"
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "etag" not in response.headers and "surrogate-key" not in response.headers
    assert 'rel="canonical"' not in response.text
    # Readers still do not see the draft.
    assert (await client.get("/pages/new-wing")).status_code == 404


async def test_an_expired_link_shows_a_friendly_page_and_no_content(client, editor_token):
    page_id = await draft_page(client, editor_token)
    link = await preview_link(client, editor_token, page_id, expires_in=1)
    assert (await client.get(path_of(link["url"]))).status_code == 200

    deadline = time.monotonic() + EXPIRY_DEADLINE_SECONDS
    while (response := await client.get(path_of(link["url"]))).status_code == 200:
        assert time.monotonic() < deadline, "the preview link never expired"

    assert_refused_without_content(response)
    assert "expired" in text(response.text)


async def test_a_forged_link_shows_a_friendly_page_and_no_content(client, editor_token):
    page_id = await draft_page(client, editor_token)
    link = await preview_link(client, editor_token, page_id)
    payload, signature = link["token"].rsplit(".", 1)
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]

    assert_refused_without_content(await client.get(f"/preview/{forged}"))
    assert_refused_without_content(await client.get("/preview/not-a-token-at-all"))


async def test_a_link_revoked_by_a_new_secret_shows_no_content(client, editor_token, settings):
    page_id = await draft_page(client, editor_token)
    link = await preview_link(client, editor_token, page_id)

    async with site_client(settings, secret_key="a-new-secret-after-a-leak-0123456789") as http:
        response = await http.get(path_of(link["url"]))

    assert_refused_without_content(response)


async def test_the_access_log_shows_a_preview_link_without_its_token(client, editor_token, caplog):
    link = await preview_link(client, editor_token, await draft_page(client, editor_token))
    token = path_of(link["url"]).rsplit("/", 1)[1]

    with caplog.at_level(logging.INFO, logger="cms.access"):
        assert (await client.get(path_of(link["url"]))).status_code == 200

    lines = [record.getMessage() for record in caplog.records if record.name == "cms.access"]
    assert "GET /preview/[secret] 200" in lines
    assert not any(token in line for line in lines)
