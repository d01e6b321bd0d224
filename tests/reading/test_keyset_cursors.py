"""Keyset cursors on every connection built from a queryset (tests/keyset_listings.py):
paging either way visits each item once, and a list that changes between two page loads
neither skips nor repeats an item (offset cursors did both). Runs on SQLite and PostgreSQL."""

import base64
import json
from typing import Any

import pytest
from keyset_listings import LISTINGS, Listing, published_page

from cms.global_ids import from_global_id
from cms.models import (
    Comment,
    Page,
    PageStatus,
    Revision,
    ScheduledJob,
    Webhook,
    WebhookDelivery,
)

MODELS = {
    model.__name__: model
    for model in (Page, Comment, Revision, ScheduledJob, Webhook, WebhookDelivery)
}
by_name = pytest.mark.parametrize("listing", LISTINGS, ids=[listing.name for listing in LISTINGS])


async def load(gql, listing: Listing, token: str | None, **paging: Any) -> dict[str, Any]:
    return listing.connection(
        await gql.data(listing.query, paging, token if listing.editor else None)
    )


def ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


async def remove(global_id: str) -> None:
    type_name, pk = from_global_id(global_id)
    await MODELS[type_name].filter(id=pk).delete()


@by_name
async def test_paging_forwards_then_backwards_visits_every_item_once(gql, editor_token, listing):
    await listing.fill()
    everything = ids(await load(gql, listing, editor_token, first=100))
    forwards, after, backwards, before = [], None, [], None

    while True:
        page = await load(gql, listing, editor_token, first=2, after=after)
        forwards += ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    while True:
        page = await load(gql, listing, editor_token, last=2, before=before)
        backwards = ids(page) + backwards
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    assert len(everything) == 7
    assert forwards == everything
    assert backwards == everything


@by_name
async def test_an_item_removed_before_the_cursor_skips_nothing(gql, editor_token, listing):
    await listing.fill()
    everything = ids(await load(gql, listing, editor_token, first=100))
    first_page = await load(gql, listing, editor_token, first=3)

    await remove(ids(first_page)[0])
    second_page = await load(
        gql, listing, editor_token, first=3, after=first_page["pageInfo"]["endCursor"]
    )

    assert ids(second_page) == everything[3:6]


@by_name
async def test_an_item_added_before_the_cursor_repeats_nothing(gql, editor_token, listing):
    await listing.fill()
    everything = ids(await load(gql, listing, editor_token, first=100))
    first_page = await load(gql, listing, editor_token, first=3)

    await listing.add_first()
    second_page = await load(
        gql, listing, editor_token, first=3, after=first_page["pageInfo"]["endCursor"]
    )

    assert ids(second_page) == everything[3:6]
    assert len(ids(await load(gql, listing, editor_token, first=99))) == 8  # not cached


