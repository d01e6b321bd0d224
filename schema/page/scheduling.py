"""Scheduled publishing and unpublishing, and preview links: thin wrappers over
cms.services.scheduling and cms.services.preview."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.services import preview, scheduling
from cms.services.auth import require_editor
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see
from schema.relay import Node, decode_id, to_global_id

if TYPE_CHECKING:
    from schema.page.types import Page
    from schema.revision.types import Revision

ScheduledAction = strawberry.enum(
    models.ScheduledAction, name="ScheduledAction", description="What a scheduled job does."
)
ScheduledJobStatus = strawberry.enum(
    models.ScheduleState,
    name="ScheduledJobStatus",
    description="PENDING until it has run (also while a runner holds it); then DONE or "
    "FAILED; or CANCELLED before that.",
)


@strawberry.type(description="A publish or unpublish that runs at a set time, exactly once.")
class ScheduledJob(Node):
    revision_pk: strawberry.Private[int | None]
    page_pk: strawberry.Private[int]
    action: ScheduledAction = strawberry.field(description="PUBLISH or UNPUBLISH.")
    run_at: datetime = strawberry.field(description="When it is due (UTC).")
    status: ScheduledJobStatus = strawberry.field(description="Where it is in its life.")
    created_by: str = strawberry.field(description="The name of the token that scheduled it.")
    executed_at: datetime | None = strawberry.field(description="When it ran (UTC), if it did.")
    error: str | None = strawberry.field(description="Why it FAILED, if it did.")

    @classmethod
    def from_model(cls, job: models.ScheduledJob) -> "ScheduledJob":
        return cls(
            id=to_global_id("ScheduledJob", job.id),
            revision_pk=job.revision_id,
            page_pk=job.page_id,
            action=job.action,
            run_at=job.run_at,
            status=job.state,
            created_by=job.created_by,
            executed_at=job.executed_at,
            error=job.error,
        )

    @strawberry.field(description="The page it publishes or unpublishes (its working copy).")
    async def page(self, info: Info) -> Annotated["Page", strawberry.lazy("schema.page.types")]:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        assert page is not None, "a scheduled job always belongs to a page"
        return await Page.load(info, page)

    @strawberry.field(
        description="What a PUBLISH puts live: the working copy as it was when it was "
        "scheduled (its `pageVersion`). Later edits are not included: publish them or "
        "schedule again. Null for an UNPUBLISH."
    )
    async def revision(
        self, info: Info
    ) -> Annotated["Revision", strawberry.lazy("schema.revision.types")] | None:
        from schema.revision.types import Revision

        if self.revision_pk is None:
            return None
        revision = await info.context.loaders.revision.load(self.revision_pk)
        return Revision.from_model(revision) if revision else None


@strawberry.type(description="The result of scheduling: the job, or errors.")
class ScheduledJobPayload:
    job: ScheduledJob | None = strawberry.field(description="The job; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="When to publish or unpublish a page.")
class SchedulePageInput:
    page_id: strawberry.ID = strawberry.field(description="The page's global ID.")
    at: datetime = strawberry.field(
        description="When, with a time zone (ISO 8601, e.g. 2030-01-01T09:00:00Z); "
        "must be in the future."
    )


@strawberry.input(description="The scheduled job to cancel.")
class CancelScheduledJobInput:
    id: strawberry.ID = strawberry.field(description="The job's global ID.")


@strawberry.type(description="A signed link that shows a page's working copy, read-only.")
class PreviewLink:
    token: str = strawberry.field(description="Pass it to `preview(previewToken:)`.")
    expires_at: datetime = strawberry.field(description="When it stops working (UTC).")


@strawberry.type(description="The result of createPreviewLink: the link, or errors.")
class PreviewLinkPayload:
    link: PreviewLink | None = strawberry.field(description="The link; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="The page to preview and for how long.")
class CreatePreviewLinkInput:
    page_id: strawberry.ID = strawberry.field(description="The page's global ID.")
    expires_in: int = strawberry.field(
        default=86_400, description="Seconds the link stays valid (default one day)."
    )


async def _schedule(
    info: Info, input: SchedulePageInput, action: models.ScheduledAction
) -> ScheduledJobPayload:
    viewer = require_editor(info.context.viewer)
    changed_nothing_readers_see(info)
    job, errors = await run_mutation(
        lambda: scheduling.schedule(
            viewer, decode_id(input.page_id, "Page", "pageId"), action, input.at
        )
    )
    return ScheduledJobPayload(job=ScheduledJob.from_model(job) if job else None, errors=errors)


ScheduleArg = Annotated[SchedulePageInput, strawberry.argument(description="Page and time.")]


@strawberry.type
class SchedulingMutations:
    @strawberry.mutation(
        description="Publish a page's working copy, as it is now (recorded as a revision), "
        "at a set time; later edits need their own publish or a new schedule. Editors only."
    )
    async def schedule_publish(self, info: Info, input: ScheduleArg) -> ScheduledJobPayload | None:
        return await _schedule(info, input, models.ScheduledAction.PUBLISH)

    @strawberry.mutation(description="Unpublish a page at a set time. Editors only.")
    async def schedule_unpublish(
        self, info: Info, input: ScheduleArg
    ) -> ScheduledJobPayload | None:
        return await _schedule(info, input, models.ScheduledAction.UNPUBLISH)

    @strawberry.mutation(description="Cancel a PENDING scheduled job. Editors only.")
    async def cancel_scheduled_job(
        self,
        info: Info,
        input: Annotated[CancelScheduledJobInput, strawberry.argument(description="The job.")],
    ) -> ScheduledJobPayload | None:
        viewer = require_editor(info.context.viewer)
        changed_nothing_readers_see(info)
        job, errors = await run_mutation(
            lambda: scheduling.cancel(viewer, decode_id(input.id, "ScheduledJob", "id"))
        )
        return ScheduledJobPayload(job=ScheduledJob.from_model(job) if job else None, errors=errors)

    @strawberry.mutation(
        description="A signed, expiring token that shows this page's working copy to anyone "
        "holding it, through `preview(previewToken:)`. Editors only."
    )
    async def create_preview_link(
        self,
        info: Info,
        input: Annotated[CreatePreviewLinkInput, strawberry.argument(description="The page.")],
    ) -> PreviewLinkPayload | None:
        viewer = require_editor(info.context.viewer)
        changed_nothing_readers_see(info)
        link, errors = await run_mutation(
            lambda: preview.create_preview_link(
                viewer,
                info.context.settings,
                decode_id(input.page_id, "Page", "pageId"),
                input.expires_in,
            )
        )
        return PreviewLinkPayload(
            link=PreviewLink(token=link.token, expires_at=link.expires_at) if link else None,
            errors=errors,
        )
