"""Full-text search over pages and their sections, ranked, with highlighted snippets.

The index (table ``search_index``, made by migration 0003) holds one row per page (its title
and summary) and one per section, in two scopes: ``live`` — what readers see, rewritten on
publish and dropped on unpublish, archive and delete — and ``draft`` — the working copy,
rewritten on every save, which only editors search. SQLite uses FTS5 (``bm25``,
``snippet``); PostgreSQL a generated ``tsvector`` column with a GIN index (``ts_rank``,
``ts_headline``).
"""

import html
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise.connection import connections

from cms.services.snapshots import Snapshot
from cms.services.validation import search_text

# Highlight markers the text cannot contain (Unicode private use), turned into <mark> tags
# after the snippet is HTML-escaped, so page text can never inject markup.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 16
WORD = re.compile(r"\w+", re.UNICODE)


class SearchScope(StrEnum):
    LIVE = "live"
    DRAFT = "draft"


@dataclass(frozen=True)
class SearchHit:
    page_id: int
    section_id: int | None
    title: str
    snippet_html: str
    rank: float


def _connection() -> Any:
    return connections.get("default")


def _is_sqlite() -> bool:
    return _connection().capabilities.dialect == "sqlite"


def _rows(page_id: int, snapshot: Snapshot) -> list[tuple[int | None, str, str]]:
    page = snapshot["page"]
    rows = [(None, page["title"], page.get("summary") or "")]
    rows += [(s["id"], s["title"] or "", s["body"]) for s in snapshot["sections"]]
    return rows


async def remove(page_id: int, scope: SearchScope | None = None) -> None:
    """Drop a page's entries (in one scope, or both)."""
    if scope is None:
        await _connection().execute_query(
            "DELETE FROM search_index WHERE page_id = $1"
            if not _is_sqlite()
            else "DELETE FROM search_index WHERE page_id = ?",
            [page_id],
        )
        return
    sql = "DELETE FROM search_index WHERE scope = {0} AND page_id = {1}"
    await _connection().execute_query(
        sql.format(*(("?", "?") if _is_sqlite() else ("$1", "$2"))), [scope.value, page_id]
    )


async def index(page_id: int, snapshot: Snapshot, scope: SearchScope) -> None:
    """Replace a page's entries in one scope with the snapshot's content."""
    await remove(page_id, scope)
    await index_many([(page_id, snapshot, scope)])


async def index_many(entries: list[tuple[int, Snapshot, SearchScope]]) -> None:
    """Add the entries of many pages (none indexed in that scope yet) in one batch."""
    placeholders = "?, ?, ?, ?, ?" if _is_sqlite() else "$1, $2, $3, $4, $5"
    sql = (
        "INSERT INTO search_index (scope, page_id, section_id, title, body) "
        f"VALUES ({placeholders})"
    )
    rows = [
        [scope.value, page_id, section_id, title, body]
        for page_id, snapshot, scope in entries
        for section_id, title, body in _rows(page_id, snapshot)
    ]
    if rows:
        await _connection().execute_many(sql, rows)


async def clear() -> None:
    """Empty the whole index (tests, and before an import)."""
    await _connection().execute_query("DELETE FROM search_index")


