"""Sessions: a new id at every sign-in, ended by sign-out and by deactivation (with the
user's API tokens, at once)."""

import asyncio
import json

import httpx
import pytest
from comment_support import served
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from cms.config import Settings
from cms.models import ApiToken, Role, User, UserSession
from cms.services.auth import create_token
from cms.services.users import sha256
from cms.serving.sessions import SESSION_COOKIE
from schema.relay import to_global_id
from studio.browser import PASSWORD, StudioBrowser

VIEWER = "{ viewer { name } }"


def session_cookie(browser) -> str:
    return browser.http.cookies.get(SESSION_COOKIE, path="/")


async def test_sign_in_never_keeps_a_session_id_the_browser_brought(studio_browser, make_user):
    user = await make_user("edna@example.com")
    browser = await studio_browser()
    planted = "attacker-chosen-session-id"
    browser.http.cookies.set(SESSION_COOKIE, planted, domain="cms.test", path="/")
    await browser.sign_in(user.email)
    assert session_cookie(browser) != planted
    assert await UserSession.exists(session_hash=sha256(session_cookie(browser)))
    assert not await UserSession.exists(session_hash=sha256(planted))


async def test_signing_in_again_ends_the_earlier_session(studio_editor):
    first = session_cookie(studio_editor)
    response = await studio_editor.post(
        "/studio/sign-in", {"email": "edna@example.com", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert session_cookie(studio_editor) != first
    assert await UserSession.exists(session_hash=sha256(first), ended_at__isnull=False)


async def test_the_session_cookie_is_httponly_and_lax(studio_browser, make_user):
    user = await make_user("edna@example.com")
    browser = await studio_browser()
    await browser.get("/studio/sign-in")
    response = await browser.post("/studio/sign-in", {"email": user.email, "password": None})
    assert response.status_code == 401
    response = await browser.post("/studio/sign-in", {"email": user.email, "password": PASSWORD})
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http here; https gets Secure


async def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(
    studio_editor, studio_browser
):
    copy = await studio_browser()
    copy.http.cookies.set(SESSION_COOKIE, session_cookie(studio_editor), domain="cms.test")
    assert (await copy.get("/studio/")).status_code == 200
    response = await studio_editor.post("/studio/sign-out")
    assert response.status_code == 303
    assert response.headers["location"] == "/studio/sign-in?notice=signed-out"
    assert (await copy.get("/studio/")).status_code == 303
    assert (await copy.graphql(VIEWER)).status_code == 401


async def test_a_deactivated_users_session_and_tokens_stop_working_at_once(
    studio_editor, studio_admin, client
):
    editor = await User.get(email="edna@example.com")
    _, token = await create_token("edna's script", Role.EDITOR, editor.id)
    bearer = {"Authorization": f"Bearer {token}"}
    accepted = await client.post("/graphql", json={"query": VIEWER}, headers=bearer)
    assert accepted.json() == {"data": {"viewer": {"name": "edna's script"}}}
    await studio_admin.get("/studio/users")
    response = await studio_admin.post(
        "/studio/users/deactivate", {"id": to_global_id("User", editor.id)}
    )
    assert response.status_code == 303
    assert (await studio_editor.get("/studio/")).status_code == 303
    assert (await studio_editor.graphql(VIEWER)).status_code == 401
    refused = await client.post("/graphql", json={"query": VIEWER}, headers=bearer)
    assert refused.status_code == 401
    assert await ApiToken.filter(user_id=editor.id, revoked=False).count() == 0


async def test_deactivation_closes_sockets_opened_with_the_users_tokens(
    database, make_user, admin_token
):
    user = await make_user("edna@example.com")
    _, token = await create_token("edna's socket", Role.EDITOR, user.id)
    deactivate = """mutation ($id: ID!) { deactivateUser(input: {id: $id}) {
      user { active } errors { code } } }"""
    async with (
        served(Settings(database_url=database.url)) as address,
        connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        init = {"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}
        await ws.send(json.dumps(init))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        async with httpx.AsyncClient(base_url=f"http://{address}") as http:
            response = await http.post(
                "/graphql",
                json={"query": deactivate, "variables": {"id": to_global_id("User", user.id)}},
                headers={"Authorization": f"Bearer {admin_token}"},
            )
        assert response.json()["data"]["deactivateUser"]["user"] == {"active": False}
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(5):
                await ws.recv()
    assert closed.value.rcvd.code == 4403


async def test_over_https_the_session_cookie_is_secure(studio_app, make_user):
    user = await make_user("edna@example.com")
    transport = httpx.ASGITransport(app=studio_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://cms.test") as http:
        browser = StudioBrowser(http)
        response = await browser.sign_in(user.email)
        cookie = next(
            v for k, v in response.headers.multi_items() if k == "set-cookie" and "cms_session" in v
        )
        assert "Secure" in cookie
        assert (await browser.get("/studio/")).status_code == 200
