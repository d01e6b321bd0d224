"""Preview links show one page's working copy, read-only, to whoever holds the token."""

import asyncio

import pytest

from tests.editorial_support import Editor

CREATE_LINK = """mutation ($input: CreatePreviewLinkInput!) {
  createPreviewLink(input: $input) { link { token expiresAt } errors { field code } } }"""
PREVIEW = """query ($token: String!) { preview(previewToken: $token) {
  pageId slug title version sections { sectionId title body } } }"""


@pytest.fixture
def editor(gql, editor_token) -> Editor:
    return Editor(gql, editor_token)


async def preview_token(editor: Editor, page: dict, expires_in: int = 600) -> str:
    payload = await editor.call(
        CREATE_LINK, "createPreviewLink", input={"pageId": page["id"], "expiresIn": expires_in}
    )
    assert payload["errors"] == []
    return payload["link"]["token"]


async def test_a_preview_link_shows_the_draft_to_anyone_holding_it(gql, editor):
    page = await editor.create_page("plans", "Secret plans")
    section = await editor.add_section(page, "Step one", "Draft text.")
    token = await preview_token(editor, page)

    shown = (await gql.data(PREVIEW, {"token": token}))["preview"]

    assert shown == {
        "pageId": page["id"],
        "slug": "plans",
        "title": "Secret plans",
        "version": section["page"]["version"],
        "sections": [{"sectionId": section["id"], "title": "Step one", "body": "Draft text."}],
    }


async def test_a_preview_of_a_published_page_shows_its_unpublished_changes(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    await editor.update_page(page["id"], page["version"], title="Coming soon")
    token = await preview_token(editor, page)

    assert (await gql.data(PREVIEW, {"token": token}))["preview"]["title"] == "Coming soon"
    assert (await gql.data('{ page(slug: "news") { title } }'))["page"]["title"] == "News"


async def test_an_expired_preview_link_is_refused(gql, editor):
    page = await editor.create_page()
    token = await preview_token(editor, page, expires_in=1)
    await asyncio.sleep(1.1)

    body = await gql(PREVIEW, {"token": token})

    assert body["data"]["preview"] is None
    assert "expired" in body["errors"][0]["message"]


async def test_an_altered_preview_token_is_refused(gql, editor):
    page = await editor.create_page()
    token = await preview_token(editor, page)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    body = await gql(PREVIEW, {"token": forged})

    assert body["data"]["preview"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_preview_token_grants_nothing_else(gql, editor):
    page = await editor.create_page("plans", "Secret plans")
    await editor.create_page("other", "Other draft")
    token = await preview_token(editor, page)

    other = await gql.data('{ page(slug: "other") { title } }')
    as_bearer = await gql('{ page(slug: "other") { title } }', token=token)

    assert other["page"] is None
    assert as_bearer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_readers_cannot_create_preview_links(gql, editor):
    page = await editor.create_page()

    body = await gql(CREATE_LINK, {"input": {"pageId": page["id"]}})

    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
