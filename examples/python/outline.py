"""Prints the outline of a published page: its title and numbered headings, nested.

    python outline.py [BASE_URL] [SLUG]

BASE_URL defaults to $CMS_URL or http://127.0.0.1:8000, SLUG to harvard-medical-school.
Needs only httpx (``pip install httpx``): GraphQL over HTTP is a JSON POST.
"""

import os
import sys
from typing import Any

import httpx

OUTLINE = """
query Outline($slug: String!) {
  page(slug: $slug) {
    title
    sections { ...Heading children { ...Heading children { ...Heading } } }
  }
}

fragment Heading on Section { title anchor position }
"""


def fetch_page(base_url: str, slug: str) -> dict[str, Any] | None:
    response = httpx.post(
        f"{base_url.rstrip('/')}/graphql",
        json={"query": OUTLINE, "variables": {"slug": slug}},
        headers={"Accept": "application/graphql-response+json"},
        timeout=10,
    )
    body = response.json()
    if body.get("errors"):
        raise SystemExit(f"GraphQL errors: {body['errors']}")
    return body["data"]["page"]


def outline_lines(sections: list[dict[str, Any]], depth: int = 0) -> list[str]:
    """Untitled sections are paragraphs without a heading: not part of an outline."""
    lines = []
    for section in sections:
        if not section["title"]:
            continue
        number = "-" if depth == 0 else f"{section['position'] + 1}."
        lines.append(f"{'  ' * (depth + 1)}{number} {section['title']} (#{section['anchor']})")
        lines.extend(outline_lines(section.get("children") or [], depth + 1))
    return lines


def main() -> None:
    base_url = (
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CMS_URL", "http://127.0.0.1:8000")
    )
    slug = sys.argv[2] if len(sys.argv) > 2 else "harvard-medical-school"
    page = fetch_page(base_url, slug)
    if page is None:
        raise SystemExit(f'No published page with the slug "{slug}".')
    print(page["title"])
    print("\n".join(outline_lines(page["sections"])))


if __name__ == "__main__":
    main()
