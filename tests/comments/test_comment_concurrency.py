"""Many readers commenting at once over real HTTP: every comment is stored exactly once."""

import asyncio

import httpx
from comment_support import ADD_COMMENT, comment_input, defences_off, published_page, served

from cms.models import Comment

CLIENTS = 20
COMMENTS_PER_CLIENT = 10


async def test_200_comments_from_20_concurrent_clients_are_all_stored_once(database):
    page = await published_page()
    # Flood control is off: 20 clients on one address would otherwise be throttled.
    async with served(defences_off(database.url)) as address:

        async def reader(number: int) -> list[str]:
            ids = []
            async with httpx.AsyncClient(base_url=f"http://{address}", timeout=30) as http:
                for index in range(COMMENTS_PER_CLIENT):
                    fields = {
                        "authorEmail": f"reader{number}@example.com",
                        "body": f"Comment {index} from reader {number}",
                    }
                    response = await http.post(
                        "/graphql",
                        json={
                            "query": ADD_COMMENT,
                            "variables": {"input": comment_input(page, **fields)},
                        },
                    )
                    payload = response.json()["data"]["addComment"]
                    assert payload["errors"] == [], payload
                    ids.append(payload["comment"]["id"])
            return ids

        results = await asyncio.gather(*(reader(number) for number in range(CLIENTS)))

    returned_ids = [comment_id for ids in results for comment_id in ids]
    assert len(set(returned_ids)) == CLIENTS * COMMENTS_PER_CLIENT
    stored = await Comment.filter(page_id=page.id).values_list("body", flat=True)
    expected = {
        f"Comment {index} from reader {number}"
        for number in range(CLIENTS)
        for index in range(COMMENTS_PER_CLIENT)
    }
    assert sorted(stored) == sorted(expected)
