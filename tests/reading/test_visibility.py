"""Who sees what. To a reader without a token, a DRAFT or ARCHIVED page is exactly like a
page that does not exist (same responses, byte for byte, through every query), and only
APPROVED comments exist. Editors see everything; commenters' emails are for editors only."""

import httpx
import pytest

from cms.models import Comment, CommentStatus, Page, PageStatus, Role, Section
from cms.services.auth import Viewer
from cms.services.pages import create_page, set_page_status
from cms.services.sections import create_section
from schema.relay import to_global_id

EDITOR = Viewer(token_id=0, name="fixture editor", role=Role.EDITOR)
HIDDEN_STATUSES = [PageStatus.DRAFT, PageStatus.ARCHIVED]
UNAPPROVED = [CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH]
MISSING_PK = 999_999
SECRET_EMAIL = "secret.reader@example.org"

PAGE_BY_SLUG = """query($slug: String!) { page(slug: $slug) {
  id slug title status sections { title body } commentCount
  comments { totalCount edges { node { body } } } } }"""
NODE = """query($id: ID!) { node(id: $id) { __typename id
  ... on Page { slug } ... on Section { title } ... on Comment { body } } }"""
PAGES = """query($search: String, $status: PageStatus) {
  pages(filter: {search: $search, status: $status}) {
    totalCount pageInfo { hasNextPage } edges { node { slug } } } }"""
THREAD = """{ page(slug: "public") { commentCount comments { totalCount edges { node {
  body replies(first: 10) { edges { node { body replies(first: 10) { edges { node { body } } } } } }
} } } } }"""


async def page_with_content(slug: str, status: PageStatus) -> tuple[Page, Section, Comment]:
    """A page in ``status`` with a section and an approved comment."""
    page = await create_page(EDITOR, slug=slug, title=f"Secret plans {slug}")
    section = await create_section(EDITOR, page.id, title="Hidden heading", body="Hidden body")
    comment = await add_comment(page, "Hidden comment", CommentStatus.APPROVED)
    if status is not PageStatus.DRAFT:  # an archived page was published once
        await set_page_status(EDITOR, page.id, PageStatus.PUBLISHED)
        page = await set_page_status(EDITOR, page.id, status)
    return page, section, comment


async def add_comment(
    page: Page, body: str, status: CommentStatus, parent: Comment | None = None
) -> Comment:
    return await Comment.create(
        page=page,
        parent=parent,
        author_name="Reader",
        author_email=SECRET_EMAIL,
        body=body,
        status=status,
    )


