"""Two editors creating pages with the same slug at the same moment: one wins, the others
get the DUPLICATE payload error (never an internal error), and one page exists."""

import asyncio

from cms.models import Page

CREATE = """mutation ($input: CreatePageInput!) {
  createPage(input: $input) { page { id } errors { field code } } }"""


async def test_concurrent_pages_with_one_slug_give_one_page_and_duplicate_errors(gql, editor_token):
    bodies = await asyncio.gather(
        *(
            gql(CREATE, {"input": {"slug": "launch", "title": f"Launch {n}"}}, editor_token)
            for n in range(5)
        )
    )

    assert all("errors" not in body for body in bodies), bodies
    payloads = [body["data"]["createPage"] for body in bodies]
    assert sum(payload["page"] is not None for payload in payloads) == 1
    losers = [payload["errors"] for payload in payloads if payload["page"] is None]
    assert losers == [[{"field": "slug", "code": "DUPLICATE"}]] * 4
    assert await Page.filter(slug="launch").count() == 1
