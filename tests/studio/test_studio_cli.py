"""`cms user create` and `cms user deactivate`, run for real: the first admin is made this
way. Passwords are stored as Argon2id hashes only."""

import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cli_support import CMS, Cms, fresh_cms

PASSWORD = "correct horse battery staple"


@pytest.fixture
async def cms(database, tmp_path: Path) -> AsyncIterator[Cms]:
    async with fresh_cms(database, tmp_path) as cms:
        cms.run("migrate")
        yield cms


async def test_user_create_prints_a_one_time_set_password_link(cms):
    output = cms.run(
        "user", "create", "--email", "Ada@Example.com", "--name", "Ada", "--role", "admin"
    ).stdout
    assert output.startswith("Created admin Ada <ada@example.com>.\n")
    link = output.strip().splitlines()[-1]
    assert link.startswith("http://127.0.0.1:8000/studio/set-password/")
    secret = link.rsplit("/", 1)[1]
    assert await cms.rows("SELECT email, role, active, password_hash FROM user_account") == [
        ("ada@example.com", "ADMIN", True, None)
    ]
    assert secret not in str(await cms.rows("SELECT link_hash FROM password_link"))


async def test_user_create_reads_a_password_from_stdin_and_stores_only_its_hash(cms):
    result = subprocess.run(
        [str(CMS), "user", "create", "--email", "e@example.com", "--name", "E", "--password-stdin"],
        input=PASSWORD + "\n",
        env=cms.env,
        cwd=cms.workdir,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert PASSWORD not in result.stdout + result.stderr
    [(stored,)] = await cms.rows("SELECT password_hash FROM user_account")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_user_create_refuses_an_email_already_taken(cms):
    cms.run("user", "create", "--email", "e@example.com", "--name", "E")
    assert cms.fail("user", "create", "--email", "E@example.com", "--name", "E") == (
        "email: A user has this email."
    )


async def test_user_deactivate_ends_sessions_and_revokes_tokens(cms):
    cms.run("user", "create", "--email", "e@example.com", "--name", "E")
    output = cms.run("user", "deactivate", "--email", "e@example.com").stdout
    assert "their sessions ended and their API tokens are revoked" in output
    assert await cms.rows("SELECT active FROM user_account") == [(False,)]
    assert cms.fail("user", "deactivate", "--email", "nobody@example.com") == (
        "user: No user with this email."
    )
