"""Every state-changing studio request needs the session's CSRF token: forms as a field,
scripts (htmx, fetch) as the X-CSRF-Token header, GraphQL with the session cookie too."""

from comment_support import published_page, stored_comment

from cms.models import CommentStatus, Page
from schema.relay import to_global_id

CREATE_PAGE = """mutation { createPage(input: {slug: "forged", title: "Forged"}) {
  page { id } errors { code } } }"""


async def pending_comment():
    return await stored_comment(await published_page(), status=CommentStatus.PENDING)


async def test_a_form_without_the_token_is_refused_and_changes_nothing(studio_editor):
    comment = await pending_comment()
    response = await studio_editor.post(
        "/studio/comments", {"one": f"approve:{to_global_id('Comment', comment.id)}"}, csrf=False
    )
    assert response.status_code == 403
    assert "security token" in response.text
    await comment.refresh_from_db()
    assert comment.status is CommentStatus.PENDING


async def test_a_form_with_another_sessions_token_is_refused(studio_editor, studio_admin):
    comment = await pending_comment()
    response = await studio_editor.post(
        "/studio/comments",
        {"one": f"approve:{to_global_id('Comment', comment.id)}", "csrf_token": studio_admin.csrf},
    )
    assert response.status_code == 403
    await comment.refresh_from_db()
    assert comment.status is CommentStatus.PENDING


async def test_the_same_form_with_the_token_goes_through(studio_editor):
    comment = await pending_comment()
    response = await studio_editor.post(
        "/studio/comments", {"one": f"approve:{to_global_id('Comment', comment.id)}"}
    )
    assert response.status_code == 303
    await comment.refresh_from_db()
    assert comment.status is CommentStatus.APPROVED


async def test_a_script_may_send_the_token_as_a_header(studio_editor):
    comment = await pending_comment()
    response = await studio_editor.http.post(
        "/studio/comments",
        data={"one": f"approve:{to_global_id('Comment', comment.id)}"},
        headers={"X-CSRF-Token": studio_editor.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 303
    await comment.refresh_from_db()
    assert comment.status is CommentStatus.APPROVED


async def test_sign_out_without_the_token_is_refused(studio_editor):
    assert (await studio_editor.post("/studio/sign-out", csrf=False)).status_code == 403
    assert (await studio_editor.get("/studio/")).status_code == 200


async def test_the_sign_in_form_needs_its_token_too(studio_browser, make_user):
    user = await make_user("edna@example.com")
    browser = await studio_browser()
    await browser.get("/studio/sign-in")
    response = await browser.post(
        "/studio/sign-in", {"email": user.email, "password": "x"}, csrf=False
    )
    assert response.status_code == 403


async def test_graphql_with_the_cookie_but_no_header_is_anonymous(studio_editor):
    response = await studio_editor.http.post("/graphql", json={"query": CREATE_PAGE})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert not await Page.exists(slug="forged")


async def test_graphql_with_a_wrong_header_is_forbidden(studio_editor, studio_admin):
    response = await studio_editor.graphql(CREATE_PAGE, csrf=studio_admin.csrf)
    assert response.status_code == 403
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert not await Page.exists(slug="forged")


async def test_graphql_with_the_cookie_and_the_header_acts_as_the_user(studio_editor):
    response = await studio_editor.graphql(CREATE_PAGE)
    assert response.json()["data"]["createPage"]["errors"] == []
    assert await Page.exists(slug="forged")
