"""Autosaves and a page's history: one revision per author and window, not one per batch.

The studio saves an editor's changes every few seconds. Were each save its own revision, a
page's history would be thousands of near-identical rows in which the states that matter
(what was published, what an editor saved with a note) are lost. So, as Wagtail keeps
history meaningful, an autosave *continues* the page's latest revision — its content and
page version are replaced by the working copy as it is now — when that revision

- is a plain SAVE (not a publish, a restore, nor a save with a note: those always stay as
  they were recorded),
- was recorded by the same author (name and user), and
- was recorded less than the window ago (``CMS_AUTOSAVE_REVISION_WINDOW_SECONDS``);

otherwise the autosave records a new SAVE revision. A publish or another author's edit in
between makes their revision the latest one, so the next autosave starts a new revision;
so does the end of the window. Nothing is lost: every publish keeps its own snapshot, and
the latest revision always holds the working copy as last saved.

A SAVE is known as an autosave's only by having no note: a save the same author recorded
without a note through the API (not as an autosave) inside the window is continued too.
"""

from datetime import datetime, timedelta

from cms.models import Page, Revision, RevisionKind
from cms.services.auth import Actor
from cms.services.snapshots import Snapshot, record_revision


def continues(latest: Revision | None, author: Actor, window: timedelta, at: datetime) -> bool:
    """Whether an autosave by ``author`` at ``at`` continues ``latest`` (the page's latest
    revision) rather than recording a new one."""
    return (
        latest is not None
        and latest.kind is RevisionKind.SAVE
        and latest.message is None
        and (latest.author_name, latest.author_user_id) == (author.name, author.user_id)
        and at - latest.created_at < window
    )


async def record_save(
    page: Page,
    author: Actor,
    message: str | None,
    snapshot: Snapshot,
    *,
    autosave_window: timedelta | None,
    at: datetime,
) -> Revision:
    """Record the working copy ``snapshot`` as a SAVE revision — or, for an autosave
    (``autosave_window`` set, no ``message``), continue the latest one (see above). Call it
    inside the transaction that changed the page, after the page row is locked."""
    if autosave_window is not None and message is None:
        latest = await Revision.filter(page_id=page.id).order_by("-number").first()
        if latest is not None and continues(latest, author, autosave_window, at):
            latest.content, latest.page_version = snapshot, page.version
            await latest.save(update_fields=["content", "page_version"])
            return latest
    return await record_revision(page, RevisionKind.SAVE, author, message, snapshot)
