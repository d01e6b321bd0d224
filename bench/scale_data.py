"""Generated content for the scale benchmark and the EXPLAIN test, as an export document
(cms/services/transfer.py): ``size`` published pages, each with a section and its live
revision, and one page, ``DISCUSSION_SLUG``, with ``size`` comments (and one comment on
every tenth other page). Loading it is the
project's own import (``import_data``), so the rows are what the application writes.

Nine pages in ten contain ``COMMON_WORD``; titles, publishing times and update times are
shuffled, so no order follows the ids.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from cms.services.transfer import FORMAT, FORMAT_VERSION

DISCUSSION_SLUG = "popular-discussion"
COMMON_WORD = "research"
START = datetime(2020, 1, 1, tzinfo=UTC)
WORDS = [
    "anatomy",
    "cardiology",
    "clinic",
    "curriculum",
    "discovery",
    "faculty",
    "genome",
    "hospital",
    "immunology",
    "laboratory",
    "medicine",
    "neurology",
    "oncology",
    "pathology",
    "patient",
    "physiology",
    "radiology",
    "student",
    "surgery",
    "teaching",
    "therapy",
    "vaccine",
]
# Every fifth comment replies to the last top-level one; a few are not approved.
REPLY_EVERY = 5


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _page(number: int, rng: random.Random) -> tuple[dict, list[dict], dict]:
    """Page ``number`` (its id), its section and its PUBLISH revision."""
    published = START + timedelta(minutes=rng.randrange(2_000_000))
    updated = published + timedelta(minutes=rng.randrange(10_000))
    title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {number}"
    slug = DISCUSSION_SLUG if number == 1 else f"generated-{number}"
    common = COMMON_WORD if number % 10 else "study"
    body = f"{_sentence(rng, 12)} Our {common} on {rng.choice(WORDS)}. {_sentence(rng, 20)}"
    sections = [
        {
            "id": number,
            "page_id": number,
            "parent_id": None,
            "position": 0,
            "title": "Findings",
            "anchor": "findings",
            "body": body,
            "created_at": published.isoformat(),
            "updated_at": updated.isoformat(),
        }
    ]
    summary = _sentence(rng, 8)
    content = {
        "page": {"slug": slug, "title": title, "summary": summary},
        "sections": [
            {
                "id": s["id"],
                "parentId": s["parent_id"],
                "position": s["position"],
                "title": s["title"],
                "anchor": s["anchor"],
                "body": s["body"],
            }
            for s in sections
        ],
    }
    revision = {
        "id": number,
        "page_id": number,
        "number": 1,
        "kind": "PUBLISH",
        "page_version": 2,
        "author_name": "generator",
        "message": None,
        "content": content,
        "created_at": updated.isoformat(),
    }
    page = {
        "id": number,
        "slug": slug,
        "title": title,
        "summary": summary,
        "status": "PUBLISHED",
        "published_at": published.isoformat(),
        "created_at": published.isoformat(),
        "updated_at": updated.isoformat(),
        "version": 2,
        "comments_open": True,
        "live_revision_id": number,
        "live_slug": slug,
        "live_title": title,
        "live_updated_at": updated.isoformat(),
    }
    return page, sections, revision


def _comment(number: int, parent_id: int | None) -> dict[str, Any]:
    status = "PENDING" if number % 50 == 0 else "SPAM" if number % 97 == 0 else "APPROVED"
    return {
        "id": number,
        "page_id": 1,
        "parent_id": parent_id,
        "author_name": f"Reader {number % 700}",
        "author_email": f"reader{number % 700}@example.org",
        "author_url": None,
        "body": f"Comment {number}: {' '.join(WORDS[(number + k) % len(WORDS)] for k in range(9))}",
        "status": status,
        "created_at": (START + timedelta(seconds=number * 7)).isoformat(),
        "edited_at": None,
        "author_ip": "127.0.0.1",
        "author_user_agent": "bench",
        "duplicate_key": None,
    }


def _comments(size: int) -> list[dict[str, Any]]:
    """``size`` comments on the discussion, then one on every tenth other page."""
    comments: list[dict[str, Any]] = []
    last_top: int | None = None
    for number in range(1, size + 1):
        reply = number % REPLY_EVERY == 0 and last_top is not None
        comment = _comment(number, last_top if reply else None)
        if not reply and comment["status"] == "APPROVED":
            last_top = number
        comments.append(comment)
    for page_id in range(11, size + 1, 10):
        comment = _comment(size + page_id, None)
        comments.append({**comment, "page_id": page_id, "status": "APPROVED"})
    return comments


def export_document(size: int, seed: int = 13) -> dict[str, Any]:
    """The export of ``size`` generated pages and ``size`` comments on the first one."""
    rng = random.Random(seed)
    pages, sections, revisions = [], [], []
    for number in range(1, size + 1):
        page, page_sections, revision = _page(number, rng)
        pages.append(page)
        sections += page_sections
        revisions.append(revision)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "pages": pages,
        "sections": sections,
        "revisions": revisions,
        "comments": _comments(size),
        "scheduledJobs": [],
    }
