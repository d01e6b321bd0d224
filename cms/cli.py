"""The one command line: serve, migrate, seed, token, user, schema, makemigrations, wait-db,
publish-scheduled, export, import.

Bad input (a missing file, invalid JSON, an unknown option value, a bad database URL, a
database that is down or not migrated) ends in one line on stderr and a non-zero exit; the
checks behind those lines are in cms.cli_checks. Only the command's own messages are printed:
library logs below WARNING show with CMS_LOG_LEVEL=debug, except under `cms serve`.
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api import migrate as apply_migrations

from cms.cli_checks import (
    CommandError,
    DatabaseUnreachable,
    OneLineParser,
    check_database,
    load_settings,
    open_database,
    port_number,
    positive_number,
    read_json,
    write_text,
)
from cms.cli_users import add_user_commands
from cms.config import Settings
from cms.db import tortoise_config
from cms.errors import CmsError
from cms.models import Role

DEFAULT_SCHEMA_PATH = Path("schema/schema.graphql")


async def _with_orm(
    settings: Settings, work: Callable[[], Awaitable[None]], *, migrated: bool = True
) -> None:
    """Run ``work`` with the ORM on a database that answers and, unless ``migrated`` is
    False, has every migration applied."""
    async with open_database(settings, migrated=migrated):
        await work()


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    async def run() -> None:
        await check_database(settings, migrated=False)
        try:
            await apply_migrations(config=tortoise_config(settings))
        finally:
            await Tortoise.close_connections()

    asyncio.run(run())
    print("Migrations applied.")


def cmd_seed(settings: Settings, args: argparse.Namespace) -> None:
    from seed.loader import seed

    async def run() -> None:
        result = await seed(reset=args.reset)
        verb = "Loaded" if result.created else "Already present:"
        print(f"{verb} page '{result.page.slug}' ({result.page.title}).")

    asyncio.run(_with_orm(settings, run))


def cmd_token_create(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.auth import create_token

    async def run() -> None:
        record, token = await create_token(args.name, Role(args.role.upper()))
        print(f"Created {record.role.value} token '{record.name}'. It is shown only once:")
        print(token)

    asyncio.run(_with_orm(settings, run))


def cmd_token_revoke(settings: Settings, args: argparse.Namespace) -> None:
    from cms.events import create_event_bus
    from cms.services.auth import revoke_token

    async def run() -> None:
        # With Redis, every server closes the sockets opened with the token at once
        # (without it, they refuse the token at their next operation).
        events = create_event_bus(settings.redis_url) if settings.redis_url else None
        try:
            revoked = await revoke_token(args.name, events)
        finally:
            if events is not None:
                await events.close()
        if not revoked:
            raise CommandError(f"no active token is named {args.name!r}")
        print(f"Revoked {revoked} token(s) named '{args.name}'.")

    asyncio.run(_with_orm(settings, run))


def cmd_schema_export(settings: Settings, args: argparse.Namespace) -> None:
    from schema import build_schema

    sdl = build_schema(settings).as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
        return
    write_text(args.output, sdl)
    print(f"Wrote {args.output}.")


def cmd_makemigrations(settings: Settings, args: argparse.Namespace) -> None:
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config(settings.model_copy(update={"database_url": "sqlite://:memory:"}))

    async def run() -> None:
        writers = await MigrationAutodetector(Tortoise.apps, config["apps"]).changes()
        if not writers:
            print("No changes detected.")
        for writer in writers:
            if args.name:
                number = writer.name.split("_", 1)[0]
                writer.name = f"{number}_{args.name}"
            print(f"Created {writer.write()}")

    in_memory = settings.model_copy(update={"database_url": "sqlite://:memory:"})
    asyncio.run(_with_orm(in_memory, run, migrated=False))


def cmd_publish_scheduled(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.scheduling import run_due_jobs

    async def run() -> None:
        ran = await run_due_jobs(lease_seconds=settings.scheduler_lease_seconds)
        print(f"Ran {ran} scheduled job(s).")

    asyncio.run(_with_orm(settings, run))


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.transfer import export_data

    async def run() -> None:
        text = json.dumps(await export_data(), ensure_ascii=False, indent=1)
        if args.output == "-":
            sys.stdout.write(text + "\n")
        else:
            write_text(args.output, text + "\n")

    asyncio.run(_with_orm(settings, run))


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.transfer import import_data

    data = read_json(args.file)

    async def run() -> None:
        counts = await import_data(data)
        print("Imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")

    asyncio.run(_with_orm(settings, run))


def cmd_wait_db(settings: Settings, args: argparse.Namespace) -> None:
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            asyncio.run(check_database(settings, migrated=False))
        except DatabaseUnreachable as error:  # a bad URL fails at once: waiting cannot help
            if time.monotonic() > deadline:
                raise CommandError(f"{error} (waited {args.timeout:g} s)") from error
            time.sleep(1)
        else:
            print("The database is ready.")
            return


def cmd_persisted_import(settings: Settings, args: argparse.Namespace) -> None:
    from cms.serving.persisted_queries import PersistedQueryStore, parse_manifest

    try:
        documents = parse_manifest(read_json(args.file))
    except ValueError as error:
        raise CommandError(f"cannot import {args.file}: {error}") from error

    async def run() -> None:
        store = PersistedQueryStore(cache_size=1)
        for document in documents:
            await store.register(document, allow_listed=True)
        print(f"Imported {len(documents)} persisted quer{'y' if len(documents) == 1 else 'ies'}.")

    asyncio.run(_with_orm(settings, run))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from cms.secret_key import MissingSecretKey, check_secret_key
    from cms.serving.logging_config import configure_logging

    try:
        asyncio.run(check_database(settings, migrated=True))
    except DatabaseUnreachable as error:  # an outage, not bad input: serve 503s until it ends
        print(f"Warning: {error}; serving 503 until it answers.", flush=True)
    configure_logging(settings)  # the supervising process logs like its workers
    try:
        # Before the workers start: they then share the generated secret (development).
        check_secret_key(settings)
    except MissingSecretKey as error:
        sys.exit(f"Refusing to start: {error}")

    host = args.host or settings.host
    port = args.port or settings.port
    print(f"CMS on http://{host}:{port}/ — GraphiQL at http://{host}:{port}/graphql", flush=True)
    if args.workers > 1 and not settings.redis_url and settings.response_cache:
        # Without Redis each worker would keep its own response cache, and a mutation
        # answered by one worker could not invalidate the others'.
        print("Several workers without CMS_REDIS_URL: the response cache is off.", flush=True)
        os.environ["CMS_RESPONSE_CACHE"] = "false"
    uvicorn.run(
        "cms.asgi:app",
        host=host,
        port=port,
        workers=args.workers,
        log_level=settings.log_level,
        proxy_headers=True,
        # cms.asgi configures logging (JSON lines with request ids, our own access log).
        log_config=None,
        access_log=False,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="cms", description="Headless CMS with a GraphQL API.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Serve the API (and GraphiQL at /graphql).")
    serve.add_argument("--host", help="Default: CMS_HOST or 127.0.0.1.")
    serve.add_argument("--port", type=port_number, help="Default: CMS_PORT or 8000.")
    serve.add_argument(
        "--workers", type=positive_number, default=1, help="Worker processes (default 1)."
    )
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="Apply database migrations.").set_defaults(
        handler=cmd_migrate
    )

    seed = commands.add_parser("seed", help="Load the Harvard Medical School article.")
    seed.add_argument("--reset", action="store_true", help="Replace the page if it exists.")
    seed.set_defaults(handler=cmd_seed)

    token = commands.add_parser("token", help="Manage API tokens.")
    token_commands = token.add_subparsers(dest="token_command", metavar="COMMAND", required=True)
    create = token_commands.add_parser("create", help="Create a token and print it once.")
    create.add_argument("--name", required=True, help="Who or what the token is for.")
    create.add_argument("--role", choices=["editor", "admin"], default="editor")
    create.set_defaults(handler=cmd_token_create)
    revoke = token_commands.add_parser("revoke", help="Revoke the tokens with a name.")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(handler=cmd_token_revoke)

    add_user_commands(commands)

    schema = commands.add_parser("schema", help="GraphQL schema tools.")
    schema_commands = schema.add_subparsers(dest="schema_command", metavar="COMMAND", required=True)
    export = schema_commands.add_parser("export", help="Write the schema as SDL.")
    export.add_argument("--output", default=str(DEFAULT_SCHEMA_PATH), help="A path, or '-'.")
    export.set_defaults(handler=cmd_schema_export)

    makemigrations = commands.add_parser(
        "makemigrations", help="Write a migration for model changes."
    )
    makemigrations.add_argument("-n", "--name", help="A name for the migration.")
    makemigrations.set_defaults(handler=cmd_makemigrations)

    persisted = commands.add_parser("persisted", help="Persisted GraphQL queries (APQ).")
    persisted_commands = persisted.add_subparsers(
        dest="persisted_command", metavar="COMMAND", required=True
    )
    persisted_import = persisted_commands.add_parser(
        "import",
        help="Add documents to the allow-list from {sha256: document} JSON or an Apollo "
        "persisted-query manifest.",
    )
    persisted_import.add_argument("file", help="Path of the JSON file.")
    persisted_import.set_defaults(handler=cmd_persisted_import)

    commands.add_parser(
        "publish-scheduled", help="Run due scheduled publishes/unpublishes once (for cron)."
    ).set_defaults(handler=cmd_publish_scheduled)

    export_cmd = commands.add_parser(
        "export", help="Write all content, revisions and comments as JSON (no tokens)."
    )
    export_cmd.add_argument("--output", default="-", help="A path, or '-' (default: stdout).")
    export_cmd.set_defaults(handler=cmd_export)

    import_cmd = commands.add_parser("import", help="Load a `cms export` file into an empty DB.")
    import_cmd.add_argument("file", help="The JSON file written by `cms export`.")
    import_cmd.set_defaults(handler=cmd_import)

    wait_db = commands.add_parser("wait-db", help="Wait until the database accepts connections.")
    wait_db.add_argument("--timeout", type=float, default=60.0, help="Seconds (default 60).")
    wait_db.set_defaults(handler=cmd_wait_db)
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        # Library INFO lines (Tortoise's "shutdown"...) are not a command's output.
        level = logging.DEBUG if settings.log_level == "debug" else logging.WARNING
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        args.handler(settings, args)
    except (CommandError, CmsError) as error:
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: still one line, details on request
        logging.getLogger(__name__).debug("The command failed", exc_info=True)
        sys.exit(f"error: {type(error).__name__}: {error} (CMS_LOG_LEVEL=debug shows where)")
