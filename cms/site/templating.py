"""Jinja2 set-up for the site: templates, asset URLs with a content hash, date format."""

import hashlib
import html
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.templating import Jinja2Templates

SITE_NAME = "CMS Reader"
TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@cache
def _content_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def long_date(value: str | None) -> str:
    """'November 25, 2026 at 1:30 PM' (UTC, like the page script's Intl format) from the
    API's ISO 8601 date-time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    hour = moment.hour % 12 or 12
    return (
        f"{moment:%B} {moment.day}, {moment.year} at {hour}:{moment:%M} "
        f"{'AM' if moment.hour < 12 else 'PM'}"
    )


def short_date(value: str | None) -> str:
    """'November 25, 2026' from the API's ISO 8601 date-time."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    return f"{moment:%B} {moment.day}, {moment.year}"


SUMMARY_MAX_CHARS = 200
_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment the API rendered, on one line."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def summary_of(page: dict[str, Any]) -> str:
    """The page's summary; without one, the start of its text, cut at a word."""
    if page.get("summary"):
        return str(page["summary"])
    text = " ".join(plain_text(section["bodyHtml"]) for section in page.get("sections") or [])
    if len(text) <= SUMMARY_MAX_CHARS:
        return text or str(page["title"])
    return text[:SUMMARY_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def create_templates(static_prefix: str) -> Jinja2Templates:
    # Autoescape every template: select_autoescape() would miss the ".html.j2" names.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    templates = Jinja2Templates(env=env)
    prefix = static_prefix.rstrip("/")

    def asset(path: str) -> str:
        """The URL of a static file, versioned by its content so it can be cached long."""
        return f"{prefix}/{path}?v={_content_hash(path)}"

    def static_url(path: str) -> str:
        """A static file's URL as stylesheets name it (fonts: preloads must match)."""
        return f"{prefix}/{path}"

    templates.env.globals["asset"] = asset
    templates.env.globals["static_url"] = static_url
    templates.env.filters["summary_of"] = summary_of
    templates.env.globals["site_name"] = SITE_NAME
    templates.env.filters["long_date"] = long_date
    templates.env.filters["short_date"] = short_date
    return templates
