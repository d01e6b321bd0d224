"""Markdown to safe HTML: CommonMark via markdown-it-py, then sanitised by nh3 (ammonia)."""

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table").enable("strikethrough")

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "code": {"class"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


# A fenced block's language (```python → class="language-python"), for styles and
# highlighters; no other class survives.
LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


def _keep_language_class(element: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return value if element == "code" and LANGUAGE_CLASS.fullmatch(value) else None
    return value


@lru_cache(maxsize=4096)
def markdown_to_html(markdown: str) -> str:
    """Render Markdown and strip anything unsafe (scripts, event handlers, javascript: URLs)."""
    return nh3.clean(
        _markdown.render(markdown),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_keep_language_class,
    )
