"""What a `cms` command checks before its work, so that bad input ends in one clear line
and a non-zero exit instead of a traceback: its arguments, the settings, the files it reads
and writes, the database URL, whether the database answers and whether it is migrated.

The database is checked up front rather than by reading driver errors afterwards: "no such
table" (SQLite) and "relation does not exist" (PostgreSQL) are two spellings of "run
`cms migrate` first", and an SQLite file in a missing directory hangs Tortoise's migrator.
"""

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

from pydantic import ValidationError
from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.exceptions import ConfigurationError
from tortoise.migrations.executor import MigrationExecutor

from cms.config import Settings
from cms.db import tortoise_config

SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")
URL_FORMS = "sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/NAME"


class CommandError(Exception):
    """Bad input to a command; the message is the one line the user sees."""


class DatabaseUnreachable(CommandError):
    """The database did not answer; unlike a bad URL, waiting may help (`cms wait-db`)."""


def port_number(text: str) -> int:
    """A TCP port for --port (uvicorn would take 99999 and bind to another port)."""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def positive_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


class OneLineParser(argparse.ArgumentParser):
    """argparse with its usage errors on one line (it prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def read_json(path: str) -> Any:
    """The decoded contents of a JSON file the user named."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text: {error.reason}") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"{path} is not valid JSON: {error}") from error


def write_text(path: str, text: str) -> None:
    """Write a file the user named."""
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from error


def shown_url(url: str) -> str:
    """The database URL with its password hidden, fit for an error message."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def check_database_url(url: str) -> None:
    """Refuse a URL no driver of ours takes, or an SQLite file no one can create."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in SUPPORTED_SCHEMES:
        raise CommandError(
            f"CMS_DATABASE_URL {shown_url(url)!r} is not a database URL we support: use {URL_FORMS}"
        )
    if scheme == "sqlite":
        path = Path(url.removeprefix("sqlite://"))
        if str(path) != ":memory:" and not path.parent.is_dir():
            raise CommandError(
                f"cannot open the SQLite database {path}: the directory {path.parent} "
                "does not exist"
            )


async def _check_reachable(url: str) -> None:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # any driver or network error means "did not answer"
        reason = str(error) or type(error).__name__
        raise DatabaseUnreachable(
            f"cannot connect to the database {shown_url(url)}: {reason}"
        ) from error


async def _check_migrated(config: dict[str, Any]) -> None:
    executor = MigrationExecutor(connections.get("default"), config["apps"])
    pending = await executor.plan()
    if not pending:
        return
    if not await executor.recorder.applied_migrations():
        raise CommandError("the database has no tables; run `cms migrate` first")
    raise CommandError(f"the database lacks {len(pending)} migration(s); run `cms migrate` first")


@asynccontextmanager
async def open_database(settings: Settings, *, migrated: bool = True) -> AsyncIterator[None]:
    """The ORM, connected to a database that answers and (unless ``migrated`` is False, as
    for `cms migrate` itself) has every migration applied."""
    check_database_url(settings.database_url)
    config = tortoise_config(settings)
    try:
        await Tortoise.init(config=config, _enable_global_fallback=True)
    except (ConfigurationError, ValueError) as error:  # e.g. a port that is not a number
        raise CommandError(
            f"CMS_DATABASE_URL {shown_url(settings.database_url)!r} is not valid: {error}"
        ) from error
    try:
        await _check_reachable(settings.database_url)
        if migrated:
            await _check_migrated(config)
        yield
    finally:
        await Tortoise.close_connections()


async def check_database(settings: Settings, *, migrated: bool) -> None:
    """Fail with one line unless the database URL is good, the database answers and (with
    ``migrated``) has every migration applied."""
    async with open_database(settings, migrated=migrated):
        return


def load_settings() -> Settings:
    """The settings from CMS_* variables, or one line naming each variable that is wrong."""
    try:
        return Settings()
    except ValidationError as error:
        problems = (
            f"CMS_{'_'.join(map(str, problem['loc'])).upper()}: {problem['msg']}"
            if problem["loc"]
            else problem["msg"]
            for problem in error.errors()
        )
        raise CommandError("; ".join(problems)) from error
