"""Readers are served the last published revision; editors work on the working copy."""

import pytest
from editorial_support import (
    ARCHIVE_PAGE,
    DELETE_PAGE,
    UNPUBLISH_PAGE,
    read_as_reader,
)

from cms.models import Comment, CommentStatus, Page, Revision, RevisionKind, Role
from cms.services import pages, publishing, sections
from cms.services.auth import Viewer
from schema.relay import to_global_id

NODE = """query ($id: ID!) { node(id: $id) {
  ... on Section { heading: title body page { title version } }
  ... on Page { title version sections { title } } } }"""
LIVE_PAGE = """query ($slug: String!, $revision: ID!) {
  page(slug: $slug) { title sections { title } liveRevision { title sections { title } } }
  revision(id: $revision) { title pageVersion sections { title } page { title } } }"""
REVISION_IDS = """query ($slug: String!) { page(slug: $slug) {
  revisions(first: 10) { edges { node { id kind number } } } } }"""


async def test_editing_a_published_page_changes_nothing_for_readers_until_it_is_published(
    gql, editor
):
    page = await editor.published_page("news", ("Intro",))
    working = await editor.read("news")
    await editor.update_page(page["id"], page["version"], title="Draft title", summary="Sh!")
    intro = working["sections"][0]
    await editor.update_section(intro["id"], page["version"] + 1, body="Draft body.")
    await editor.add_section(page, "Draft section", "Secret.")

    before = await read_as_reader(gql, "news")
    assert (before["title"], before["summary"]) == ("News", None)
    assert [(s["title"], s["body"]) for s in before["sections"]] == [("Intro", "Text of Intro.")]
    assert before["version"] == page["version"]

    republished = await editor.publish(page["id"])

    after = await read_as_reader(gql, "news")
    assert (after["title"], after["summary"]) == ("Draft title", "Sh!")
    assert [(s["title"], s["body"]) for s in after["sections"]] == [
        ("Intro", "Draft body."),
        ("Draft section", "Secret."),
    ]
    assert after["version"] == republished["version"]


async def test_sections_served_from_a_revision_keep_their_ids_anchors_html_and_tree(gql, editor):
    page = await editor.create_page()
    parent = await editor.add_section(page, "Parent", "*Hello*")
    await editor.add_section(page, "Child", "Nested.", parentId=parent["id"])
    await editor.publish(page["id"])

    served = await read_as_reader(gql, "news")

    top = served["sections"][0]
    assert (top["id"], top["anchor"], top["bodyHtml"]) == (
        parent["id"],
        "parent",
        "<p><em>Hello</em></p>\n",
    )
    assert [(c["title"], c["depth"], c["parent"]["id"]) for c in top["children"]] == [
        ("Child", 1, parent["id"])
    ]


