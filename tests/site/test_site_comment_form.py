"""The reader site's comment form refuses posts from other sites (CSRF) and puts a comment
on the page whose URL it was posted to, whatever page id the form carries."""

import pytest
from comment_support import gid, published_page
from site_support import ARTICLE, comment_form, text

from cms.models import Comment

FIELDS = {"authorName": "Ada", "authorEmail": "ada@example.org", "body": "Lovely."}
REFUSAL = "This comment was sent from another website"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},
    ],
)
async def test_a_comment_posted_from_another_site_is_refused(client, seeded_page, headers):
    form = await comment_form(client)

    response = await client.post(ARTICLE + "/comments", data={**form, **FIELDS}, headers=headers)

    assert response.status_code == 403
    assert REFUSAL in text(response.text)
    assert not await Comment.exists()


async def test_a_comment_posted_from_the_site_itself_is_accepted(client, seeded_page):
    form = await comment_form(client)
    headers = {"Origin": "http://cms.test", "Sec-Fetch-Site": "same-origin"}

    response = await client.post(ARTICLE + "/comments", data={**form, **FIELDS}, headers=headers)

    assert response.status_code == 303
    assert await Comment.exists()


async def test_the_pages_url_wins_over_the_forms_page_id(client, seeded_page):
    other = await published_page("other-article")
    form = {**(await comment_form(client)), "pageId": gid(other)}

    response = await client.post(ARTICLE + "/comments", data={**form, **FIELDS})

    assert response.status_code == 303
    [comment] = await Comment.all()
    assert comment.page_id == seeded_page.id
