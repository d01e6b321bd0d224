"""How readers and crawlers find the site's pages: an Atom feed and a JSON Feed of the
newest published pages, a sitemap of all of them with their last-modified dates, and a
robots.txt pointing at it. Cached like every page of the site (caching.py)."""

import json
from typing import Any
from xml.etree import ElementTree as ET

from starlette.requests import Request
from starlette.responses import Response

from cms.site.caching import Rendered
from cms.site.pages import ReaderSite
from cms.site.templating import SITE_NAME, summary_of

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM = "application/atom+xml; charset=utf-8"
JSON_FEED = "application/feed+json; charset=utf-8"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
FEED_SIZE = 20
SITEMAP_BATCH = 100
# The sitemaps.org limit for one file.
SITEMAP_MAX_URLS = 50_000
EPOCH = "1970-01-01T00:00:00+00:00"


def _xml(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _updated(page: dict[str, Any]) -> str:
    return page["updatedAt"] or page["publishedAt"]


class Discovery:
    def __init__(self, site: ReaderSite) -> None:
        self.site = site

    async def _newest(self, request: Request) -> tuple[list[dict[str, Any]], set[str]]:
        result = await self.site.api.execute(request, "latest", {"first": FEED_SIZE})
        return [edge["node"] for edge in result.data["pages"]["edges"]], result.shown

    def _page_url(self, request: Request, page: dict[str, Any]) -> str:
        path = request.url_for("site:page", slug=page["slug"]).path
        return self.site.site_url(request) + path

    async def atom(self, request: Request) -> Response:
        async def render() -> Rendered:
            pages, shown = await self._newest(request)
            site_url = self.site.site_url(request)
            ET.register_namespace("", ATOM_NS)
            feed = ET.Element(f"{{{ATOM_NS}}}feed")
            _sub(feed, f"{{{ATOM_NS}}}id", site_url + "/")
            _sub(feed, f"{{{ATOM_NS}}}title", SITE_NAME)
            _sub(feed, f"{{{ATOM_NS}}}updated", max((_updated(p) for p in pages), default=EPOCH))
            _sub(feed, f"{{{ATOM_NS}}}link", rel="self", href=site_url + request.url.path)
            _sub(feed, f"{{{ATOM_NS}}}link", rel="alternate", href=site_url + "/")
            author = _sub(feed, f"{{{ATOM_NS}}}author")
            _sub(author, f"{{{ATOM_NS}}}name", SITE_NAME)
            for page in pages:
                entry = _sub(feed, f"{{{ATOM_NS}}}entry")
                url = self._page_url(request, page)
                _sub(entry, f"{{{ATOM_NS}}}id", url)
                _sub(entry, f"{{{ATOM_NS}}}title", page["title"])
                _sub(entry, f"{{{ATOM_NS}}}link", rel="alternate", href=url)
                _sub(entry, f"{{{ATOM_NS}}}published", page["publishedAt"])
                _sub(entry, f"{{{ATOM_NS}}}updated", _updated(page))
                _sub(entry, f"{{{ATOM_NS}}}summary", summary_of(page))
            return Rendered(_xml(feed), media_type=ATOM, keys=shown)

        return await self.site.cached(request, render)

    async def json_feed(self, request: Request) -> Response:
        async def render() -> Rendered:
            pages, shown = await self._newest(request)
            site_url = self.site.site_url(request)
            feed = {
                "version": "https://jsonfeed.org/version/1.1",
                "title": SITE_NAME,
                "home_page_url": site_url + "/",
                "feed_url": site_url + request.url.path,
                "language": "en",
                "items": [
                    {
                        "id": self._page_url(request, page),
                        "url": self._page_url(request, page),
                        "title": page["title"],
                        "content_text": summary_of(page),
                        "summary": summary_of(page),
                        "date_published": page["publishedAt"],
                        "date_modified": _updated(page),
                    }
                    for page in pages
                ],
            }
            body = json.dumps(feed, ensure_ascii=False, indent=2).encode()
            return Rendered(body, media_type=JSON_FEED, keys=shown)

        return await self.site.cached(request, render)

    async def sitemap(self, request: Request) -> Response:
        async def render() -> Rendered:
            pages, shown = await self._every_page(request)
            ET.register_namespace("", SITEMAP_NS)
            urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
            home = _sub(urlset, f"{{{SITEMAP_NS}}}url")
            _sub(home, f"{{{SITEMAP_NS}}}loc", self.site.site_url(request) + "/")
            if pages:
                _sub(home, f"{{{SITEMAP_NS}}}lastmod", max(_updated(page) for page in pages))
            for page in pages:
                url = _sub(urlset, f"{{{SITEMAP_NS}}}url")
                _sub(url, f"{{{SITEMAP_NS}}}loc", self._page_url(request, page))
                _sub(url, f"{{{SITEMAP_NS}}}lastmod", _updated(page))
            return Rendered(_xml(urlset), media_type=XML, keys=shown)

        return await self.site.cached(request, render)

    async def _every_page(self, request: Request) -> tuple[list[dict[str, Any]], set[str]]:
        pages: list[dict[str, Any]] = []
        shown: set[str] = set()
        batch = min(SITEMAP_BATCH, self.site.api.settings.max_page_size)
        variables: dict[str, Any] = {"first": batch}
        while len(pages) < SITEMAP_MAX_URLS - 1:  # one URL is the home page
            result = await self.site.api.execute(request, "pages", variables)
            connection = result.data["pages"]
            pages += [edge["node"] for edge in connection["edges"]]
            shown |= result.shown
            if not connection["pageInfo"]["hasNextPage"]:
                break
            variables = {"first": batch, "after": connection["pageInfo"]["endCursor"]}
        return pages[: SITEMAP_MAX_URLS - 1], shown

    async def robots(self, request: Request) -> Response:
        async def render() -> Rendered:
            lines = [
                "User-agent: *",
                "Disallow: /preview/",
                "Disallow: /graphql",
                "",
                f"Sitemap: {self.site.site_url(request)}/sitemap.xml",
                "",
            ]
            return Rendered("\n".join(lines).encode(), media_type=TEXT)

        return await self.site.cached(request, render)
