"""Tokens in the studio (editors: their own; admins: everyone's), the dashboard's lists, and
the studio's GraphQL documents against the schema."""

from pathlib import Path

from graphql import parse, validate

from cms.app import create_app
from cms.models import ApiToken, Page, PageStatus, Revision, RevisionKind, Role, User
from cms.services.auth import create_token
from schema import build_schema
from schema.relay import to_global_id

QUERIES = Path(__file__).resolve().parents[2] / "cms" / "studio" / "queries"


def test_every_studio_document_is_valid_against_the_schema(settings):
    schema = build_schema(settings)._schema
    for path in sorted(QUERIES.glob("*.graphql")):
        errors = validate(schema, parse(path.read_text()))
        assert errors == [], (path.name, errors)


async def test_an_editor_sees_and_revokes_only_their_own_tokens(studio_editor, studio_admin):
    edna = await User.get(email="edna@example.com")
    ada = await User.get(email="ada@example.com")
    own, _ = await create_token("edna's laptop", Role.EDITOR, edna.id)
    other, _ = await create_token("ada's deploy", Role.ADMIN, ada.id)
    page = (await studio_editor.get("/studio/tokens")).text
    assert "edna&#39;s laptop" in page and "ada&#39;s deploy" not in page
    refused = await studio_editor.post(
        "/studio/tokens/revoke", {"id": to_global_id("ApiToken", other.id)}
    )
    assert refused.status_code == 422
    assert not (await ApiToken.get(id=other.id)).revoked
    done = await studio_editor.post(
        "/studio/tokens/revoke", {"id": to_global_id("ApiToken", own.id)}
    )
    assert done.status_code == 303
    assert (await ApiToken.get(id=own.id)).revoked


async def test_an_admin_sees_every_token_and_creates_one_for_a_user(studio_admin, studio_editor):
    edna = await User.get(email="edna@example.com")
    await create_token("legacy", Role.EDITOR)
    page = (await studio_admin.get("/studio/tokens")).text
    assert "legacy" in page
    response = await studio_admin.post(
        "/studio/tokens",
        {"name": "edna's CI", "role": "EDITOR", "userId": to_global_id("User", edna.id)},
    )
    assert response.status_code == 200
    token = response.text.split('<p class="secret">', 1)[1].split("<", 1)[0]
    assert token.startswith("cms_")
    assert (await ApiToken.get(name="edna's CI")).user_id == edna.id
    mine = await studio_editor.get("/studio/tokens")
    assert "edna&#39;s CI" in mine.text


async def test_an_editors_token_cannot_be_an_admin_token(studio_admin, studio_editor):
    edna = await User.get(email="edna@example.com")
    response = await studio_admin.post(
        "/studio/tokens",
        {"name": "too strong", "role": "ADMIN", "userId": to_global_id("User", edna.id)},
    )
    assert response.status_code == 422
    assert not await ApiToken.exists(name="too strong")


async def test_the_dashboard_lists_my_drafts_and_recent_activity(studio_editor, settings):
    created = await studio_editor.graphql(
        'mutation { createPage(input: {slug: "mine", title: "My draft"}) { errors { code } } }'
    )
    assert created.json()["data"]["createPage"]["errors"] == []
    other = await Page.create(slug="theirs", title="Their draft", status=PageStatus.DRAFT)
    await Revision.create(
        page=other,
        number=1,
        kind=RevisionKind.SAVE,
        page_version=1,
        author_name="someone",
        content={
            "page": {"slug": "theirs", "title": "Their draft", "summary": None},
            "sections": [],
        },
    )
    html = (await studio_editor.get("/studio/")).text
    drafts = html.split('id="drafts-heading"', 1)[1].split("</section>", 1)[0]
    assert "My draft" in drafts and "Their draft" not in drafts
    activity = html.split('id="activity-heading"', 1)[1]
    assert "Edna Editor" in activity and "someone" in activity
    revision = await Revision.get(page__slug="mine")
    assert revision.author_user_id == (await User.get(email="edna@example.com")).id


async def test_revisions_name_their_author_in_the_api(studio_editor):
    await studio_editor.graphql(
        'mutation { createPage(input: {slug: "mine", title: "Mine"}) { errors { code } } }'
    )
    response = await studio_editor.graphql(
        '{ page(slug: "mine") { revisions(first: 1) { edges { node { authorName '
        "author { displayName email role } } } } } }"
    )
    node = response.json()["data"]["page"]["revisions"]["edges"][0]["node"]
    assert node == {
        "authorName": "Edna Editor",
        "author": {"displayName": "Edna Editor", "email": "edna@example.com", "role": "EDITOR"},
    }


async def test_the_studio_app_is_mounted_at_studio(settings):
    app = create_app(settings, manage_database=False)
    assert any(getattr(route, "path", None) == "/studio" for route in app.routes)
