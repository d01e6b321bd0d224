"""``comments(withReplies: true)`` pages a deep discussion by keyset on the thread path:
in reading order, forwards and backwards, without skips or repeats when comments are added
between loads, and without the replies of comments readers cannot see."""

from typing import Any

from cms.models import Comment, CommentStatus, Page
from tests.comment_support import published_page
from tests.keyset_listings import comment

THREAD = """query ($first: Int, $after: String, $last: Int, $before: String) {
  page(slug: "deep") { comments(withReplies: true, first: $first, after: $after,
    last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { node { body } } } } }"""


async def deep_thread(page: Page) -> list[Comment]:
    """Two threads, each a chain five deep with a second reply at every level; the
    comments in reading order."""
    order: list[Comment] = []
    for _ in range(2):
        chain = [await comment(page)]
        for _ in range(4):
            chain.append(await comment(page, chain[-1]))
        seconds = [await comment(page, parent) for parent in chain[:-1]]
        order += chain + seconds[::-1]
    return order


async def load(gql: Any, **variables: Any) -> dict[str, Any]:
    return (await gql.data(THREAD, variables))["page"]["comments"]


def bodies(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["body"] for edge in connection["edges"]]


async def test_pages_forwards_in_reading_order_while_comments_arrive(gql):
    page = await published_page("deep")
    order = await deep_thread(page)
    seen: list[str] = []
    after = None
    added: Comment | None = None
    while True:
        connection = await load(gql, first=4, after=after)
        seen += bodies(connection)
        if added is None:  # a late reply to the first comment: after its other replies
            added = await comment(page, order[0])
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert seen == [c.body for c in [*order[:9], added, *order[9:]]]
    assert connection["totalCount"] == len(order) + 1


async def test_pages_backwards_in_reading_order_while_comments_arrive(gql):
    page = await published_page("deep")
    order = await deep_thread(page)
    seen: list[str] = []
    before = None
    added = False
    while True:
        connection = await load(gql, last=3, before=before)
        seen = bodies(connection) + seen
        if not added:  # a reply deep in the last thread: it sorts after the pages read on
            await comment(page, order[-1])
            added = True
        if not connection["pageInfo"]["hasPreviousPage"]:
            break
        before = connection["pageInfo"]["startCursor"]

    assert seen == [c.body for c in order]


async def test_replies_under_a_hidden_comment_are_skipped_whole(gql):
    page = await published_page("deep")
    shown = await comment(page)
    held = await comment(page, shown, status=CommentStatus.PENDING)
    for _ in range(5):
        await comment(await Page.get(id=page.id), await comment(page, held))
    later = await comment(page, shown)
    last = await comment(page)

    first = await load(gql, first=2)
    rest = await load(gql, first=2, after=first["pageInfo"]["endCursor"])

    assert bodies(first) == [shown.body, later.body]
    assert bodies(rest) == [last.body]
    assert rest["pageInfo"]["hasNextPage"] is False
    back = await load(gql, last=2, before=rest["pageInfo"]["startCursor"])
    assert bodies(back) == [shown.body, later.body]
