"""Anonymous persisted-query registrations are bounded: the document's size, the rate per
client, and the number kept (the oldest are evicted; the allow-list stays)."""

import hashlib

import httpx
from graphql_support import app_client

from cms.config import Settings
from cms.models.persisted_query import PersistedQuery
from cms.serving.persisted_queries import PersistedQueryStore


def registration(document: str) -> dict:
    sha256 = hashlib.sha256(document.encode()).hexdigest()
    return {
        "query": document,
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}},
    }


def numbered(number: int) -> str:
    return f"query Q{number} {{ __typename }}"


async def register(
    settings: Settings, documents: list[str], token: str | None = None
) -> list[httpx.Response]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with app_client(settings) as client:
        return [
            await client.post("/graphql", json=registration(document), headers=headers)
            for document in documents
        ]


def codes(responses: list[httpx.Response]) -> list[str | None]:
    return [
        (response.json().get("errors") or [{"extensions": {}}])[0]["extensions"].get("code")
        for response in responses
    ]


async def stored() -> list[str]:
    return list(await PersistedQuery.all().order_by("id").values_list("document", flat=True))


async def test_twenty_documents_of_950_kb_are_refused_and_nothing_is_stored(settings):
    documents = [f"# {number} {'x' * 950_000}\n{{ __typename }}" for number in range(20)]
    responses = await register(settings, documents)
    assert codes(responses) == ["PERSISTED_QUERY_TOO_LARGE"] * 20
    assert responses[0].json()["errors"][0]["extensions"]["maxBytes"] == 20_000
    assert await stored() == []


async def test_a_document_within_the_size_limit_is_registered(settings):
    limited = settings.model_copy(update={"persisted_query_max_bytes": 100})
    assert codes(await register(limited, [numbered(1)])) == [None]
    assert await stored() == [numbered(1)]


async def test_anonymous_registrations_are_rate_limited_per_client(settings, editor_token):
    limited = settings.model_copy(update={"persisted_query_registration_limits": "3/minute"})
    responses = await register(limited, [numbered(n) for n in range(4)])
    assert codes(responses) == [None, None, None, "RATE_LIMITED"]
    assert responses[3].json()["errors"][0]["extensions"]["retryAfter"] >= 1
    assert await stored() == [numbered(n) for n in range(3)]
    # Sending an already registered document again is not a new registration.
    assert codes(await register(limited, [numbered(0)])) == [None]
    # Editors are not limited.
    assert codes(await register(limited, [numbered(9)], editor_token)) == [None]


async def test_the_oldest_registrations_are_evicted_and_the_allow_list_stays(settings):
    await PersistedQueryStore(1).register("query Listed { __typename }", allow_listed=True)
    limited = settings.model_copy(update={"persisted_query_max_stored": 3})
    assert codes(await register(limited, [numbered(n) for n in range(5)])) == [None] * 5
    assert await stored() == ["query Listed { __typename }"] + [numbered(n) for n in (2, 3, 4)]
