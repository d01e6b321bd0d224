"""Tortoise ORM configuration built from the settings."""

from typing import Any

from cms.config import Settings

MODELS_MODULE = "cms.models"
MIGRATIONS_MODULE = "migrations"


def tortoise_config(settings: Settings) -> dict[str, Any]:
    """The Tortoise config dict: one app, ``cms``, with its migrations package."""
    url = settings.database_url
    if url.startswith(("postgres://", "asyncpg://")):
        separator = "&" if "?" in url else "?"
        url = f"{url}{separator}maxsize={settings.db_pool_max_size}"
    return {
        "connections": {"default": url},
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
