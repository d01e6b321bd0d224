"""Readers leave comments on published pages; editors moderate them."""

import pytest

from cms.models import Comment, CommentStatus
from schema.relay import to_global_id

ADD_COMMENT = """
mutation ($input: AddCommentInput!) {
  addComment(input: $input) {
    comment { id authorName authorUrl body status }
    errors { field code message }
  }
}"""

MODERATE_COMMENT = """
mutation ($id: ID!, $status: CommentStatus!) {
  moderateComment(input: {id: $id, status: $status}) {
    comment { id status }
    errors { field code }
  }
}"""

CREATE_PAGE = """
mutation ($slug: String!) {
  createPage(input: {slug: $slug, title: "A page"}) { page { id } errors { field } }
}"""

PUBLISH_PAGE = "mutation ($id: ID!) { publishPage(input: {id: $id}) { errors { field } } }"

PAGE_COMMENTS = """
query ($slug: String!) {
  page(slug: $slug) {
    commentCount
    comments { totalCount edges { node { id body replies { edges { node { id body } } } } } }
  }
}"""


def comment_input(page_id: str, **fields) -> dict:
    return {
        "pageId": page_id,
        "authorName": "Ada Lovelace",
        "authorEmail": "ada@example.com",
        "body": "A fine article.",
        **fields,
    }


