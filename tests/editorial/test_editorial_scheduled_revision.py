"""A scheduled publish puts live what was scheduled — the working copy as it was then — not
edits made afterwards; the job shows that revision, and editors page through the jobs."""

from datetime import timedelta

from editorial_support import Editor, read_as_reader
from tortoise.timezone import now

from cms.models import ScheduledJob, ScheduleState
from cms.services.scheduling import run_due_jobs

SCHEDULE = """mutation ($input: SchedulePageInput!) {
  schedulePublish(input: $input) {
    job { id status revision { kind pageVersion } } errors { field code } } }"""
JOBS = """query ($slug: String!, $first: Int, $after: String) { page(slug: $slug) {
  version hasUnpublishedChanges
  scheduledJobs(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { status runAt revision { pageVersion } } } } } }"""
READER_JOBS = """{ page(slug: "news") { title scheduledJobs { totalCount } } }"""


async def schedule_publish(editor: Editor, page: dict, minutes: int = 1) -> dict:
    at = (now() + timedelta(minutes=minutes)).isoformat()
    payload = await editor.call(SCHEDULE, "schedulePublish", input={"pageId": page["id"], "at": at})
    assert payload["errors"] == [], payload
    return payload["job"]


async def make_due() -> None:
    await ScheduledJob.filter(state=ScheduleState.PENDING).update(
        run_at=now() - timedelta(seconds=1)
    )


async def test_edits_made_after_scheduling_do_not_go_live_with_the_scheduled_publish(gql, editor):
    page = await editor.create_page()
    section = await editor.add_section(page, "Intro", "Reviewed text.")
    scheduled_version = section["page"]["version"]
    job = await schedule_publish(editor, page)
    await editor.update_section(section["id"], scheduled_version, body="Unreviewed text.")
    await make_due()

    assert await run_due_jobs() == 1

    shown = await read_as_reader(gql, "news")
    assert shown["sections"][0]["body"] == "Reviewed text."
    assert job["revision"] == {"kind": "SAVE", "pageVersion": scheduled_version}
    working = (await editor.gql.data(JOBS, {"slug": "news"}, editor.token))["page"]
    assert working["hasUnpublishedChanges"] is True


async def test_a_scheduled_publish_of_an_unchanged_page_leaves_nothing_unpublished(gql, editor):
    page = await editor.create_page()
    await editor.add_section(page, "Intro", "Reviewed text.")
    await schedule_publish(editor, page)
    await make_due()

    await run_due_jobs()

    working = (await editor.gql.data(JOBS, {"slug": "news"}, editor.token))["page"]
    assert working["hasUnpublishedChanges"] is False
    assert (await read_as_reader(gql, "news"))["sections"][0]["body"] == "Reviewed text."


async def test_each_job_shows_the_page_version_it_will_publish(editor):
    page = await editor.create_page()
    await schedule_publish(editor, page, minutes=2)
    edited = (await editor.update_page(page["id"], page["version"], title="Later"))["page"]
    await schedule_publish(editor, page, minutes=1)

    jobs = (await editor.gql.data(JOBS, {"slug": "news"}, editor.token))["page"]["scheduledJobs"]

    versions = [edge["node"]["revision"]["pageVersion"] for edge in jobs["edges"]]
    assert versions == [edited["version"], page["version"]]  # soonest first


async def test_scheduled_jobs_are_paged(editor):
    page = await editor.create_page()
    for minutes in (1, 2, 3):
        await schedule_publish(editor, page, minutes=minutes)

    first = (await editor.gql.data(JOBS, {"slug": "news", "first": 2}, editor.token))["page"]
    cursor = first["scheduledJobs"]["pageInfo"]["endCursor"]
    rest = await editor.gql.data(JOBS, {"slug": "news", "first": 2, "after": cursor}, editor.token)

    assert first["scheduledJobs"]["totalCount"] == 3
    assert len(first["scheduledJobs"]["edges"]) == 2
    assert first["scheduledJobs"]["pageInfo"]["hasNextPage"] is True
    assert len(rest["page"]["scheduledJobs"]["edges"]) == 1


async def test_a_reader_gets_null_scheduled_jobs_and_the_rest_of_the_page(gql, editor):
    await editor.published_page("news")

    body = await gql(READER_JOBS)

    assert body["data"]["page"] == {"title": "News", "scheduledJobs": None}
    assert body["errors"][0]["path"] == ["page", "scheduledJobs"]
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
