"""Editors create, edit, publish, unpublish and delete pages through the GraphQL API."""

import asyncio
from datetime import UTC, datetime

from cms.models import Comment, Page, Section
from schema.relay import to_global_id

PAGE_FIELDS = "id slug title summary status version publishedAt"

CREATE_PAGE = f"""
mutation CreatePage($input: CreatePageInput!) {{
  createPage(input: $input) {{ page {{ {PAGE_FIELDS} }} errors {{ field code message }} }}
}}"""

UPDATE_PAGE = f"""
mutation UpdatePage($input: UpdatePageInput!) {{
  updatePage(input: $input) {{ page {{ {PAGE_FIELDS} }} errors {{ field code message }} }}
}}"""

PUBLISH_PAGE = f"""
mutation PublishPage($id: ID!) {{
  publishPage(input: {{id: $id}}) {{ page {{ {PAGE_FIELDS} }} errors {{ field code }} }}
}}"""

UNPUBLISH_PAGE = f"""
mutation UnpublishPage($id: ID!) {{
  unpublishPage(input: {{id: $id}}) {{ page {{ {PAGE_FIELDS} }} errors {{ field code }} }}
}}"""

DELETE_PAGE = """
mutation DeletePage($id: ID!) {
  deletePage(input: {id: $id, confirm: true}) { deletedId errors { field code } }
}"""

PAGE_BY_SLUG = "query ($slug: String!) { page(slug: $slug) { id title status version } }"

CREATE_SECTION = """
mutation ($input: CreateSectionInput!) {
  createSection(input: $input) { section { id } errors { field code } }
}"""

UPDATE_SECTION = """
mutation ($input: UpdateSectionInput!) {
  updateSection(input: $input) { section { id } errors { field code } }
}"""

MOVE_SECTION = """
mutation ($input: MoveSectionInput!) {
  moveSection(input: $input) { section { id } errors { field code } }
}"""

DELETE_SECTION = """
mutation ($id: ID!) { deleteSection(input: {id: $id}) { deletedId errors { field code } } }
"""

ADD_COMMENT = """
mutation ($input: AddCommentInput!) {
  addComment(input: $input) { comment { id } errors { field code } }
}"""

MODERATE_COMMENT = """
mutation ($id: ID!) {
  moderateComment(input: {id: $id, status: APPROVED}) { comment { id } errors { field } }
}"""


async def create_page(gql, token, **fields) -> dict:
    """A new page through the API; fails the test if the API reports errors."""
    page_input = {"slug": "about-us", "title": "About us", **fields}
    payload = (await gql.data(CREATE_PAGE, {"input": page_input}, token))["createPage"]
    assert payload["errors"] == []
    return payload["page"]


async def create_section(gql, token, page_id: str, **fields) -> str:
    section_input = {"pageId": page_id, "title": "A section", **fields}
    payload = (await gql.data(CREATE_SECTION, {"input": section_input}, token))["createSection"]
    assert payload["errors"] == []
    return payload["section"]["id"]


async def add_approved_comment(gql, editor_token, page_id: str, **fields) -> str:
    comment_input = {
        "pageId": page_id,
        "authorName": "Ada",
        "authorEmail": "ada@example.com",
        "body": "Thanks!",
        **fields,
    }
    payload = (await gql.data(ADD_COMMENT, {"input": comment_input}))["addComment"]
    assert payload["errors"] == []
    comment_id = payload["comment"]["id"]
    await gql.data(MODERATE_COMMENT, {"id": comment_id}, editor_token)
    return comment_id


async def page_version(gql, token, slug: str = "about-us") -> int:
    return (await gql.data(PAGE_BY_SLUG, {"slug": slug}, token))["page"]["version"]


async def test_create_page_starts_as_a_draft_at_version_1(gql, editor_token):
    page = await create_page(gql, editor_token, summary="Who we are.")

    assert page["slug"] == "about-us"
    assert page["title"] == "About us"
    assert page["summary"] == "Who we are."
    assert page["status"] == "DRAFT"
    assert page["version"] == 1
    assert page["publishedAt"] is None
    assert await Page.filter(slug="about-us").count() == 1


