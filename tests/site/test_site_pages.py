"""The reader site without a browser: server-rendered HTML, the comment form posted without
JavaScript, 404s and drafts."""

import ast
import re
from pathlib import Path

import pytest
from graphql_support import app_client
from site_support import ARTICLE, comment_form, hidden_value, text

import cms.site
from cms.site.templating import long_date

TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
NO_COMMENTS = "No comments yet. Why don\u2019t you start the discussion?"

CREATE_DRAFT = """
mutation {
  createPage(input: {slug: "draft-notes", title: "Draft notes"}) { page { id } errors { message } }
}
"""
APPROVE = """
mutation Approve($id: ID!) {
  moderateComment(input: {id: $id, status: APPROVED}) { errors { message } }
}
"""
ADD_COMMENT = """
mutation Add($input: AddCommentInput!) {
  addComment(input: $input) { comment { id } errors { message } }
}
"""


async def approved_comment(gql, editor_token, page_id: str, name: str, body: str, **extra) -> str:
    data = await gql.data(
        ADD_COMMENT,
        {
            "input": {
                "pageId": page_id,
                "authorName": name,
                "authorEmail": "a@example.org",
                "body": body,
                **extra,
            }
        },
    )
    comment_id = data["addComment"]["comment"]["id"]
    await gql.data(APPROVE, {"id": comment_id}, token=editor_token)
    return comment_id


async def test_home_lists_published_pages_only(client, seeded_page, gql, editor_token):
    await gql.data(CREATE_DRAFT, token=editor_token)

    response = await client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'href="{ARTICLE}"' in response.text
    assert TITLE in response.text
    assert "Draft notes" not in response.text


async def test_article_is_rendered_on_the_server_with_anchored_headings_and_contents(
    client, seeded_page
):
    html = (await client.get(ARTICLE)).text

    assert '<html lang="en">' in html
    assert f'<h1 class="article__title">{TITLE}</h1>' in html
    assert '<h2 id="academic-programs">Academic Programs</h2>' in html
    assert '<a href="#academic-programs">Academic Programs</a>' in html
    assert '<a href="#future-directions">Future Directions</a>' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'href="/graphql"' in html
    assert "Harvard Medical School stands as a beacon" in html


async def test_programmes_are_a_numbered_list_under_academic_programs(client, seeded_page):
    html = (await client.get(ARTICLE)).text
    academic = html[
        html.index('id="academic-programs"') : html.index('id="research-and-innovation"')
    ]

    headings = [text(h) for h in re.findall(r"<h3 [^>]*>.*?</h3>", academic)]
    assert headings == [
        "1. Medical Doctor (MD) Program",
        "2. Doctor of Philosophy (PhD) Programs",
        "3. Master\u2019s Programs",
    ]
    assert '<ol class="subsections">' in academic


async def test_page_without_comments_invites_the_first_one(client, seeded_page):
    page = text((await client.get(ARTICLE)).text)

    assert NO_COMMENTS in page
    assert "Leave a Reply" in page
    assert "Your email address will not be published. Required fields are marked *" in page
    for label in ("Comment *", "Name *", "Email *", "Website"):
        assert label in page


async def test_comment_form_has_labels_a_hidden_honeypot_and_no_shared_token(client, seeded_page):
    html = (await client.get(ARTICLE)).text

    for field in ("body", "authorName", "authorEmail", "authorUrl"):
        assert f'<label for="{field}">' in html
    # The article is cached for every reader: a token there would be everybody's.
    assert hidden_value(html, "formToken") == ""
    assert re.search(r'<p class="trap" aria-hidden="true">', html)
    assert 'action="/pages/harvard-medical-school/comments#respond"' in html


async def test_approved_comments_are_threaded_and_emails_never_shown(
    client, seeded_page, gql, editor_token
):
    form = await comment_form(client)
    parent = await approved_comment(gql, editor_token, form["pageId"], "Grace", "First!")
    await approved_comment(gql, editor_token, form["pageId"], "Linus", "A reply.", parentId=parent)

    html = (await client.get(ARTICLE)).text

    thread = html[html.index(f'id="comment-{parent}"') :]
    children = thread[thread.index('class="comment-list comment-list--children"') :]
    assert "A reply." in children and "Linus" in children
    assert "2 thoughts on “" in html
    assert NO_COMMENTS not in text(html)
    assert "a@example.org" not in html
    assert f"?replyto={parent}" in html.replace("%3D", "=")


async def test_form_without_javascript_shows_errors_next_to_the_fields(client, seeded_page):
    form = await comment_form(client)

    response = await client.post(
        ARTICLE + "/comments",
        data={**form, "authorName": "Ada", "authorEmail": "not-an-email", "body": "Hello"},
    )

    assert response.status_code == 422
    error = re.search(
        r'<p class="field-error" id="authorEmail-error"[^>]*>([^<]*)</p>', response.text
    )
    assert error and "Not a valid email address" in error.group(1)
    email_input = re.search(r'<input id="authorEmail"[^>]*>', response.text)
    assert email_input and 'aria-invalid="true"' in email_input.group(0)
    assert 'value="not-an-email"' in response.text  # what the reader typed is kept
    assert ">Hello</textarea>" in response.text


