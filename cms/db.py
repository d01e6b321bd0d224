"""Tortoise ORM configuration built from the settings."""

from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

from cms import sqlite_backend
from cms.config import Settings

MODELS_MODULE = "cms.models"
MIGRATIONS_MODULE = "migrations"


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise config dict: one app, ``cms``, with its migrations package."""
    url = settings.database_url
    connection: str | dict[str, Any] = url
    if url.startswith(("postgres://", "asyncpg://")):
        separator = "&" if "?" in url else "?"
        connection = f"{url}{separator}maxsize={settings.db_pool_max_size}"
    elif url.startswith("sqlite://"):
        connection = expand_db_url(url)
        connection["engine"] = sqlite_backend.ENGINE
        connection["credentials"].setdefault("busy_timeout", sqlite_backend.BUSY_TIMEOUT_MS)
    return {
        "connections": {"default": connection},
        "apps": {
            "cms": {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }
