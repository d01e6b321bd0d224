"""Markdown to safe HTML: CommonMark via markdown-it-py, then sanitised by nh3 (ammonia)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from cms.media.download_links import DownloadLink, ShownAsset
from cms.media.references import ASSET_SCHEME, asset_pk

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


# Section bodies may also show library images as figures (cms/media/figures.py) and
# library files as download links (cms/media/download_links.py).
BODY_TAGS = ALLOWED_TAGS | {"figure", "picture", "source", "figcaption", "small"}
BODY_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "a": {"href", "title", "download"},
    "img": {"src", "alt", "title", "srcset", "sizes", "width", "height", "loading", "decoding"},
    "source": {"type", "srcset", "sizes"},
    "figure": {"class"},
    "small": {"class"},
}


def _referenced_pk(token: Token, attribute: str) -> int | None:
    """The asset the ``asset:`` reference in the token's ``src``/``href`` names."""
    return asset_pk(str(token.attrGet(attribute))[len(ASSET_SCHEME) :])


def _shown(token: Token, attribute: str, env: EnvType) -> ShownAsset | None:
    """What the ``asset:`` reference in the token's ``src``/``href`` shows, if anything."""
    shown: ShownAsset | None = env.get("figures", {}).get(_referenced_pk(token, attribute))
    return shown


def _is_asset_image(token: Token) -> bool:
    return token.type == "image" and str(token.attrGet("src") or "").startswith(ASSET_SCHEME)


def _is_asset_link(token: Token) -> bool:
    return token.type == "link_open" and str(token.attrGet("href") or "").startswith(ASSET_SCHEME)


def _figures_stand_alone(state: StateCore) -> None:
    """A paragraph holding only a library image is the figure itself (a <figure> may not
    sit inside a <p>); a file shown that way is a link, and stays in its paragraph."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-2]):
        inline = tokens[index + 1]
        if token.type == "paragraph_open" and inline.type == "inline":
            children = [c for c in inline.children or [] if c.type != "softbreak"]
            if (
                len(children) == 1
                and _is_asset_image(children[0])
                and not isinstance(_shown(children[0], "src", state.env), DownloadLink)
            ):
                token.hidden = tokens[index + 2].hidden = True


def _render_image(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    index: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[index]
    if not _is_asset_image(token):
        return renderer.image(tokens, index, options, env)
    shown = _shown(token, "src", env)
    if shown is None:  # unknown or deleted: nothing (editors get a warning)
        return ""
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    if isinstance(shown, DownloadLink):  # a file is offered, never shown as an image
        return shown.html(alt)
    return shown.html(alt, str(token.attrGet("title") or ""))


def _render_link_open(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    index: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    """A link to a library file is a download link; to anything else in the library
    (unknown, deleted, an image), its text alone (editors get a warning)."""
    token = tokens[index]
    if not _is_asset_link(token):
        return renderer.renderToken(tokens, index, options, env)
    shown = _shown(token, "href", env)
    closing = next(t for t in tokens[index:] if t.type == "link_close")
    if isinstance(shown, DownloadLink):
        closing.meta["html"] = shown.closing()
        return shown.opening()
    closing.meta["html"] = ""
    return ""


def _render_link_close(
    renderer: RendererHTML,
    tokens: Sequence[Token],
    index: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    html = tokens[index].meta.get("html")
    return renderer.renderToken(tokens, index, options, env) if html is None else str(html)


_body_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_body_markdown.enable("table").enable("strikethrough")
_body_markdown.core.ruler.push("figures_stand_alone", _figures_stand_alone)
_body_markdown.add_render_rule("image", _render_image)
_body_markdown.add_render_rule("link_open", _render_link_open)
_body_markdown.add_render_rule("link_close", _render_link_close)
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


@lru_cache(maxsize=4096)
def _body_to_html(markdown: str, figures: tuple[tuple[int, ShownAsset], ...]) -> str:
    env: dict[str, Any] = {"figures": dict(figures)}
    return nh3.clean(
        _body_markdown.render(markdown, env),
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@dataclass(frozen=True)
class BodyAssets:
    """The library assets a body shows as images with no alt text of their own, and those
    it links to (as files are offered)."""

    images_without_alt: frozenset[int]
    links: frozenset[int]


@lru_cache(maxsize=4096)
def body_assets(markdown: str) -> BodyAssets:
    """Read with the parser that renders bodies, so an alt text holding ``]``, a title or
    a link around an image count as they will be shown."""
    if ASSET_SCHEME not in markdown:
        return BodyAssets(frozenset(), frozenset())
    inline = [c for block in _body_markdown.parse(markdown, {}) for c in block.children or []]
    return BodyAssets(
        images_without_alt=frozenset(
            pk
            for token in inline
            if _is_asset_image(token)
            and not token.content.strip()
            and (pk := _referenced_pk(token, "src"))
        ),
        links=frozenset(
            pk
            for token in inline
            if _is_asset_link(token) and (pk := _referenced_pk(token, "href"))
        ),
    )


def body_to_html(markdown: str, figures: dict[int, ShownAsset]) -> str:
    """A section body: Markdown with library images (``![alt](asset:ID "caption")``) as
    figures and library files (``[text](asset:ID)``) as download links, from ``figures``
    (by asset id), sanitised like any Markdown."""
    if ASSET_SCHEME not in markdown:
        return markdown_to_html(markdown)
    return _body_to_html(markdown, tuple(sorted(figures.items())))
