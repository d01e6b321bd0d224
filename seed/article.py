"""Reading the article file into a title and a tree of sections.

The file is plain text: the first line is the title; blocks are separated by blank lines.
A block of one short line without closing punctuation is a heading; a heading that starts
with "N. " is a numbered subsection of the heading before it. Paragraphs after a heading
are its body; a paragraph after two blank lines, or before the first heading, starts an
untitled section. The blog's comment form at the end ("No comments yet…") is not content.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_PATH = Path(__file__).with_name("harvard-medical-school.txt")
ARTICLE_SLUG = "harvard-medical-school"
COMMENT_FORM_START = "No comments yet."
NUMBERED_HEADING = re.compile(r"^(\d+)\.\s+(.+)$")
HEADING_MAX_WORDS = 10
SENTENCE_END = (".", ":", "?", "!", "*", ";", ",")


@dataclass
class SectionData:
    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    children: list["SectionData"] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Article:
    title: str
    sections: list[SectionData]


def _is_heading(block: str) -> bool:
    return (
        "\n" not in block
        and len(block.split()) <= HEADING_MAX_WORDS
        and not block.endswith(SENTENCE_END)
    )


def parse_article(text: str) -> Article:
    text = text.replace("\r\n", "\n")
    text = text.split(COMMENT_FORM_START, 1)[0]
    title, _, rest = text.strip().partition("\n")
    sections: list[SectionData] = []
    current: SectionData | None = None
    numbered_parent: SectionData | None = None
    for block, after_gap in _re_blocks(rest):
        numbered = NUMBERED_HEADING.match(block)
        if numbered and _is_heading(block) and numbered_parent is not None:
            current = SectionData(numbered.group(2).strip())
            numbered_parent.children.append(current)
        elif _is_heading(block):
            current = SectionData(block)
            numbered_parent = current
            sections.append(current)
        elif current is None or after_gap:
            current = SectionData(None, [block])
            numbered_parent = None
            sections.append(current)
        else:
            current.paragraphs.append(block)
    return Article(title.strip(), sections)


def _re_blocks(text: str) -> list[tuple[str, bool]]:
    """Blocks of ``text`` and whether each follows a gap of two or more blank lines."""
    result: list[tuple[str, bool]] = []
    for match in re.finditer(r"(?P<gap>(?:[ \t]*\n)*)(?P<block>[^\n]+(?:\n[^\n]+)*)", text):
        blank_lines = match.group("gap").count("\n") - (1 if match.start() > 0 else 0)
        result.append((match.group("block").strip(), blank_lines >= 2))
    return result


def load_article(path: Path = ARTICLE_PATH) -> Article:
    return parse_article(path.read_text(encoding="utf-8"))
