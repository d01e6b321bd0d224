"""Sign-in attempts are limited per account and per client address (the existing limiter),
whatever the password."""

import pytest
from conftest import COMMENT_DEFENCES_OFF

from cms.config import Settings
from cms.serving.sessions import SESSION_COOKIE


@pytest.fixture
def settings(database) -> Settings:
    return Settings(
        database_url=database.url, sign_in_rate_limits="3/minute", **COMMENT_DEFENCES_OFF
    )


async def test_sign_in_is_rate_limited_per_account(studio_browser, make_user):
    user = await make_user("edna@example.com")
    for _ in range(3):
        browser = await studio_browser()
        assert (await browser.sign_in(user.email, "wrong password!")).status_code == 401
    browser = await studio_browser()
    refused = await browser.sign_in(user.email)  # the right password, too late
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.text
    assert SESSION_COOKIE not in browser.http.cookies


async def test_sign_in_is_rate_limited_per_address(studio_browser, make_user):
    await make_user("edna@example.com")
    browser = await studio_browser()
    for n in range(3):
        assert (await browser.sign_in(f"guess{n}@example.com", "password")).status_code == 401
    assert (await browser.sign_in("edna@example.com")).status_code == 429
