"""The accounts API under the studio: users (admins only), tokens by owner, who acted."""

from cms.models import ApiToken, Role, User
from cms.services.auth import create_token
from schema.relay import to_global_id

USERS = "{ users(first: 10) { edges { node { email role active } } } }"
TOKENS = "{ apiTokens(first: 10) { edges { node { name owner { email } } } } }"
CREATE_USER = """mutation ($input: CreateUserInput!) { createUser(input: $input) {
  user { email role active } setPasswordPath errors { field code } } }"""
REVOKE = """mutation ($id: ID!) { revokeApiToken(input: {id: $id}) {
  apiToken { revoked } errors { code } } }"""


async def test_users_are_listed_for_admins_only(gql, editor_token, admin_token, make_user):
    await make_user("edna@example.com")
    assert (await gql(USERS, token=editor_token))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    data = await gql.data(USERS, token=admin_token)
    assert data["users"]["edges"] == [
        {"node": {"email": "edna@example.com", "role": "EDITOR", "active": True}}
    ]


async def test_create_user_returns_the_set_password_path_once(gql, admin_token):
    data = await gql.data(
        CREATE_USER,
        {"input": {"email": "nina@example.com", "displayName": "Nina", "role": "ADMIN"}},
        admin_token,
    )
    payload = data["createUser"]
    assert payload["user"] == {"email": "nina@example.com", "role": "ADMIN", "active": True}
    assert payload["setPasswordPath"].startswith("/studio/set-password/")
    invalid = await gql.data(
        CREATE_USER,
        {"input": {"email": "not an email", "displayName": "", "role": "EDITOR"}},
        admin_token,
    )
    assert {e["field"] for e in invalid["createUser"]["errors"]} == {"displayName", "email"}


async def test_a_users_token_lists_and_revokes_its_owners_tokens_only(gql, make_user):
    edna = await make_user("edna@example.com")
    own, token = await create_token("edna's laptop", Role.EDITOR, edna.id)
    other, _ = await create_token("someone else's", Role.EDITOR)
    data = await gql.data(TOKENS, token=token)
    assert data["apiTokens"]["edges"] == [
        {"node": {"name": "edna's laptop", "owner": {"email": "edna@example.com"}}}
    ]
    refused = await gql(REVOKE, {"id": to_global_id("ApiToken", other.id)}, token)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not (await ApiToken.get(id=other.id)).revoked
    await gql.data(REVOKE, {"id": to_global_id("ApiToken", own.id)}, token)
    assert (await ApiToken.get(id=own.id)).revoked


async def test_a_token_without_a_user_sees_no_tokens(gql, editor_token):
    assert (await gql.data(TOKENS, token=editor_token))["apiTokens"]["edges"] == []


async def test_a_token_created_by_an_admin_belongs_to_them_by_default(gql, make_user):
    ada = await make_user("ada@example.com", role=Role.ADMIN)
    _, token = await create_token("ada's console", Role.ADMIN, ada.id)
    create = """mutation { createApiToken(input: {name: "deploy", role: EDITOR}) {
      apiToken { owner { email } } errors { code } } }"""
    data = await gql.data(create, token=token)
    assert data["createApiToken"]["apiToken"]["owner"] == {"email": "ada@example.com"}
    assert (await ApiToken.get(name="deploy")).user_id == (await User.get(email=ada.email)).id
