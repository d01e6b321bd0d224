"""The editors' moderation queue, single and bulk moderation, editing and deleting."""

from comment_support import gid, published_page, stored_comment

from cms.models import Comment, CommentStatus

QUEUE = """
query ($status: CommentStatus, $pageId: ID, $search: String) {
  comments(status: $status, pageId: $pageId, search: $search) {
    totalCount
    edges { node { body status authorEmail } }
  }
}"""

COUNTS = """
query ($pageId: ID, $search: String) {
  commentCounts(pageId: $pageId, search: $search) { pending approved spam trash }
}"""

MODERATE = """
mutation ($id: ID!, $status: CommentStatus!) {
  moderateComment(input: {id: $id, status: $status}) { comment { status } errors { field code } }
}"""

BULK = """
mutation ($ids: [ID!]!, $status: CommentStatus!) {
  moderateComments(input: {ids: $ids, status: $status}) {
    comments { body status } errors { field code }
  }
}"""

EDIT = """
mutation ($id: ID!, $body: String!) {
  editComment(input: {id: $id, body: $body}) { comment { body editedAt } errors { field code } }
}"""

DELETE = """
mutation ($id: ID!) { deleteComment(input: {id: $id}) { deletedId errors { field code } } }"""


async def a_queue():
    page = await published_page()
    for status in (CommentStatus.PENDING, CommentStatus.PENDING, CommentStatus.SPAM):
        await stored_comment(page, status=status, body=f"{status.value} from Ada")
    await stored_comment(page, body="Approved, from Bob", author_email="bob@example.com")
    return page


async def test_editors_see_every_status_in_the_queue_newest_first(gql, editor_token):
    await a_queue()
    queue = (await gql.data(QUEUE, {}, editor_token))["comments"]
    assert queue["totalCount"] == 4
    assert queue["edges"][0]["node"]["body"] == "Approved, from Bob"
    assert queue["edges"][0]["node"]["authorEmail"] == "bob@example.com"


async def test_the_queue_filters_by_status(gql, editor_token):
    await a_queue()
    queue = (await gql.data(QUEUE, {"status": "PENDING"}, editor_token))["comments"]
    assert queue["totalCount"] == 2
    assert {edge["node"]["status"] for edge in queue["edges"]} == {"PENDING"}


async def test_editors_get_the_comment_counts_per_status(gql, editor_token):
    await a_queue()
    counts = (await gql.data(COUNTS, {}, editor_token))["commentCounts"]
    assert counts == {"pending": 2, "approved": 1, "spam": 1, "trash": 0}


async def test_the_queue_filters_by_page_and_search(gql, editor_token):
    await a_queue()
    other = await published_page("other")
    await stored_comment(other, body="Elsewhere from Bob", author_email="bob@example.com")
    by_page = await gql.data(QUEUE, {"pageId": gid(other)}, editor_token)
    assert [e["node"]["body"] for e in by_page["comments"]["edges"]] == ["Elsewhere from Bob"]
    by_search = await gql.data(QUEUE, {"search": "BOB@example"}, editor_token)
    assert by_search["comments"]["totalCount"] == 2
    counts = await gql.data(COUNTS, {"search": "BOB@example"}, editor_token)
    assert counts["commentCounts"] == {"pending": 0, "approved": 2, "spam": 0, "trash": 0}
    by_page = await gql.data(COUNTS, {"pageId": gid(other)}, editor_token)
    assert by_page["commentCounts"] == {"pending": 0, "approved": 1, "spam": 0, "trash": 0}


async def test_readers_cannot_see_the_queue(gql):
    await a_queue()
    body = await gql(QUEUE, {})
    assert body["data"] == {"comments": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]


async def test_readers_cannot_see_the_comment_counts(gql):
    await a_queue()
    body = await gql(COUNTS, {})
    assert body["data"] == {"commentCounts": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]


