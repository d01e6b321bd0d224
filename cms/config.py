"""The one typed settings object, read from ``CMS_``-prefixed environment variables."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the CMS can be configured with; see the README's Configuration table."""

    model_config = SettingsConfigDict(env_prefix="CMS_", extra="ignore")

    database_url: str = Field(
        "sqlite://cms.sqlite3",
        description="sqlite://PATH (default: a file in the working directory) or postgres://…",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    db_pool_max_size: int = Field(10, ge=1, description="PostgreSQL connection pool size.")

    max_page_size: int = Field(100, ge=1, description="Largest `first`/`last` a connection takes.")
    max_query_depth: int = Field(12, ge=1)
    max_aliases: int = Field(30, ge=1)
    max_tokens: int = Field(5000, ge=1)
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest request body accepted.")

    redis_url: str | None = Field(
        None,
        description="redis://… to share events, rate limits and caches between processes.",
    )
    secret_key: str = Field(
        "dev-insecure-change-me",
        min_length=16,
        description="Signs comment-form and preview tokens. Set it in production.",
    )
