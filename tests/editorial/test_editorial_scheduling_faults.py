"""A scheduled publish is never lost: a runner killed mid-run (kill -9) leaves the job
pending and its page untouched, and another runner takes the job over once the lease ends."""

import asyncio
import os
import signal
import sys
import time
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from database_support import IS_POSTGRES
from editorial_support import Editor, read_as_reader
from tortoise.timezone import now

from cms.models import Page, PageStatus, ScheduledJob, ScheduleState
from cms.services.scheduling import run_due_jobs

CMS = Path(sys.executable).with_name("cms")
REPO = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 1.0
DEADLINE_SECONDS = 20.0
SCHEDULE = """mutation ($input: SchedulePageInput!) {
  schedulePublish(input: $input) { job { id } errors { field code } } }"""


async def due_publish(editor: Editor) -> dict:
    """A page with a section, scheduled to publish, and due now."""
    page = await editor.create_page()
    await editor.add_section(page, "Intro", "Scheduled text.")
    at = (now() + timedelta(minutes=1)).isoformat()
    await editor.call(SCHEDULE, "schedulePublish", input={"pageId": page["id"], "at": at})
    await ScheduledJob.all().update(run_at=now() - timedelta(seconds=1))
    return page


async def until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not await condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        await asyncio.sleep(0.05)


async def publish_scheduled(database_url: str) -> asyncio.subprocess.Process:
    """`cms publish-scheduled`, as cron runs it, with a short lease."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update(
        CMS_DATABASE_URL=database_url,
        CMS_SCHEDULER_LEASE_SECONDS=str(LEASE_SECONDS),
        PYTHONPATH=str(REPO),
    )
    return await asyncio.create_subprocess_exec(
        str(CMS),
        "publish-scheduled",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def test_a_job_whose_runner_died_after_claiming_it_runs_once_the_lease_expires(gql, editor):
    await due_publish(editor)
    # What a runner's claim writes, by a runner that then died (its process is gone).
    leased_until = now() + timedelta(seconds=LEASE_SECONDS)
    await ScheduledJob.all().update(leased_until=leased_until, attempts=1)

    assert await run_due_jobs(lease_seconds=LEASE_SECONDS) == 0  # still leased

    async def ran() -> bool:
        return await run_due_jobs(lease_seconds=LEASE_SECONDS) == 1

    await until(ran, "the expired lease to be taken over")
    job = await ScheduledJob.get()
    assert (job.state, job.attempts, job.leased_until) == (ScheduleState.DONE, 2, None)
    assert (await read_as_reader(gql, "news"))["sections"][0]["body"] == "Scheduled text."


@pytest.mark.skipif(not IS_POSTGRES, reason="holds a row lock, which SQLite does not have")
async def test_a_runner_killed_in_the_middle_of_a_publish_loses_nothing(gql, editor, database):
    page = await due_publish(editor)
    page_pk = (await Page.get()).id
    url = database.url.replace("postgres://", "postgresql://", 1)
    # Activity is read from another connection: a transaction sees a frozen snapshot of it.
    blocker, observer = await asyncpg.connect(url), await asyncpg.connect(url)
    try:
        # Hold the page's row: the runner claims the job, starts its publish transaction
        # and waits for this lock — the point where it is killed.
        transaction = blocker.transaction()
        await transaction.start()
        await blocker.execute("SELECT id FROM page WHERE id = $1 FOR UPDATE", page_pk)
        runner = await publish_scheduled(database.url)

        async def waits_for_the_page() -> bool:
            return bool(
                await observer.fetchval(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND query ILIKE '%\"page\"%'"
                )
            )

        await until(waits_for_the_page, "the runner to wait for the page inside its publish")
        runner.send_signal(signal.SIGKILL)
        await runner.wait()
        await transaction.rollback()
    finally:
        await blocker.close()
        await observer.close()

    job = await ScheduledJob.get()
    assert (job.state, job.attempts) == (ScheduleState.PENDING, 1)
    assert (await Page.get()).status is PageStatus.DRAFT

    async def taken_over() -> bool:
        again = await publish_scheduled(database.url)
        output = (await again.communicate())[0].decode()
        assert again.returncode == 0, output
        return output == "Ran 1 scheduled job(s).\n"

    await until(taken_over, "another runner to take the job over")
    job = await ScheduledJob.get()
    assert (job.state, job.attempts) == (ScheduleState.DONE, 2)
    assert (await read_as_reader(gql, "news"))["sections"][0]["body"] == "Scheduled text."
    assert page["status"] == "DRAFT"