# Each case of a matrix like this runs as a subtest: the database is reset once per matrix.
BAD_SLUGS = {
    "About-Us": "INVALID",  # uppercase
    "about us": "INVALID",  # space
    "-about-us": "INVALID",  # leading hyphen
    "about-us-": "INVALID",  # trailing hyphen
    "about--us": "INVALID",  # double hyphen
    "a" * 201: "TOO_LONG",
    "": "REQUIRED",
    "   ": "REQUIRED",
}


async def test_create_page_rejects_a_bad_slug_and_saves_nothing(gql, editor_token, subtests):
    for slug, code in BAD_SLUGS.items():
        with subtests.test(slug=slug[:20], code=code):
            body = await gql.data(
                CREATE_PAGE, {"input": {"slug": slug, "title": "T"}}, editor_token
            )

            payload = body["createPage"]
            assert payload["page"] is None
            assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", code)]
            assert await Page.all().count() == 0


async def test_a_slug_of_200_characters_is_accepted(gql, editor_token):
    page = await create_page(gql, editor_token, slug="a" * 200)

    assert page["slug"] == "a" * 200


async def test_create_page_with_a_taken_slug_is_a_duplicate(gql, editor_token):
    await create_page(gql, editor_token, slug="about-us")

    body = await gql.data(
        CREATE_PAGE, {"input": {"slug": "about-us", "title": "Again"}}, editor_token
    )

    assert [(e["field"], e["code"]) for e in body["createPage"]["errors"]] == [
        ("slug", "DUPLICATE")
    ]
    assert await Page.all().values_list("title", flat=True) == ["About us"]


async def test_create_page_requires_a_title(gql, editor_token, subtests):
    for title in ["", "   "]:
        with subtests.test(title=title):
            body = await gql.data(
                CREATE_PAGE, {"input": {"slug": "x", "title": title}}, editor_token
            )

            assert [(e["field"], e["code"]) for e in body["createPage"]["errors"]] == [
                ("title", "REQUIRED")
            ]
            assert await Page.all().count() == 0


async def test_create_page_reports_every_bad_field_at_once(gql, editor_token):
    body = await gql.data(CREATE_PAGE, {"input": {"slug": "Bad Slug", "title": ""}}, editor_token)

    errors = {e["field"]: e["code"] for e in body["createPage"]["errors"]}
    assert errors == {"slug": "INVALID", "title": "REQUIRED"}


async def test_update_page_changes_the_fields_and_bumps_the_version_by_one(gql, editor_token):
    page = await create_page(gql, editor_token)

    body = await gql.data(
        UPDATE_PAGE,
        {
            "input": {
                "id": page["id"],
                "version": page["version"],
                "slug": "team",
                "title": "Our team",
                "summary": "Hi.",
            }
        },
        editor_token,
    )

    updated = body["updatePage"]["page"]
    assert (updated["slug"], updated["title"], updated["summary"]) == ("team", "Our team", "Hi.")
    assert updated["version"] == page["version"] + 1
    stored = await Page.get(slug="team")
    assert (stored.title, stored.summary, stored.version) == ("Our team", "Hi.", 2)


async def test_partial_update_leaves_the_other_fields_intact(gql, editor_token):
    page = await create_page(gql, editor_token, summary="Who we are.")

    body = await gql.data(
        UPDATE_PAGE,
        {"input": {"id": page["id"], "version": 1, "title": "About the team"}},
        editor_token,
    )

    updated = body["updatePage"]["page"]
    assert updated["title"] == "About the team"
    assert (updated["slug"], updated["summary"], updated["status"]) == (
        "about-us",
        "Who we are.",
        "DRAFT",
    )


async def test_update_page_with_an_empty_summary_removes_it(gql, editor_token):
    page = await create_page(gql, editor_token, summary="Who we are.")

    body = await gql.data(
        UPDATE_PAGE, {"input": {"id": page["id"], "version": 1, "summary": ""}}, editor_token
    )

    assert body["updatePage"]["page"]["summary"] is None


