"""The GraphiQL page for ``GET /graphql``, served from our own static files.

Strawberry's built-in page loads React, GraphiQL and the explorer plugin from
unpkg.com, so it is blank without internet access. This page loads the very same
files (vendored, byte for byte, into ``cms/static/graphiql/``; see ``VERSIONS.md``
there) from the app's static mount, keeping their ``integrity`` hashes.

There is no inline JavaScript: the page's settings travel in a
``<script type="application/json" id="graphiql-config">`` block and are read by
``static/graphiql/init.js``, so the page works under a Content-Security-Policy of
``script-src 'self'``.
"""

import functools
import html
import json
from pathlib import Path
from string import Template

PACKAGE_DIR = Path(__file__).resolve().parent
STATIC_DIR = PACKAGE_DIR / "static"
TEMPLATE_PATH = PACKAGE_DIR / "templates" / "graphiql.html"
DEFAULT_GRAPHIQL_QUERY = """# The seeded article, with its nested sections and approved comments.
query Article {
  page(slug: "harvard-medical-school") {
    id
    title
    publishedAt
    sections {
      title
      anchor
      body
      children {
        position
        title
        body
      }
    }
    commentCount
    comments(first: 10) {
      edges { node { authorName body createdAt replies { edges { node { authorName body } } } } }
    }
  }
}
"""


@functools.cache
def _template() -> Template:
    """The page template, read from disk once."""
    return Template(TEMPLATE_PATH.read_text(encoding="utf-8"))


def script_safe_json(value: object) -> str:
    """Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (still the
    same JSON value), so neither ``</script>`` nor ``<!--`` can end or alter the
    element; ``ensure_ascii`` escapes everything else outside ASCII.
    """
    return (
        json.dumps(value, ensure_ascii=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )


def _local_path(name: str, value: str) -> str:
    """``value`` if it is an absolute path on this host (``/x``), else ``ValueError``."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        raise ValueError(f"{name} must be a path on this host such as '/static', got {value!r}")
    return value


def render_graphiql_page(
    *,
    static_prefix: str,
    default_query: str,
    subscription_url_path: str = "/graphql",
) -> str:
    """Return the finished GraphiQL HTML page.

    ``static_prefix`` is the URL path the ``cms/static`` directory is mounted at
    (e.g. ``"/static"``); every script and stylesheet is loaded from
    ``{static_prefix}/graphiql/``. ``default_query`` is shown in the editor when
    the URL carries no ``?q=``. Queries are sent to the page's own URL;
    subscriptions go over a WebSocket to ``subscription_url_path`` on the same
    host (``ws:``/``wss:`` to match the page).
    """
    prefix = _local_path("static_prefix", static_prefix).rstrip("/")
    config = {
        "defaultQuery": default_query,
        "subscriptionUrlPath": _local_path("subscription_url_path", subscription_url_path),
    }
    return _template().substitute(
        static=html.escape(prefix, quote=True),
        config=script_safe_json(config),
    )
