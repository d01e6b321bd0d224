"""Optimistic concurrency: every change names the page version the editor started from.

Call :func:`check_version` after the page row is locked (``select_for_update`` inside the
transaction), so a second editor waits for the first to commit and then sees the new
version: the one who saved second gets a CONFLICT instead of silently overwriting.
"""

from cms.errors import Conflict
from cms.models import Page


def check_version(page: Page, expected_version: int | None, field: str = "version") -> None:
    """``None`` skips the check (for callers that did not read the page first)."""
    if expected_version is not None and expected_version != page.version:
        raise Conflict(page.version, field)
