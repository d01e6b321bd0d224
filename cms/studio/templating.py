"""Jinja2 set-up for the studio: templates, asset URLs with a content hash, the CSRF field."""

import hashlib
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.templating import Jinja2Templates

from cms.serving.sessions import CSRF_FIELD
from cms.site.templating import long_date, short_date

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
STATIC_PATH = "/studio/static"


@cache
def _content_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def asset(path: str) -> str:
    """The URL of a studio static file, versioned by its content."""
    return f"{STATIC_PATH}/{path}?v={_content_hash(path)}"


def file_size(size: int) -> str:
    """Bytes as people read them: 820 bytes, 14 KB, 3.2 MB."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


@jinja2.pass_context
def csrf_field(context: jinja2.runtime.Context) -> Markup:
    """The hidden CSRF input every studio form carries (``{{ csrf_field() }}``)."""
    token = context["csrf_token"]
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


def create_templates() -> Jinja2Templates:
    # Autoescape every template: select_autoescape() would miss the ".html.j2" names.
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    templates = Jinja2Templates(env=env)
    templates.env.globals["asset"] = asset
    templates.env.globals["csrf_field"] = csrf_field
    templates.env.filters["long_date"] = long_date
    templates.env.filters["short_date"] = short_date
    templates.env.filters["file_size"] = file_size
    return templates


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
