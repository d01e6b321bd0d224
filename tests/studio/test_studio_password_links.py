"""Set-password links keep their secret out of addresses: the link's first request moves it
into a cookie for the set-password page alone and redirects to an address without it, the
form works from there, the secret is used once, and no Referer nor log line carries it."""

import os
from datetime import timedelta

import httpx
import pytest
from live_server import free_port, server_process, uvicorn_command

from cms.models import User
from cms.services.users import create_password_link, create_user
from studio.browser import PASSWORD, StudioBrowser

FORM = "/studio/set-password"
UNUSABLE = "This link has expired or was already used."


@pytest.fixture
async def nina() -> User:
    return await create_user("nina@example.com", "Nina", "EDITOR")


@pytest.fixture
async def secret(nina: User) -> str:
    return await create_password_link(nina, timedelta(hours=1))


def cookie_attributes(response: httpx.Response) -> list[str]:
    (header,) = [v for v in response.headers.get_list("set-cookie") if "cms_password_link" in v]
    return [part.strip().lower() for part in header.split(";")]


async def test_opening_the_link_redirects_to_an_address_without_its_secret(studio_browser, secret):
    browser = await studio_browser()
    opened = await browser.get(f"/studio/set-password/{secret}")

    assert opened.status_code == 303
    assert opened.headers["location"] == FORM
    attributes = cookie_attributes(opened)
    assert f"cms_password_link={secret}".lower() in attributes
    assert {"httponly", "samesite=strict", f"path={FORM}"} <= set(attributes)
    assert "secure" not in attributes  # plain HTTP here; see the HTTPS test
    assert any(a.startswith("max-age=") for a in attributes)
    form = await browser.get(FORM)
    assert form.status_code == 200 and 'name="password"' in form.text
    assert secret not in form.text


async def test_over_https_the_link_cookie_is_secure(studio_app, secret):
    transport = httpx.ASGITransport(app=studio_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://cms.test") as http:
        opened = await http.get(f"/studio/set-password/{secret}")
    assert "secure" in cookie_attributes(opened)


async def test_every_set_password_response_sends_no_referrer(studio_browser, secret):
    browser = await studio_browser()
    responses = [
        await browser.get(f"/studio/set-password/{secret}"),
        await browser.get(FORM),
        await browser.post(FORM, {"password": "x", "repeat": "y"}),
        await browser.get("/studio/set-password/forged"),
    ]
    assert [r.headers.get_list("referrer-policy") for r in responses] == [["no-referrer"]] * 4
    assert (await browser.get("/studio/sign-in")).headers["referrer-policy"] == "same-origin"


async def test_the_form_sets_the_password_once_and_forgets_the_link(studio_browser, secret):
    browser = await studio_browser()
    await browser.get(f"/studio/set-password/{secret}")
    await browser.get(FORM)

    done = await browser.post(FORM, {"password": PASSWORD, "repeat": PASSWORD})

    assert done.headers["location"] == "/studio/sign-in?notice=password-set"
    assert "max-age=0" in cookie_attributes(done)
    assert (await browser.get(FORM)).status_code == 410
    assert (await browser.sign_in("nina@example.com")).status_code == 303


async def test_a_used_link_fails_plainly(studio_browser, secret, nina):
    first = await studio_browser()
    await first.get(f"/studio/set-password/{secret}")
    await first.get(FORM)
    await first.post(FORM, {"password": PASSWORD, "repeat": PASSWORD})

    again = await studio_browser()
    reused = await again.get(f"/studio/set-password/{secret}")
    assert reused.status_code == 410 and UNUSABLE in reused.text
    assert "cms_password_link" not in reused.headers.get("set-cookie", "")
    # A second browser that opened the link before it was used cannot use it afterwards.
    late = await studio_browser()
    late.http.cookies.set("cms_password_link", secret, path=FORM)
    await late.get("/studio/sign-in")
    refused = await late.post(FORM, {"password": PASSWORD + "!", "repeat": PASSWORD + "!"})
    assert refused.status_code == 422 and UNUSABLE in refused.text


async def test_a_forged_link_fails_plainly(studio_browser, secret, nina):
    browser = await studio_browser()
    forged = await browser.get("/studio/set-password/not-a-link-anyone-was-sent")
    assert forged.status_code == 410 and UNUSABLE in forged.text
    assert (await browser.get(FORM)).status_code == 410  # no link kept for this browser
    browser.http.cookies.set("cms_password_link", "made-up", path=FORM)
    refused = await browser.post(FORM, {"password": PASSWORD, "repeat": PASSWORD})
    assert refused.status_code == 422 and UNUSABLE in refused.text
    await nina.refresh_from_db()
    assert nina.password_hash is None


async def test_the_servers_log_never_holds_the_secret(database, secret):
    """Under uvicorn with access logging on: the first request line is logged without the
    secret, and what follows never had it."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env |= {"CMS_DATABASE_URL": database.url, "CMS_LOG_LEVEL": "info"}
    if "CMS_SECRET_KEY_FILE" in os.environ:
        env["CMS_SECRET_KEY_FILE"] = os.environ["CMS_SECRET_KEY_FILE"]
    command = [*uvicorn_command(port)[:-1], "info"]
    with server_process(command, port=port, env=env) as server:
        async with httpx.AsyncClient(base_url=server.base_url) as http:
            browser = StudioBrowser(http)
            assert (await browser.get(f"/studio/set-password/{secret}")).status_code == 303
            assert (await browser.get(FORM)).status_code == 200
            done = await browser.post(FORM, {"password": PASSWORD, "repeat": PASSWORD})
            assert done.status_code == 303
        log = server.output()
    assert "/studio/set-password/[secret]" in log
    assert secret not in log
