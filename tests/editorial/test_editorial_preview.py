"""Preview links show one page's working copy, read-only, to whoever holds the token."""

import asyncio
import time

import pytest
from editorial_support import Editor

CREATE_LINK = """mutation ($input: CreatePreviewLinkInput!) {
  createPreviewLink(input: $input) { link { token expiresAt } errors { field code } } }"""
PREVIEW = """query ($token: String!) { preview(previewToken: $token) {
  pageId slug title version sections { sectionId title body } } }"""


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


# A link that lives a few seconds: long enough for the first answer on a loaded machine.
PREVIEW_LIFETIME_SECONDS = 3
EXPIRY_DEADLINE_SECONDS = PREVIEW_LIFETIME_SECONDS + 5


async def answers_until_expired(ask) -> list[dict]:
    """Ask again and again until the answer says the link expired (or the deadline passes):
    every answer, in order."""
    answers: list[dict] = []
    deadline = time.monotonic() + EXPIRY_DEADLINE_SECONDS
    while time.monotonic() < deadline:
        answers.append(await ask())
        if answers[-1].get("errors"):
            break
        await asyncio.sleep(0.1)
    return answers


async def test_an_expired_preview_link_is_refused(gql, editor):
    page = await editor.create_page()
    token = await preview_token(editor, page, expires_in=1)

    body = (await answers_until_expired(lambda: gql(PREVIEW, {"token": token})))[-1]

    assert body["data"]["preview"] is None
    assert "expired" in body["errors"][0]["message"]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_preview_answer_is_never_kept_by_any_cache(client, editor, method):
    page = await editor.create_page("plans", "Secret plans")
    token = await preview_token(editor, page)
    params = {"query": PREVIEW, "variables": f'{{"token": "{token}"}}'}

    response = await (
        client.get("/graphql", params=params)
        if method == "GET"
        else client.post("/graphql", json={"query": PREVIEW, "variables": {"token": token}})
    )

    assert response.json()["data"]["preview"]["title"] == "Secret plans"
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers and "surrogate-key" not in response.headers


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_an_expired_preview_is_not_served_from_the_response_cache(client, editor, method):
    page = await editor.create_page("plans", "Secret plans")
    token = await preview_token(editor, page, expires_in=PREVIEW_LIFETIME_SECONDS)
    params = {"query": PREVIEW, "variables": f'{{"token": "{token}"}}'}

    async def ask() -> dict:
        if method == "GET":
            return (await client.get("/graphql", params=params)).json()
        body = {"query": PREVIEW, "variables": {"token": token}}
        return (await client.post("/graphql", json=body)).json()

    answers = await answers_until_expired(ask)

    assert answers[0]["data"]["preview"]["title"] == "Secret plans"
    assert "expired" in answers[-1]["errors"][0]["message"], answers[-1]


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
