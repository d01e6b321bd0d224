"""`cms user create` and `cms user deactivate`: studio accounts from the command line (the
first admin is made this way)."""

import argparse
import asyncio
import sys
from datetime import timedelta

from cms.cli_checks import open_database
from cms.config import Settings
from cms.models import Role


def studio_url(settings: Settings) -> str:
    base = settings.public_url or f"http://{settings.host}:{settings.port}"
    return base.rstrip("/") + "/studio"


def cmd_user_create(settings: Settings, args: argparse.Namespace) -> None:
    from cms.services.passwords import check_password_rules, hash_password
    from cms.services.users import create_password_link, create_user

    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        check_password_rules(password)

    async def run() -> None:
        async with open_database(settings, migrated=True):
            user = await create_user(args.email, args.name, Role(args.role.upper()))
            print(f"Created {user.role.value.lower()} {user.display_name} <{user.email}>.")
            if password is not None:
                user.password_hash = await hash_password(password)
                await user.save(update_fields=["password_hash"])
                print(f"They can sign in at {studio_url(settings)}/sign-in")
                return
            max_age = timedelta(seconds=settings.password_link_max_age_seconds)
            secret = await create_password_link(user, max_age)
            hours = settings.password_link_max_age_seconds // 3600
            print(f"Send them this one-time link to choose a password (valid {hours} h):")
            print(f"{studio_url(settings)}/set-password/{secret}")

    asyncio.run(run())


def cmd_user_deactivate(settings: Settings, args: argparse.Namespace) -> None:
    from cms.events import create_event_bus
    from cms.services.users import deactivate_user

    async def run() -> None:
        # With Redis, every server closes the sockets opened with the user's tokens at once.
        events = create_event_bus(settings.redis_url) if settings.redis_url else None
        try:
            async with open_database(settings, migrated=True):
                user = await deactivate_user(args.email, events)
        finally:
            if events is not None:
                await events.close()
        print(f"Deactivated {user.email}: their sessions ended and their API tokens are revoked.")

    asyncio.run(run())


def add_user_commands(commands: argparse._SubParsersAction) -> None:
    user = commands.add_parser("user", help="Manage studio users.")
    user_commands = user.add_subparsers(dest="user_command", metavar="COMMAND", required=True)
    create = user_commands.add_parser(
        "create", help="Create a user; prints a one-time link to choose a password."
    )
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="The name shown in the studio.")
    create.add_argument("--role", choices=["editor", "admin"], default="editor")
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="Read the password from the first line of stdin instead of printing a link.",
    )
    create.set_defaults(handler=cmd_user_create)
    deactivate = user_commands.add_parser(
        "deactivate", help="Stop a user: sessions end, API tokens are revoked, at once."
    )
    deactivate.add_argument("--email", required=True)
    deactivate.set_defaults(handler=cmd_user_deactivate)
