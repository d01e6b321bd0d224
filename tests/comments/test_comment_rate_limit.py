"""Flood control: per client IP and per email, answered with RATE_LIMITED and a retry
time; only accepted comments count; in memory by default, shared between processes through
Redis."""

import asyncio
import time
import uuid

import pytest
from comment_support import ADD_COMMENT, api_for, comment_input, defences_off, published_page
from live_server import free_port

from cms.errors import RateLimited
from cms.models import Comment
from cms.services.rate_limit import create_comment_rate_limiter

REDIS_URL = "redis://127.0.0.1:6379/0"


def limited(database_url: str, limits: str = "1/15 seconds", **overrides) -> object:
    return defences_off(
        database_url,
        comment_rate_limits=limits,
        rate_limit_key_prefix=f"test-{uuid.uuid4().hex}",
        **overrides,
    )


def rate_limit_error(body: dict) -> dict:
    (error,) = body["errors"]
    return error


async def add_raw(api, page, **fields) -> dict:
    return await api(ADD_COMMENT, {"input": comment_input(page, **fields)})


async def test_a_second_comment_from_one_ip_within_the_window_is_refused(database):
    page = await published_page()
    async with api_for(limited(database.url)) as api:
        assert "errors" not in await add_raw(api, page, authorEmail="a@example.com")
        body = await add_raw(api, page, authorEmail="b@example.com", body="Again.")
    error = rate_limit_error(body)
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert 1 <= error["extensions"]["retryAfter"] <= 15
    assert f"Try again in {error['extensions']['retryAfter']} seconds" in error["message"]


async def test_a_refused_comment_is_not_stored(database):
    page = await published_page()
    async with api_for(limited(database.url)) as api:
        await add_raw(api, page)
        await add_raw(api, page, body="Again.")
    assert await Comment.all().count() == 1


async def test_one_email_is_limited_across_ip_addresses(database):
    limiter = create_comment_rate_limiter(limited(database.url))
    await limiter.hit(client_ip="192.0.2.1", email="ADA@example.com")
    with pytest.raises(RateLimited):
        await limiter.check(client_ip="192.0.2.2", email=" ada@example.com")
    await limiter.close()


async def test_different_clients_with_different_emails_are_not_limited(database):
    limiter = create_comment_rate_limiter(limited(database.url))
    await limiter.hit(client_ip="192.0.2.1", email="a@example.com")
    await limiter.check(client_ip="192.0.2.2", email="b@example.com")
    await limiter.close()


async def test_the_hourly_limit_applies_beyond_the_short_window(database):
    limiter = create_comment_rate_limiter(limited(database.url, "2/hour"))
    await limiter.hit(client_ip="192.0.2.1", email="a@example.com")
    await limiter.hit(client_ip="192.0.2.1", email="b@example.com")
    with pytest.raises(RateLimited) as refused:
        await limiter.check(client_ip="192.0.2.1", email="c@example.com")
    assert 3000 < refused.value.retry_after <= 3600
    await limiter.close()


async def test_an_empty_limit_setting_turns_flood_control_off(database):
    assert create_comment_rate_limiter(limited(database.url, "")) is None


async def test_with_redis_the_limit_is_shared_between_server_processes(database):
    # Two app instances stand for two processes: each has its own memory, one Redis.
    settings = limited(database.url, redis_url=REDIS_URL)
    page = await published_page()
    async with api_for(settings) as first, api_for(settings) as second:
        assert "errors" not in await add_raw(first, page)
        body = await add_raw(second, page, authorEmail="b@example.com", body="Again.")
    assert rate_limit_error(body)["extensions"]["code"] == "RATE_LIMITED"


async def test_without_redis_each_process_counts_on_its_own(database):
    settings = limited(database.url)
    page = await published_page()
    async with api_for(settings) as first, api_for(settings) as second:
        assert "errors" not in await add_raw(first, page)
        assert "errors" not in await add_raw(second, page, authorEmail="b@x.org", body="2")


async def test_the_redis_backend_reports_the_retry_time(database):
    limiter = create_comment_rate_limiter(limited(database.url, redis_url=REDIS_URL))
    await limiter.hit(client_ip="192.0.2.1", email="a@example.com")
    with pytest.raises(RateLimited) as refused:
        await limiter.check(client_ip="192.0.2.1", email="b@example.com")
    assert 1 <= refused.value.retry_after <= 15
    await limiter.close()


async def test_a_reader_told_to_wait_who_waits_gets_in(database):
    # Refused attempts used to count against the hourly limit, locking the reader out.
    page = await published_page()
    async with api_for(limited(database.url, "1/1 second;2/hour")) as api:
        assert "errors" not in await add_raw(api, page, body="First.")
        for attempt in range(3):
            body = await add_raw(api, page, body=f"Too soon {attempt}.")
            assert rate_limit_error(body)["extensions"]["code"] == "RATE_LIMITED"
        deadline = time.monotonic() + 5
        while "errors" in (body := await add_raw(api, page, body="After waiting.")):
            assert rate_limit_error(body)["extensions"]["retryAfter"] <= 1
            assert time.monotonic() < deadline, body
            await asyncio.sleep(0.2)
    assert await Comment.filter(body="After waiting.").count() == 1


async def test_a_refused_comment_does_not_count_towards_the_limits(database):
    page = await published_page()
    settings = limited(database.url, "2/hour", comment_duplicate_check=True)
    async with api_for(settings) as api:
        assert "errors" not in await add_raw(api, page, body="Once.")
        payload = (await add_raw(api, page, body="Once."))["data"]["addComment"]
        assert payload["errors"][0]["code"] == "DUPLICATE"
        assert "errors" not in await add_raw(api, page, body="Twice.")


async def test_while_redis_is_down_flood_control_counts_in_memory(database):
    settings = limited(database.url, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    page = await published_page()
    async with api_for(settings) as api:
        first = await add_raw(api, page)
        second = await add_raw(api, page, authorEmail="b@example.com", body="Again.")
    assert "errors" not in first, first
    assert rate_limit_error(second)["extensions"]["code"] == "RATE_LIMITED"
    assert await Comment.all().count() == 1
