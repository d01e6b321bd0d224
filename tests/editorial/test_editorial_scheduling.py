"""Scheduled publishing runs on time, exactly once, however many processes poll."""

import asyncio
import os
import sys
from datetime import UTC, timedelta, timezone
from pathlib import Path

from editorial_support import Editor, read_as_reader
from tortoise.timezone import now

from cms.app import create_app
from cms.models import Page, PageStatus, Revision, RevisionKind, ScheduledJob, ScheduleState
from cms.services.scheduling import due_jobs, run_due_jobs, run_job

SCHEDULE = """mutation ($input: SchedulePageInput!) {
  schedulePublish(input: $input) { job { id action status runAt } errors { field code } } }"""
SCHEDULE_UNPUBLISH = """mutation ($input: SchedulePageInput!) {
  scheduleUnpublish(input: $input) { job { id status } errors { field code } } }"""
CANCEL = """mutation ($id: ID!) {
  cancelScheduledJob(input: {id: $id}) { job { status } errors { field code } } }"""
JOBS = """query ($slug: String!) { page(slug: $slug) {
  scheduledJobs { edges { node { action status } } } } }"""
CMS = Path(sys.executable).with_name("cms")
REPO = Path(__file__).resolve().parents[2]


async def schedule(editor: Editor, page: dict, document: str = SCHEDULE, seconds: float = 60):
    at = (now() + timedelta(seconds=seconds)).isoformat()
    name = "schedulePublish" if document is SCHEDULE else "scheduleUnpublish"
    return await editor.call(document, name, input={"pageId": page["id"], "at": at})


async def make_due() -> None:
    """Time passes: every pending job is now due."""
    await ScheduledJob.filter(state=ScheduleState.PENDING).update(
        run_at=now() - timedelta(seconds=1)
    )


async def test_a_time_in_the_past_is_rejected(editor):
    page = await editor.create_page()

    payload = await schedule(editor, page, seconds=-60)

    assert payload == {"job": None, "errors": [{"field": "at", "code": "INVALID"}]}
    assert not await ScheduledJob.exists()


async def test_a_time_needs_an_offset_and_is_answered_in_utc(editor):
    page = await editor.create_page()
    later = (now() + timedelta(days=1)).replace(microsecond=0).astimezone(UTC)
    naive = later.replace(tzinfo=None).isoformat()
    two_hours_east = later.astimezone(timezone(timedelta(hours=2))).isoformat()

    refused = await editor.gql(
        SCHEDULE, {"input": {"pageId": page["id"], "at": naive}}, editor.token
    )
    accepted = await editor.call(
        SCHEDULE, "schedulePublish", input={"pageId": page["id"], "at": two_hours_east}
    )

    assert "data" not in refused
    [error] = refused["errors"]
    assert f"Value cannot represent a DateTime: {naive!r}".replace("'", '"') in error["message"]
    assert "RFC 3339 date-time with an offset" in error["message"]
    assert accepted["errors"] == []
    assert accepted["job"]["runAt"] == later.isoformat()
    assert await ScheduledJob.all().count() == 1


async def test_a_scheduled_publish_waits_until_it_is_due(gql, editor):
    page = await editor.create_page()
    payload = await schedule(editor, page)
    assert payload["job"]["status"] == "PENDING"

    assert await run_due_jobs() == 0
    assert await read_as_reader(gql, "news") is None


async def test_a_due_publish_runs_once_however_many_runners_race_for_it(gql, editor):
    page = await editor.create_page()
    await editor.add_section(page, "Intro", "Hello.")
    await schedule(editor, page)
    await make_due()

    ran = await asyncio.gather(*[run_due_jobs() for _ in range(8)])

    assert sum(ran) == 1
    assert await Revision.filter(kind=RevisionKind.PUBLISH).count() == 1
    assert (await read_as_reader(gql, "news"))["sections"][0]["body"] == "Hello."
    job = await ScheduledJob.get()
    assert (job.state, job.executed_at is not None) == (ScheduleState.DONE, True)


async def test_runners_that_all_saw_a_due_job_run_it_once(editor):
    page = await editor.create_page()
    await schedule(editor, page)
    await make_due()
    [job] = await due_jobs()

    claimed = await asyncio.gather(*[run_job(job) for _ in range(8)])

    assert sorted(claimed) == [False] * 7 + [True]
    assert await Revision.filter(kind=RevisionKind.PUBLISH).count() == 1


async def test_cron_processes_racing_for_a_due_job_run_it_once(editor, database):
    page = await editor.create_page()
    await schedule(editor, page)
    await make_due()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CMS_")}
    env.update(CMS_DATABASE_URL=database.url, PYTHONPATH=str(REPO))

    processes = [
        await asyncio.create_subprocess_exec(
            str(CMS), "publish-scheduled", env=env, stdout=asyncio.subprocess.PIPE
        )
        for _ in range(3)
    ]
    outputs = [(await p.communicate())[0].decode() for p in processes]

    assert all(p.returncode == 0 for p in processes)
    assert sorted(outputs) == ["Ran 0 scheduled job(s).\n"] * 2 + ["Ran 1 scheduled job(s).\n"]
    assert await Revision.filter(kind=RevisionKind.PUBLISH).count() == 1


async def test_a_scheduled_unpublish_hides_the_page(gql, editor):
    page = await editor.published_page("news")
    await schedule(editor, page, SCHEDULE_UNPUBLISH)
    await make_due()

    await run_due_jobs()

    assert await read_as_reader(gql, "news") is None
    assert (await Page.get()).status is PageStatus.DRAFT


async def test_a_cancelled_job_never_runs(gql, editor):
    page = await editor.create_page()
    job = (await schedule(editor, page))["job"]

    cancelled = await editor.call(CANCEL, "cancelScheduledJob", id=job["id"])
    await make_due()

    assert cancelled == {"job": {"status": "CANCELLED"}, "errors": []}
    assert await run_due_jobs() == 0
    assert await read_as_reader(gql, "news") is None


async def test_a_page_lists_its_scheduled_jobs_for_editors(editor):
    page = await editor.create_page()
    await schedule(editor, page)

    body = await editor.gql.data(JOBS, {"slug": "news"}, editor.token)

    edges = body["page"]["scheduledJobs"]["edges"]
    assert [edge["node"] for edge in edges] == [{"action": "PUBLISH", "status": "PENDING"}]


async def test_the_scheduler_inside_the_server_publishes_on_time(gql, editor, settings):
    page = await editor.create_page()
    app = create_app(
        settings.model_copy(update={"background_workers": True, "scheduler_poll_seconds": 0.05}),
        manage_database=False,
    )
    async with app.router.lifespan_context(app):
        # Far enough ahead that a slow (loaded) machine still accepts it as a future time.
        scheduled = await schedule(editor, page, seconds=1.5)
        assert scheduled["errors"] == []
        for _ in range(200):
            if (await Page.get()).status is PageStatus.PUBLISHED:
                break
            await asyncio.sleep(0.05)

    assert (await Page.get()).status is PageStatus.PUBLISHED
    assert (await ScheduledJob.get()).state is ScheduleState.DONE
