"""Jinja2 set-up for the site: templates, asset URLs with a content hash, date format."""

import hashlib
from datetime import datetime
from functools import cache
from pathlib import Path

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


def create_templates(static_prefix: str) -> Jinja2Templates:
    # Autoescape every template: select_autoescape() would miss the ".html.j2" names.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    templates = Jinja2Templates(env=env)
    prefix = static_prefix.rstrip("/")

    def asset(path: str) -> str:
        """The URL of a static file, versioned by its content so it can be cached long."""
        return f"{prefix}/{path}?v={_content_hash(path)}"

    templates.env.globals["asset"] = asset
    templates.env.globals["site_name"] = SITE_NAME
    templates.env.filters["long_date"] = long_date
    templates.env.filters["short_date"] = short_date
    return templates