@by_name
async def test_paging_backwards_over_a_removed_item_skips_nothing(gql, editor_token, listing):
    await listing.fill()
    everything = ids(await load(gql, listing, editor_token, first=100))
    last_page = await load(gql, listing, editor_token, last=3)

    await remove(ids(last_page)[-1])
    await listing.add_first()
    previous_page = await load(
        gql, listing, editor_token, last=3, before=last_page["pageInfo"]["startCursor"]
    )

    assert ids(last_page) == everything[4:]
    assert ids(previous_page) == everything[1:4]


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_pages_never_published_come_last_in_either_direction(gql, editor_token, direction):
    draft = await published_page(title="Draft", status=PageStatus.DRAFT)
    await published_page(title="Older")
    await published_page(title="Newer")
    query = f"""query($after: String) {{ pages(first: 1, after: $after,
      orderBy: {{field: PUBLISHED_AT, direction: {direction}}}) {{
      pageInfo {{ endCursor hasNextPage }} edges {{ node {{ title }} }} }} }}"""
    titles, after = [], None

    while True:
        connection = (await gql.data(query, {"after": after}, editor_token))["pages"]
        titles += [edge["node"]["title"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    expected = ["Older", "Newer"] if direction == "ASC" else ["Newer", "Older"]
    assert titles == [*expected, draft.title]


async def test_a_cursor_of_one_order_is_refused_by_another(gql):
    await published_page()
    await published_page()
    by_title = """{ pages(first: 1, orderBy: {field: TITLE}) { pageInfo { endCursor } } }"""
    cursor = (await gql.data(by_title))["pages"]["pageInfo"]["endCursor"]

    body = await gql(
        "query($after: String) { pages(first: 1, after: $after) { edges { cursor } } }",
        {"after": cursor},
    )

    assert body["data"] == {"pages": None}
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == f"Invalid cursor {cursor!r}."


async def test_a_deep_page_costs_what_the_first_does_without_offset(gql, sql_counter):
    for _ in range(30):
        await published_page()
    query = "query($after: String) { pages(first: 5, after: $after) { pageInfo { endCursor } } }"
    sql_counter.statements.clear()
    cursor = (await gql.data(query))["pages"]["pageInfo"]["endCursor"]
    first_cost = sql_counter.count
    for _ in range(4):
        cursor = (await gql.data(query, {"after": cursor}))["pages"]["pageInfo"]["endCursor"]

    assert first_cost == 1
    assert sql_counter.count == 5
    assert not [sql for sql in sql_counter.statements if "OFFSET" in sql.upper()]


async def test_total_count_is_counted_only_when_asked_for(gql, sql_counter):
    await published_page()
    sql_counter.statements.clear()

    await gql.data("{ pages(first: 5, orderBy: {field: TITLE}) { edges { node { title } } } }")
    without = sql_counter.count
    sql_counter.statements.clear()
    data = await gql.data(
        "{ pages(first: 5, orderBy: {field: TITLE}) { totalCount edges { node { title } } } }"
    )

    assert (without, sql_counter.count) == (1, 2)
    assert data["pages"]["totalCount"] == 1
    assert "COUNT" in sql_counter.statements[-1].upper()


async def test_readers_sort_a_page_without_a_live_title_by_its_own_title(gql):
    await published_page(title="Beta", live_title="Beta")
    await published_page(title="Alpha")  # published before live titles were recorded
    await published_page(title="Gamma", live_title="Gamma")
    query = """{ pages(orderBy: {field: TITLE, direction: ASC}, filter: {search: "a"}) {
      edges { node { title } } } }"""

    edges = (await gql.data(query))["pages"]["edges"]

    assert [edge["node"]["title"] for edge in edges] == ["Alpha", "Beta", "Gamma"]


def forge(cursor: str, value: Any) -> str:
    """A cursor of the right list and order whose every value is replaced by ``value``."""
    names, values = json.loads(base64.urlsafe_b64decode(cursor).decode().removeprefix("keyset:"))
    text = "keyset:" + json.dumps([names, [value] * len(values)])
    return base64.urlsafe_b64encode(text.encode()).decode()


FORGED_VALUES = ["x", {"$dt": "2020-01-01T00:00:00"}, {"$dt": 5}, {"other": 1}, [["x", 1]], None]


@by_name
async def test_a_forged_cursor_is_a_clear_error_never_an_internal_one(gql, editor_token, listing):
    await listing.fill()
    cursor = (await load(gql, listing, editor_token, first=2))["pageInfo"]["endCursor"]
    token = editor_token if listing.editor else None

    for value in FORGED_VALUES:
        for argument in ("after", "before"):
            forged = forge(cursor, value)
            body = await gql(listing.query, {"first": 2, argument: forged}, token)

            codes = [error["extensions"]["code"] for error in body["errors"]]
            assert codes == ["BAD_USER_INPUT"], (value, argument, body)
            assert body["errors"][0]["message"] == f"Invalid cursor {forged!r}."
