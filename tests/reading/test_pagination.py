"""Cursor pagination of connections (Relay style): `first`/`after` forwards,
`last`/`before` backwards, `pageInfo`, `totalCount`, and a hard maximum page size that is
an error when exceeded, never a silent truncation."""

import base64

import pytest
from comment_support import gid
from graphql_support import app_client
from tortoise.timezone import now

from cms.config import Settings
from cms.models import Comment, CommentStatus, Page, PageStatus

PAGES = """query($first: Int, $after: String, $last: Int, $before: String) {
  pages(first: $first, after: $after, last: $last, before: $before,
        orderBy: {field: TITLE, direction: ASC}) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { title } } } }"""

COMMENTS = """query($first: Int, $after: String, $last: Int, $before: String) {
  page(slug: "discussed") { comments(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { body replies { edges { node { body } } } } } } } }"""


async def create_pages(count: int) -> None:
    """Published pages titled "Page 01", "Page 02", …"""
    await Page.bulk_create(
        [
            Page(
                slug=f"page-{number:02}",
                title=f"Page {number:02}",
                status=PageStatus.PUBLISHED,
                published_at=now(),
            )
            for number in range(1, count + 1)
        ]
    )


def titles(connection: dict) -> list[str]:
    return [edge["node"]["title"] for edge in connection["edges"]]


