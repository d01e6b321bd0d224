"""Autosave: the editor's batch of changes turned into the API's mutations, in order.

The editor sends what changed since its last save (page fields, section texts, and the tree
operations: add, move, delete) with the page version it started from. Each mutation names
the version the previous one left, so if anyone else saved meanwhile the first one fails
with CONFLICT and nothing of the batch is written. Sections the editor added get their real
IDs here; later steps of the same batch (and the editor) use them instead of the
temporary ones.

A batch without a note is an autosave: its mutations say so (``autosave``), so the author's
latest autosave revision is updated rather than one revision recorded per step and batch
(cms/services/autosave.py). A batch with a note ("Save revision with note") records its own.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from cms.site.api import ApiResult

Execute = Callable[[str, dict[str, Any]], Awaitable[ApiResult]]

PAGE_TEXT_FIELDS = ("title", "slug", "summary")
# With the cover image's asset ID ("" removes the cover), sent as updatePage's coverImageId.
PAGE_FIELDS = (*PAGE_TEXT_FIELDS, "coverImageId")
TEMPORARY_ID_PREFIX = "new-"
CONFLICT = "CONFLICT"
NOT_FOUND = "NOT_FOUND"
# The mutations that record a revision, and take ``autosave``.
REVISION_PAYLOADS = frozenset(
    {"createSection", "moveSection", "deleteSection", "updatePage", "updateSection"}
)


class BadSaveRequest(ValueError):
    """The request is not what the editor's script sends."""


