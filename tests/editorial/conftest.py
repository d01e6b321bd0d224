"""Fixtures of the editorial workflow tests (the suite's `editor` is in tests/conftest.py)."""

import pytest
from editorial_support import Editor

from cms.models import Role
from cms.services.auth import create_token


@pytest.fixture
async def second_editor(gql) -> Editor:
    return Editor(gql, (await create_token("second editor", Role.EDITOR))[1])
