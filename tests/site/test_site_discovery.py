"""How readers and crawlers find the pages: Atom and JSON feeds read by a real feed parser,
a sitemap valid against the sitemaps.org schema, robots.txt pointing at it, canonical
links and Open Graph / Twitter card metadata, a favicon."""

import json
from datetime import timedelta
from pathlib import Path

import feedparser
from comment_support import published_page
from lxml import etree
from site_support import ARTICLE, BASE_URL, TITLE, meta, site_client
from tortoise.timezone import now

SITEMAP_XSD = Path(__file__).with_name("sitemap.xsd")
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


async def test_the_atom_feed_lists_published_pages_newest_first(client, seeded_page):
    await published_page("older-news", now() - timedelta(days=30))

    response = await client.get("/feed.xml")

    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert [entry.link for entry in feed.entries] == [
        f"{BASE_URL}{ARTICLE}",
        f"{BASE_URL}/pages/older-news",
    ]
    article = feed.entries[0]
    assert article.title == TITLE
    assert article.summary.startswith("Harvard Medical School (HMS), located in Boston")
    assert article.published_parsed and article.updated_parsed
    assert feed.feed.links[0].href == f"{BASE_URL}/feed.xml"


async def test_the_json_feed_has_what_json_feed_1_1_requires(client, seeded_page):
    response = await client.get("/feed.json")

    assert response.headers["content-type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"{BASE_URL}/feed.json"
    [item] = feed["items"]
    assert item["id"] == item["url"] == f"{BASE_URL}{ARTICLE}"
    assert item["title"] == TITLE and item["content_text"]
    assert item["date_published"] and item["date_modified"]


async def test_the_sitemap_is_valid_and_lists_every_published_page_with_its_date(
    client, seeded_page, gql, editor_token
):
    await published_page("older-news", now() - timedelta(days=30))
    draft = 'mutation { createPage(input: {slug: "a-draft", title: "A draft"}) { page { id } } }'
    await gql.data(draft, token=editor_token)

    response = await client.get("/sitemap.xml")

    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_XSD)))
    assert schema.validate(document), schema.error_log
    locations = document.xpath("//s:url/s:loc/text()", namespaces=SITEMAP_NS)
    assert locations == [f"{BASE_URL}/", f"{BASE_URL}{ARTICLE}", f"{BASE_URL}/pages/older-news"]
    assert len(document.xpath("//s:url/s:lastmod", namespaces=SITEMAP_NS)) == 3


async def test_robots_txt_points_at_the_sitemap(client):
    response = await client.get("/robots.txt")

    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines and "Disallow: /preview/" in lines
    assert f"Sitemap: {BASE_URL}/sitemap.xml" in lines


async def test_the_article_has_a_canonical_url_and_social_cards(client, seeded_page):
    html = (await client.get(ARTICLE + "?replyto=x")).text

    assert f'<link rel="canonical" href="{BASE_URL}{ARTICLE}">' in html
    assert meta(html, "property", "og:url") == f"{BASE_URL}{ARTICLE}"
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:title") == TITLE
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "name", "twitter:title") == TITLE
    description = meta(html, "name", "description")
    assert description.startswith("Harvard Medical School (HMS)") and len(description) <= 201
    assert meta(html, "property", "og:description") == description
    assert meta(html, "name", "twitter:description") == description
    assert 'type="application/atom+xml"' in html and 'href="/feed.xml"' in html


async def test_absolute_urls_use_the_public_url_when_set(settings, seeded_page):
    async with site_client(settings, public_url="https://news.example.org") as http:
        html = (await http.get(ARTICLE)).text
        robots = (await http.get("/robots.txt")).text

    assert f'<link rel="canonical" href="https://news.example.org{ARTICLE}">' in html
    assert "Sitemap: https://news.example.org/sitemap.xml" in robots


async def test_the_favicon_is_an_icon(client):
    response = await client.get("/favicon.ico")

    assert response.status_code == 200
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
