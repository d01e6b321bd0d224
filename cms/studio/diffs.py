"""What differs between two copies of a page, section by section, line by line.

Used for the editor's conflicts (my unsaved copy against the one someone else saved) and for
comparing two revisions. A copy is the page's fields plus its sections flattened in reading
order; bodies are compared with difflib, a few lines of context around each change.
"""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

PAGE_FIELDS = ("title", "slug", "summary")
CONTEXT_LINES = 2


class LineKind(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"
    GAP = "gap"  # unchanged lines left out


class SectionStatus(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Line:
    kind: LineKind
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    old: str
    new: str


@dataclass
class SectionDiff:
    section_id: str
    title: str
    status: SectionStatus
    old_title: str | None = None
    moved: bool = False
    lines: list[Line] = field(default_factory=list)


@dataclass
class CopyDiff:
    fields: list[FieldDiff]
    sections: list[SectionDiff]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.sections


def flatten(sections: Iterable[dict[str, Any]], parent_id: str | None = None) -> list[dict]:
    """A section tree as the API gives it (``children`` nested; ids in ``id`` or, for
    revisions, ``sectionId``) → flat dicts with id, title, body, parentId and position."""
    flat: list[dict[str, Any]] = []
    for position, section in enumerate(sections):
        section_id = section.get("sectionId") or section["id"]
        flat.append(
            {
                "id": section_id,
                "title": section.get("title") or "",
                "body": section.get("body") or "",
                "parentId": parent_id,
                "position": position,
            }
        )
        flat.extend(flatten(section.get("children") or [], section_id))
    return flat


def copy_of(page: dict[str, Any]) -> dict[str, Any]:
    """A page's working copy or a revision, as the API gives it, in the form
    :func:`diff_copies` compares."""
    return {
        "title": page["title"],
        "slug": page["slug"],
        "summary": page.get("summary") or "",
        "sections": flatten(page["sections"]),
    }


def diff_lines(old: str, new: str) -> list[Line]:
    """The lines of ``new`` against ``old``: changes with a little context, gaps marked."""
    kinds = {"+": LineKind.ADDED, "-": LineKind.REMOVED, " ": LineKind.SAME}
    lines: list[Line] = []
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), n=CONTEXT_LINES, lineterm="")
    for text in diff:
        if text.startswith(("---", "+++")):
            continue
        if text.startswith("@@"):
            # "@@ -12,5 +12,6 @@": lines were left out unless this hunk starts at the top.
            if lines or not text.startswith(("@@ -1,", "@@ -0,", "@@ -1 ")):
                lines.append(Line(LineKind.GAP, "…"))
        else:
            lines.append(Line(kinds[text[0]], text[1:]))
    return lines


def _section_change(old: dict[str, Any], new: dict[str, Any]) -> SectionDiff | None:
    # A copy that does not say where its sections are (position None) did not move them.
    moved = new.get("position") is not None and (old["parentId"], old["position"]) != (
        new.get("parentId"),
        new["position"],
    )
    retitled = old["title"] != new["title"]
    if not (moved or retitled or old["body"] != new["body"]):
        return None
    return SectionDiff(
        section_id=new["id"],
        title=new["title"],
        status=SectionStatus.CHANGED,
        old_title=old["title"] if retitled else None,
        moved=moved,
        lines=diff_lines(old["body"], new["body"]),
    )


def diff_copies(old: dict[str, Any], new: dict[str, Any]) -> CopyDiff:
    """``new`` against ``old``: each a dict of the page fields and flat ``sections``."""
    fields = [
        FieldDiff(name, old.get(name) or "", new.get(name) or "")
        for name in PAGE_FIELDS
        if (old.get(name) or "") != (new.get(name) or "")
    ]
    old_sections = {section["id"]: section for section in old["sections"]}
    new_ids = {section["id"] for section in new["sections"]}
    sections: list[SectionDiff] = []
    for section in new["sections"]:
        before = old_sections.get(section["id"])
        if before is None:
            sections.append(
                SectionDiff(
                    section["id"],
                    section["title"],
                    SectionStatus.ADDED,
                    lines=diff_lines("", section["body"]),
                )
            )
        elif change := _section_change(before, section):
            sections.append(change)
    sections.extend(
        SectionDiff(
            section["id"],
            section["title"],
            SectionStatus.REMOVED,
            lines=diff_lines(section["body"], ""),
        )
        for section in old["sections"]
        if section["id"] not in new_ids
    )
    return CopyDiff(fields, sections)