def errors_of(payload: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


@pytest.fixture
def add_comment(gql):
    """Submits a comment anonymously and returns the addComment payload."""

    async def add(page_id: str, **fields) -> dict:
        body = await gql.data(ADD_COMMENT, {"input": comment_input(page_id, **fields)})
        return body["addComment"]

    return add


@pytest.fixture
def make_page(gql, editor_token):
    async def make(slug: str, *, published: bool = True) -> str:
        body = await gql.data(CREATE_PAGE, {"slug": slug}, editor_token)
        page_id = body["createPage"]["page"]["id"]
        if published:
            await gql.data(PUBLISH_PAGE, {"id": page_id}, editor_token)
        return page_id

    return make


@pytest.fixture
async def page_id(make_page) -> str:
    return await make_page("article")


@pytest.fixture
def moderate(gql, editor_token):
    async def moderate(comment_id: str, status: str) -> dict:
        body = await gql.data(MODERATE_COMMENT, {"id": comment_id, "status": status}, editor_token)
        return body["moderateComment"]

    return moderate


@pytest.fixture
def approved_comment(add_comment, moderate):
    async def approved(page_id: str, **fields) -> str:
        comment_id = (await add_comment(page_id, **fields))["comment"]["id"]
        await moderate(comment_id, "APPROVED")
        return comment_id

    return approved


async def test_anyone_can_comment_and_the_comment_waits_for_moderation(add_comment, page_id):
    payload = await add_comment(page_id, authorUrl="https://ada.example.com")

    assert payload["errors"] == []
    comment = payload["comment"]
    assert comment["status"] == "PENDING"
    assert (comment["authorName"], comment["authorUrl"], comment["body"]) == (
        "Ada Lovelace",
        "https://ada.example.com",
        "A fine article.",
    )
    stored = await Comment.get()
    assert (stored.status, stored.author_email) == (CommentStatus.PENDING, "ada@example.com")


async def test_a_pending_comment_is_not_shown_to_readers(gql, add_comment, page_id):
    await add_comment(page_id)

    page = (await gql.data(PAGE_COMMENTS, {"slug": "article"}))["page"]

    assert page["commentCount"] == 0
    assert page["comments"]["edges"] == []


async def test_surrounding_whitespace_is_trimmed(add_comment, page_id):
    payload = await add_comment(page_id, authorName="  Ada  ", body="\n Hello. \n", authorUrl=" ")

    comment = payload["comment"]
    assert (comment["authorName"], comment["body"], comment["authorUrl"]) == ("Ada", "Hello.", None)


async def assert_refused(add_comment, page_id: str, field: str, code: str, **fields) -> None:
    """The comment is refused with one error, on ``field``, and nothing is stored."""
    payload = await add_comment(page_id, **fields)

    assert payload["comment"] is None
    assert errors_of(payload) == [(field, code)]
    assert await Comment.all().count() == 0


# Each case of a matrix like these runs as a subtest: the database is reset once per matrix.
async def test_name_email_and_body_are_required(add_comment, page_id, subtests):
    for field in ["authorName", "authorEmail", "body"]:
        for blank in ["", "   "]:
            with subtests.test(field=field, value=blank):
                await assert_refused(add_comment, page_id, field, "REQUIRED", **{field: blank})


async def test_an_invalid_email_is_refused(add_comment, page_id, subtests):
    for email in ["not-an-email", "ada@", "@example.com", "ada@exa mple.com"]:
        with subtests.test(email=email):
            await assert_refused(add_comment, page_id, "authorEmail", "INVALID", authorEmail=email)


TOO_LONG = {
    "authorName": "n" * 246,
    "authorEmail": "a" * 64 + "@" + "b" * 32 + ".com",
    "authorUrl": "https://example.com/" + "p" * 181,
    "body": "b" * 65_526,
}


async def test_fields_over_their_maximum_length_are_refused(add_comment, page_id, subtests):
    for field, value in TOO_LONG.items():
        with subtests.test(field=field, length=len(value)):
            await assert_refused(add_comment, page_id, field, "TOO_LONG", **{field: value})


async def test_fields_at_their_maximum_length_are_accepted(add_comment, page_id):
    longest = {
        "authorName": "n" * 245,
        "authorEmail": "a" * 64 + "@" + "b" * 31 + ".com",
        "authorUrl": "https://example.com/" + "p" * 180,
        "body": "b" * 65_525,
    }
    assert [len(value) for value in longest.values()] == [245, 100, 200, 65_525]

    payload = await add_comment(page_id, **longest)

    assert payload["errors"] == []
    assert await Comment.all().count() == 1


async def test_the_website_must_be_an_http_address(add_comment, page_id, subtests):
    for url in ["javascript:alert(1)", "ftp://example.com/", "example.com", "https://"]:
        with subtests.test(url=url):
            await assert_refused(add_comment, page_id, "authorUrl", "INVALID", authorUrl=url)


async def test_every_invalid_field_is_reported_at_once(add_comment, page_id):
    payload = await add_comment(
        page_id, authorName="", authorEmail="nope", authorUrl="javascript:x", body=" "
    )

    assert sorted(errors_of(payload)) == [
        ("authorEmail", "INVALID"),
        ("authorName", "REQUIRED"),
        ("authorUrl", "INVALID"),
        ("body", "REQUIRED"),
    ]
    assert await Comment.all().count() == 0


async def test_a_draft_page_looks_exactly_like_a_missing_page(add_comment, make_page):
    draft = await make_page("draft", published=False)
    missing = to_global_id("Page", 999_999)

    on_draft = await add_comment(draft)
    on_missing = await add_comment(missing)

    assert errors_of(on_draft) == errors_of(on_missing) == [("pageId", "NOT_FOUND")]
    assert on_draft["errors"][0]["message"] == on_missing["errors"][0]["message"]
    assert await Comment.all().count() == 0


async def test_a_page_id_of_the_wrong_kind_is_invalid(add_comment):
    payload = await add_comment(to_global_id("Comment", 1))

    assert errors_of(payload) == [("pageId", "INVALID")]


async def test_a_reply_to_an_approved_comment_is_stored_as_pending(
    add_comment, approved_comment, page_id
):
    parent = await approved_comment(page_id)

    payload = await add_comment(page_id, parentId=parent, body="I agree.")

    assert payload["errors"] == []
    assert payload["comment"]["status"] == "PENDING"
    reply = await Comment.get(body="I agree.")
    assert reply.parent_id == (await Comment.get(body="A fine article.")).id


async def test_an_approved_reply_is_shown_under_its_parent(
    gql, add_comment, approved_comment, page_id
):
    parent = await approved_comment(page_id)
    reply = await approved_comment(page_id, parentId=parent, body="I agree.")

    page = (await gql.data(PAGE_COMMENTS, {"slug": "article"}))["page"]

    assert page["commentCount"] == 2
    [edge] = page["comments"]["edges"]
    assert edge["node"]["id"] == parent
    assert edge["node"]["replies"] == {"edges": [{"node": {"id": reply, "body": "I agree."}}]}


async def test_a_reply_to_a_pending_comment_is_refused(add_comment, page_id):
    pending = (await add_comment(page_id))["comment"]["id"]

    payload = await add_comment(page_id, parentId=pending, body="Me too.")

    assert errors_of(payload) == [("parentId", "NOT_FOUND")]
    assert await Comment.all().count() == 1


async def test_a_reply_to_a_comment_on_another_page_is_refused(
    add_comment, approved_comment, make_page, page_id
):
    elsewhere = await approved_comment(await make_page("other"))

    payload = await add_comment(page_id, parentId=elsewhere, body="Wrong thread.")

    assert errors_of(payload) == [("parentId", "NOT_FOUND")]
    assert await Comment.all().count() == 1


async def test_a_parent_id_of_the_wrong_kind_is_invalid(add_comment, page_id):
    payload = await add_comment(page_id, parentId=page_id)

    assert errors_of(payload) == [("parentId", "INVALID")]


@pytest.mark.parametrize("status", ["APPROVED", "SPAM", "TRASH", "PENDING"])
async def test_an_editor_sets_a_comments_moderation_status(add_comment, moderate, page_id, status):
    comment_id = (await add_comment(page_id))["comment"]["id"]
    if status == "PENDING":
        await moderate(comment_id, "SPAM")

    payload = await moderate(comment_id, status)

    assert payload["errors"] == []
    assert payload["comment"] == {"id": comment_id, "status": status}
    assert (await Comment.get()).status == CommentStatus(status)


async def test_an_approved_comment_appears_on_the_page(gql, add_comment, moderate, page_id):
    comment_id = (await add_comment(page_id))["comment"]["id"]

    await moderate(comment_id, "APPROVED")

    page = (await gql.data(PAGE_COMMENTS, {"slug": "article"}))["page"]
    assert page["commentCount"] == 1
    assert page["comments"]["totalCount"] == 1
    assert [edge["node"]["id"] for edge in page["comments"]["edges"]] == [comment_id]


@pytest.mark.parametrize("status", ["SPAM", "TRASH", "PENDING"])
async def test_a_comment_taken_off_approval_disappears_from_the_page(
    gql, approved_comment, moderate, page_id, status
):
    comment_id = await approved_comment(page_id)

    await moderate(comment_id, status)

    page = (await gql.data(PAGE_COMMENTS, {"slug": "article"}))["page"]
    assert (page["commentCount"], page["comments"]["edges"]) == (0, [])


async def test_moderating_an_unknown_comment_is_not_found(moderate):
    payload = await moderate(to_global_id("Comment", 999_999), "APPROVED")

    assert errors_of(payload) == [("id", "NOT_FOUND")]


async def test_moderating_without_a_token_is_unauthenticated_and_changes_nothing(
    gql, add_comment, page_id
):
    comment_id = (await add_comment(page_id))["comment"]["id"]

    body = await gql(MODERATE_COMMENT, {"id": comment_id, "status": "APPROVED"})

    assert body["data"] == {"moderateComment": None}
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]
    assert (await Comment.get()).status is CommentStatus.PENDING
