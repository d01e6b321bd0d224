"""Helpers for the studio's page tests: pages made through the API as the signed-in user,
the editor's autosave called as its script calls it."""

import re
from typing import Any

import httpx

from studio.browser import StudioBrowser

CREATE_PAGE = """
mutation Create($slug: String!, $title: String!) {
  createPage(input: {slug: $slug, title: $title}) { page { id version } errors { message } }
}
"""
ADD_SECTION = """
mutation Add($input: CreateSectionInput!) {
  createSection(input: $input) { section { id page { version } } errors { message } }
}
"""
READ_PAGE = """
query Read($id: ID!) {
  node(id: $id) {
    ... on Page {
      title slug summary status version commentsOpen
      sections { id title body children { id title body children { id title body } } }
    }
  }
}
"""


async def api(browser: StudioBrowser, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = (await browser.graphql(query, variables)).json()
    assert "errors" not in body, body["errors"]
    return body["data"]


async def create_page(browser: StudioBrowser, slug: str, title: str) -> str:
    data = await api(browser, CREATE_PAGE, {"slug": slug, "title": title})
    return data["createPage"]["page"]["id"]


async def add_section(
    browser: StudioBrowser, page_id: str, title: str, body: str = "", parent_id: str | None = None
) -> str:
    section_input = {"pageId": page_id, "title": title, "body": body, "parentId": parent_id}
    data = await api(browser, ADD_SECTION, {"input": section_input})
    return data["createSection"]["section"]["id"]


async def read_page(browser: StudioBrowser, page_id: str) -> dict[str, Any]:
    return (await api(browser, READ_PAGE, {"id": page_id}))["node"]


def tree(sections: list[dict[str, Any]]) -> list[Any]:
    """Section titles as nested lists: ["A", ["A.1"], "B"]."""
    shape: list[Any] = []
    for section in sections:
        shape.append(section["title"])
        if section.get("children"):
            shape.append(tree(section["children"]))
    return shape


async def open_editor(browser: StudioBrowser, page_id: str) -> httpx.Response:
    response = await browser.get(f"/studio/pages/{page_id}/edit")
    assert response.status_code == 200, response.text
    return response


def editor_version(html: str) -> int:
    match = re.search(r'"version": (\d+)', html)
    assert match, "the editor has no version in its config"
    return int(match.group(1))


async def save(
    browser: StudioBrowser, page_id: str, batch: dict[str, Any], csrf: str | None = None
) -> httpx.Response:
    """POST an autosave batch as editor.js does: JSON with the X-CSRF-Token header."""
    page = await read_page(browser, page_id)
    body = {
        "page": {
            "title": page["title"],
            "slug": page["slug"],
            "summary": page["summary"] or "",
            "commentsOpen": page["commentsOpen"],
        },
        "sections": [],
        **batch,
    }
    return await browser.http.post(
        f"/studio/pages/{page_id}/save",
        json=body,
        headers={"X-CSRF-Token": browser.csrf if csrf is None else csrf},
    )
