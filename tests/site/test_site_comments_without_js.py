"""The comment form without JavaScript, as POST/redirect/GET: a saved comment redirects to
the article at the comment (reloading shows it again, never posts it again), a form with
errors comes back with them next to their fields, and the shared article's form, which has
no token, comes back once with one."""

from urllib.parse import parse_qs, urlsplit

import pytest
from site_support import ARTICLE, hidden_value, site_client, text

from cms.models import Comment

FIELDS = {"authorName": "Ada", "authorEmail": "ada@example.org", "body": "A fine history."}
PENDING = "Your comment is awaiting moderation."


@pytest.fixture
async def http(settings, seeded_page):
    """The site with the form token required, as by default (no minimum wait, for speed)."""
    async with site_client(
        settings, comment_form_token_required=True, comment_form_min_seconds=0
    ) as client:
        yield client


async def post_comment(http, fields: dict[str, str]):
    html = (await http.get(ARTICLE)).text
    form = {"pageId": hidden_value(html, "pageId"), "formToken": "", **fields}
    first = await http.post(ARTICLE + "/comments", data=form)
    assert first.status_code == 200, "a form without a token comes back once"
    form["formToken"] = hidden_value(first.text, "formToken")
    return first, await http.post(ARTICLE + "/comments", data=form)


async def test_a_form_without_a_token_asks_once_to_confirm_and_posts_nothing(http):
    first, _ = await post_comment(http, FIELDS)

    assert "Almost there: check your comment, then press Post Comment again." in text(first.text)
    assert ">A fine history.</textarea>" in first.text
    assert first.headers["cache-control"] == "private, no-store"
    assert await Comment.filter(body="A fine history.").count() == 1  # the second post only


async def test_a_saved_comment_redirects_to_the_article_at_the_comment(http):
    _, posted = await post_comment(http, FIELDS)

    assert posted.status_code == 303
    comment = await Comment.get(body="A fine history.")
    location = posted.headers["location"]
    address = urlsplit(location)
    shown = parse_qs(address.query)["comment"][0]
    assert address.path == ARTICLE and address.fragment == f"comment-{shown}"
    assert posted.headers["cache-control"] == "no-store"
    assert comment.status.value == "PENDING"


async def test_the_reader_sees_their_pending_comment_and_a_reload_posts_nothing(http):
    _, posted = await post_comment(http, FIELDS)
    location = posted.headers["location"]

    landing = await http.get(location)
    reloaded = await http.get(location)

    for response in (landing, reloaded):
        assert response.status_code == 200
        page = text(response.text.split('<template id="pending-comment-template">')[0])
        assert PENDING in page and "A fine history." in page and "Ada" in page
        assert response.headers["cache-control"] == "private, no-store"
    assert await Comment.all().count() == 1
    # Anyone else gets the shared article, without it.
    http.cookies.clear()
    shared = await http.get(ARTICLE)
    assert "A fine history." not in shared.text
    assert shared.headers["cache-control"].startswith("public")


async def test_a_form_with_errors_comes_back_with_them_next_to_the_fields(http):
    html = (await http.get(ARTICLE)).text
    form = {"pageId": hidden_value(html, "pageId"), **FIELDS, "authorEmail": "not-an-email"}

    refused = await http.post(ARTICLE + "/comments", data=form)

    assert refused.status_code == 422
    assert "Not a valid email address" in text(refused.text)
    assert 'aria-invalid="true"' in refused.text
    assert 'value="not-an-email"' in refused.text
    assert 'action="/pages/harvard-medical-school/comments#respond"' in refused.text
    assert hidden_value(refused.text, "formToken")  # so the corrected form posts at once
    assert not await Comment.exists()


async def test_the_old_comments_address_leads_to_the_articles_comments(http):
    response = await http.get(ARTICLE + "/comments")

    assert response.status_code == 301
    assert response.headers["location"] == ARTICLE + "#comments"
