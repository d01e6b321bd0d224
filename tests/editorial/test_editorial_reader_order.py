"""Readers' ordering uses what readers can see: an unpublished edit must not move a page."""

ORDERED = """query ($direction: OrderDirection!) {
  pages(first: 10, orderBy: {field: UPDATED_AT, direction: $direction}) {
    edges { node { slug updatedAt } } } }"""


async def test_an_unpublished_edit_does_not_move_a_page_in_the_readers_updated_at_order(
    gql, editor
):
    older = await editor.published_page("older")
    await editor.published_page("newer")
    await editor.update_page(older["id"], older["version"], title="Secret rename")

    for direction, expected in (("DESC", ["newer", "older"]), ("ASC", ["older", "newer"])):
        edges = (await gql.data(ORDERED, {"direction": direction}))["pages"]["edges"]
        assert [edge["node"]["slug"] for edge in edges] == expected
        shown = [edge["node"]["updatedAt"] for edge in edges]
        assert shown == sorted(shown, reverse=direction == "DESC")


async def test_editors_order_by_the_working_copy_time(gql, editor):
    older = await editor.published_page("older")
    await editor.published_page("newer")
    await editor.update_page(older["id"], older["version"], title="Fresh edit")

    edges = (await gql.data(ORDERED, {"direction": "DESC"}, editor.token))["pages"]["edges"]
    assert [edge["node"]["slug"] for edge in edges] == ["older", "newer"]