async def post(client: httpx.AsyncClient, query: str, variables: dict, token: str | None = None):
    """The whole HTTP response as a reader would observe it: status, type and body."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    return response.status_code, response.headers["content-type"], response.text


def gid(model: Page | Section | Comment) -> str:
    return to_global_id(type(model).__name__, model.id)


# --- hidden pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_hidden_page_by_slug_looks_exactly_like_a_missing_page(client, status):
    await page_with_content("secret", status)

    hidden = await post(client, PAGE_BY_SLUG, {"slug": "secret"})
    missing = await post(client, PAGE_BY_SLUG, {"slug": "no-such-page"})

    assert hidden == missing
    assert hidden[2] == '{"data":{"page":null}}'


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_hidden_page_is_absent_from_pages_and_its_total_count(gql, status):
    public = await create_page(EDITOR, slug="public", title="Public plans")
    await set_page_status(EDITOR, public.id, PageStatus.PUBLISHED)
    await page_with_content("secret", status)

    data = await gql.data(PAGES, {})

    assert data["pages"] == {
        "totalCount": 1,
        "pageInfo": {"hasNextPage": False},
        "edges": [{"node": {"slug": "public"}}],
    }


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_searching_for_a_hidden_page_finds_nothing(client, status):
    await page_with_content("secret", status)

    by_title = await post(client, PAGES, {"search": "secret plans"})
    nonsense = await post(client, PAGES, {"search": "zzz-nothing-has-this-title"})

    assert by_title == nonsense
    assert '"totalCount":0' in by_title[2]


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_filtering_by_a_hidden_status_finds_nothing_for_readers(client, status):
    await page_with_content("secret", status)

    filtered = await post(client, PAGES, {"status": status.value})

    assert filtered[2] == (
        '{"data":{"pages":{"totalCount":0,"pageInfo":{"hasNextPage":false},"edges":[]}}}'
    )


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
@pytest.mark.parametrize("kind", ["Page", "Section", "Comment"])
async def test_node_of_a_hidden_page_or_its_content_looks_like_a_missing_id(client, status, kind):
    page, section, comment = await page_with_content("secret", status)
    hidden = {"Page": page, "Section": section, "Comment": comment}[kind]

    found = await post(client, NODE, {"id": gid(hidden)})
    missing = await post(client, NODE, {"id": to_global_id(kind, MISSING_PK)})

    assert found == missing
    assert found[2] == '{"data":{"node":null}}'


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_comment_form_of_a_hidden_page_looks_like_a_missing_page(client, status):
    page, _, _ = await page_with_content("secret", status)
    query = "query($id: ID!) { commentFormToken(pageId: $id) }"

    hidden = await post(client, query, {"id": gid(page)})
    missing = await post(client, query, {"id": to_global_id("Page", MISSING_PK)})

    assert hidden == missing


@pytest.mark.parametrize("status", HIDDEN_STATUSES)
async def test_commenting_on_a_hidden_page_looks_like_commenting_on_a_missing_page(client, status):
    page, _, _ = await page_with_content("secret", status)
    mutation = """mutation($id: ID!) { addComment(input: {pageId: $id, authorName: "Ann",
      authorEmail: "ann@example.org", body: "Hello"}) {
        comment { id } errors { field code message } } }"""

    hidden = await post(client, mutation, {"id": gid(page)})
    missing = await post(client, mutation, {"id": to_global_id("Page", MISSING_PK)})

    assert hidden == missing
    assert '"code":"NOT_FOUND"' in hidden[2]
    assert await Comment.filter(author_name="Ann").count() == 0


async def test_editor_sees_draft_pages_everywhere(gql, editor_token):
    page, section, comment = await page_with_content("secret", PageStatus.DRAFT)

    by_slug = await gql.data(PAGE_BY_SLUG, {"slug": "secret"}, editor_token)
    listed = await gql.data(PAGES, {"status": "DRAFT"}, editor_token)
    nodes = [
        (await gql.data(NODE, {"id": gid(model)}, editor_token))["node"]["__typename"]
        for model in (page, section, comment)
    ]

    assert by_slug["page"]["status"] == "DRAFT"
    assert by_slug["page"]["sections"] == [{"title": "Hidden heading", "body": "Hidden body"}]
    assert by_slug["page"]["commentCount"] == 1
    assert listed["pages"]["edges"] == [{"node": {"slug": "secret"}}]
    assert nodes == ["Page", "Section", "Comment"]


async def test_archived_page_is_listed_for_editors_filtering_by_archived(gql, editor_token):
    await page_with_content("old", PageStatus.ARCHIVED)

    listed = await gql.data(PAGES, {"status": "ARCHIVED"}, editor_token)

    assert listed["pages"]["edges"] == [{"node": {"slug": "old"}}]


# --- unapproved comments ------------------------------------------------------------------


async def public_page() -> Page:
    page = await create_page(EDITOR, slug="public", title="Public")
    return await set_page_status(EDITOR, page.id, PageStatus.PUBLISHED)


@pytest.mark.parametrize("status", UNAPPROVED)
async def test_unapproved_comment_is_not_in_the_page_comments_or_count(gql, status):
    page = await public_page()
    await add_comment(page, "visible", CommentStatus.APPROVED)
    await add_comment(page, "not for readers", status)

    data = await gql.data(THREAD)

    visible = {"body": "visible", "replies": {"edges": []}}
    assert data["page"] == {
        "commentCount": 1,
        "comments": {"totalCount": 1, "edges": [{"node": visible}]},
    }


@pytest.mark.parametrize("status", UNAPPROVED)
async def test_unapproved_reply_is_not_among_the_replies(gql, status):
    page = await public_page()
    question = await add_comment(page, "question", CommentStatus.APPROVED)
    answer = await add_comment(page, "answer", CommentStatus.APPROVED, parent=question)
    await add_comment(page, "hidden reply", status, parent=question)
    await add_comment(page, "hidden reply to reply", status, parent=answer)

    data = await gql.data(THREAD)

    assert data["page"]["commentCount"] == 2
    [thread] = data["page"]["comments"]["edges"]
    assert thread["node"]["replies"] == {
        "edges": [{"node": {"body": "answer", "replies": {"edges": []}}}]
    }


@pytest.mark.parametrize("status", UNAPPROVED)
async def test_node_of_an_unapproved_comment_looks_like_a_missing_id(client, status):
    page = await public_page()
    comment = await add_comment(page, "not for readers", status)

    found = await post(client, NODE, {"id": gid(comment)})
    missing = await post(client, NODE, {"id": to_global_id("Comment", MISSING_PK)})

    assert found == missing
    assert "not for readers" not in found[2]


async def test_approved_reply_to_a_comment_taken_off_approval_is_not_counted(gql):
    page = await public_page()
    question = await add_comment(page, "question", CommentStatus.APPROVED)
    await add_comment(page, "answer", CommentStatus.APPROVED, parent=question)
    await Comment.filter(id=question.id).update(status=CommentStatus.SPAM)

    data = await gql.data(THREAD)

    assert data["page"] == {"commentCount": 0, "comments": {"totalCount": 0, "edges": []}}


async def test_editor_can_fetch_an_unapproved_comment_by_id(gql, editor_token):
    page = await public_page()
    comment = await add_comment(page, "held", CommentStatus.PENDING)

    data = await gql.data(NODE, {"id": gid(comment)}, editor_token)

    assert data["node"] == {"__typename": "Comment", "id": gid(comment), "body": "held"}


async def test_moderation_queue_is_refused_to_readers(client):
    page = await public_page()
    await add_comment(page, "held for moderation", CommentStatus.PENDING)

    status, _, text = await post(client, "{ comments { edges { node { body } } } }", {})

    assert status == 200
    assert '"code":"UNAUTHENTICATED"' in text
    assert "held for moderation" not in text


# --- the commenter's email ------------------------------------------------------------------

EMAIL = """{ page(slug: "public") { comments { edges { node { body authorEmail
  replies { edges { node { body authorEmail } } } } } } } }"""


async def test_author_email_is_refused_to_readers_and_not_in_the_response(client):
    page = await public_page()
    question = await add_comment(page, "question", CommentStatus.APPROVED)
    await add_comment(page, "reply", CommentStatus.APPROVED, parent=question)

    response = await client.post("/graphql", json={"query": EMAIL})

    body = response.json()
    # A reader has no token at all: the error is the one for a missing token.
    assert {error["extensions"]["code"] for error in body["errors"]} == {"UNAUTHENTICATED"}
    assert len(body["errors"]) == 2
    assert SECRET_EMAIL not in response.text
    assert "secret.reader" not in response.text
    # The rest of the comment is still there; only the email is withheld.
    [edge] = body["data"]["page"]["comments"]["edges"]
    assert edge["node"] == {
        "body": "question",
        "authorEmail": None,
        "replies": {"edges": [{"node": {"body": "reply", "authorEmail": None}}]},
    }


async def test_author_email_through_node_is_refused_to_readers(client):
    page = await public_page()
    comment = await add_comment(page, "question", CommentStatus.APPROVED)

    response = await client.post(
        "/graphql",
        json={
            "query": "query($id: ID!) { node(id: $id) { ... on Comment { authorEmail } } }",
            "variables": {"id": gid(comment)},
        },
    )

    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert SECRET_EMAIL not in response.text


async def test_editor_reads_the_author_email(gql, editor_token):
    page = await public_page()
    question = await add_comment(page, "question", CommentStatus.APPROVED)
    await add_comment(page, "reply", CommentStatus.APPROVED, parent=question)

    data = await gql.data(EMAIL, token=editor_token)

    [edge] = data["page"]["comments"]["edges"]
    assert edge["node"]["authorEmail"] == SECRET_EMAIL
    assert edge["node"]["replies"]["edges"][0]["node"]["authorEmail"] == SECRET_EMAIL
