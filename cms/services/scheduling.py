"""Scheduled publishing and unpublishing: run exactly once however many processes poll, and
never lost when a runner dies.

Scheduling a publish snapshots the working copy as a revision, and that revision is what goes
live: edits made afterwards were not part of what was scheduled, so they need their own
publish (or a new schedule).

A runner claims a due job with one atomic update that *leases* it (``leased_until``) and
acts only if its update changed a row: two processes can see the same due job, only one
wins. The job is marked DONE in the same transaction as the publish, so a runner killed
mid-run leaves the job PENDING with its page unchanged; once the lease expires another
runner takes it over. A job whose runners keep dying is given up after MAX_ATTEMPTS.
"""

import asyncio
import logging
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, ValidationFailed
from cms.events import EventBus
from cms.models import Page, PageStatus, RevisionKind, ScheduledAction, ScheduledJob, ScheduleState
from cms.services import publishing
from cms.services.alt_text import check_images_described
from cms.services.auth import Actor, Viewer, require_editor
from cms.services.pagination import ID_ASC, Ordered, SortKey, ordered
from cms.services.snapshots import record_revision, take_snapshot

logger = logging.getLogger("cms.scheduling")

MAX_ATTEMPTS = 5
DEFAULT_LEASE_SECONDS = 300.0


async def schedule(
    viewer: Viewer | None, page_id: int, action: ScheduledAction, run_at: datetime
) -> ScheduledJob:
    """Publish or unpublish ``page_id`` at ``run_at`` (which must be in the future). A
    publish takes the working copy as it is now, recorded as a revision."""
    viewer = require_editor(viewer)
    if run_at.tzinfo is None:
        raise ValidationFailed.single(
            "at", "Give a time zone (for example 2030-01-01T09:00:00Z).", ErrorCode.INVALID
        )
    if run_at <= now():
        raise ValidationFailed.single("at", "The time must be in the future.", ErrorCode.INVALID)
    async with in_transaction():
        page = await Page.select_for_update().get_or_none(id=page_id)
        if page is None:
            raise ValidationFailed.single("pageId", "No page with this id.", ErrorCode.NOT_FOUND)
        revision = None
        if action is ScheduledAction.PUBLISH:
            snapshot = await take_snapshot(page)
            await check_images_described(snapshot)
            note = f"Scheduled to publish at {run_at.isoformat()}."
            revision = await record_revision(page, RevisionKind.SAVE, viewer.actor, note, snapshot)
        return await ScheduledJob.create(
            page_id=page_id, action=action, run_at=run_at, created_by=viewer.name, revision=revision
        )


async def cancel(viewer: Viewer | None, job_id: int) -> ScheduledJob:
    require_editor(viewer)
    claimed = await ScheduledJob.filter(id=job_id, state=ScheduleState.PENDING).update(
        state=ScheduleState.CANCELLED, leased_until=None
    )
    job = await ScheduledJob.get_or_none(id=job_id)
    if job is None or not claimed:
        raise ValidationFailed.single(
            "id", "No pending scheduled job with this id.", ErrorCode.NOT_FOUND
        )
    return job


def page_jobs(viewer: Viewer | None, page_id: int) -> Ordered[ScheduledJob]:
    """A page's scheduled jobs, soonest first."""
    require_editor(viewer)
    soonest_first = SortKey("run_at", value_type=datetime)
    return ordered(ScheduledJob.filter(page_id=page_id), soonest_first, ID_ASC)


def _free() -> Q:
    """Not leased, or its runner's lease has run out (the runner died)."""
    return Q(leased_until=None) | Q(leased_until__lt=now())


async def due_jobs() -> list[ScheduledJob]:
    return await ScheduledJob.filter(_free(), state=ScheduleState.PENDING, run_at__lte=now())


async def _claim(job: ScheduledJob, lease_seconds: float) -> int | None:
    """Lease the job; the attempt number that identifies this runner's lease, or None if
    another runner holds it (or it is no longer pending)."""
    claimed = await ScheduledJob.filter(_free(), id=job.id, state=ScheduleState.PENDING).update(
        leased_until=now() + timedelta(seconds=lease_seconds), attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    attempt = await ScheduledJob.filter(id=job.id).first().values_list("attempts", flat=True)
    if attempt is not None and attempt > MAX_ATTEMPTS:
        await ScheduledJob.filter(id=job.id, attempts=attempt).update(
            state=ScheduleState.FAILED,
            leased_until=None,
            error=f"Gave up: the runner stopped during each of {MAX_ATTEMPTS} attempts.",
        )
        return None
    return attempt


async def _act(job: ScheduledJob) -> tuple[Page, publishing.PageEvent | None]:
    """Publish or unpublish, inside the caller's transaction."""
    if job.action is ScheduledAction.PUBLISH:
        await job.fetch_related("revision")
        page, changed = await publishing.publish_in_transaction(
            Actor(job.created_by), job.page_id, message="Scheduled publish.", revision=job.revision
        )
        return page, publishing.PageEvent.PUBLISHED if changed else None
    return await publishing.take_down_in_transaction(job.page_id, PageStatus.DRAFT)


async def run_job(
    job: ScheduledJob,
    events: EventBus | None = None,
    lease_seconds: float = DEFAULT_LEASE_SECONDS,
) -> bool:
    """Claim the job and run it; False if another runner holds it."""
    attempt = await _claim(job, lease_seconds)
    if attempt is None:
        return False
    try:
        async with in_transaction():
            mine = await ScheduledJob.select_for_update().get_or_none(
                id=job.id, state=ScheduleState.PENDING, attempts=attempt
            )
            if mine is None:  # cancelled meanwhile, or our lease ran out and was taken over
                return False
            page, event = await _act(mine)
            await ScheduledJob.filter(id=job.id).update(
                state=ScheduleState.DONE, executed_at=now(), leased_until=None
            )
    except Exception as error:  # any failure is recorded on the job, then the loop goes on
        logger.exception("Scheduled job %s failed", job.id)
        await ScheduledJob.filter(id=job.id, attempts=attempt).update(
            state=ScheduleState.FAILED, leased_until=None, error=str(error)[:2000]
        )
        return True
    if event is not None:
        await publishing.announce(events, event, page)
    return True


async def run_due_jobs(
    events: EventBus | None = None, lease_seconds: float = DEFAULT_LEASE_SECONDS
) -> int:
    """Run every job that is due and that this process wins; returns how many it ran."""
    return sum([await run_job(job, events, lease_seconds) for job in await due_jobs()])


async def run_scheduler(events: EventBus | None, interval: float, lease_seconds: float) -> None:
    """Poll for due jobs every ``interval`` seconds until cancelled."""
    while True:
        try:
            await run_due_jobs(events, lease_seconds)
        except Exception:  # a database hiccup must not stop the scheduler for good
            logger.exception("Running scheduled jobs failed")
        await asyncio.sleep(interval)