async def test_update_page_to_another_pages_slug_is_a_duplicate_and_changes_nothing(
    gql, editor_token
):
    await create_page(gql, editor_token, slug="contact")
    page = await create_page(gql, editor_token, slug="about-us")

    body = await gql.data(
        UPDATE_PAGE,
        {"input": {"id": page["id"], "version": 1, "slug": "contact", "title": "Renamed"}},
        editor_token,
    )

    assert [(e["field"], e["code"]) for e in body["updatePage"]["errors"]] == [
        ("slug", "DUPLICATE")
    ]
    stored = await Page.get(slug="about-us")
    assert (stored.title, stored.version) == ("About us", 1)


async def test_update_page_validates_the_new_slug(gql, editor_token):
    page = await create_page(gql, editor_token)

    body = await gql.data(
        UPDATE_PAGE, {"input": {"id": page["id"], "version": 1, "slug": "A B"}}, editor_token
    )

    assert [(e["field"], e["code"]) for e in body["updatePage"]["errors"]] == [("slug", "INVALID")]
    assert await Page.filter(slug="about-us").exists()


async def test_publish_page_makes_it_published_with_a_publication_time(gql, editor_token):
    page = await create_page(gql, editor_token)
    before = datetime.now(UTC).replace(microsecond=0)

    published = (await gql.data(PUBLISH_PAGE, {"id": page["id"]}, editor_token))["publishPage"]

    assert published["errors"] == []
    assert published["page"]["status"] == "PUBLISHED"
    assert datetime.fromisoformat(published["page"]["publishedAt"]) >= before
    assert published["page"]["version"] == page["version"] + 1


async def test_a_draft_is_invisible_to_anonymous_readers_until_published(gql, editor_token):
    page = await create_page(gql, editor_token)
    assert (await gql.data(PAGE_BY_SLUG, {"slug": "about-us"}))["page"] is None

    await gql.data(PUBLISH_PAGE, {"id": page["id"]}, editor_token)

    seen = (await gql.data(PAGE_BY_SLUG, {"slug": "about-us"}))["page"]
    assert (seen["id"], seen["status"]) == (page["id"], "PUBLISHED")


async def test_unpublish_page_hides_it_from_anonymous_readers(gql, editor_token):
    page = await create_page(gql, editor_token)
    await gql.data(PUBLISH_PAGE, {"id": page["id"]}, editor_token)

    body = await gql.data(UNPUBLISH_PAGE, {"id": page["id"]}, editor_token)

    assert body["unpublishPage"]["page"]["status"] == "DRAFT"
    assert (await gql.data(PAGE_BY_SLUG, {"slug": "about-us"}))["page"] is None
    assert (await gql.data(PAGE_BY_SLUG, {"slug": "about-us"}, editor_token))["page"] is not None


async def test_delete_page_removes_the_page_with_its_sections_and_comments(gql, editor_token):
    page = await create_page(gql, editor_token)
    parent = await create_section(gql, editor_token, page["id"], title="Parent")
    await create_section(gql, editor_token, page["id"], title="Child", parentId=parent)
    await gql.data(PUBLISH_PAGE, {"id": page["id"]}, editor_token)
    comment = await add_approved_comment(gql, editor_token, page["id"])
    await add_approved_comment(gql, editor_token, page["id"], parentId=comment)
    other = await create_page(gql, editor_token, slug="kept")
    await create_section(gql, editor_token, other["id"], title="Kept")

    body = await gql.data(DELETE_PAGE, {"id": page["id"]}, editor_token)

    assert body["deletePage"] == {"deletedId": page["id"], "errors": []}
    assert await Page.all().values_list("slug", flat=True) == ["kept"]
    assert await Section.all().values_list("title", flat=True) == ["Kept"]
    assert await Comment.all().count() == 0


