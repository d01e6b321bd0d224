"""Fixtures of the `cms` command tests: the command on a fresh database of its own."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cli_support import Cms, fresh_cms


@pytest.fixture
async def cms(database, tmp_path: Path) -> AsyncIterator[Cms]:
    """`cms` on a fresh database of its own, never migrated."""
    async with fresh_cms(database, tmp_path) as command:
        yield command


@pytest.fixture
def migrated_cms(cms: Cms) -> Cms:
    cms.run("migrate")
    return cms
