"""What differs between two copies of a page: page fields, then section by section, the
bodies line by line with a little context (cms/studio/diffs.py)."""

from cms.studio.diffs import Line, LineKind, SectionStatus, diff_copies, diff_lines, flatten


def copy(*sections: dict, title: str = "Page") -> dict:
    return {"title": title, "slug": "page", "summary": "", "sections": flatten(sections)}


def section(section_id: str, title: str, body: str = "", children: tuple = ()) -> dict:
    return {"id": section_id, "title": title, "body": body, "children": list(children)}


def test_flatten_keeps_reading_order_parents_and_positions():
    flat = flatten([section("a", "A", children=(section("a1", "A1"),)), section("b", "B")])
    assert [(s["id"], s["parentId"], s["position"]) for s in flat] == [
        ("a", None, 0),
        ("a1", "a", 0),
        ("b", None, 1),
    ]


def test_changed_lines_come_with_context_and_gaps():
    old = "\n".join(f"line {n}" for n in range(10))
    new = old.replace("line 5", "line five")
    assert diff_lines(old, new) == [
        Line(LineKind.GAP, "…"),
        Line(LineKind.SAME, "line 3"),
        Line(LineKind.SAME, "line 4"),
        Line(LineKind.REMOVED, "line 5"),
        Line(LineKind.ADDED, "line five"),
        Line(LineKind.SAME, "line 6"),
        Line(LineKind.SAME, "line 7"),
    ]


def test_sections_added_removed_changed_and_moved():
    old = copy(section("a", "A", "same"), section("b", "B", "old"), section("c", "C"))
    new = copy(
        section("b", "B2", "new"),
        section("a", "A", "same", children=(section("d", "D", "fresh"),)),
        title="Page 2",
    )

    diff = diff_copies(old, new)

    assert [(f.name, f.old, f.new) for f in diff.fields] == [("title", "Page", "Page 2")]
    summary = [(s.section_id, s.status, s.moved, s.old_title) for s in diff.sections]
    assert summary == [
        ("b", SectionStatus.CHANGED, True, "B"),
        ("a", SectionStatus.CHANGED, True, None),
        ("d", SectionStatus.ADDED, False, None),
        ("c", SectionStatus.REMOVED, False, None),
    ]


def test_identical_copies_have_no_differences():
    page = copy(section("a", "A", "text"))
    assert diff_copies(page, page).empty
