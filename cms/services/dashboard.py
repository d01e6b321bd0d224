"""What the studio's dashboard lists: my drafts, publications due, recent activity."""

from datetime import datetime

from tortoise.expressions import Subquery

from cms.models import Page, PageStatus, Revision, ScheduledJob, ScheduleState
from cms.services.auth import Viewer, require_editor
from cms.services.pagination import ID_ASC, ID_DESC, Ordered, SortKey, ordered


def my_drafts(viewer: Viewer | None) -> Ordered[Page]:
    """Draft pages the viewer's user has saved a revision of, last changed first."""
    editor = require_editor(viewer)
    mine = Revision.filter(author_user_id__in=[editor.user_id] if editor.user_id else [])
    query = Page.filter(status=PageStatus.DRAFT, id__in=Subquery(mine.values("page_id")))
    return ordered(query, SortKey("updated_at", descending=True, value_type=datetime), ID_DESC)


def due_publications(viewer: Viewer | None) -> Ordered[ScheduledJob]:
    """Scheduled publishes and unpublishes still to run, soonest first."""
    require_editor(viewer)
    query = ScheduledJob.filter(state=ScheduleState.PENDING)
    return ordered(query, SortKey("run_at", value_type=datetime), ID_ASC)


def recent_revisions(viewer: Viewer | None) -> Ordered[Revision]:
    """Every page's saves, publishes and restores, newest first."""
    require_editor(viewer)
    return ordered(Revision.all(), ID_DESC)
