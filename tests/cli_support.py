"""The `cms` console script run for real in subprocesses, against a database of the suite's
kind (a SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL) named by
CMS_DATABASE_URL; shared by the tests of the commands' work and of their answers to bad input."""

import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

REPO = Path(__file__).resolve().parent.parent
CMS = Path(sys.executable).with_name("cms")
COMMAND_TIMEOUT = 60


@dataclass
class Cms:
    """The `cms` console script, configured for one database."""

    database_url: str
    workdir: Path
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
        # Subprocesses run this checkout's code, like the pytest process does.
        env.update(CMS_DATABASE_URL=self.database_url, PYTHONPATH=str(REPO), **self.settings)
        return env

    def call(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command to completion, whatever its exit status."""
        return subprocess.run(
            [str(CMS), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command that must succeed and print nothing but its own output (stdout)."""
        result = self.call(*args)
        assert result.returncode == 0, f"cms {' '.join(args)}:\n{result.stdout}{result.stderr}"
        assert result.stderr == "", f"cms {' '.join(args)} wrote to stderr:\n{result.stderr}"
        return result

    def fail(self, *args: str) -> str:
        """Run a command that must fail with one line on stderr and nothing on stdout; the
        line, without its "error: " prefix."""
        result = self.call(*args)
        output = f"cms {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        assert result.returncode != 0, output
        assert result.stdout == "", output
        assert result.stderr.startswith("error: "), output
        assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), output
        return result.stderr.removeprefix("error: ").rstrip("\n")

    async def rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of a query against the command's database (no parameters)."""
        if self.database_url.startswith("sqlite://"):
            with sqlite3.connect(self.database_url.removeprefix("sqlite://")) as db:
                return [tuple(row) for row in db.execute(sql)]
        connection = await asyncpg.connect(self.database_url)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()


@asynccontextmanager
async def fresh_cms(database, workdir: Path) -> AsyncIterator[Cms]:
    """`cms` on a new, empty database of the suite's kind, dropped afterwards."""
    url = await database.new_database_url(workdir)
    try:
        yield Cms(url, workdir)
    finally:
        await database.drop(url)
