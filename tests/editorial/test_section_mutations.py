"""Editors build a page's tree of sections: create, edit, delete and move them.

After every change the tree keeps its invariants (see :func:`assert_tree_is_sound`).
"""

import asyncio
from collections import defaultdict

import pytest

from cms.models import Page, Section
from schema.relay import from_global_id

CREATE_PAGE = """
mutation ($slug: String!) {
  createPage(input: {slug: $slug, title: "A page"}) { page { id } errors { field code } }
}"""

SECTION_FIELDS = "id title anchor body position depth parent { id }"

CREATE_SECTION = f"""
mutation ($input: CreateSectionInput!) {{
  createSection(input: $input) {{ section {{ {SECTION_FIELDS} }} errors {{ field code }} }}
}}"""

UPDATE_SECTION = f"""
mutation ($input: UpdateSectionInput!) {{
  updateSection(input: $input) {{ section {{ {SECTION_FIELDS} }} errors {{ field code }} }}
}}"""

MOVE_SECTION = f"""
mutation ($input: MoveSectionInput!) {{
  moveSection(input: $input) {{ section {{ {SECTION_FIELDS} }} errors {{ field code }} }}
}}"""

DELETE_SECTION = """
mutation ($id: ID!) { deleteSection(input: {id: $id}) { deletedId errors { field code } } }
"""

OUTLINE = """
fragment Node on Section { title position }
query ($slug: String!) {
  page(slug: $slug) {
    sections { ...Node children { ...Node children { ...Node children { ...Node } } } }
  }
}"""


async def assert_tree_is_sound() -> None:
    """Every section's parent exists and is on the same page, and the positions of each
    set of siblings are exactly 0, 1, …, n-1."""
    sections = {s.id: s for s in await Section.all()}
    positions: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for section in sections.values():
        if section.parent_id is not None:
            parent = sections.get(section.parent_id)
            assert parent is not None, f"section {section.id} is an orphan"
            assert parent.page_id == section.page_id, f"section {section.id} crosses pages"
        positions[section.page_id, section.parent_id].append(section.position)
    for siblings, taken in positions.items():
        assert sorted(taken) == list(range(len(taken))), f"gaps among {siblings}: {taken}"


def errors_of(payload: dict) -> list[tuple[str, str]]:
    return [(error["field"], error["code"]) for error in payload["errors"]]


async def current_version(section_id: str) -> int:
    """The version of the section's page, as an editor who just loaded it would send back
    (any number when there is no such section: that error comes first)."""
    decoded = from_global_id(section_id)
    section = await Section.get_or_none(id=decoded[1]) if decoded else None
    return (await Page.get(id=section.page_id)).version if section else 1


class SectionEditor:
    """Builds and inspects one page's sections through the API, as an editor would."""

    def __init__(self, gql, token: str) -> None:
        self.gql, self.token = gql, token

    async def create_page(self, slug: str = "guide") -> str:
        payload = (await self.gql.data(CREATE_PAGE, {"slug": slug}, self.token))["createPage"]
        assert payload["errors"] == []
        return payload["page"]["id"]

    async def create(self, page_id: str, **fields) -> dict:
        """The payload of createSection, whatever it says."""
        body = await self.gql.data(
            CREATE_SECTION, {"input": {"pageId": page_id, **fields}}, self.token
        )
        return body["createSection"]

    async def add(self, page_id: str, title: str | None, **fields) -> dict:
        """A new section; fails the test on errors."""
        payload = await self.create(page_id, title=title, **fields)
        assert payload["errors"] == []
        await assert_tree_is_sound()
        return payload["section"]

    async def update(self, section_id: str, **fields) -> dict:
        fields.setdefault("version", await current_version(section_id))
        body = await self.gql.data(
            UPDATE_SECTION, {"input": {"id": section_id, **fields}}, self.token
        )
        return body["updateSection"]

    async def move(self, section_id: str, **fields) -> dict:
        fields.setdefault("version", await current_version(section_id))
        body = await self.gql.data(
            MOVE_SECTION, {"input": {"id": section_id, **fields}}, self.token
        )
        await assert_tree_is_sound()
        return body["moveSection"]

    async def delete(self, section_id: str) -> dict:
        body = await self.gql.data(DELETE_SECTION, {"id": section_id}, self.token)
        await assert_tree_is_sound()
        return body["deleteSection"]

    async def outline(self, slug: str = "guide") -> list:
        """The page's titles as the API lists them: a title, or (title, [children])."""

        def walk(sections: list[dict]) -> list:
            return [
                (s["title"], walk(s["children"])) if s.get("children") else s["title"]
                for s in sections
            ]

        page = (await self.gql.data(OUTLINE, {"slug": slug}, self.token))["page"]
        return walk(page["sections"])


