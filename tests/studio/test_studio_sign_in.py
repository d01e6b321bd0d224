"""Signing in and out of the studio."""

from studio.browser import csrf_from


async def test_signed_in_editor_sees_the_dashboard_with_their_name(studio_editor):
    response = await studio_editor.get("/studio/")
    assert response.status_code == 200
    assert "Edna Editor" in response.text
    assert 'action="/studio/sign-out"' in response.text


async def test_stranger_is_sent_to_sign_in(studio_browser):
    browser = await studio_browser()
    response = await browser.get("/studio/")
    assert response.status_code == 303
    assert response.headers["location"] == "/studio/sign-in?next=/studio/"


async def test_wrong_password_and_unknown_email_get_the_same_answer(studio_browser, make_user):
    await make_user("edna@example.com")
    browser = await studio_browser()
    wrong_password = await browser.sign_in("edna@example.com", "not the password at all")
    unknown_email = await browser.sign_in("nobody@example.com", "not the password at all")
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert "The email or password is not right." in wrong_password.text
    strip = lambda html: html.replace(csrf_from(html), "").replace("nobody", "edna")  # noqa: E731
    assert strip(wrong_password.text) == strip(unknown_email.text)


async def test_session_works_for_graphql_with_the_csrf_header(studio_editor):
    response = await studio_editor.graphql("{ viewer { name role user { email } } }")
    assert response.json() == {
        "data": {
            "viewer": {
                "name": "Edna Editor",
                "role": "EDITOR",
                "user": {"email": "edna@example.com"},
            }
        }
    }
    assert response.headers["cache-control"] == "private, no-store"
