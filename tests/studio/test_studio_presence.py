"""Presence: who else has a page open in the editor. Heartbeat records expire on their own
(in this process, or in Redis shared by every process); leaving removes one at once."""

import uuid

import pytest

from cms.studio.presence import Editor, MemoryPresence, RedisPresence
from studio.pages_support import create_page

REDIS_URL = "redis://127.0.0.1:6379/0"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
async def presence_and_clock(request):
    clock = Clock()
    if request.param == "memory":
        store = MemoryPresence(clock, ttl=40)
    else:
        store = RedisPresence(REDIS_URL, clock, ttl=40, prefix=f"test-presence-{uuid.uuid4().hex}")
    yield store, clock
    await store.close()


EDNA_TAB = Editor("tab-edna-1", "Edna Editor", 1)
ADA_TAB = Editor("tab-ada-1", "Ada Admin", 2)


async def test_each_editor_sees_the_others(presence_and_clock):
    presence, _ = presence_and_clock

    assert await presence.beat("page-1", EDNA_TAB) == []
    assert await presence.beat("page-1", ADA_TAB) == [EDNA_TAB]
    assert await presence.beat("page-1", EDNA_TAB) == [ADA_TAB]
    assert await presence.beat("page-2", Editor("tab-x", "Xavier", 3)) == []


async def test_an_editor_without_heartbeat_disappears(presence_and_clock):
    presence, clock = presence_and_clock
    await presence.beat("page-1", ADA_TAB)

    clock.now += 39
    assert await presence.beat("page-1", EDNA_TAB) == [ADA_TAB]
    clock.now += 2
    assert await presence.beat("page-1", EDNA_TAB) == []


async def test_leaving_removes_the_editor_at_once(presence_and_clock):
    presence, _ = presence_and_clock
    await presence.beat("page-1", ADA_TAB)

    await presence.leave("page-1", ADA_TAB)

    assert await presence.beat("page-1", EDNA_TAB) == []


async def test_beats_from_one_tab_count_once(presence_and_clock):
    presence, clock = presence_and_clock
    await presence.beat("page-1", ADA_TAB)
    clock.now += 10
    await presence.beat("page-1", ADA_TAB)

    assert await presence.beat("page-1", EDNA_TAB) == [ADA_TAB]


async def test_two_processes_share_presence_through_redis():
    prefix = f"test-presence-{uuid.uuid4().hex}"
    clock = Clock()
    one, two = (
        RedisPresence(REDIS_URL, clock, prefix=prefix),
        RedisPresence(REDIS_URL, clock, prefix=prefix),
    )
    try:
        await one.beat("page-1", ADA_TAB)
        assert await two.beat("page-1", EDNA_TAB) == [ADA_TAB]
    finally:
        await one.close()
        await two.close()


async def test_the_editor_shows_who_else_has_the_page_open(studio_editor, studio_admin):
    page_id = await create_page(studio_editor, "busy", "Busy page")
    path = f"/studio/pages/{page_id}/presence"
    await studio_editor.get(f"/studio/pages/{page_id}/edit")
    await studio_admin.get(f"/studio/pages/{page_id}/edit")

    async def beat(browser, client_id: str, **extra) -> list[dict]:
        response = await browser.http.post(
            path, json={"clientId": client_id, **extra}, headers={"X-CSRF-Token": browser.csrf}
        )
        assert response.status_code == 200
        return response.json()["others"]

    assert await beat(studio_editor, "edna-tab-0001") == []
    assert await beat(studio_admin, "ada-tab-00001") == [{"name": "Edna Editor", "sameUser": False}]
    assert await beat(studio_editor, "edna-tab-0002") == [
        {"name": "Ada Admin", "sameUser": False},
        {"name": "Edna Editor", "sameUser": True},
    ]
    await beat(studio_editor, "edna-tab-0001", leave=True)
    await beat(studio_editor, "edna-tab-0002", leave=True)
    assert await beat(studio_admin, "ada-tab-00001") == []


async def test_presence_needs_the_csrf_header(studio_editor):
    page_id = await create_page(studio_editor, "busy", "Busy page")

    response = await studio_editor.http.post(
        f"/studio/pages/{page_id}/presence", json={"clientId": "edna-tab-0001"}
    )

    assert response.status_code == 403


async def test_a_heartbeat_without_a_tab_id_is_a_bad_request(studio_editor):
    page_id = await create_page(studio_editor, "busy", "Busy page")
    await studio_editor.get(f"/studio/pages/{page_id}/edit")

    response = await studio_editor.http.post(
        f"/studio/pages/{page_id}/presence",
        content=b"not json",
        headers={"X-CSRF-Token": studio_editor.csrf, "Content-Type": "application/json"},
    )

    assert response.status_code == 400
