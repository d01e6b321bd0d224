"""A comment form token belongs to one reader and posts one comment: it is never served
from a cache, and a second comment with it is refused, however fast it is sent."""

import asyncio

from comment_support import FORM_TOKEN, api_for, defences_off, gid, published_page

from cms.models import Comment


def errors_of(payload: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


def single_use(database_url: str):
    return defences_off(database_url, comment_form_token_required=True, comment_form_min_seconds=0)


async def test_a_form_token_posts_one_comment_only(database):
    page = await published_page()
    async with api_for(single_use(database.url)) as api:
        token = (await api.data(FORM_TOKEN, {"pageId": gid(page)}))["commentFormToken"]
        first = await api.add(page, formToken=token)
        again = [await api.add(page, formToken=token, body=f"Again {n}.") for n in range(4)]

    assert errors_of(first) == []
    assert {tuple(errors_of(payload)) for payload in again} == {(("formToken", "INVALID"),)}
    assert "already posted" in again[0]["errors"][0]["message"]
    assert await Comment.all().count() == 1


async def test_a_form_token_sent_many_times_at_once_posts_one_comment(database):
    page = await published_page()
    async with api_for(single_use(database.url)) as api:
        token = (await api.data(FORM_TOKEN, {"pageId": gid(page)}))["commentFormToken"]
        payloads = await asyncio.gather(
            *(api.add(page, formToken=token, body=f"Copy {n}.") for n in range(10))
        )

    assert sum(1 for payload in payloads if payload["errors"] == []) == 1
    assert await Comment.all().count() == 1


async def test_a_refused_comment_does_not_use_up_its_token(database):
    page = await published_page()
    async with api_for(single_use(database.url)) as api:
        token = (await api.data(FORM_TOKEN, {"pageId": gid(page)}))["commentFormToken"]
        refused = await api.add(page, formToken=token, body="  ")
        accepted = await api.add(page, formToken=token)

    assert errors_of(refused) == [("body", "REQUIRED")]
    assert errors_of(accepted) == []


async def test_every_reader_gets_their_own_token_never_a_cached_one(database):
    page = await published_page()
    query = {"query": FORM_TOKEN, "variables": f'{{"pageId": "{gid(page)}"}}'}
    async with api_for(single_use(database.url)) as api:
        responses = [await api.http.get("/graphql", params=query) for _ in range(2)]
        responses += [
            await api.http.post("/graphql", json={**query, "variables": {"pageId": gid(page)}})
            for _ in range(2)
        ]

    tokens = {response.json()["data"]["commentFormToken"] for response in responses}
    assert len(tokens) == 4
    assert {response.headers["cache-control"] for response in responses} == {"private, no-store"}
    assert all("etag" not in response.headers for response in responses)


async def test_the_reader_sites_shared_article_carries_no_form_token(database):
    """The article is cached for every reader, so its form has no token (the page's script
    fetches one; without it, the form comes back once with one: tests/site/)."""
    page = await published_page()
    async with api_for(single_use(database.url)) as api:
        response = await api.http.get(f"/pages/{page.slug}")

    assert 'name="formToken" id="formToken" value=""' in response.text
    assert response.headers["cache-control"].startswith("public")