@pytest.fixture
def section_editor(gql, editor_token) -> SectionEditor:
    return SectionEditor(gql, editor_token)


@pytest.fixture
async def page_id(section_editor: SectionEditor) -> str:
    return await section_editor.create_page()


async def add_all(
    section_editor: SectionEditor, page_id: str, *titles: str, **fields
) -> list[dict]:
    return [await section_editor.add(page_id, title, **fields) for title in titles]


async def test_create_section_appends_it_after_its_siblings(section_editor, page_id):
    await add_all(section_editor, page_id, "One", "Two")

    section = await section_editor.add(page_id, "Three")

    assert section["position"] == 2
    assert await section_editor.outline() == ["One", "Two", "Three"]


async def test_sections_added_at_the_same_time_each_get_their_own_place(section_editor, page_id):
    created = await asyncio.gather(
        *[section_editor.create(page_id, title="Same") for _ in range(6)]
    )

    assert [payload["errors"] for payload in created] == [[]] * 6
    await assert_tree_is_sound()
    assert sorted(s["section"]["anchor"] for s in created) == sorted(
        ["same", "same-2", "same-3", "same-4", "same-5", "same-6"]
    )


async def test_create_section_at_a_position_shifts_the_later_siblings(section_editor, page_id):
    await add_all(section_editor, page_id, "One", "Three")

    section = await section_editor.add(page_id, "Two", position=1)

    assert section["position"] == 1
    assert await section_editor.outline() == ["One", "Two", "Three"]


async def test_create_section_past_the_end_appends_it(section_editor, page_id):
    await add_all(section_editor, page_id, "One")

    section = await section_editor.add(page_id, "Two", position=99)

    assert section["position"] == 1


async def test_a_negative_position_is_invalid(section_editor, page_id):
    payload = await section_editor.create(page_id, title="Lost", position=-1)

    assert errors_of(payload) == [("position", "INVALID")]
    assert await Section.all().count() == 0


async def test_create_section_under_a_parent_nests_it(section_editor, page_id):
    programs = await section_editor.add(page_id, "Academic Programs")
    await section_editor.add(page_id, "Research")

    md = await section_editor.add(page_id, "Medical Doctor (MD) Program", parentId=programs["id"])
    phd = await section_editor.add(
        page_id, "Doctor of Philosophy (PhD) Programs", parentId=programs["id"]
    )

    assert (md["depth"], md["position"], md["parent"]) == (1, 0, {"id": programs["id"]})
    assert phd["position"] == 1
    assert await section_editor.outline() == [
        (
            "Academic Programs",
            ["Medical Doctor (MD) Program", "Doctor of Philosophy (PhD) Programs"],
        ),
        "Research",
    ]


async def test_sections_nest_to_any_depth(section_editor, page_id):
    parent_id = None
    for level in range(4):
        section = await section_editor.add(page_id, f"Level {level}", parentId=parent_id)
        parent_id = section["id"]

    assert section["depth"] == 3
    assert await section_editor.outline() == [
        ("Level 0", [("Level 1", [("Level 2", ["Level 3"])])])
    ]


async def test_a_parent_on_another_page_is_refused_and_nothing_is_saved(section_editor, page_id):
    other_page = await section_editor.create_page("other")
    foreign = await section_editor.add(other_page, "Elsewhere")

    payload = await section_editor.create(page_id, title="Child", parentId=foreign["id"])

    assert payload["section"] is None
    assert errors_of(payload) == [("parentId", "NOT_FOUND")]
    assert await Section.all().values_list("title", flat=True) == ["Elsewhere"]


async def test_an_unknown_page_is_not_found(section_editor, page_id):
    await Page.all().delete()

    payload = await section_editor.create(page_id, title="Orphan")

    assert errors_of(payload) == [("pageId", "NOT_FOUND")]


async def test_the_anchor_is_derived_from_the_title(section_editor, page_id):
    section = await section_editor.add(page_id, "Admissions & Financial Aid — Überblick")

    assert section["anchor"] == "admissions-financial-aid-uberblick"


async def test_sections_with_the_same_title_get_distinct_anchors(section_editor, page_id):
    sections = await add_all(section_editor, page_id, "Research", "Research", "Research")

    assert [s["anchor"] for s in sections] == ["research", "research-2", "research-3"]


async def test_anchors_are_unique_across_the_whole_page_tree(section_editor, page_id):
    parent = await section_editor.add(page_id, "Overview")

    child = await section_editor.add(page_id, "Overview", parentId=parent["id"])

    assert child["anchor"] == "overview-2"


