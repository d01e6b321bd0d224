"""The Revision type: a snapshot of a page and its section tree, and diffs between two."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.services.revisions import RevisionDiff as RevisionDiffData
from cms.services.revisions import SectionChange as SectionChangeData
from schema.context import Info
from schema.relay import Node, to_global_id
from schema.section.snapshot import SectionSnapshot
from schema.user.types import User, load_user

if TYPE_CHECKING:
    from schema.page.types import Page

RevisionKind = strawberry.enum(
    models.RevisionKind,
    name="RevisionKind",
    description="Why a revision was recorded: an edit (SAVE), a PUBLISH or a RESTORE.",
)


@strawberry.type(
    description="A snapshot of a page and its whole section tree, recorded on every save, "
    "publish and restore. Editors only."
)
class Revision(Node):
    pk: strawberry.Private[int]
    page_pk: strawberry.Private[int]
    author_pk: strawberry.Private[int | None]
    number: int = strawberry.field(description="1 for the page's first revision, then 2, 3, …")
    kind: RevisionKind = strawberry.field(description="SAVE, PUBLISH or RESTORE.")
    page_version: int = strawberry.field(description="The page's version it recorded.")
    author_name: str = strawberry.field(
        description="Who made it: the signed-in user's name, or the token's name."
    )
    message: str | None = strawberry.field(description="The editor's note, if any.")
    created_at: datetime = strawberry.field(description="When it was recorded (UTC).")
    slug: str = strawberry.field(description="The page's slug as this revision recorded it.")
    title: str = strawberry.field(description="The page's title as this revision recorded it.")
    summary: str | None = strawberry.field(description="The page's summary, as recorded.")

    @classmethod
    def from_model(cls, revision: models.Revision) -> "Revision":
        return cls(
            id=to_global_id("Revision", revision.id),
            pk=revision.id,
            page_pk=revision.page_id,
            author_pk=revision.author_user_id,
            number=revision.number,
            kind=revision.kind,
            page_version=revision.page_version,
            author_name=revision.author_name,
            message=revision.message,
            created_at=revision.created_at,
            slug=revision.content["page"]["slug"],
            title=revision.content["page"]["title"],
            summary=revision.content["page"]["summary"],
        )

    @strawberry.field(
        description="The page this revision belongs to, as the viewer sees it today (its "
        "working copy for editors): the revision's own content is on the revision."
    )
    async def page(self, info: Info) -> Annotated["Page", strawberry.lazy("schema.page.types")]:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        assert page is not None, "a revision always belongs to a page"
        return await Page.load(info, page)

    @strawberry.field(
        description="The user who made it; null when a token without a user (or the seed, "
        "or a scheduled job) did."
    )
    async def author(self, info: Info) -> User | None:
        return await load_user(info, self.author_pk)

    @strawberry.field(description="The revision's top-level sections, each with `children`.")
    async def sections(self, info: Info) -> list[SectionSnapshot]:
        return SectionSnapshot.top_level(await info.context.loaders.revision_tree(self.pk))


@strawberry.type(description="A section that differs between two revisions.")
class SectionChange:
    section_id: strawberry.ID = strawberry.field(description="The section's global ID.")
    title: str | None = strawberry.field(description="Its heading (in the newer revision).")
    anchor: str = strawberry.field(description="Its anchor (in the newer revision).")
    fields: list[str] = strawberry.field(
        description="For changed sections, what changed: parentId, position, title, anchor, body."
    )

    @classmethod
    def of(cls, change: SectionChangeData) -> "SectionChange":
        return cls(
            section_id=to_global_id("Section", change.section_id),
            title=change.title,
            anchor=change.anchor,
            fields=list(change.fields),
        )


@strawberry.type(description="What changed from one revision to another.")
class RevisionDiff:
    page_fields: list[str] = strawberry.field(
        description="The page's own fields that changed: slug, title, summary."
    )
    added: list[SectionChange] = strawberry.field(description="Sections only in the newer one.")
    removed: list[SectionChange] = strawberry.field(description="Sections only in the older one.")
    changed: list[SectionChange] = strawberry.field(
        description="Sections in both whose content or place differs."
    )

    @classmethod
    def of(cls, diff: RevisionDiffData) -> "RevisionDiff":
        return cls(
            page_fields=diff.page_fields,
            added=[SectionChange.of(c) for c in diff.added],
            removed=[SectionChange.of(c) for c in diff.removed],
            changed=[SectionChange.of(c) for c in diff.changed],
        )
