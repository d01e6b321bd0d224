"""Duplicate comments: the same author (email in any case) saying the same thing on the
same page is stored once, even when the copies are sent at the same moment."""

import asyncio

from comment_support import api_for, defences_off, published_page

from cms.models import Comment

COPIES = 20


def duplicate_rule(database_url: str):
    return defences_off(database_url, comment_duplicate_check=True)


def codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["errors"]]


async def test_the_same_comment_with_the_email_in_another_case_is_a_duplicate(database):
    page = await published_page()
    async with api_for(duplicate_rule(database.url)) as api:
        await api.add(page, authorEmail="ada@example.com")
        payload = await api.add(page, authorEmail=" ADA@Example.COM ")
    assert codes(payload) == ["DUPLICATE"]
    assert await Comment.all().count() == 1


async def test_twenty_identical_comments_sent_at_once_are_stored_once(database):
    page = await published_page()
    async with api_for(duplicate_rule(database.url)) as api:
        payloads = await asyncio.gather(*(api.add(page) for _ in range(COPIES)))

    assert sorted(tuple(codes(payload)) for payload in payloads) == [()] + [("DUPLICATE",)] * (
        COPIES - 1
    )
    assert await Comment.all().count() == 1


async def test_a_trashed_comment_may_be_sent_again(database, editor_token):
    page = await published_page()
    async with api_for(duplicate_rule(database.url)) as api:
        first = await api.add(page)
        await api.moderate(first["comment"]["id"], "TRASH", editor_token)
        again = await api.add(page)
    assert codes(again) == []
    assert await Comment.all().count() == 2