async def test_the_same_anchor_may_be_used_on_another_page(section_editor, page_id):
    await section_editor.add(page_id, "Research")
    other_page = await section_editor.create_page("other")

    section = await section_editor.add(other_page, "Research")

    assert section["anchor"] == "research"


async def test_an_untitled_section_gets_its_anchor_from_its_first_words(section_editor, page_id):
    body = "Harvard Medical School stands as a beacon of excellence in medical education."

    section = await section_editor.add(page_id, None, body=body)

    assert section["title"] is None
    assert section["anchor"] == "harvard-medical-school-stands-as-a"


async def test_an_explicit_anchor_is_used_as_given(section_editor, page_id):
    section = await section_editor.add(page_id, "Frequently Asked Questions", anchor="faq")

    assert section["anchor"] == "faq"


async def test_an_explicit_anchor_must_be_a_slug(section_editor, page_id, subtests):
    for anchor in ["Not A Slug", "faq!", "-faq", ""]:
        with subtests.test(anchor=anchor):
            payload = await section_editor.create(page_id, title="FAQ", anchor=anchor)

            assert errors_of(payload) == [("anchor", "INVALID")]
            assert await Section.all().count() == 0


async def test_an_explicit_anchor_already_used_on_the_page_is_a_duplicate(section_editor, page_id):
    await section_editor.add(page_id, "FAQ", anchor="faq")

    payload = await section_editor.create(page_id, title="More questions", anchor="faq")

    assert errors_of(payload) == [("anchor", "DUPLICATE")]
    assert await Section.all().values_list("title", flat=True) == ["FAQ"]


async def test_update_section_keeps_the_anchor_when_the_title_changes(section_editor, page_id):
    section = await section_editor.add(page_id, "Research")

    payload = await section_editor.update(section["id"], title="Research & Innovation", body="New.")

    assert payload["errors"] == []
    updated = payload["section"]
    assert (updated["title"], updated["body"], updated["anchor"]) == (
        "Research & Innovation",
        "New.",
        "research",
    )


async def test_update_section_with_an_empty_title_makes_it_untitled(section_editor, page_id):
    section = await section_editor.add(page_id, "Research", body="Text.")

    payload = await section_editor.update(section["id"], title="")

    assert (payload["section"]["title"], payload["section"]["body"]) == (None, "Text.")


async def test_update_section_can_change_the_anchor(section_editor, page_id):
    section = await section_editor.add(page_id, "Research")

    payload = await section_editor.update(section["id"], anchor="our-research")

    assert payload["section"]["anchor"] == "our-research"


async def test_update_section_refuses_an_anchor_that_is_not_a_slug(
    section_editor, page_id, subtests
):
    section = await section_editor.add(page_id, "Research")
    for anchor in ["Our Research", ""]:
        with subtests.test(anchor=anchor):
            payload = await section_editor.update(section["id"], anchor=anchor)

            assert errors_of(payload) == [("anchor", "INVALID")]
            assert await Section.all().values_list("anchor", flat=True) == ["research"]


async def test_update_section_refuses_an_anchor_used_by_another_section(section_editor, page_id):
    await section_editor.add(page_id, "Research")
    section = await section_editor.add(page_id, "Education")

    payload = await section_editor.update(section["id"], anchor="research", title="Teaching")

    assert errors_of(payload) == [("anchor", "DUPLICATE")]
    stored = await Section.get(anchor="education")
    assert stored.title == "Education"


async def test_delete_section_removes_it_with_everything_nested_in_it(section_editor, page_id):
    programs = await section_editor.add(page_id, "Programs")
    md = await section_editor.add(page_id, "MD", parentId=programs["id"])
    await section_editor.add(page_id, "Year one", parentId=md["id"])
    await section_editor.add(page_id, "Research")

    payload = await section_editor.delete(programs["id"])

    assert payload == {"deletedId": programs["id"], "errors": []}
    assert await section_editor.outline() == ["Research"]
    assert await Section.all().values_list("title", flat=True) == ["Research"]


async def test_delete_section_closes_the_gap_among_its_siblings(section_editor, page_id):
    sections = await add_all(section_editor, page_id, "One", "Two", "Three", "Four")

    await section_editor.delete(sections[1]["id"])

    assert await section_editor.outline() == ["One", "Three", "Four"]
    assert await Section.all().order_by("position").values_list("position", flat=True) == [0, 1, 2]


async def test_move_section_earlier_among_its_siblings(section_editor, page_id):
    sections = await add_all(section_editor, page_id, "One", "Two", "Three", "Four")

    payload = await section_editor.move(sections[3]["id"], position=1)

    assert payload["section"]["position"] == 1
    assert await section_editor.outline() == ["One", "Four", "Two", "Three"]


