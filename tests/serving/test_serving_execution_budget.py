"""What one anonymous document may cost: plain lists and back-references in the cost budget,
and the execution budget (time, response size) that enforces the real sizes as it runs."""

import asyncio
import os

import httpx
import pytest
from graphql_support import app_client
from live_server import uvicorn_process

from cms.config import Settings

# The 106-byte document that made the server build 10-158 MB for 7-16 s, unable to answer
# /healthz meanwhile: every `page` leads back to the page whose sections it is in.
FAN_OUT = (
    "{pages{edges{node{sections{page{sections{page{sections{page{sections{page{sections"
    "{title body}}}}}}}}}}}}}"
)
ARTICLE = (
    '{ page(slug: "harvard-medical-school") { title sections { title body children { body } } } }'
)


async def post(settings: Settings, query: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with app_client(settings) as client:
        return await client.post("/graphql", json={"query": query}, headers=headers)


def code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]


async def attacked(
    database_url: str, document: str, **settings: str
) -> tuple[list[int], list[httpx.Response]]:
    """Four anonymous requests for ``document`` sent at once to `uvicorn cms.asgi:app`
    while /healthz is asked five times: the health statuses and the answers."""
    env = {**os.environ, "CMS_DATABASE_URL": database_url, "CMS_LOG_LEVEL": "warning"}
    env.update({f"CMS_{name.upper()}": value for name, value in settings.items()})
    async with (
        uvicorn_process(env, ready_path="/healthz") as server,
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
    ):
        attacks = [
            asyncio.create_task(http.post("/graphql", json={"query": document})) for _ in range(4)
        ]
        health = [(await http.get("/healthz")).status_code for _ in range(5)]
        return health, await asyncio.gather(*attacks)


async def test_the_fan_out_document_is_refused_at_once_and_healthz_answers_meanwhile(
    settings, seeded_page
):
    health, answers = await attacked(settings.database_url, FAN_OUT)
    assert health == [200] * 5
    for answer in answers:
        assert len(answer.content) < 1000, len(answer.content)
        assert code(answer) == "QUERY_TOO_COSTLY"
        assert "back-reference" in answer.json()["errors"][0]["message"]


async def test_a_served_answer_over_the_size_limit_stops_early_and_healthz_answers(
    settings, seeded_page
):
    health, answers = await attacked(settings.database_url, ARTICLE, max_response_bytes="2000")
    assert health == [200] * 5
    for answer in answers:
        assert len(answer.content) < 1000, len(answer.content)
        assert code(answer) == "RESPONSE_TOO_LARGE"


async def test_one_back_reference_is_allowed_a_second_on_the_same_path_is_refused(
    settings, seeded_page
):
    one = '{ page(slug: "harvard-medical-school") { sections { page { title } } } }'
    two = (
        '{ page(slug: "harvard-medical-school") '
        "{ sections { children { parent { parent { title } } } } } }"
    )
    assert "errors" not in (await post(settings, one)).json()
    assert code(await post(settings, two)) == "QUERY_TOO_COSTLY"


async def test_a_plain_list_counts_as_twenty_items(database):
    query = '{ page(slug: "x") { sections { title anchor } } }'  # 1 + (1 + 20 * 2)
    response = await post(Settings(database_url=database.url, max_query_cost=1), query)
    assert response.json()["errors"][0]["extensions"]["cost"] == 42


async def test_a_tree_walk_does_not_multiply_again(database):
    # sections: 20 sections of the tree; children and replies walk the same tree.
    query = '{ page(slug: "x") { sections { title children { title children { title } } } } }'
    response = await post(Settings(database_url=database.url, max_query_cost=1), query)
    assert response.json()["errors"][0]["extensions"]["cost"] == 1 + 1 + 20 * (1 + 1 + 1 + 1 + 1)


async def test_an_anonymous_response_over_the_size_limit_is_refused_without_data(
    settings, seeded_page
):
    limited = settings.model_copy(update={"max_response_bytes": 2000})
    response = await post(limited, ARTICLE)
    assert code(response) == "RESPONSE_TOO_LARGE"
    assert response.json()["errors"][0]["extensions"]["maxBytes"] == 2000
    assert "data" not in response.json()
    assert len(response.content) < 1000


async def test_editors_are_not_held_to_the_anonymous_response_size(
    settings, seeded_page, editor_token
):
    limited = settings.model_copy(update={"max_response_bytes": 2000})
    response = await post(limited, ARTICLE, editor_token)
    assert response.json()["data"]["page"]["title"] == seeded_page.title


@pytest.mark.parametrize("document", [ARTICLE, "{ pages { edges { node { title } } } }"])
async def test_an_anonymous_operation_over_the_time_limit_is_stopped(
    settings, seeded_page, document
):
    limited = settings.model_copy(update={"max_execution_seconds": 1e-6})
    response = await post(limited, document)
    assert code(response) == "EXECUTION_TIMEOUT"
    assert "data" not in response.json()
