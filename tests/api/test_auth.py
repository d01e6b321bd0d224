"""API tokens: who may change what, and how tokens are issued, stored and revoked."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from tortoise import Tortoise

from cms.models import ApiToken, Comment, Page, Role, Section
from cms.services.auth import create_token, revoke_token

CREATE_PAGE = """
mutation ($input: CreatePageInput!) { createPage(input: $input) { page { id } errors { field } } }
"""
UPDATE_PAGE = """
mutation ($input: UpdatePageInput!) { updatePage(input: $input) { page { id } errors { field } } }
"""
DELETE_PAGE = """
mutation ($input: DeletePageInput!) { deletePage(input: $input) { deletedId errors { field } } }
"""
PUBLISH_PAGE = """
mutation ($input: PublishPageInput!) { publishPage(input: $input) { page { id } errors { field } } }
"""
UNPUBLISH_PAGE = """
mutation ($input: PageIdInput!) { unpublishPage(input: $input) { page { id } errors { field } } }
"""
CREATE_SECTION = """
mutation ($input: CreateSectionInput!) {
  createSection(input: $input) { section { id } errors { field } }
}"""
UPDATE_SECTION = """
mutation ($input: UpdateSectionInput!) {
  updateSection(input: $input) { section { id } errors { field } }
}"""
DELETE_SECTION = """
mutation ($input: SectionIdInput!) { deleteSection(input: $input) { deletedId errors { field } } }
"""
MOVE_SECTION = """
mutation ($input: MoveSectionInput!) {
  moveSection(input: $input) { section { id } errors { field } }
}"""
ADD_COMMENT = """
mutation ($input: AddCommentInput!) {
  addComment(input: $input) { comment { id } errors { field } }
}"""
MODERATE_COMMENT = """
mutation ($input: ModerateCommentInput!) {
  moderateComment(input: $input) { comment { id } errors { field } }
}"""
CREATE_API_TOKEN = """
mutation ($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    token
    apiToken { id name role revoked lastUsedAt }
    errors { field code }
  }
}"""
REVOKE_API_TOKEN = """
mutation ($input: ApiTokenIdInput!) {
  revokeApiToken(input: $input) { apiToken { id revoked } errors { field code } }
}"""
VIEWER = "{ viewer { name role } }"


@dataclass
class Content:
    """Global IDs of one of everything, so each mutation has something real to act on."""

    page: str
    section: str
    other_section: str
    comment: str
    api_token: str


@pytest.fixture
async def content(gql, editor_token, admin_token) -> Content:
    create = await gql.data(CREATE_PAGE, {"input": {"slug": "home", "title": "Home"}}, editor_token)
    page = create["createPage"]["page"]["id"]
    await gql.data(PUBLISH_PAGE, {"input": {"id": page}}, editor_token)
    sections = []
    for title in ("One", "Two"):
        section_input = {"pageId": page, "title": title}
        body = await gql.data(CREATE_SECTION, {"input": section_input}, editor_token)
        sections.append(body["createSection"]["section"]["id"])
    comment_input = {"pageId": page, "authorName": "A", "authorEmail": "a@example.com", "body": "B"}
    comment = (await gql.data(ADD_COMMENT, {"input": comment_input}))["addComment"]["comment"]
    token_input = {"name": "spare", "role": "EDITOR"}
    token = await gql.data(CREATE_API_TOKEN, {"input": token_input}, admin_token)
    return Content(page, *sections, comment["id"], token["createApiToken"]["apiToken"]["id"])


async def everything() -> dict[str, list[dict]]:
    """Every row the API can change, to show that a refused call changed nothing (but for
    ``last_used_at``, which sending a token stamps whatever the call)."""
    rows = {
        model.__name__: await model.all().order_by("id").values()
        for model in (Page, Section, Comment, ApiToken)
    }
    for token in rows["ApiToken"]:
        del token["last_used_at"]
    return rows


# name -> (document, input built from the content's IDs)
EDITOR_MUTATIONS = {
    "createPage": (CREATE_PAGE, lambda c: {"slug": "new", "title": "New"}),
    "updatePage": (UPDATE_PAGE, lambda c: {"id": c.page, "version": 1, "title": "Changed"}),
    "deletePage": (DELETE_PAGE, lambda c: {"id": c.page}),
    "publishPage": (PUBLISH_PAGE, lambda c: {"id": c.page}),
    "unpublishPage": (UNPUBLISH_PAGE, lambda c: {"id": c.page}),
    "createSection": (CREATE_SECTION, lambda c: {"pageId": c.page, "title": "New"}),
    "updateSection": (
        UPDATE_SECTION,
        lambda c: {"id": c.section, "version": 1, "title": "Changed"},
    ),
    "deleteSection": (DELETE_SECTION, lambda c: {"id": c.section}),
    "moveSection": (MOVE_SECTION, lambda c: {"id": c.section, "version": 1, "position": 1}),
    "moderateComment": (MODERATE_COMMENT, lambda c: {"id": c.comment, "status": "APPROVED"}),
}
ADMIN_MUTATIONS = {
    "createApiToken": (CREATE_API_TOKEN, lambda c: {"name": "intruder", "role": "ADMIN"}),
    "revokeApiToken": (REVOKE_API_TOKEN, lambda c: {"id": c.api_token}),
}
ALL_MUTATIONS = {**EDITOR_MUTATIONS, **ADMIN_MUTATIONS}

# The same calls with every ID replaced by garbage: the caller must learn nothing about it.
MALFORMED_ID = "not-a-global-id"
MALFORMED_IDS = Content(*[MALFORMED_ID] * 5)
NO_ID_MUTATIONS = {"createPage", "createApiToken"}


def error_codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


@pytest.mark.parametrize("name", ALL_MUTATIONS)
async def test_a_mutation_without_a_token_is_unauthenticated_and_changes_nothing(
    gql, content, name
):
    document, make_input = ALL_MUTATIONS[name]
    before = await everything()

    body = await gql(document, {"input": make_input(content)})

    assert body["data"] == {name: None}
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await everything() == before


async def test_an_anonymous_caller_with_a_malformed_id_is_told_only_to_authenticate(gql, subtests):
    for name, (document, make_input) in ALL_MUTATIONS.items():
        if name in NO_ID_MUTATIONS:
            continue
        with subtests.test(mutation=name):
            body = await gql(document, {"input": make_input(MALFORMED_IDS)})

            assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_adding_a_comment_needs_no_token(gql, content):
    comment_input = {
        "pageId": content.page,
        "authorName": "A",
        "authorEmail": "a@b.org",
        "body": "C",
    }

    body = await gql.data(ADD_COMMENT, {"input": comment_input})

    assert body["addComment"]["errors"] == []


async def test_reading_needs_no_token(gql, content):
    body = await gql.data('{ page(slug: "home") { title } viewer { name } }')

    assert body == {"page": {"title": "Home"}, "viewer": None}


async def post(client, query: str, authorization: str, variables: dict | None = None):
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": authorization},
    )


async def test_an_unknown_token_is_refused_with_http_401(client):
    response = await post(client, VIEWER, "Bearer cms_this-token-does-not-exist")

    assert response.status_code == 401
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


async def test_an_authorization_header_that_is_not_bearer_is_unauthenticated(
    client, editor_token, subtests
):
    for header in ["Basic dXNlcjpwYXNz", "Token {token}", "{token}", "Bearer", "Bearer   "]:
        with subtests.test(authorization=header):
            response = await post(client, VIEWER, header.format(token=editor_token))

            assert response.status_code == 401
            assert error_codes(response.json()) == ["UNAUTHENTICATED"]


async def test_the_bearer_scheme_is_case_insensitive(client, editor_token):
    response = await post(client, VIEWER, f"bearer {editor_token}")

    assert response.json()["data"] == {"viewer": {"name": "test editor", "role": "EDITOR"}}


async def test_a_token_revoked_from_the_command_line_is_unauthenticated(client):
    _, token = await create_token("leaving", Role.EDITOR)
    await revoke_token("leaving")

    response = await post(client, VIEWER, f"Bearer {token}")

    assert response.status_code == 401
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("name", ADMIN_MUTATIONS)
async def test_an_editor_may_not_manage_tokens(gql, editor_token, content, name):
    document, make_input = ADMIN_MUTATIONS[name]
    before = await everything()

    body = await gql(document, {"input": make_input(content)}, editor_token)

    assert error_codes(body) == ["FORBIDDEN"]
    assert await everything() == before


async def test_an_editor_revoking_a_malformed_token_id_is_still_forbidden(gql, editor_token):
    body = await gql(REVOKE_API_TOKEN, {"input": {"id": MALFORMED_ID}}, editor_token)

    assert error_codes(body) == ["FORBIDDEN"]


async def create_api_token(gql, admin_token, name: str = "ci", role: str = "EDITOR") -> dict:
    body = await gql.data(CREATE_API_TOKEN, {"input": {"name": name, "role": role}}, admin_token)
    payload = body["createApiToken"]
    assert payload["errors"] == []
    return payload


async def test_an_admin_creates_a_token_that_works_at_once(gql, admin_token):
    payload = await create_api_token(gql, admin_token, name="ci", role="EDITOR")

    assert payload["apiToken"]["name"] == "ci"
    assert payload["apiToken"]["role"] == "EDITOR"
    assert payload["apiToken"]["revoked"] is False
    viewer = (await gql.data(VIEWER, token=payload["token"]))["viewer"]
    assert viewer == {"name": "ci", "role": "EDITOR"}
    created = await gql.data(
        CREATE_PAGE, {"input": {"slug": "by-ci", "title": "By CI"}}, payload["token"]
    )
    assert created["createPage"]["errors"] == []


async def test_a_new_tokens_name_is_required(gql, admin_token):
    body = await gql.data(
        CREATE_API_TOKEN, {"input": {"name": "  ", "role": "EDITOR"}}, admin_token
    )

    assert body["createApiToken"]["token"] is None
    assert body["createApiToken"]["errors"] == [{"field": "name", "code": "REQUIRED"}]


async def test_only_the_sha256_of_a_token_is_stored(gql, admin_token):
    token = (await create_api_token(gql, admin_token, name="ci"))["token"]

    record = await ApiToken.get(name="ci")
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    rows = await Tortoise.get_connection("default").execute_query_dict("SELECT * FROM api_token")
    stored_text = " ".join(str(value) for row in rows for value in row.values())
    assert token not in stored_text
    assert token.removeprefix("cms_") not in stored_text


async def test_every_token_is_different(gql, admin_token):
    first = await create_api_token(gql, admin_token, name="ci")
    second = await create_api_token(gql, admin_token, name="ci")

    assert first["token"] != second["token"]


async def test_an_admin_revokes_a_token_and_it_stops_working(client, gql, admin_token):
    created = await create_api_token(gql, admin_token, name="ci")

    body = await gql.data(
        REVOKE_API_TOKEN, {"input": {"id": created["apiToken"]["id"]}}, admin_token
    )

    assert body["revokeApiToken"]["apiToken"] == {"id": created["apiToken"]["id"], "revoked": True}
    response = await post(client, VIEWER, f"Bearer {created['token']}")
    assert response.status_code == 401
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


async def test_node_fetches_a_token_record_for_admins_only(gql, admin_token, editor_token):
    created = await create_api_token(gql, admin_token, name="ci")
    query = "query ($id: ID!) { node(id: $id) { id ... on ApiToken { name role } } }"
    variables = {"id": created["apiToken"]["id"]}

    as_admin = await gql.data(query, variables, admin_token)
    as_editor = await gql(query, variables, editor_token)

    assert as_admin["node"] == {"id": variables["id"], "name": "ci", "role": "EDITOR"}
    assert as_editor["data"] == {"node": None}
    assert error_codes(as_editor) == ["FORBIDDEN"]


async def test_revoking_an_unknown_token_is_not_found(gql, admin_token):
    created = await create_api_token(gql, admin_token, name="ci")
    await ApiToken.filter(name="ci").delete()

    body = await gql.data(
        REVOKE_API_TOKEN, {"input": {"id": created["apiToken"]["id"]}}, admin_token
    )

    assert body["revokeApiToken"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


async def test_using_a_token_records_when_it_was_last_used(gql, admin_token):
    created = await create_api_token(gql, admin_token, name="ci")
    assert created["apiToken"]["lastUsedAt"] is None
    before = datetime.now(UTC).replace(microsecond=0)

    await gql.data(VIEWER, token=created["token"])

    last_used_at = (await ApiToken.get(name="ci")).last_used_at
    assert last_used_at is not None
    assert last_used_at >= before
