"""The one command line: serve, migrate, seed, token, schema, makemigrations, wait-db,
publish-scheduled, export, import."""

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
from tortoise.connection import connections
from tortoise.migrations.api import migrate as apply_migrations

from cms.config import Settings
from cms.db import tortoise_config
from cms.models import Role

DEFAULT_SCHEMA_PATH = Path("schema/schema.graphql")


async def _with_orm(settings: Settings, work: Callable[[], Awaitable[None]]) -> None:
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        await work()
    finally:
        await Tortoise.close_connections()


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> None:
    async def run() -> None:
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
            count = await revoke_token(args.name, events)
        finally:
            if events is not None:
                await events.close()
        print(f"Revoked {count} token(s) named '{args.name}'.")

    asyncio.run(_with_orm(settings, run))


def cmd_schema_export(settings: Settings, args: argparse.Namespace) -> None:
    from schema import build_schema

    sdl = build_schema(settings).as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
        return
    Path(args.output).write_text(sdl, encoding="utf-8")
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

    asyncio.run(_with_orm(settings.model_copy(update={"database_url": "sqlite://:memory:"}), run))


def cmd_publish_scheduled(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.scheduling import run_due_jobs

    async def run() -> None:
        print(f"Ran {await run_due_jobs()} scheduled job(s).")

    asyncio.run(_with_orm(settings, run))


def cmd_export(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.transfer import export_data

    async def run() -> None:
        text = json.dumps(await export_data(), ensure_ascii=False, indent=1)
        if args.output == "-":
            sys.stdout.write(text + "\n")
        else:
            Path(args.output).write_text(text + "\n", encoding="utf-8")

    asyncio.run(_with_orm(settings, run))


def cmd_import(settings: Settings, args: argparse.Namespace) -> None:
    from cms.errors import CmsError
    from cms.services.transfer import import_data

    async def run() -> None:
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        counts = await import_data(data)
        print("Imported " + ", ".join(f"{n} {kind}" for kind, n in counts.items()) + ".")

    try:
        asyncio.run(_with_orm(settings, run))
    except CmsError as error:
        sys.exit(f"Import refused: {error.message}")


def cmd_wait_db(settings: Settings, args: argparse.Namespace) -> None:
    async def ping() -> None:
        await connections.get("default").execute_query("SELECT 1")

    deadline = time.monotonic() + args.timeout
    while True:
        try:
            asyncio.run(_with_orm(settings, ping))
        except Exception as error:  # any driver error means "not yet"
            if time.monotonic() > deadline:
                sys.exit(f"The database is not reachable: {error}")
            time.sleep(1)
        else:
            print("The database is ready.")
            return


def cmd_persisted_import(settings: Settings, args: argparse.Namespace) -> None:
    import json

    from cms.serving.persisted_queries import PersistedQueryStore, parse_manifest

    try:
        documents = parse_manifest(json.loads(Path(args.file).read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        sys.exit(f"Cannot import {args.file}: {error}")

    async def run() -> None:
        store = PersistedQueryStore(cache_size=1)
        for document in documents:
            await store.register(document, allow_listed=True)
        print(f"Imported {len(documents)} persisted quer{'y' if len(documents) == 1 else 'ies'}.")

    asyncio.run(_with_orm(settings, run))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from cms.serving.logging_config import configure_logging

    configure_logging(settings)  # the supervising process logs like its workers

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
    parser = argparse.ArgumentParser(prog="cms", description="Headless CMS with a GraphQL API.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="Serve the API (and GraphiQL at /graphql).")
    serve.add_argument("--host", help="Default: CMS_HOST or 127.0.0.1.")
    serve.add_argument("--port", type=int, help="Default: CMS_PORT or 8000.")
    serve.add_argument("--workers", type=int, default=1, help="Worker processes (default 1).")
    serve.set_defaults(handler=cmd_serve)

    commands.add_parser("migrate", help="Apply database migrations.").set_defaults(
        handler=cmd_migrate
    )

    seed = commands.add_parser("seed", help="Load the Harvard Medical School article.")
    seed.add_argument("--reset", action="store_true", help="Replace the page if it exists.")
    seed.set_defaults(handler=cmd_seed)

    token = commands.add_parser("token", help="Manage API tokens.")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser("create", help="Create a token and print it once.")
    create.add_argument("--name", required=True, help="Who or what the token is for.")
    create.add_argument("--role", choices=["editor", "admin"], default="editor")
    create.set_defaults(handler=cmd_token_create)
    revoke = token_commands.add_parser("revoke", help="Revoke the tokens with a name.")
    revoke.add_argument("--name", required=True)
    revoke.set_defaults(handler=cmd_token_revoke)

    schema = commands.add_parser("schema", help="GraphQL schema tools.")
    schema_commands = schema.add_subparsers(dest="schema_command", required=True)
    export = schema_commands.add_parser("export", help="Write the schema as SDL.")
    export.add_argument("--output", default=str(DEFAULT_SCHEMA_PATH), help="A path, or '-'.")
    export.set_defaults(handler=cmd_schema_export)

    makemigrations = commands.add_parser(
        "makemigrations", help="Write a migration for model changes."
    )
    makemigrations.add_argument("-n", "--name", help="A name for the migration.")
    makemigrations.set_defaults(handler=cmd_makemigrations)

    persisted = commands.add_parser("persisted", help="Persisted GraphQL queries (APQ).")
    persisted_commands = persisted.add_subparsers(dest="persisted_command", required=True)
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
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s"
    )
    args.handler(settings, args)