def offset_cursor(offset: int) -> str:
    """A cursor as earlier releases made them (an offset): refused now."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def forged(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


async def pages(gql, **arguments) -> dict:
    return (await gql.data(PAGES, arguments))["pages"]


# --- forwards ----------------------------------------------------------------------------------


async def test_first_returns_the_first_results_and_says_more_follow(gql):
    await create_pages(7)

    connection = await pages(gql, first=3)

    assert titles(connection) == ["Page 01", "Page 02", "Page 03"]
    assert connection["totalCount"] == 7
    info = connection["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    assert info["startCursor"] == connection["edges"][0]["cursor"]
    assert info["endCursor"] == connection["edges"][-1]["cursor"]


async def test_after_continues_from_the_end_cursor(gql):
    await create_pages(7)
    first_page = await pages(gql, first=3)

    second_page = await pages(gql, first=3, after=first_page["pageInfo"]["endCursor"])

    assert titles(second_page) == ["Page 04", "Page 05", "Page 06"]
    assert second_page["totalCount"] == 7
    info = second_page["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, True)


async def test_paging_forwards_visits_every_result_once_in_order(gql):
    await create_pages(7)
    seen, after, requests = [], None, 0

    while True:
        connection = await pages(gql, first=3, after=after)
        requests += 1
        seen += titles(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert seen == [f"Page {n:02}" for n in range(1, 8)]
    assert requests == 3
    assert connection["pageInfo"]["hasPreviousPage"] is True


async def test_after_the_last_result_is_an_empty_page(gql):
    await create_pages(7)
    everything = await pages(gql, first=7)

    beyond = await pages(gql, first=3, after=everything["pageInfo"]["endCursor"])

    assert beyond["edges"] == []
    assert beyond["totalCount"] == 7
    assert beyond["pageInfo"]["hasNextPage"] is False
    assert (beyond["pageInfo"]["startCursor"], beyond["pageInfo"]["endCursor"]) == (None, None)


# --- backwards ---------------------------------------------------------------------------------


async def test_last_returns_the_last_results_and_says_more_precede(gql):
    await create_pages(7)

    connection = await pages(gql, last=3)

    assert titles(connection) == ["Page 05", "Page 06", "Page 07"]
    info = connection["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (False, True)


async def test_before_continues_backwards_from_the_start_cursor(gql):
    await create_pages(7)
    last_page = await pages(gql, last=3)

    previous_page = await pages(gql, last=3, before=last_page["pageInfo"]["startCursor"])

    assert titles(previous_page) == ["Page 02", "Page 03", "Page 04"]
    info = previous_page["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, True)


async def test_paging_backwards_visits_every_result_once(gql):
    await create_pages(7)
    seen, before = [], None

    while True:
        connection = await pages(gql, last=3, before=before)
        seen = titles(connection) + seen
        if not connection["pageInfo"]["hasPreviousPage"]:
            break
        before = connection["pageInfo"]["startCursor"]

    assert seen == [f"Page {n:02}" for n in range(1, 8)]
    assert titles(connection) == ["Page 01"]


async def test_after_and_before_together_select_the_results_between(gql):
    await create_pages(7)
    edges = (await pages(gql, first=7))["edges"]

    between = await pages(gql, after=edges[1]["cursor"], before=edges[5]["cursor"])

    assert titles(between) == ["Page 03", "Page 04", "Page 05"]


async def test_a_cursor_can_be_used_in_either_direction(gql):
    await create_pages(7)
    middle = (await pages(gql, first=4))["pageInfo"]["endCursor"]  # Page 04

    assert titles(await pages(gql, first=2, after=middle)) == ["Page 05", "Page 06"]
    assert titles(await pages(gql, last=2, before=middle)) == ["Page 02", "Page 03"]


# --- sizes -----------------------------------------------------------------------------------


async def test_without_first_or_last_a_page_has_the_default_size_of_20(gql):
    await create_pages(23)

    connection = await pages(gql)

    assert len(connection["edges"]) == 20
    assert connection["totalCount"] == 23
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_first_zero_returns_no_results_but_the_total(gql):
    await create_pages(7)

    connection = await pages(gql, first=0)

    assert connection["edges"] == []
    assert connection["totalCount"] == 7
    assert connection["pageInfo"]["hasNextPage"] is True


async def test_first_equal_to_the_maximum_page_size_is_allowed(gql, settings):
    await create_pages(3)

    connection = await pages(gql, first=settings.max_page_size)

    assert len(connection["edges"]) == 3


@pytest.mark.parametrize("argument", ["first", "last"])
async def test_asking_for_more_than_the_maximum_page_size_is_an_error_naming_it(
    gql, settings, argument
):
    await create_pages(3)

    body = await gql(PAGES, {argument: settings.max_page_size + 1})

    assert settings.max_page_size == 100
    assert body["data"] == {"pages": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["pages"]
    assert "maximum page size is 100" in error["message"]
    assert f"'{argument}' is 101" in error["message"]


async def test_the_maximum_page_size_comes_from_the_settings(database):
    await create_pages(7)
    settings = Settings(database_url=database.url, max_page_size=5)
    async with app_client(settings) as http:
        allowed = await http.post("/graphql", json={"query": PAGES, "variables": {"first": 5}})
        refused = await http.post("/graphql", json={"query": PAGES, "variables": {"first": 6}})

    assert len(allowed.json()["data"]["pages"]["edges"]) == 5
    assert "maximum page size is 5" in refused.json()["errors"][0]["message"]


@pytest.mark.parametrize("argument", ["first", "last"])
async def test_a_negative_page_size_is_an_error(gql, argument):
    body = await gql(PAGES, {argument: -1})

    assert body["data"] == {"pages": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"] == f"'{argument}' must not be negative."


# --- bad cursors -------------------------------------------------------------------------------


BAD_CURSORS = [
    "garbage",
    "%%%",
    base64.urlsafe_b64encode(b"hello").decode(),
    forged("keyset:not json"),
    forged('keyset:[["title","id"],["Page 01"]]'),  # a value missing
    forged('keyset:[["published_at","id"],[null,1]]'),  # made for another order
    forged('keyset:[["title","id"],[{"$dt":"yesterday"},1]]'),
    base64.urlsafe_b64encode(b"Page:1").decode(),  # a node ID is not a cursor
]


async def test_a_cursor_we_did_not_make_is_a_clear_error(client, subtests):
    await create_pages(2)

    for argument in ("after", "before"):
        for cursor in BAD_CURSORS:
            with subtests.test(argument=argument, cursor=cursor):
                response = await client.post(
                    "/graphql", json={"query": PAGES, "variables": {"first": 1, argument: cursor}}
                )

                assert response.status_code == 200
                body = response.json()
                assert body["data"] == {"pages": None}
                [error] = body["errors"]
                assert error["extensions"]["code"] == "BAD_USER_INPUT"
                assert error["message"] == f"Invalid cursor {cursor!r}."


@pytest.mark.parametrize("argument", ["after", "before"])
async def test_an_offset_cursor_of_an_earlier_release_is_refused_with_a_clear_error(gql, argument):
    await create_pages(3)
    cursor = offset_cursor(1)

    body = await gql(PAGES, {"first": 2, argument: cursor})

    assert body["data"] == {"pages": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "offset cursor of an earlier release" in error["message"]
    assert "Start again from the first page" in error["message"]


# --- Page.comments -----------------------------------------------------------------------------


async def discussed_page(top_level: int) -> None:
    """A published page with ``top_level`` approved comments, each with one reply."""
    page = await Page.create(
        slug="discussed", title="Discussed", status=PageStatus.PUBLISHED, published_at=now()
    )
    for number in range(1, top_level + 1):
        comment = await Comment.create(
            page=page,
            author_name="Reader",
            author_email="reader@example.org",
            body=f"comment {number}",
            status=CommentStatus.APPROVED,
        )
        await Comment.create(
            page=page,
            parent=comment,
            author_name="Reader",
            author_email="reader@example.org",
            body=f"reply to {number}",
            status=CommentStatus.APPROVED,
        )


REPLIES = """query($first: Int, $after: String) { page(slug: "discussed") {
  comments(first: 1) { edges { node { body replies(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { node { body parentId } } } } } } } }"""


async def comments(gql, **arguments) -> dict:
    return (await gql.data(COMMENTS, arguments))["page"]["comments"]


def bodies(connection: dict) -> list[str]:
    return [edge["node"]["body"] for edge in connection["edges"]]


async def test_page_comments_page_forwards_over_top_level_comments(gql):
    await discussed_page(5)

    first_page = await comments(gql, first=2)
    second_page = await comments(gql, first=2, after=first_page["pageInfo"]["endCursor"])

    assert bodies(first_page) == ["comment 1", "comment 2"]
    assert bodies(second_page) == ["comment 3", "comment 4"]
    assert second_page["edges"][0]["node"]["replies"]["edges"] == [{"node": {"body": "reply to 3"}}]
    assert second_page["totalCount"] == 5  # top-level comments; replies hang under them
    info = second_page["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, True)


async def test_page_comments_page_backwards(gql):
    await discussed_page(5)

    last_page = await comments(gql, last=2)
    previous_page = await comments(gql, last=2, before=last_page["pageInfo"]["startCursor"])

    assert bodies(last_page) == ["comment 4", "comment 5"]
    assert bodies(previous_page) == ["comment 2", "comment 3"]
    assert last_page["pageInfo"]["hasNextPage"] is False


async def test_page_comments_refuse_a_page_size_over_the_maximum(gql):
    await discussed_page(1)

    body = await gql(COMMENTS, {"first": 101})

    assert body["data"] == {"page": {"comments": None}}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["page", "comments"]
    assert "maximum page size is 100" in error["message"]


async def test_page_comments_refuse_a_garbage_cursor(gql):
    await discussed_page(1)

    body = await gql(COMMENTS, {"first": 1, "after": "garbage"})

    assert body["data"] == {"page": {"comments": None}}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == "Invalid cursor 'garbage'."


async def a_question_with_replies(count: int) -> Comment:
    """The discussed page's one comment, answered ``count`` times (and once more, unapproved)."""
    await discussed_page(0)
    page = await Page.get(slug="discussed")
    fields = {"page": page, "author_name": "Reader", "author_email": "reader@example.org"}
    question = await Comment.create(**fields, body="question", status=CommentStatus.APPROVED)
    for number in range(1, count + 1):
        await Comment.create(
            **fields, parent=question, body=f"reply {number}", status=CommentStatus.APPROVED
        )
    await Comment.create(**fields, parent=question, body="held", status=CommentStatus.PENDING)
    return question


async def replies(gql, **arguments) -> dict:
    [edge] = (await gql.data(REPLIES, arguments))["page"]["comments"]["edges"]
    return edge["node"]["replies"]


async def test_comment_replies_page_forwards(gql):
    question = await a_question_with_replies(5)

    first_page = await replies(gql, first=2)
    second_page = await replies(gql, first=2, after=first_page["pageInfo"]["endCursor"])

    assert bodies(first_page) == ["reply 1", "reply 2"]
    assert bodies(second_page) == ["reply 3", "reply 4"]
    assert {e["node"]["parentId"] for e in second_page["edges"]} == {gid(question)}
    assert second_page["totalCount"] == 5
    info = second_page["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, True)


async def test_comment_replies_refuse_a_page_size_over_the_maximum_and_keep_the_comment(gql):
    await a_question_with_replies(1)

    body = await gql(REPLIES, {"first": 101})

    [edge] = body["data"]["page"]["comments"]["edges"]
    assert edge["node"] == {"body": "question", "replies": None}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["path"] == ["page", "comments", "edges", 0, "node", "replies"]
