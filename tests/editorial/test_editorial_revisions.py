"""Every save and publish records a revision; revisions can be read, compared, restored."""

from editorial_support import Editor, read_as_reader

from cms.models import Revision, RevisionKind
from schema.relay import to_global_id

HISTORY = """query ($slug: String!) { page(slug: $slug) { version
  revisions(first: 20) { totalCount edges { node {
    id number kind pageVersion authorName message createdAt } } } } }"""
REVISION = """query ($id: ID!) { revision(id: $id) { number kind slug title summary pageVersion
  page { title version } sections { title body children { title } } } }"""
DIFF = """query ($from: ID!, $to: ID!) { revisionDiff(from: $from, to: $to) {
  pageFields added { title anchor } removed { title } changed { title fields } } }"""
RESTORE = """mutation ($input: RestoreRevisionInput!) { restoreRevision(input: $input) {
  page { title version hasUnpublishedChanges sections { id title body } }
  errors { field code currentVersion } } }"""


async def history(editor: Editor, slug: str = "news") -> list[dict]:
    page = (await editor.gql.data(HISTORY, {"slug": slug}, editor.token))["page"]
    return [edge["node"] for edge in page["revisions"]["edges"]]


async def test_every_save_and_publish_records_a_revision_with_author_and_message(editor):
    page = await editor.create_page()
    await editor.add_section(page, "Intro")
    await editor.update_page(page["id"], 2, title="Fresh news", message="Better title")
    await editor.publish(page["id"], message="Go live")

    revisions = await history(editor)

    assert [(r["number"], r["kind"], r["pageVersion"]) for r in revisions] == [
        (4, "PUBLISH", 4),
        (3, "SAVE", 3),
        (2, "SAVE", 2),
        (1, "SAVE", 1),
    ]
    assert {r["authorName"] for r in revisions} == {"test editor"}
    assert [r["message"] for r in revisions[:2]] == ["Go live", "Better title"]


async def test_a_revision_holds_the_whole_page_and_section_tree(editor):
    page = await editor.create_page()
    parent = await editor.add_section(page, "Parent", "P.")
    await editor.add_section(page, "Child", "C.", parentId=parent["id"])
    published = await editor.publish(page["id"])
    await editor.update_page(page["id"], published["version"], title="Later")
    publish = next(r for r in await history(editor) if r["kind"] == "PUBLISH")

    revision = (await editor.gql.data(REVISION, {"id": publish["id"]}, editor.token))["revision"]

    assert (revision["slug"], revision["title"], revision["summary"]) == ("news", "News", None)
    assert revision["pageVersion"] == published["version"]
    assert revision["page"] == {"title": "Later", "version": published["version"] + 1}
    assert revision["sections"] == [
        {"title": "Parent", "body": "P.", "children": [{"title": "Child"}]}
    ]


async def test_revisions_are_for_editors_only(gql, editor):
    await editor.published_page("news")
    revision = await Revision.filter(kind=RevisionKind.PUBLISH).get()

    body = await gql(REVISION, {"id": to_global_id("Revision", revision.id)})
    listing = await gql(HISTORY, {"slug": "news"})

    assert body["data"] == {"revision": None}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert listing["data"]["page"]["revisions"] is None
    assert listing["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_the_diff_lists_sections_added_removed_and_changed(editor):
    page = await editor.create_page()
    kept = await editor.add_section(page, "Kept", "Same.")
    edited = await editor.add_section(page, "Edited", "Before.")
    removed = await editor.add_section(page, "Removed", "Bye.")
    first = await editor.publish(page["id"])
    await editor.update_section(edited["id"], first["version"], body="After.")
    await editor.call(
        """mutation ($input: SectionIdInput!) { deleteSection(input: $input) { deletedId } }""",
        "deleteSection",
        input={"id": removed["id"], "version": first["version"] + 1},
    )
    await editor.add_section(page, "Added", "New.")
    await editor.update_page(page["id"], first["version"] + 3, title="Retitled")
    latest = (await history(editor))[0]
    publish = next(r for r in await history(editor) if r["kind"] == "PUBLISH")

    diff = (await editor.gql.data(DIFF, {"from": publish["id"], "to": latest["id"]}, editor.token))[
        "revisionDiff"
    ]

    assert diff == {
        "pageFields": ["title"],
        "added": [{"title": "Added", "anchor": "added"}],
        "removed": [{"title": "Removed"}],
        "changed": [{"title": "Edited", "fields": ["body"]}],
    }
    assert kept["id"] not in str(diff)


async def test_restoring_a_revision_brings_it_back_as_the_working_copy_only(gql, editor):
    page = await editor.create_page()
    intro = await editor.add_section(page, "Intro", "Original.")
    published = await editor.publish(page["id"])
    await editor.update_section(intro["id"], published["version"], body="Broken.")
    await editor.add_section(page, "Mistake", "Oops.")
    await editor.publish(page["id"])
    first_publish = [r for r in await history(editor) if r["kind"] == "PUBLISH"][-1]
    current = (await editor.read("news"))["version"]

    payload = (
        await editor.gql.data(
            RESTORE, {"input": {"id": first_publish["id"], "version": current}}, editor.token
        )
    )["restoreRevision"]

    assert payload["errors"] == []
    restored = payload["page"]
    assert [(s["id"], s["title"], s["body"]) for s in restored["sections"]] == [
        (intro["id"], "Intro", "Original.")
    ]
    assert restored["hasUnpublishedChanges"] is True
    assert [s["title"] for s in (await read_as_reader(gql, "news"))["sections"]] == [
        "Intro",
        "Mistake",
    ]
    assert (await history(editor))[0]["kind"] == "RESTORE"


async def test_restoring_from_a_stale_version_is_a_conflict(editor):
    page = await editor.published_page("news", ("Intro",))
    publish = (await history(editor))[0]
    await editor.update_page(page["id"], page["version"], title="Moved on")

    payload = (
        await editor.gql.data(
            RESTORE, {"input": {"id": publish["id"], "version": page["version"]}}, editor.token
        )
    )["restoreRevision"]

    assert payload["errors"] == [
        {"field": "version", "code": "CONFLICT", "currentVersion": page["version"] + 1}
    ]


async def test_editors_fetch_revisions_by_node_id_and_readers_cannot(gql, editor):
    await editor.published_page("news")
    revision_id = to_global_id("Revision", (await Revision.get(kind=RevisionKind.PUBLISH)).id)
    query = "query ($id: ID!) { node(id: $id) { ... on Revision { number kind } } }"

    as_editor = await editor.gql.data(query, {"id": revision_id}, editor.token)
    as_reader = await gql(query, {"id": revision_id})

    assert as_editor["node"] == {"number": 2, "kind": "PUBLISH"}
    assert as_reader["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
