"""The home page (published pages, newest first, a page at a time with keyset cursor
links) and the search page (the API's search, with highlighted snippets)."""

import re
from datetime import timedelta
from html import unescape

from comment_support import published_page
from site_support import ARTICLE, TITLE, text
from tortoise.timezone import now

HOME_PAGE_SIZE = 10


def link(html: str, rel: str) -> str | None:
    match = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return unescape(match.group(1)) if match else None


def titles(html: str) -> list[str]:
    return [text(t) for t in re.findall(r'<h2 class="page-card__title">(.*?)</h2>', html)]


async def test_home_pages_through_published_pages_newest_first(client, seeded_page):
    for day in range(1, 13):
        await published_page(f"news-{day:02}", now() - timedelta(days=day))

    first = await client.get("/")
    assert titles(first.text) == [TITLE] + [f"News-{day:02}" for day in range(1, 10)]
    assert link(first.text, "prev") is None
    older = link(first.text, "next")
    assert older and older.startswith("/?after=")

    second = await client.get(older)
    assert titles(second.text) == [f"News-{day:02}" for day in range(10, 13)]
    assert link(second.text, "next") is None
    newer = link(second.text, "prev")
    assert newer and newer.startswith("/?before=")

    back = await client.get(newer)
    assert titles(back.text) == titles(first.text)
    assert link(back.text, "prev") is None


async def test_home_shows_date_comment_count_and_summary(client, seeded_page):
    html = (await client.get("/")).text

    card = text(html[html.index('class="page-card"') :])
    assert "0 comments" in card
    assert re.search(r"<time datetime=\"\d{4}-\d\d-\d\dT", html)
    assert "Harvard Medical School (HMS), located in Boston" in card


async def test_a_forged_list_cursor_is_not_found(client, seeded_page):
    response = await client.get("/?after=forged")

    assert response.status_code == 404
    assert "This list link is not valid." in text(response.text)


async def test_search_shows_highlighted_snippets_linking_to_the_section(client, seeded_page):
    response = await client.get("/search", params={"q": "research"})

    assert response.status_code == 200
    html = response.text
    assert re.search(r"\d+ results? for “research”", text(html))
    assert "<mark>research</mark>" in html.lower() or "<mark>Research</mark>" in html
    assert f'href="{ARTICLE}#research-and-innovation"' in html
    assert '<meta name="robots" content="noindex, follow">' in html


async def test_search_without_words_shows_the_form_and_without_matches_says_so(client, seeded_page):
    empty = await client.get("/search")
    nothing = await client.get("/search", params={"q": "zeppelin"})

    assert '<input id="q" name="q" type="search"' in empty.text
    assert "results for" not in text(empty.text)
    assert "Nothing matches “zeppelin”." in text(nothing.text)


async def test_search_text_is_escaped(client, seeded_page):
    response = await client.get("/search", params={"q": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
