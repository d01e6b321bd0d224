"""Submitting comments: open pages only, reply depth, who is approved at once, what the
author and others see, and what is kept about the client."""

from datetime import timedelta

from comment_support import api_for, defences_off, gid, published_page, stored_comment
from tortoise.timezone import now

from cms.models import Comment, CommentStatus

SET_COMMENTS_OPEN = """
mutation ($pageId: ID!, $open: Boolean!) {
  setCommentsOpen(input: {pageId: $pageId, open: $open}) {
    page { commentsOpen } errors { field code }
  }
}"""

PAGE = "query ($slug: String!) { page(slug: $slug) { commentsOpen commentCount comments { totalCount edges { node { id } } } } }"  # noqa: E501
NODE = "query ($id: ID!) { node(id: $id) { id ... on Comment { status } } }"
PRIVATE = "query ($id: ID!) { node(id: $id) { ... on Comment { authorIp authorUserAgent } } }"


def errors_of(payload: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def test_editors_can_close_a_page_to_new_comments(gql, settings, editor_token):
    page = await published_page()
    closed = await gql.data(SET_COMMENTS_OPEN, {"pageId": gid(page), "open": False}, editor_token)
    assert closed["setCommentsOpen"]["page"] == {"commentsOpen": False}
    async with api_for(settings) as api:
        payload = await api.add(page)
    assert errors_of(payload) == [("pageId", "INVALID_STATE")]
    assert await Comment.all().count() == 0


async def test_readers_cannot_close_comments(gql):
    page = await published_page()
    body = await gql(SET_COMMENTS_OPEN, {"pageId": gid(page), "open": False})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_comments_close_automatically_after_the_configured_days(database):
    old = await published_page("old", published_at=now() - timedelta(days=8))
    recent = await published_page("recent", published_at=now() - timedelta(days=6))
    async with api_for(defences_off(database.url, comment_close_after_days=7)) as api:
        assert errors_of(await api.add(old)) == [("pageId", "INVALID_STATE")]
        assert errors_of(await api.add(recent)) == []
        assert (await api.data(PAGE, {"slug": "old"}))["page"]["commentsOpen"] is False


async def test_replies_nest_no_deeper_than_the_configured_depth(database):
    page = await published_page()
    top = await stored_comment(page)
    reply = await stored_comment(page, parent=top)
    async with api_for(defences_off(database.url, comment_max_depth=2)) as api:
        assert errors_of(await api.add(page, parentId=gid(top), body="ok")) == []
        too_deep = await api.add(page, parentId=gid(reply), body="too deep")
    assert errors_of(too_deep) == [("parentId", "INVALID")]


async def test_a_reply_to_a_comment_on_another_page_is_refused(gql, settings):
    page, other = await published_page("one"), await published_page("two")
    elsewhere = await stored_comment(other)
    async with api_for(settings) as api:
        payload = await api.add(page, parentId=gid(elsewhere))
    assert errors_of(payload) == [("parentId", "NOT_FOUND")]


async def test_an_author_with_an_approved_comment_is_approved_at_once(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    async with api_for(defences_off(database.url, comment_previously_approved=True)) as api:
        payload = await api.add(page)
    assert payload["comment"]["status"] == "APPROVED"


async def test_the_same_email_under_another_name_still_waits(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    async with api_for(defences_off(database.url, comment_previously_approved=True)) as api:
        payload = await api.add(page, authorName="Someone Else")
    assert payload["comment"]["status"] == "PENDING"


async def test_a_pending_earlier_comment_does_not_make_an_author_trusted(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.", status=CommentStatus.PENDING)
    async with api_for(defences_off(database.url, comment_previously_approved=True)) as api:
        payload = await api.add(page)
    assert payload["comment"]["status"] == "PENDING"


async def test_without_the_previously_approved_rule_known_authors_wait_too(settings):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    async with api_for(settings) as api:
        assert (await api.add(page))["comment"]["status"] == "PENDING"


async def test_an_editors_comment_is_approved_at_once(settings, editor_token):
    page = await published_page()
    async with api_for(settings) as api:
        payload = await api.add(page, token=editor_token)
    assert payload["comment"]["status"] == "APPROVED"


async def test_the_author_sees_their_pending_comment_but_readers_do_not(settings):
    page = await published_page()
    async with api_for(settings) as api:
        payload = await api.add(page)
        assert payload["comment"]["status"] == "PENDING"
        assert (await api.data(NODE, {"id": payload["comment"]["id"]}))["node"] is None
        listed = (await api.data(PAGE, {"slug": "article"}))["page"]
    assert listed["commentCount"] == 0
    assert listed["comments"]["totalCount"] == 0


async def test_comment_count_and_the_public_list_count_approved_comments_only(gql):
    page = await published_page()
    await stored_comment(page)
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        await stored_comment(page, status=status, body=status.value)
    listed = (await gql.data(PAGE, {"slug": "article"}))["page"]
    assert listed["commentCount"] == 1
    assert listed["comments"]["totalCount"] == 1


async def test_the_client_ip_and_user_agent_are_kept_for_editors(settings, editor_token):
    page = await published_page()
    async with api_for(settings, client_ip="198.51.100.4") as api:
        api.http.headers["User-Agent"] = "TestBrowser/1.0"
        comment_id = (await api.add(page))["comment"]["id"]
        seen = await api.data(PRIVATE, {"id": comment_id}, editor_token)
    assert seen["node"] == {"authorIp": "198.51.100.4", "authorUserAgent": "TestBrowser/1.0"}


async def test_x_forwarded_for_is_ignored_unless_a_trusted_proxy_is_configured(settings):
    page = await published_page()
    async with api_for(settings, client_ip="198.51.100.4") as api:
        api.http.headers["X-Forwarded-For"] = "192.0.2.99"
        await api.add(page)
    assert (await Comment.get()).author_ip == "198.51.100.4"


async def test_behind_a_trusted_proxy_the_forwarded_client_ip_is_kept(database):
    page = await published_page()
    async with api_for(defences_off(database.url, trusted_proxy_count=1)) as api:
        # A client may forge the first entry; the proxy appends the address it saw.
        api.http.headers["X-Forwarded-For"] = "10.6.6.6, 192.0.2.99"
        await api.add(page)
    assert (await Comment.get()).author_ip == "192.0.2.99"


async def test_the_body_is_served_as_safe_html(settings, editor_token):
    page = await published_page()
    async with api_for(settings) as api:
        comment_id = (await api.add(page, body="<i>hi</i> https://example.org"))["comment"]["id"]
        html = await api.data(
            "query ($id: ID!) { node(id: $id) { ... on Comment { bodyHtml } } }",
            {"id": comment_id},
            editor_token,
        )
    assert html["node"]["bodyHtml"] == (
        '<p>&lt;i&gt;hi&lt;/i&gt; <a href="https://example.org" rel="nofollow ugc noopener">'
        "https://example.org</a></p>"
    )
