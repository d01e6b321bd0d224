"""Admin-only pages: users, webhooks, creating tokens. Editors are refused, by URL too."""

import pytest

from cms.models import DeliveryStatus, User, Webhook, WebhookDelivery
from schema.relay import to_global_id
from studio.browser import PASSWORD


@pytest.mark.parametrize("path", ["/studio/users", "/studio/webhooks"])
async def test_an_editor_cannot_open_admin_pages(studio_editor, path):
    response = await studio_editor.get(path)
    assert response.status_code == 403
    assert "for admins only" in response.text


async def test_an_editor_cannot_create_users_by_posting_the_form(studio_editor):
    response = await studio_editor.post(
        "/studio/users", {"email": "new@example.com", "displayName": "New", "role": "ADMIN"}
    )
    assert response.status_code == 403
    assert not await User.exists(email="new@example.com")


async def test_an_editor_cannot_register_webhooks(studio_editor):
    response = await studio_editor.post("/studio/webhooks", {"url": "https://93.184.216.34/"})
    assert response.status_code == 403
    assert not await Webhook.exists()


async def test_the_nav_shows_admin_links_to_admins_only(studio_editor, studio_admin):
    editor_page = (await studio_editor.get("/studio/")).text
    admin_page = (await studio_admin.get("/studio/")).text
    assert 'href="/studio/users"' not in editor_page
    assert 'href="/studio/users"' in admin_page and 'href="/studio/webhooks"' in admin_page


async def test_an_admin_creates_a_user_who_sets_a_password_and_signs_in(
    studio_admin, studio_browser
):
    response = await studio_admin.post(
        "/studio/users", {"email": "nina@example.com", "displayName": "Nina", "role": "EDITOR"}
    )
    assert response.status_code == 200
    link = response.text.split("http://cms.test/studio/set-password/", 1)[1].split("<", 1)[0]
    nina = await studio_browser()
    opened = await nina.get(f"/studio/set-password/{link}")
    assert opened.headers["location"] == "/studio/set-password"
    assert (await nina.get("/studio/set-password")).status_code == 200
    short = await nina.post("/studio/set-password", {"password": "x", "repeat": "x"})
    assert short.status_code == 422
    done = await nina.post("/studio/set-password", {"password": PASSWORD, "repeat": PASSWORD})
    assert done.headers["location"] == "/studio/sign-in?notice=password-set"
    assert (await nina.get(f"/studio/set-password/{link}")).status_code == 410  # used once
    assert (await nina.sign_in("nina@example.com")).status_code == 303
    assert "Nina" in (await nina.get("/studio/")).text


async def test_a_duplicate_email_is_shown_next_to_the_form(studio_admin):
    response = await studio_admin.post(
        "/studio/users", {"email": "ada@example.com", "displayName": "Ada 2", "role": "EDITOR"}
    )
    assert response.status_code == 422
    assert "A user has this email." in response.text


async def test_an_admin_cannot_deactivate_themselves(studio_admin):
    admin = await User.get(email="ada@example.com")
    response = await studio_admin.post(
        "/studio/users/deactivate", {"id": to_global_id("User", admin.id)}
    )
    assert response.status_code == 422
    assert (await User.get(id=admin.id)).active


async def test_an_admin_registers_a_webhook_and_sees_its_delivery_log(studio_admin):
    response = await studio_admin.post(
        "/studio/webhooks", {"url": "https://93.184.216.34/hook", "events": "page.published"}
    )
    assert response.status_code == 200, response.text
    assert "signing secret" in response.text
    webhook = await Webhook.get(url="https://93.184.216.34/hook")
    assert webhook.created_by == "Ada Admin"
    assert webhook.created_by_user_id == (await User.get(email="ada@example.com")).id
    await WebhookDelivery.create(
        webhook=webhook,
        event="page.published",
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=6,
        response_status=500,
        error="Server error",
    )
    log = await studio_admin.get(f"/studio/webhooks/{to_global_id('Webhook', webhook.id)}")
    assert log.status_code == 200
    assert "page.published" in log.text and "Server error" in log.text
