"""Moderating from the studio: the queue by status with counts, bulk decisions, editing,
replying as the editor, a page's comment setting, the pending count in the navigation."""

from comment_support import published_page, stored_comment

from cms.models import Comment, CommentStatus, Page, User
from schema.relay import to_global_id


def gid(comment: Comment) -> str:
    return to_global_id("Comment", comment.id)


async def test_the_queue_shows_pending_comments_with_counts(studio_editor):
    page = await published_page()
    await stored_comment(page, body="Waiting one", status=CommentStatus.PENDING)
    await stored_comment(page, body="Waiting two", status=CommentStatus.PENDING)
    await stored_comment(page, body="Already shown")
    response = await studio_editor.get("/studio/comments")
    assert "Waiting one" in response.text and "Waiting two" in response.text
    assert "Already shown" not in response.text
    assert "Pending (2)" in response.text and "Approved (1)" in response.text
    assert 'aria-label="2 waiting"' in response.text  # the navigation's count


async def test_bulk_approve_records_the_editor(studio_editor):
    page = await published_page()
    first = await stored_comment(page, status=CommentStatus.PENDING)
    second = await stored_comment(page, status=CommentStatus.PENDING)
    untouched = await stored_comment(page, status=CommentStatus.PENDING)
    response = await studio_editor.post(
        "/studio/comments?status=PENDING",
        {"action": "approve", "ids": [gid(first), gid(second)]},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/studio/comments?status=PENDING&notice=approve%3A2"
    edna = await User.get(email="edna@example.com")
    for comment in (first, second):
        await comment.refresh_from_db()
        assert comment.status is CommentStatus.APPROVED
        assert comment.moderated_by_id == edna.id
    await untouched.refresh_from_db()
    assert untouched.status is CommentStatus.PENDING
    shown = await studio_editor.get(response.headers["location"])
    assert "2 comments approved." in shown.text


async def test_bulk_spam_and_trash(studio_editor):
    page = await published_page()
    spam = await stored_comment(page, status=CommentStatus.PENDING)
    trash = await stored_comment(page, status=CommentStatus.PENDING)
    await studio_editor.post("/studio/comments", {"action": "spam", "ids": [gid(spam)]})
    await studio_editor.post("/studio/comments", {"action": "trash", "ids": [gid(trash)]})
    assert (await Comment.get(id=spam.id)).status is CommentStatus.SPAM
    assert (await Comment.get(id=trash.id)).status is CommentStatus.TRASH


async def test_a_bulk_action_without_comments_says_so(studio_editor):
    response = await studio_editor.post("/studio/comments", {"action": "approve"})
    assert response.status_code == 422
    assert "Choose at least one comment" in response.text


async def test_an_editor_edits_a_comment(studio_editor):
    comment = await stored_comment(await published_page(), body="Teh typo")
    response = await studio_editor.post(
        f"/studio/comments/{gid(comment)}/edit", {"body": "The typo, fixed"}
    )
    assert response.status_code == 303
    await comment.refresh_from_db()
    assert comment.body == "The typo, fixed" and comment.edited_at is not None


async def test_replying_as_the_editor_approves_the_comment_and_publishes_the_reply(
    studio_editor,
):
    comment = await stored_comment(await published_page(), status=CommentStatus.PENDING)
    response = await studio_editor.post(
        f"/studio/comments/{gid(comment)}/reply", {"body": "Thank you!"}
    )
    assert response.status_code == 303
    reply = await Comment.get(parent_id=comment.id)
    edna = await User.get(email="edna@example.com")
    assert (reply.author_name, reply.author_email, reply.body) == (
        "Edna Editor",
        "edna@example.com",
        "Thank you!",
    )
    assert reply.status is CommentStatus.APPROVED and reply.author_user_id == edna.id
    assert (await Comment.get(id=comment.id)).status is CommentStatus.APPROVED


async def test_an_empty_reply_is_refused_on_the_page(studio_editor):
    comment = await stored_comment(await published_page())
    response = await studio_editor.post(f"/studio/comments/{gid(comment)}/reply", {"body": " "})
    assert response.status_code == 422
    assert not await Comment.exists(parent_id=comment.id)


async def test_closing_a_pages_comments(studio_editor):
    page = await published_page()
    page_id = to_global_id("Page", page.id)
    shown = await studio_editor.get(f"/studio/comments?page={page_id}")
    assert "Close comments" in shown.text
    response = await studio_editor.post(
        "/studio/comments/page-setting", {"pageId": page_id, "open": "false"}
    )
    assert response.status_code == 303
    assert not (await Page.get(id=page.id)).comments_open


async def test_moderating_works_on_a_phone_sized_page_without_scripts(studio_editor):
    await stored_comment(await published_page(), status=CommentStatus.PENDING)
    html = (await studio_editor.get("/studio/comments")).text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<main id="main"' in html and '<nav aria-label="Studio">' in html
    assert 'name="one" value="approve:' in html  # each comment's own submit button


async def test_approving_in_the_studio_refreshes_what_readers_are_served(
    studio_editor, studio_browser
):
    page = await published_page()
    comment = await stored_comment(page, body="Worth reading", status=CommentStatus.PENDING)
    reader = await studio_browser()
    count = {"query": '{ page(slug: "article") { commentCount } }'}
    assert (await reader.http.get("/graphql", params=count)).json()["data"]["page"] == {
        "commentCount": 0
    }
    await studio_editor.post("/studio/comments", {"one": f"approve:{gid(comment)}"})
    assert (await reader.http.get("/graphql", params=count)).json()["data"]["page"] == {
        "commentCount": 1
    }