async def test_approving_a_reply_to_an_unapproved_comment_is_refused(gql, editor_token):
    page = await published_page()
    parent = await stored_comment(page, status=CommentStatus.PENDING, body="Parent")
    reply = await stored_comment(page, parent=parent, status=CommentStatus.PENDING, body="Reply")
    payload = (await gql.data(MODERATE, {"id": gid(reply), "status": "APPROVED"}, editor_token))[
        "moderateComment"
    ]
    assert payload["errors"] == [{"field": "id", "code": "INVALID_STATE"}]
    assert (await Comment.get(id=reply.id)).status is CommentStatus.PENDING


async def test_bulk_moderation_changes_every_comment(gql, editor_token):
    page = await published_page()
    first = await stored_comment(page, status=CommentStatus.PENDING, body="One")
    second = await stored_comment(page, status=CommentStatus.PENDING, body="Two")
    ids = [gid(first), gid(second)]
    payload = (await gql.data(BULK, {"ids": ids, "status": "SPAM"}, editor_token))[
        "moderateComments"
    ]
    assert payload == {
        "comments": [{"body": "One", "status": "SPAM"}, {"body": "Two", "status": "SPAM"}],
        "errors": [],
    }
    assert await Comment.filter(status=CommentStatus.SPAM).count() == 2


async def test_bulk_approval_of_a_reply_with_its_parent_succeeds(gql, editor_token):
    page = await published_page()
    parent = await stored_comment(page, status=CommentStatus.PENDING, body="Parent")
    reply = await stored_comment(page, parent=parent, status=CommentStatus.PENDING, body="Reply")
    body = await gql.data(
        BULK, {"ids": [gid(reply), gid(parent)], "status": "APPROVED"}, editor_token
    )
    assert body["moderateComments"]["errors"] == []


async def test_bulk_moderation_changes_nothing_if_one_comment_cannot_change(gql, editor_token):
    page = await published_page()
    parent = await stored_comment(page, status=CommentStatus.SPAM, body="Parent")
    fine = await stored_comment(page, status=CommentStatus.PENDING, body="Fine")
    reply = await stored_comment(page, parent=parent, status=CommentStatus.PENDING, body="Reply")
    body = await gql.data(
        BULK, {"ids": [gid(fine), gid(reply)], "status": "APPROVED"}, editor_token
    )
    assert body["moderateComments"]["errors"] == [{"field": "ids", "code": "INVALID_STATE"}]
    assert (await Comment.get(id=fine.id)).status is CommentStatus.PENDING


async def test_readers_cannot_moderate_in_bulk(gql):
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.PENDING)
    body = await gql(BULK, {"ids": [gid(comment)], "status": "APPROVED"})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_editor_can_correct_a_comments_text_and_it_shows_as_edited(gql, editor_token):
    page = await published_page()
    comment = await stored_comment(page, body="Teh typo")
    payload = (await gql.data(EDIT, {"id": gid(comment), "body": "The typo"}, editor_token))[
        "editComment"
    ]
    assert payload["comment"]["body"] == "The typo"
    assert payload["comment"]["editedAt"] is not None


async def test_an_edit_cannot_blank_the_text(gql, editor_token):
    page = await published_page()
    comment = await stored_comment(page)
    payload = (await gql.data(EDIT, {"id": gid(comment), "body": "  "}, editor_token))[
        "editComment"
    ]
    assert payload["errors"] == [{"field": "body", "code": "REQUIRED"}]


async def test_only_a_trashed_comment_can_be_deleted(gql, editor_token):
    page = await published_page()
    comment = await stored_comment(page, status=CommentStatus.SPAM)
    payload = (await gql.data(DELETE, {"id": gid(comment)}, editor_token))["deleteComment"]
    assert payload == {"deletedId": None, "errors": [{"field": "id", "code": "INVALID_STATE"}]}
    assert await Comment.exists(id=comment.id)


async def test_deleting_a_trashed_comment_removes_it_and_keeps_its_replies(gql, editor_token):
    page = await published_page()
    trashed = await stored_comment(page, status=CommentStatus.TRASH, body="Gone")
    reply = await stored_comment(page, parent=trashed, body="Stays")
    payload = (await gql.data(DELETE, {"id": gid(trashed)}, editor_token))["deleteComment"]
    assert payload == {"deletedId": gid(trashed), "errors": []}
    assert not await Comment.exists(id=trashed.id)
    assert (await Comment.get(id=reply.id)).parent_id is None
