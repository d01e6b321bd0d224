"""Scheduled publishing and unpublishing, run exactly once however many processes poll.

A worker claims a due job with one atomic ``UPDATE scheduled_job SET state = 'DONE' WHERE
id = ? AND state = 'PENDING'`` and acts only if its update changed a row: two processes can
see the same due job, only one of them wins the claim.
"""

import asyncio
import logging
from datetime import datetime

from tortoise.queryset import QuerySet
from tortoise.timezone import now

from cms.errors import ErrorCode, ValidationFailed
from cms.events import EventBus
from cms.models import Page, PageStatus, ScheduledAction, ScheduledJob, ScheduleState
from cms.services import publishing
from cms.services.auth import Viewer, require_editor

logger = logging.getLogger("cms.scheduling")


async def schedule(
    viewer: Viewer | None, page_id: int, action: ScheduledAction, run_at: datetime
) -> ScheduledJob:
    """Publish or unpublish ``page_id`` at ``run_at`` (which must be in the future)."""
    viewer = require_editor(viewer)
    if run_at.tzinfo is None:
        raise ValidationFailed.single(
            "at", "Give a time zone (for example 2030-01-01T09:00:00Z).", ErrorCode.INVALID
        )
    if run_at <= now():
        raise ValidationFailed.single("at", "The time must be in the future.", ErrorCode.INVALID)
    if not await Page.exists(id=page_id):
        raise ValidationFailed.single("pageId", "No page with this id.", ErrorCode.NOT_FOUND)
    return await ScheduledJob.create(
        page_id=page_id, action=action, run_at=run_at, created_by=viewer.name
    )


async def cancel(viewer: Viewer | None, job_id: int) -> ScheduledJob:
    require_editor(viewer)
    claimed = await ScheduledJob.filter(id=job_id, state=ScheduleState.PENDING).update(
        state=ScheduleState.CANCELLED
    )
    job = await ScheduledJob.get_or_none(id=job_id)
    if job is None or not claimed:
        raise ValidationFailed.single(
            "id", "No pending scheduled job with this id.", ErrorCode.NOT_FOUND
        )
    return job


def page_jobs(viewer: Viewer | None, page_id: int) -> QuerySet[ScheduledJob]:
    require_editor(viewer)
    return ScheduledJob.filter(page_id=page_id).order_by("run_at", "id")


async def _run(job: ScheduledJob, events: EventBus | None) -> None:
    if job.action is ScheduledAction.PUBLISH:
        await publishing.publish(
            job.created_by, job.page_id, message="Scheduled publish.", events=events
        )
    else:
        await publishing.take_down(job.page_id, PageStatus.DRAFT, events=events)


async def due_jobs() -> list[ScheduledJob]:
    return await ScheduledJob.filter(state=ScheduleState.PENDING, run_at__lte=now())


async def run_job(job: ScheduledJob, events: EventBus | None = None) -> bool:
    """Claim the job and run it; False if another runner claimed it first."""
    # DONE is set in the claim itself, before running: a crash mid-run leaves the job DONE
    # rather than running it twice; a failure is recorded as FAILED below.
    claimed = await ScheduledJob.filter(id=job.id, state=ScheduleState.PENDING).update(
        state=ScheduleState.DONE, executed_at=now()
    )
    if not claimed:
        return False
    try:
        await _run(job, events)
    except Exception as error:  # any failure is recorded on the job, then the loop goes on
        logger.exception("Scheduled job %s failed", job.id)
        await ScheduledJob.filter(id=job.id).update(
            state=ScheduleState.FAILED, error=str(error)[:2000]
        )
    return True


async def run_due_jobs(events: EventBus | None = None) -> int:
    """Run every job that is due and that this process wins; returns how many it ran."""
    return sum([await run_job(job, events) for job in await due_jobs()])


async def run_scheduler(events: EventBus | None, interval: float) -> None:
    """Poll for due jobs every ``interval`` seconds until cancelled."""
    while True:
        try:
            await run_due_jobs(events)
        except Exception:  # a database hiccup must not stop the scheduler for good
            logger.exception("Running scheduled jobs failed")
        await asyncio.sleep(interval)
