"""The GraphiQL page is self-contained: every asset is a local, hash-pinned static file."""

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cms.graphiql import DEFAULT_GRAPHIQL_QUERY, STATIC_DIR, render_graphiql_page, script_safe_json

GRAPHIQL_DIR = STATIC_DIR / "graphiql"
# Our own files next to the vendored ones (no integrity pin: they change with the repo).
OWN_FILES = {"init.js", "page.css", "favicon.svg"}


class PageParser(HTMLParser):
    """Collects every tag's attributes and the text inside each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def urls(parser: PageParser) -> list[tuple[str, dict[str, str | None]]]:
    return [
        (str(attrs[name]), attrs)
        for _tag, attrs in parser.tags
        for name in ("src", "href")
        if name in attrs
    ]


def local_file(url: str, prefix: str = "/static") -> Path:
    assert url.startswith(prefix + "/graphiql/"), url
    return STATIC_DIR / url.removeprefix(prefix + "/")


@pytest.fixture(scope="module")
def page() -> str:
    return render_graphiql_page(static_prefix="/static", default_query="{ pages { id } }")


def test_every_asset_is_a_local_file(page: str) -> None:
    found = urls(parse(page))
    # 3 scripts + 2 stylesheets in <head>, graphiql + explorer + init.js, page.css, favicon
    assert len(found) == 10
    for url, _attrs in found:
        assert not url.lower().startswith(("http", "data:", "javascript:")), url
        assert "//" not in url, url
        assert local_file(url).is_file(), url


def test_no_external_host_anywhere_in_the_page(page: str) -> None:
    assert "unpkg" not in page
    assert "://" not in page


def test_integrity_attributes_match_the_files_on_disk(page: str) -> None:
    pinned = 0
    for url, attrs in urls(parse(page)):
        path = local_file(url)
        if path.name in OWN_FILES:
            continue
        # every vendored script and stylesheet is pinned
        assert attrs.get("integrity") == sri(path), url
        pinned += 1
    assert pinned == 7


def test_versions_md_lists_every_vendored_file_with_its_hash(page: str) -> None:
    versions = (GRAPHIQL_DIR / "VERSIONS.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"\| `([^`]+)` \| `(sha384-[^`]+)` \|", versions))
    vendored = {
        path.name
        for path in GRAPHIQL_DIR.iterdir()
        if path.suffix in {".js", ".css"} and path.name not in OWN_FILES
    }
    assert set(rows) == vendored
    for name, integrity in rows.items():
        assert sri(GRAPHIQL_DIR / name) == integrity, name
        assert f'integrity="{integrity}"' in page, name


def test_no_inline_javascript(page: str) -> None:
    for attrs, text in parse(page).scripts:
        if "src" not in attrs:
            assert attrs.get("type") == "application/json", attrs
            assert attrs.get("id") == "graphiql-config"
        else:
            assert text.strip() == ""
    # init.js is what reads the config block
    assert 'getElementById("graphiql-config")' in (GRAPHIQL_DIR / "init.js").read_text()


def test_config_block_carries_the_default_query() -> None:
    query = '# Hello ✨\nquery { page(slug: "a&b") { title } }'
    parser = parse(
        render_graphiql_page(
            static_prefix="/static", default_query=query, subscription_url_path="/graphql/ws"
        )
    )
    [config] = [text for attrs, text in parser.scripts if attrs.get("id") == "graphiql-config"]
    assert json.loads(config) == {"defaultQuery": query, "subscriptionUrlPath": "/graphql/ws"}


async def test_the_default_query_runs_on_the_seeded_article(gql, seeded_page) -> None:
    """The browser test runs it too, but only where Chromium is installed."""
    data = await gql.data(DEFAULT_GRAPHIQL_QUERY)

    assert data["page"]["title"] == seeded_page.title
    assert data["page"]["sections"]


@pytest.mark.parametrize(
    "query",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT ><img src=x onerror=alert(1)>",
        "<!--<script>",
        "]]></script>&lt;/script&gt;",
    ],
)
def test_default_query_cannot_break_out_of_the_script(query: str) -> None:
    page = render_graphiql_page(static_prefix="/static", default_query=query)
    raw = page.split('id="graphiql-config">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw
    assert ">" not in raw
    assert "&" not in raw

    parser = parse(page)
    assert [tag for tag, _attrs in parser.tags if tag in {"img", "script"}] == ["script"] * 7
    [config] = [text for attrs, text in parser.scripts if attrs.get("id") == "graphiql-config"]
    assert json.loads(config)["defaultQuery"] == query


def test_script_safe_json_round_trips() -> None:
    value = {"q": "</script>\u2028<!-- & -->", "n": [1, None, True]}
    encoded = script_safe_json(value)
    assert not set(encoded) & {"<", ">", "&", "\u2028"}
    assert json.loads(encoded) == value


def test_static_prefix_is_used_and_normalised() -> None:
    page = render_graphiql_page(static_prefix="/cms/assets/", default_query="")
    found = [url for url, _attrs in urls(parse(page))]
    assert found
    assert all(url.startswith("/cms/assets/graphiql/") for url in found), found


@pytest.mark.parametrize(
    "prefix", ["https://cdn.example.com/static", "//cdn.example.com", "static"]
)
def test_static_prefix_must_be_a_local_path(prefix: str) -> None:
    with pytest.raises(ValueError, match="static_prefix"):
        render_graphiql_page(static_prefix=prefix, default_query="")


def test_subscription_path_must_be_a_local_path() -> None:
    with pytest.raises(ValueError, match="subscription_url_path"):
        render_graphiql_page(
            static_prefix="/static", default_query="", subscription_url_path="wss://evil/graphql"
        )