async def test_move_section_later_among_its_siblings(section_editor, page_id):
    sections = await add_all(section_editor, page_id, "One", "Two", "Three", "Four")

    payload = await section_editor.move(sections[0]["id"], position=2)

    assert payload["section"]["position"] == 2
    assert await section_editor.outline() == ["Two", "Three", "One", "Four"]


async def test_move_section_without_a_position_puts_it_last(section_editor, page_id):
    sections = await add_all(section_editor, page_id, "One", "Two", "Three")

    await section_editor.move(sections[0]["id"])

    assert await section_editor.outline() == ["Two", "Three", "One"]


async def test_move_section_under_another_parent(section_editor, page_id):
    a, b = await add_all(section_editor, page_id, "A", "B")
    _, a2, _ = await add_all(section_editor, page_id, "A1", "A2", "A3", parentId=a["id"])
    await add_all(section_editor, page_id, "B1", "B2", parentId=b["id"])

    payload = await section_editor.move(a2["id"], parentId=b["id"], position=1)

    assert (payload["section"]["parent"], payload["section"]["position"]) == ({"id": b["id"]}, 1)
    assert await section_editor.outline() == [("A", ["A1", "A3"]), ("B", ["B1", "A2", "B2"])]


async def test_move_a_nested_section_to_the_top_level(section_editor, page_id):
    a, _ = await add_all(section_editor, page_id, "A", "B")
    a1 = await section_editor.add(page_id, "A1", parentId=a["id"])

    payload = await section_editor.move(a1["id"], parentId=None, position=0)

    assert (payload["section"]["parent"], payload["section"]["depth"]) == (None, 0)
    assert await section_editor.outline() == ["A1", "A", "B"]


async def test_a_moved_section_takes_its_subtree_along(section_editor, page_id):
    a, b = await add_all(section_editor, page_id, "A", "B")
    a1 = await section_editor.add(page_id, "A1", parentId=a["id"])
    await section_editor.add(page_id, "A1a", parentId=a1["id"])

    await section_editor.move(a1["id"], parentId=b["id"])

    assert await section_editor.outline() == ["A", ("B", [("A1", ["A1a"])])]


async def tree_snapshot() -> list[tuple]:
    return await Section.all().order_by("id").values_list("id", "parent_id", "position", "page_id")


async def test_a_section_cannot_be_moved_into_itself(section_editor, page_id):
    a, _ = await add_all(section_editor, page_id, "A", "B")
    before = await tree_snapshot()

    payload = await section_editor.move(a["id"], parentId=a["id"])

    assert payload["section"] is None
    assert errors_of(payload) == [("parentId", "CYCLE")]
    assert await tree_snapshot() == before


async def test_a_section_cannot_be_moved_into_its_own_descendant(section_editor, page_id):
    a, _ = await add_all(section_editor, page_id, "A", "B")
    a1 = await section_editor.add(page_id, "A1", parentId=a["id"])
    a1a = await section_editor.add(page_id, "A1a", parentId=a1["id"])
    before = await tree_snapshot()
    version_before = (await Page.get()).version

    payload = await section_editor.move(a["id"], parentId=a1a["id"], position=0)

    assert errors_of(payload) == [("parentId", "CYCLE")]
    assert await tree_snapshot() == before
    assert (await Page.get()).version == version_before
    assert await section_editor.outline() == [("A", [("A1", ["A1a"])]), "B"]


async def test_a_section_cannot_be_moved_to_another_page(section_editor, page_id):
    a = await section_editor.add(page_id, "A")
    other_page = await section_editor.create_page("other")
    foreign = await section_editor.add(other_page, "Elsewhere")
    before = await tree_snapshot()

    payload = await section_editor.move(a["id"], parentId=foreign["id"])

    assert errors_of(payload) == [("parentId", "NOT_FOUND")]
    assert await tree_snapshot() == before


SECTION_ID_MUTATIONS = {"updateSection": "update", "moveSection": "move", "deleteSection": "delete"}


async def test_an_unknown_section_is_not_found(section_editor, page_id, subtests):
    section = await section_editor.add(page_id, "Gone")
    await Section.all().delete()
    for name, method in SECTION_ID_MUTATIONS.items():
        with subtests.test(mutation=name):
            payload = await getattr(section_editor, method)(section["id"])

            assert errors_of(payload) == [("id", "NOT_FOUND")]


async def test_a_page_id_is_not_a_section_id(section_editor, page_id, subtests):
    for name, method in SECTION_ID_MUTATIONS.items():
        with subtests.test(mutation=name):
            payload = await getattr(section_editor, method)(page_id)

            assert errors_of(payload) == [("id", "INVALID")]
