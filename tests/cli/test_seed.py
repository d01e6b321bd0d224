"""`seed()` loads the project's copy of the article faithfully, once, as one published page.

The expectations come from reading seed/harvard-medical-school.txt here with deliberately
simple rules (blocks are separated by blank lines; a heading is a block without closing
punctuation), not from seed/article.py, so a bug in the loader's parser cannot hide itself.
What is checked is what the database holds.
"""

# The article's curly apostrophes (U+2019) are deliberate: keeping them is what is tested.
# ruff: noqa: RUF001

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cms.models import Comment, Page, PageStatus, Section
from seed.loader import seed

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "seed" / "harvard-medical-school.txt"
TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
SLUG = "harvard-medical-school"
COMMENT_FORM_LINES = (
    "No comments yet. Why don’t you start the discussion?",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
)
NUMBERED_HEADING = re.compile(r"^\d+\. ")


def source_blocks() -> list[str]:
    """The article's content blocks: text split on blank lines, without the title line and
    the blog's comment form at the end."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", SOURCE.read_text("utf-8"))]
    blocks = [block for block in blocks if block]
    assert blocks[0] == TITLE
    assert tuple(blocks[-3:]) == COMMENT_FORM_LINES
    return blocks[1:-3]


def is_heading(block: str) -> bool:
    return not block.endswith((".", ":", "?", "!"))


def source_paragraphs() -> list[str]:
    return [block for block in source_blocks() if not is_heading(block)]


def source_headings() -> list[str]:
    """Headings in order, with the "N. " of numbered ones removed."""
    return [NUMBERED_HEADING.sub("", block) for block in source_blocks() if is_heading(block)]


@dataclass
class Node:
    section: Section
    children: list["Node"]


async def section_tree(page: Page) -> list[Node]:
    """The page's sections from the database, as a tree ordered by position."""
    sections = await Section.filter(page_id=page.id)
    by_parent: dict[int | None, list[Section]] = {}
    for section in sections:
        by_parent.setdefault(section.parent_id, []).append(section)

    def build(parent_id: int | None) -> list[Node]:
        siblings = sorted(by_parent.get(parent_id, []), key=lambda section: section.position)
        assert [section.position for section in siblings] == list(range(len(siblings)))
        return [Node(section, build(section.id)) for section in siblings]

    return build(None)


def in_document_order(tree: list[Node]) -> list[Section]:
    """Every section, parents before their children, siblings by position."""
    return [
        section for node in tree for section in [node.section, *in_document_order(node.children)]
    ]


async def seeded_sections() -> list[Section]:
    page = (await seed()).page
    return in_document_order(await section_tree(page))


async def snapshot() -> dict[str, object]:
    """Everything about the seeded content a second run could change."""
    page = await Page.get(slug=SLUG)
    sections = await Section.filter(page_id=page.id).order_by("id")
    return {
        "page": (page.id, page.title, page.status, page.version, page.updated_at),
        "sections": [
            (s.id, s.parent_id, s.position, s.title, s.anchor, s.body, s.updated_at)
            for s in sections
        ],
        "pages": await Page.all().count(),
        "comments": await Comment.all().count(),
    }


async def content(page: Page) -> list[tuple[int, str | None, str, str]]:
    """The page's content as (depth, title, anchor, body) in document order."""

    def flatten(tree: list[Node], depth: int) -> list[tuple[int, str | None, str, str]]:
        rows = []
        for node in tree:
            section = node.section
            rows.append((depth, section.title, section.anchor, section.body))
            rows += flatten(node.children, depth + 1)
        return rows

    return flatten(await section_tree(page), 0)


async def test_every_paragraph_of_the_source_is_loaded_exactly_once_in_order():
    sections = await seeded_sections()

    loaded = [paragraph for s in sections for paragraph in s.body.split("\n\n") if paragraph]

    assert loaded == source_paragraphs()


async def test_text_is_loaded_byte_for_byte_with_curly_apostrophes():
    bodies = "\n".join(section.body for section in await seeded_sections())

    assert "Brigham and Women’s Hospital, and Boston Children’s Hospital" in bodies
    assert "HMS offers master’s programs" in bodies
    assert "'" not in bodies


async def test_every_heading_becomes_a_section_title_in_order():
    sections = await seeded_sections()

    assert [s.title for s in sections if s.title is not None] == source_headings()