async def test_form_without_javascript_shows_the_comment_awaiting_moderation(
    client, seeded_page, gql, editor_token
):
    form = await comment_form(client)

    response = await client.post(
        ARTICLE + "/comments",
        data={**form, "authorName": "Ada", "authorEmail": "ada@example.org", "body": "Lovely."},
        follow_redirects=True,
    )

    assert response.status_code == 200
    page = text(response.text.split('<template id="pending-comment-template">')[0])
    assert "Ada" in page and "Lovely." in page
    assert "Your comment is awaiting moderation." in page
    assert "ada@example.org" not in response.text
    # Nobody else sees it until an editor approves it.
    client.cookies.clear()
    assert "Lovely." not in (await client.get(ARTICLE)).text


async def test_form_without_a_token_comes_back_once_with_a_fresh_one(client, seeded_page, settings):
    settings.comment_form_token_required = True
    form = await comment_form(client)

    response = await client.post(
        ARTICLE + "/comments",
        data={
            "pageId": form["pageId"],
            "authorName": "Bot",
            "authorEmail": "b@example.org",
            "body": "Buy",
        },
    )

    assert response.status_code == 200
    assert 'id="form-errors" role="alert" data-error-for="form">' in response.text
    assert "press Post Comment again" in response.text
    assert hidden_value(response.text, "formToken")  # a fresh token for the next try
    assert response.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize("path", ["/pages/no-such-page", "/pages/draft-notes"])
async def test_unknown_and_draft_pages_are_not_found(client, seeded_page, gql, editor_token, path):
    await gql.data(CREATE_DRAFT, token=editor_token)

    response = await client.get(path)

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert (await client.get(path + "/thread")).status_code == 404


async def test_comment_thread_fragment_is_what_the_page_script_swaps_in(client, seeded_page):
    response = await client.get(ARTICLE + "/thread")

    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="comment-thread"')
    assert NO_COMMENTS in response.text


async def test_pages_use_no_inline_script_style_or_handler(client, seeded_page):
    html = (await client.get(ARTICLE)).text

    assert "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        assert "src=" in attributes or body.strip().startswith("{")
    assets = re.findall(
        r'<(?:script|img|link rel="(?:stylesheet|preload|icon)")[^>]+(?:src|href)="([^"]+)"', html
    )
    assert assets and all(url.startswith(("/static/", "/favicon.ico")) for url in assets)


def test_dates_read_like_the_blog():
    assert long_date("2026-11-25T13:05:00+00:00") == "November 25, 2026 at 1:05 PM"


async def test_the_site_is_anonymous_even_when_the_browser_sends_a_token(
    client, seeded_page, editor_token
):
    form = await comment_form(client)
    await client.post(
        ARTICLE + "/comments",
        data={**form, "authorName": "Ada", "authorEmail": "ada@example.org", "body": "Pending."},
    )
    client.cookies.clear()  # the poster's own view of their comment

    response = await client.get(ARTICLE, headers={"Authorization": f"Bearer {editor_token}"})

    assert "Pending." not in response.text


async def test_form_without_javascript_shows_flood_control_errors(seeded_page, settings):
    limited = settings.model_copy(update={"comment_rate_limits": "1/minute"})
    async with app_client(limited) as client:
        form = await comment_form(client)
        fields = {"authorName": "Ada", "authorEmail": "ada@example.org"}
        await client.post(ARTICLE + "/comments", data={**form, **fields, "body": "One."})

        response = await client.post(ARTICLE + "/comments", data={**form, **fields, "body": "Two."})

    assert response.status_code == 422
    errors = re.search(r'<div class="form-errors"[^>]*>([^<]+)</div>', response.text)
    assert errors and "Try again in" in errors.group(1)


def test_site_code_reads_data_only_through_the_graphql_schema():
    forbidden = ("cms.models", "cms.services", "tortoise", "cms.db")
    for path in Path(cms.site.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += (
                    [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                )
                for name in names:
                    assert not name.startswith(forbidden), f"{path.name} imports {name}"


async def test_reply_link_without_javascript_opens_the_form_for_that_comment(
    client, seeded_page, gql, editor_token
):
    form = await comment_form(client)
    parent = await approved_comment(gql, editor_token, form["pageId"], "Grace", "First!")

    html = (await client.get(ARTICLE, params={"replyto": parent})).text

    assert hidden_value(html, "parentId") == parent
    replying = re.search(
        r'<small class="respond__replying" id="replying-to">(.*?)</small>', html, re.S
    )
    assert replying and "to Grace" in text(replying.group(1))
