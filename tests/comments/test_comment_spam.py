"""Spam defences: the honeypot, the signed form token and its minimum time, duplicate
detection, and the link-count and word-list rules."""

import asyncio

from comment_support import FORM_TOKEN, api_for, defences_off, gid, published_page, stored_comment

from cms.config import Settings
from cms.models import Comment, CommentStatus
from cms.services.form_tokens import issue_form_token


def errors_of(payload: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def test_every_spam_defence_is_on_by_default():
    defaults = Settings()
    assert defaults.comment_honeypot
    assert defaults.comment_form_token_required
    assert defaults.comment_form_min_seconds == 3
    assert defaults.comment_duplicate_check
    assert defaults.comment_rate_limits == "1/15 seconds;20/hour"
    assert defaults.comment_max_links == 2


async def test_a_filled_honeypot_is_refused_and_nothing_is_stored(database):
    page = await published_page()
    async with api_for(defences_off(database.url, comment_honeypot=True)) as api:
        payload = await api.add(page, honeypot="http://cheap.example")
    assert errors_of(payload) == [("honeypot", "INVALID")]
    assert await Comment.all().count() == 0


async def test_an_empty_honeypot_passes(database):
    page = await published_page()
    async with api_for(defences_off(database.url, comment_honeypot=True)) as api:
        assert errors_of(await api.add(page, honeypot="")) == []


async def test_the_honeypot_rule_can_be_turned_off(database):
    page = await published_page()
    async with api_for(defences_off(database.url, comment_honeypot=False)) as api:
        assert errors_of(await api.add(page, honeypot="filled")) == []


def token_rule(database_url: str, min_seconds: float) -> Settings:
    return defences_off(
        database_url, comment_form_token_required=True, comment_form_min_seconds=min_seconds
    )


async def test_a_comment_without_a_form_token_is_refused(database):
    page = await published_page()
    async with api_for(token_rule(database.url, 0)) as api:
        payload = await api.add(page)
    assert errors_of(payload) == [("formToken", "REQUIRED")]


async def test_a_comment_sent_sooner_than_the_minimum_time_is_refused(database):
    page = await published_page()
    async with api_for(token_rule(database.url, 60)) as api:
        token = (await api.data(FORM_TOKEN, {"pageId": gid(page)}))["commentFormToken"]
        payload = await api.add(page, formToken=token)
    assert errors_of(payload) == [("formToken", "TOO_SOON")]


async def test_a_comment_sent_after_the_minimum_time_is_accepted(database):
    page = await published_page()
    async with api_for(token_rule(database.url, 1)) as api:
        token = (await api.data(FORM_TOKEN, {"pageId": gid(page)}))["commentFormToken"]
        await asyncio.sleep(1.05)
        payload = await api.add(page, formToken=token)
    assert errors_of(payload) == []


async def test_a_form_token_for_another_page_is_refused(database):
    page, other = await published_page("one"), await published_page("two")
    settings = token_rule(database.url, 0)
    async with api_for(settings) as api:
        payload = await api.add(page, formToken=issue_form_token(settings, other.id))
    assert errors_of(payload) == [("formToken", "INVALID")]


async def test_a_form_token_signed_with_another_key_is_refused(database):
    page = await published_page()
    forged = issue_form_token(Settings(secret_key="not-the-sites-secret-key"), page.id)
    async with api_for(token_rule(database.url, 0)) as api:
        payload = await api.add(page, formToken=forged)
    assert errors_of(payload) == [("formToken", "INVALID")]


async def test_no_form_token_is_issued_for_a_page_closed_to_comments(database):
    page = await published_page()
    page.comments_open = False
    await page.save()
    async with api_for(token_rule(database.url, 0)) as api:
        body = await api(FORM_TOKEN, {"pageId": gid(page)})
    assert body["data"] == {"commentFormToken": None}
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


async def test_the_same_comment_twice_is_refused_as_a_duplicate(database):
    page = await published_page()
    async with api_for(defences_off(database.url, comment_duplicate_check=True)) as api:
        assert errors_of(await api.add(page)) == []
        payload = await api.add(page)
    assert errors_of(payload) == [("body", "DUPLICATE")]
    assert await Comment.all().count() == 1


async def test_the_same_text_on_another_page_is_not_a_duplicate(database):
    page, other = await published_page("one"), await published_page("two")
    async with api_for(defences_off(database.url, comment_duplicate_check=True)) as api:
        await api.add(page)
        assert errors_of(await api.add(other)) == []


async def test_too_many_links_hold_even_a_trusted_authors_comment_for_moderation(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    settings = defences_off(database.url, comment_previously_approved=True, comment_max_links=2)
    links = "https://a.example https://b.example https://c.example"
    async with api_for(settings) as api:
        assert (await api.add(page, body="No links."))["comment"]["status"] == "APPROVED"
        assert (await api.add(page, body=links))["comment"]["status"] == "PENDING"


async def test_a_moderation_word_holds_a_trusted_authors_comment(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    settings = defences_off(
        database.url, comment_previously_approved=True, comment_moderation_words=["casino"]
    )
    async with api_for(settings) as api:
        payload = await api.add(page, body="Visit my CASINO tonight")
    assert payload["comment"]["status"] == "PENDING"


async def test_a_blocklisted_word_anywhere_sends_the_comment_to_spam(database):
    page = await published_page()
    settings = defences_off(database.url, comment_blocklist_words=["pills.example"])
    async with api_for(settings) as api:
        payload = await api.add(page, authorUrl="https://pills.example/buy")
    assert payload["comment"]["status"] == "SPAM"
    assert (await Comment.get()).status is CommentStatus.SPAM


async def test_the_blocklist_also_matches_the_user_agent(database):
    page = await published_page()
    settings = defences_off(database.url, comment_blocklist_words=["spambot"])
    async with api_for(settings) as api:
        api.http.headers["User-Agent"] = "SpamBot/2.0"
        payload = await api.add(page)
    assert payload["comment"]["status"] == "SPAM"