def _strings(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadSaveRequest(f"{name} must be a list of strings")
    return value


@dataclass
class SaveRequest:
    version: int
    page: dict[str, Any]
    sections: list[dict[str, Any]]
    changed_fields: list[str] = field(default_factory=list)
    changed_sections: list[str] = field(default_factory=list)
    operations: list[dict[str, Any]] = field(default_factory=list)
    message: str | None = None
    # After a conflict, "keep mine": sections the other editor deleted are skipped.
    keep_mine: bool = False

    @classmethod
    def from_json(cls, data: Any) -> "SaveRequest":
        if not isinstance(data, dict) or not isinstance(data.get("version"), int):
            raise BadSaveRequest("version is required")
        page, sections = data.get("page"), data.get("sections")
        if not isinstance(page, dict) or not isinstance(sections, list):
            raise BadSaveRequest("page and sections are required")
        if not all(isinstance(section, dict) and "id" in section for section in sections):
            raise BadSaveRequest("every section needs an id")
        operations = data.get("operations", [])
        if not isinstance(operations, list) or not all(
            isinstance(op, dict) and op.get("op") in ("add", "move", "delete") for op in operations
        ):
            raise BadSaveRequest("operations must be add, move or delete")
        fields = _strings(data.get("changedFields", []), "changedFields")
        if not set(fields) <= {*PAGE_FIELDS, "commentsOpen"}:
            raise BadSaveRequest("unknown page field")
        message = data.get("message")
        return cls(
            version=data["version"],
            page=page,
            sections=[
                {
                    "id": str(section["id"]),
                    "title": str(section.get("title") or ""),
                    "body": str(section.get("body") or ""),
                    "parentId": section.get("parentId"),
                    "position": section.get("position"),
                }
                for section in sections
            ],
            changed_fields=fields,
            changed_sections=_strings(data.get("changedSections", []), "changedSections"),
            operations=operations,
            message=message.strip() or None if isinstance(message, str) else None,
            keep_mine=data.get("keepMine") is True,
        )

    def section(self, section_id: str) -> dict[str, Any] | None:
        return next((s for s in self.sections if s["id"] == section_id), None)


@dataclass
class SaveOutcome:
    version: int
    ids: dict[str, str] = field(default_factory=dict)
    applied_operations: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    conflict: bool = False

    @property
    def saved(self) -> bool:
        return not self.errors and not self.conflict


class Stop(Exception):
    """A step failed: the batch stops there."""


class WorkingCopySave:
    def __init__(self, execute: Execute, page_id: str, request: SaveRequest) -> None:
        self.execute = execute
        self.page_id = page_id
        self.request = request
        self.outcome = SaveOutcome(version=request.version)

    def real_id(self, section_id: str | None) -> str | None:
        if section_id is None:
            return None
        return self.outcome.ids.get(section_id, section_id)

    async def step(
        self, document: str, payload_name: str, input_: dict[str, Any], *, target: str
    ) -> dict[str, Any] | None:
        """Run one mutation; record the version it left. None when skipped (keep mine and
        the section is gone)."""
        if payload_name in REVISION_PAYLOADS:
            input_ = {**input_, "autosave": self.request.message is None}
        result = await self.execute(document, {"input": input_})
        if result.errors:
            error = result.errors[0]
            self.outcome.errors.append(
                {"target": target, "field": "form", "message": error.message, "code": error.code}
            )
            raise Stop
        payload = result.data[payload_name]
        for error in payload["errors"]:
            if error["code"] == CONFLICT:
                self.outcome.conflict = True
                self.outcome.version = error.get("currentVersion") or self.outcome.version
                raise Stop
            if error["code"] == NOT_FOUND and self.request.keep_mine:
                return None
            if error["code"] == NOT_FOUND and await self.page_changed():
                self.outcome.conflict = True
                raise Stop
            self.outcome.errors.append({"target": target, **error})
            raise Stop
        return payload

    async def page_changed(self) -> bool:
        """Whether someone else saved the page since the version this batch started from
        (then a section that is gone was theirs to delete: a conflict, not a mistake)."""
        result = await self.execute("page_version", {"id": self.page_id})
        page = result.data.get("node") or {}
        return page.get("version", self.outcome.version) != self.outcome.version

    def advance(self, version: int | None = None) -> int:
        self.outcome.version = version if version is not None else self.outcome.version + 1
        return self.outcome.version

    async def run(self) -> SaveOutcome:
        try:
            for operation in self.request.operations:
                await self.operation(operation)
                self.outcome.applied_operations += 1
            await self.page_fields()
            for section_id in self.request.changed_sections:
                await self.section_text(section_id)
            if "commentsOpen" in self.request.changed_fields:
                await self.comments_open()
        except Stop:
            pass
        return self.outcome

    async def operation(self, operation: dict[str, Any]) -> None:
        version = self.outcome.version
        if operation["op"] == "add":
            section = self.request.section(operation.get("tempId", "")) or {}
            payload = await self.step(
                "create_section",
                "createSection",
                {
                    "pageId": self.page_id,
                    "version": version,
                    "parentId": self.real_id(operation.get("parentId")),
                    "position": operation.get("position"),
                    "title": section.get("title") or None,
                    "body": section.get("body") or "",
                },
                target=operation.get("tempId", ""),
            )
            if payload is not None:
                self.outcome.ids[operation["tempId"]] = payload["section"]["id"]
                self.advance(payload["section"]["page"]["version"])
        elif operation["op"] == "move":
            payload = await self.step(
                "move_section",
                "moveSection",
                {
                    "id": self.real_id(operation["id"]),
                    "version": version,
                    "parentId": self.real_id(operation.get("parentId")),
                    "position": operation.get("position"),
                },
                target=operation["id"],
            )
            if payload is not None:
                self.advance(payload["section"]["page"]["version"])
        else:
            input_ = {"id": self.real_id(operation["id"]), "version": version}
            if await self.step("delete_section", "deleteSection", input_, target=operation["id"]):
                self.advance()  # a delete bumps the version by one; its payload has no page

    async def page_fields(self) -> None:
        changed = [name for name in PAGE_FIELDS if name in self.request.changed_fields]
        if not changed and not self.request.message:
            return
        input_: dict[str, Any] = {"id": self.page_id, "version": self.outcome.version}
        input_.update({name: self.request.page.get(name) or "" for name in changed})
        if self.request.message:
            input_["message"] = self.request.message
        payload = await self.step("update_page", "updatePage", input_, target="page")
        if payload is not None:
            self.advance(payload["page"]["version"])

    async def section_text(self, section_id: str) -> None:
        section = self.request.section(section_id)
        real_id = self.real_id(section_id)
        if section is None or real_id is None or real_id.startswith(TEMPORARY_ID_PREFIX):
            return  # deleted before it was saved, or its add failed
        input_ = {
            "id": real_id,
            "version": self.outcome.version,
            "title": section.get("title") or "",
            "body": section.get("body") or "",
        }
        payload = await self.step("update_section", "updateSection", input_, target=section_id)
        if payload is not None:
            self.advance(payload["section"]["page"]["version"])

    async def comments_open(self) -> None:
        is_open = self.request.page.get("commentsOpen") is True
        input_ = {"pageId": self.page_id, "open": is_open}
        await self.step("set_comments_open", "setCommentsOpen", input_, target="commentsOpen")


async def save_working_copy(execute: Execute, page_id: str, request: SaveRequest) -> SaveOutcome:
    return await WorkingCopySave(execute, page_id, request).run()