def _fts5_query(text: str) -> str:
    """Every word of the user's text, quoted (so FTS5 syntax cannot be injected), all
    required, the last one also as a prefix (search as you type)."""
    words = WORD.findall(text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _snippet_html(raw: str) -> str:
    escaped = html.escape(raw, quote=False)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


# Matching is the index's work; ranking is bounded: a query matching more rows than this
# ranks only the first CANDIDATES the index yields (in its own order), so a word found in
# every page costs what a word found in a thousand does. Fewer matches are all ranked.
CANDIDATES = 1000

SQLITE_CANDIDATES = """
SELECT rowid FROM search_index WHERE search_index MATCH ? AND scope = ? LIMIT ?
"""
# The page of results is ranked first (bm25 over the candidates only: FTS5 yields matches
# in rowid order, so they are the matches up to the last candidate's rowid, a range it reads
# in one pass); snippets are made for the rows shown, not for every candidate.
SQLITE_SEARCH = f"""
SELECT search_index.page_id, search_index.section_id, search_index.title,
       snippet(search_index, 4, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS}) AS body_snippet,
       highlight(search_index, 3, '{MARK_START}', '{MARK_END}') AS title_marked,
       ranked.rank
FROM (
    SELECT rowid AS id, bm25(search_index, 0, 0, 0, 10.0, 1.0) AS rank, page_id, section_id
    FROM search_index
    WHERE search_index MATCH ? AND scope = ?
      AND rowid <= (SELECT MAX(rowid) FROM ({SQLITE_CANDIDATES}) AS candidates)
    ORDER BY rank, page_id, section_id
    LIMIT ? OFFSET ?
) AS ranked JOIN search_index ON search_index.rowid = ranked.id
WHERE search_index MATCH ?
ORDER BY ranked.rank, ranked.page_id, ranked.section_id
"""
SQLITE_COUNT = f"SELECT COUNT(*) AS total FROM ({SQLITE_CANDIDATES}) AS candidates"
POSTGRES_CANDIDATES = """
SELECT s.id, s.page_id, s.section_id, s.document FROM search_index s
WHERE s.document @@ websearch_to_tsquery('english', $1) AND s.scope = $2 LIMIT $3
"""
POSTGRES_SEARCH = f"""
SELECT s.page_id, s.section_id, s.title,
       ts_headline('english', s.body, q,
           'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=6')
           AS body_snippet,
       ts_headline('english', s.title, q,
           'StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true') AS title_marked,
       ranked.rank
FROM (
    SELECT c.id, c.page_id, c.section_id,
           ts_rank(c.document, websearch_to_tsquery('english', $1)) AS rank
    FROM ({POSTGRES_CANDIDATES}) AS c
    ORDER BY rank DESC, c.page_id, c.section_id
    LIMIT $4 OFFSET $5
) AS ranked
JOIN search_index s ON s.id = ranked.id, websearch_to_tsquery('english', $1) q
ORDER BY ranked.rank DESC, ranked.page_id, ranked.section_id
"""
POSTGRES_COUNT = f"SELECT COUNT(*) AS total FROM ({POSTGRES_CANDIDATES}) AS candidates"


def _database_query(text: str) -> str:
    """The query to send for a reader's text ("" for none); over-long text is refused."""
    checked = search_text("query", text)
    if checked is None:
        return ""
    return _fts5_query(checked) if _is_sqlite() else checked


async def count(text: str, scope: SearchScope) -> int:
    """How many results ``search`` ranks for this text (at most CANDIDATES)."""
    query = _database_query(text)
    if not query:
        return 0
    sql = SQLITE_COUNT if _is_sqlite() else POSTGRES_COUNT
    rows = await _connection().execute_query_dict(sql, [query, scope.value, CANDIDATES])
    return int(rows[0]["total"])


async def search(text: str, scope: SearchScope, offset: int, limit: int) -> list[SearchHit]:
    """Best matches first: title words weigh ten times body words."""
    query = _database_query(text)
    if not query or limit <= 0:
        return []
    if _is_sqlite():
        sql = SQLITE_SEARCH
        values = [query, scope.value, query, scope.value, CANDIDATES, limit, offset, query]
    else:
        sql, values = POSTGRES_SEARCH, [query, scope.value, CANDIDATES, limit, offset]
    rows = await _connection().execute_query_dict(sql, values)
    hits = []
    for row in rows:
        body_snippet = row["body_snippet"] or ""
        marked = body_snippet if MARK_START in body_snippet else row["title_marked"]
        hits.append(
            SearchHit(
                page_id=row["page_id"],
                section_id=row["section_id"],
                title=row["title"],
                snippet_html=_snippet_html(marked or body_snippet),
                rank=abs(float(row["rank"])),
            )
        )
    return hits