async def test_has_unpublished_changes_follows_edits_and_publishing(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    assert page["hasUnpublishedChanges"] is False

    changed = await editor.update_page(page["id"], page["version"], title="New")
    assert changed["page"]["hasUnpublishedChanges"] is True
    assert (await editor.publish(page["id"]))["hasUnpublishedChanges"] is False


async def test_readers_get_null_for_has_unpublished_changes(gql, editor):
    await editor.published_page("news")

    body = await gql.data('{ page(slug: "news") { hasUnpublishedChanges } }')

    assert body["page"]["hasUnpublishedChanges"] is None


async def test_a_draft_section_is_not_reachable_by_node_for_readers(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    draft = await editor.add_section(page, "Draft only", "Secret.")

    assert (await gql.data(NODE, {"id": draft["id"]}))["node"] is None


async def test_node_serves_readers_the_live_section_and_its_live_page(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    intro = (await editor.read("news"))["sections"][0]
    await editor.update_section(intro["id"], page["version"], title="Renamed", body="Draft.")

    node = (await gql.data(NODE, {"id": intro["id"]}))["node"]

    assert (node["heading"], node["body"]) == ("Intro", "Text of Intro.")
    assert node["page"] == {"title": "News", "version": page["version"]}


async def test_node_serves_readers_the_live_page(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    await editor.update_page(page["id"], page["version"], title="Draft title")

    node = (await gql.data(NODE, {"id": page["id"]}))["node"]

    assert node == {"title": "News", "version": page["version"], "sections": [{"title": "Intro"}]}


async def test_pages_list_search_and_order_use_what_readers_see(gql, editor):
    page = await editor.published_page("news")
    await editor.update_page(page["id"], page["version"], title="Zebra draft")
    query = """query ($search: String) { pages(first: 10, filter: {search: $search}) {
      totalCount edges { node { title } } } }"""

    assert (await gql.data(query, {"search": "zebra"}))["pages"]["totalCount"] == 0
    listed = (await gql.data(query, {"search": "news"}))["pages"]
    assert [e["node"]["title"] for e in listed["edges"]] == ["News"]


async def test_a_renamed_slug_stays_live_until_the_page_is_published(gql, editor):
    page = await editor.published_page("news")
    await editor.update_page(page["id"], page["version"], slug="latest")

    assert (await read_as_reader(gql, "latest")) is None
    assert (await read_as_reader(gql, "news"))["slug"] == "news"

    await editor.publish(page["id"])

    assert (await read_as_reader(gql, "news")) is None
    assert (await read_as_reader(gql, "latest"))["slug"] == "latest"


async def test_a_slug_live_on_another_page_cannot_be_taken(gql, editor):
    page = await editor.published_page("news")
    await editor.update_page(page["id"], page["version"], slug="latest")
    other = await editor.create_page("other", "Other")

    payload = await editor.update_page(other["id"], other["version"], slug="news")

    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", "DUPLICATE")]


async def test_editors_can_ask_for_live_or_a_given_revision(gql, editor):
    page = await editor.published_page("news", ("First",))
    await editor.update_page(page["id"], page["version"], title="Second title")
    await editor.add_section(page, "Draft section")
    revisions = (await editor.gql.data(REVISION_IDS, {"slug": "news"}, editor.token))["page"]
    publish = next(
        e["node"] for e in revisions["revisions"]["edges"] if e["node"]["kind"] == "PUBLISH"
    )

    body = await editor.gql.data(
        LIVE_PAGE, {"slug": "news", "revision": publish["id"]}, editor.token
    )

    assert body["page"] == {
        "title": "Second title",
        "sections": [{"title": "First"}, {"title": "Draft section"}],
        "liveRevision": {"title": "News", "sections": [{"title": "First"}]},
    }
    assert body["revision"] == {
        "title": "News",
        "pageVersion": page["version"],
        "sections": [{"title": "First"}],
        "page": {"title": "Second title"},
    }


async def test_readers_may_not_ask_for_a_revision(gql, editor):
    await editor.published_page("news")
    revision = await Revision.filter(kind=RevisionKind.PUBLISH).get()

    body = await gql(LIVE_PAGE, {"slug": "news", "revision": to_global_id("Revision", revision.id)})

    assert body["data"] == {
        "page": {"title": "News", "sections": [], "liveRevision": None},
        "revision": None,
    }
    refused = {(error["path"][-1], error["extensions"]["code"]) for error in body["errors"]}
    assert refused == {("liveRevision", "UNAUTHENTICATED"), ("revision", "UNAUTHENTICATED")}


@pytest.mark.parametrize(
    "document,name", [(UNPUBLISH_PAGE, "unpublishPage"), (ARCHIVE_PAGE, "archivePage")]
)
async def test_unpublish_and_archive_hide_the_page_from_readers(gql, editor, document, name):
    page = await editor.published_page("news", ("Intro",))

    payload = await editor.call(document, name, input={"id": page["id"]})

    assert payload["errors"] == []
    assert payload["page"]["status"] == ("DRAFT" if name == "unpublishPage" else "ARCHIVED")
    assert await read_as_reader(gql, "news") is None
    stored = await Page.get()
    assert (stored.live_revision_id, stored.live_slug) == (None, None)


async def test_deleting_a_published_page_needs_confirmation(gql, editor):
    page = await editor.published_page("news")

    refused = await editor.call(DELETE_PAGE, "deletePage", input={"id": page["id"]})
    confirmed = await editor.call(
        DELETE_PAGE, "deletePage", input={"id": page["id"], "confirm": True}
    )

    assert refused == {
        "deletedId": None,
        "errors": [{"field": "confirm", "code": "CONFIRMATION_REQUIRED"}],
    }
    assert confirmed == {"deletedId": page["id"], "errors": []}
    assert not await Page.exists()


async def test_an_admin_deletes_a_published_page_without_confirmation(gql, editor, admin_token):
    page = await editor.published_page("news")

    payload = (await gql.data(DELETE_PAGE, {"input": {"id": page["id"]}}, admin_token))[
        "deletePage"
    ]

    assert payload == {"deletedId": page["id"], "errors": []}


async def test_a_draft_page_is_deleted_without_confirmation(gql, editor):
    page = await editor.create_page()

    payload = await editor.call(DELETE_PAGE, "deletePage", input={"id": page["id"]})

    assert payload == {"deletedId": page["id"], "errors": []}


async def test_the_seeded_article_is_published_with_a_first_publish_revision(gql, seeded_page):
    page = await Page.get(id=seeded_page.id)
    revisions = await Revision.filter(page_id=page.id)

    assert [(r.number, r.kind) for r in revisions] == [(1, RevisionKind.PUBLISH)]
    assert page.live_revision_id == revisions[0].id
    served = await read_as_reader(gql, "harvard-medical-school")
    assert len(served["sections"]) == len(revisions[0].content["sections"]) - 3


FULL_PAGE = """query ($slug: String!) { page(slug: $slug) { id title version commentCount
  sections { id title anchor bodyHtml depth parent { id } page { slug }
    children { id title depth children { id title } } } } }"""
PAGE_LIST = """{ pages(first: 50) { totalCount edges { node {
  title version sections { title children { title } } } } } }"""


async def statements(gql, sql_counter, query: str, variables: dict | None = None) -> int:
    sql_counter.statements.clear()
    await gql.data(query, variables)
    return sql_counter.count


EDITOR = Viewer(token_id=0, name="setup", role=Role.EDITOR)


@pytest.fixture
def settings(settings):
    """Every read really runs: set-up through the services bypasses the response cache's
    invalidation, which follows mutations and events."""
    return settings.model_copy(update={"response_cache": False})


async def published_with_sections(slug: str, top_level: int, children_each: int) -> None:
    """Set-up through the services (faster than the API): a published page with a tree."""
    page = await pages.create_page(EDITOR, slug=slug, title=slug)
    for n in range(top_level):
        parent = await sections.create_section(EDITOR, page.id, title=f"S{n}", body="*x*")
        for m in range(children_each):
            await sections.create_section(EDITOR, page.id, title=f"S{n}.{m}", parent_id=parent.id)
    await publishing.publish("setup", page.id)


async def test_a_page_served_from_its_revision_costs_the_same_for_3_or_60_sections(
    gql, sql_counter
):
    await published_with_sections("small", 1, 2)
    await published_with_sections("large", 20, 2)

    few = await statements(gql, sql_counter, FULL_PAGE, {"slug": "small"})
    many = await statements(gql, sql_counter, FULL_PAGE, {"slug": "large"})

    # page(slug:) with its live revision 1, its comments 1, Section.page 1: no section rows.
    assert few == many == 3, sql_counter.statements


async def test_listing_published_pages_costs_the_same_for_5_or_50(gql, sql_counter):
    for n in range(5):
        await published_with_sections(f"page-{n}", 1, 1)
    five = await statements(gql, sql_counter, PAGE_LIST)
    for n in range(5, 50):
        await published_with_sections(f"page-{n}", 1, 1)

    fifty = await statements(gql, sql_counter, PAGE_LIST)

    # COUNT 1, the pages 2 (the list ends in this page: the pages never published, which
    # come last, are one more indexed read; see Segment in cms/services/pagination.py), their
    # live revisions 1 (fields and section trees).
    assert five == fifty == 4, sql_counter.statements


async def test_a_comments_page_is_the_live_page_for_readers(gql, editor):
    page = await editor.published_page("news", ("Intro",))
    comment = await Comment.create(
        page_id=(await Page.get()).id,
        author_name="Ada",
        author_email="ada@example.org",
        body="Hi.",
        status=CommentStatus.APPROVED,
    )
    await editor.update_page(page["id"], page["version"], title="Draft title")
    query = """query ($id: ID!) {
      node(id: $id) { ... on Comment { page { title sections { title } } } } }"""

    node = (await gql.data(query, {"id": to_global_id("Comment", comment.id)}))["node"]

    assert node == {"page": {"title": "News", "sections": [{"title": "Intro"}]}}
