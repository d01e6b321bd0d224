"""The ``autosave`` input field of the mutations that edit a page's working copy, and the
window it asks the services for (cms/services/autosave.py)."""

from datetime import timedelta
from typing import Any

import strawberry

from schema.context import Info

AUTOSAVE_DESCRIPTION = (
    "True for an editor's automatic save: within CMS_AUTOSAVE_REVISION_WINDOW_SECONDS of "
    "your latest autosave revision of the page, with no publish, restore, note or other "
    "author's revision since, that revision is updated instead of a new one recorded. "
    "False (the default): this save records its own revision."
)


def autosave_field() -> Any:
    return strawberry.field(default=False, description=AUTOSAVE_DESCRIPTION)


def autosave_window(info: Info, autosave: bool) -> timedelta | None:
    """The window an autosave continues its author's revision in; None: not an autosave
    (or autosaves are not coalesced: the setting is 0)."""
    seconds = info.context.settings.autosave_revision_window_seconds
    return timedelta(seconds=seconds) if autosave and seconds else None