async def test_the_page_outline_nests_the_numbered_programs_under_academic_programs():
    page = (await seed()).page

    outline = [(depth, title) for depth, title, _, _ in await content(page)]

    assert outline == [
        (0, None),
        (0, "Academic Programs"),
        (1, "Medical Doctor (MD) Program"),
        (1, "Doctor of Philosophy (PhD) Programs"),
        (1, "Master’s Programs"),
        (0, "Research and Innovation"),
        (0, "Clinical Care"),
        (0, "Diversity and Inclusion"),
        (0, "Global Impact"),
        (0, None),
        (0, "Leadership and Impact"),
        (0, "Community Engagement"),
        (0, "Student Life"),
        (0, "Alumni Network"),
        (0, "Future Directions"),
        (0, None),
    ]


async def test_numbered_headings_are_children_of_academic_programs_at_their_positions():
    page = (await seed()).page
    academic_programs = await Section.get(page_id=page.id, title="Academic Programs")

    children = await Section.filter(parent_id=academic_programs.id).order_by("position")

    assert [(child.position, child.title) for child in children] == [
        (0, "Medical Doctor (MD) Program"),
        (1, "Doctor of Philosophy (PhD) Programs"),
        (2, "Master’s Programs"),
    ]


async def test_untitled_paragraphs_are_untitled_top_level_sections_in_their_places():
    page = (await seed()).page
    top_level = [node.section for node in await section_tree(page)]

    untitled = {s.position: s.body for s in top_level if s.title is None}

    assert list(untitled) == [0, 6, 12]
    assert untitled[0].startswith("Harvard Medical School (HMS), located in Boston")
    assert untitled[6].startswith("Harvard Medical School stands as a beacon")
    assert untitled[12].startswith("Harvard Medical School’s legacy")
    assert not any("\n" in body for body in untitled.values())
    assert top_level[5].title == "Global Impact"
    assert top_level[11].title == "Future Directions"


async def test_the_article_is_one_published_page_with_its_slug_and_exact_title():
    await seed()

    page = await Page.get(slug=SLUG)

    assert await Page.all().count() == 1
    assert page.title == TITLE
    assert page.status == PageStatus.PUBLISHED
    assert page.published_at is not None


async def test_the_blogs_comment_form_is_not_loaded_and_no_comments_are_invented():
    page = (await seed()).page
    texts = [page.title, page.summary or ""]
    texts += [f"{s.title or ''}\n{s.body}" for s in await Section.all()]

    for line in ("No comments yet", "Leave a Reply", "Your email address will not be published"):
        assert not any(line in text for text in texts), line
    assert await Comment.all().count() == 0


async def test_seeding_twice_changes_nothing():
    first = await seed()
    before = await snapshot()

    second = await seed()

    assert (first.created, second.created) == (True, False)
    assert second.page.id == first.page.id
    assert await snapshot() == before


async def test_seed_with_reset_replaces_an_edited_page_with_the_article():
    page = (await seed()).page
    fresh_content = await content(page)
    await Page.filter(id=page.id).update(title="Edited", status=PageStatus.DRAFT, version=7)
    await Section.filter(page_id=page.id, title="Clinical Care").delete()
    await Comment.create(page=page, author_name="A", author_email="a@example.org", body="Hi")

    result = await seed(reset=True)

    reloaded = await Page.get(slug=SLUG)
    assert result.created
    assert (reloaded.title, reloaded.status, reloaded.version) == (TITLE, PageStatus.PUBLISHED, 1)
    assert await content(reloaded) == fresh_content
    assert await Page.all().count() == 1
    assert await Comment.all().count() == 0


async def test_section_anchors_are_unique_url_safe_slugs_on_the_page():
    anchors = [section.anchor for section in await seeded_sections()]

    assert len(set(anchors)) == len(anchors) == 16
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", anchor) for anchor in anchors)
    assert "academic-programs" in anchors


def test_the_project_never_reads_the_shared_folder_users_do_not_have():
    # Spelled in two parts so this file does not match its own search.
    needle = ".." + "/shared"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=30
    ).stdout.decode()
    offenders = []
    for name in filter(None, tracked.split("\0")):
        path = REPO / name
        if name == "README.md" or not path.is_file():
            continue
        if needle.encode() in path.read_bytes():
            offenders.append(name)

    assert offenders == []