async def test_a_deleted_page_is_gone_for_editors_too(gql, editor_token):
    page = await create_page(gql, editor_token)

    await gql.data(DELETE_PAGE, {"id": page["id"]}, editor_token)

    assert (await gql.data(PAGE_BY_SLUG, {"slug": "about-us"}, editor_token))["page"] is None


# name -> (document, variables for a page ID)
PAGE_ID_MUTATIONS = {
    "updatePage": (
        UPDATE_PAGE,
        lambda page_id: {"input": {"id": page_id, "version": 1, "title": "New"}},
    ),
    "publishPage": (PUBLISH_PAGE, lambda page_id: {"id": page_id}),
    "unpublishPage": (UNPUBLISH_PAGE, lambda page_id: {"id": page_id}),
    "deletePage": (DELETE_PAGE, lambda page_id: {"id": page_id}),
}


async def test_an_unknown_page_id_is_not_found(gql, editor_token, subtests):
    missing = to_global_id("Page", 999_999)
    for name, (mutation, variables) in PAGE_ID_MUTATIONS.items():
        with subtests.test(mutation=name):
            body = await gql.data(mutation, variables(missing), editor_token)

            assert [(e["field"], e["code"]) for e in body[name]["errors"]] == [("id", "NOT_FOUND")]


async def test_a_malformed_page_id_is_invalid(gql, editor_token, subtests):
    for bad_id in ["not-an-id", to_global_id("Section", 1)]:
        for name, (mutation, variables) in PAGE_ID_MUTATIONS.items():
            with subtests.test(mutation=name, id=bad_id):
                body = await gql.data(mutation, variables(bad_id), editor_token)

                assert [(e["field"], e["code"]) for e in body[name]["errors"]] == [
                    ("id", "INVALID")
                ]


async def test_every_change_to_the_sections_bumps_the_page_version(gql, editor_token):
    page = await create_page(gql, editor_token)
    versions = [await page_version(gql, editor_token)]

    first = await create_section(gql, editor_token, page["id"], title="First")
    versions.append(await page_version(gql, editor_token))
    second = await create_section(gql, editor_token, page["id"], title="Second")
    versions.append(await page_version(gql, editor_token))
    await gql.data(
        UPDATE_SECTION, {"input": {"id": first, "version": 3, "body": "Text."}}, editor_token
    )
    versions.append(await page_version(gql, editor_token))
    await gql.data(
        MOVE_SECTION, {"input": {"id": second, "version": 4, "position": 0}}, editor_token
    )
    versions.append(await page_version(gql, editor_token))
    await gql.data(DELETE_SECTION, {"id": first}, editor_token)
    versions.append(await page_version(gql, editor_token))

    assert versions == [1, 2, 3, 4, 5, 6]


async def test_a_rejected_section_change_leaves_the_page_version_alone(gql, editor_token):
    page = await create_page(gql, editor_token)
    section = await create_section(gql, editor_token, page["id"])

    body = await gql.data(
        UPDATE_SECTION,
        {"input": {"id": section, "version": 2, "anchor": "Not A Slug"}},
        editor_token,
    )

    assert body["updateSection"]["errors"] != []
    assert await page_version(gql, editor_token) == 2


async def test_changes_made_at_the_same_time_are_all_kept_or_refused(gql, editor_token):
    page = await create_page(gql, editor_token)
    update = {"input": {"id": page["id"], "version": 1, "title": "New title"}}

    results = await asyncio.gather(
        gql.data(UPDATE_PAGE, update, editor_token),
        gql.data(PUBLISH_PAGE, {"id": page["id"]}, editor_token),
        *[create_section(gql, editor_token, page["id"], title=f"S{n}") for n in range(3)],
    )

    # The update names the version it started from: it is kept, or refused as a CONFLICT
    # if another change came first — never silently lost.
    stored = await Page.get()
    errors = results[0]["updatePage"]["errors"]
    if errors:
        assert [e["code"] for e in errors] == ["CONFLICT"]
        assert (stored.title, stored.status, stored.version) == ("About us", "PUBLISHED", 5)
    else:
        assert (stored.title, stored.status, stored.version) == ("New title", "PUBLISHED", 6)
