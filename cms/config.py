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

    # Reader comments: every rule below is on by default, like WordPress's discussion settings.
    trusted_proxy_count: int = Field(
        0,
        ge=0,
        description="How many reverse proxies in front of the app append to X-Forwarded-For; "
        "0 ignores the header and uses the connecting address as the client IP.",
    )
    comment_max_depth: int = Field(
        5, ge=1, description="Deepest reply nesting: 1 allows top-level comments only."
    )
    comment_close_after_days: int = Field(
        0, ge=0, description="Close comments this many days after publishing; 0 never closes."
    )
    comment_honeypot: bool = Field(
        True, description="Refuse comments whose hidden `honeypot` field is filled (bots)."
    )
    comment_form_token_required: bool = Field(
        True, description="addComment needs a signed token from `commentFormToken(pageId)`."
    )
    comment_form_min_seconds: float = Field(
        3.0, ge=0, description="Least time between fetching a form token and submitting."
    )
    comment_form_max_age_seconds: int = Field(
        86_400, ge=1, description="How long a comment form token stays valid."
    )
    comment_duplicate_check: bool = Field(
        True, description="Refuse a comment with the same author and body on the same page."
    )
    comment_rate_limits: str = Field(
        "1/15 seconds;20/hour",
        description="Flood control per client IP and per email, in `limits` notation "
        "('N/period' joined by ';'); empty turns it off.",
    )
    rate_limit_key_prefix: str = Field(
        "cms-rate-limit", description="Prefix of the rate-limit keys (in Redis or in memory)."
    )
    comment_max_links: int = Field(
        2, ge=0, description="A comment with more links than this waits for moderation."
    )
    comment_moderation_words: list[str] = Field(
        default_factory=list,
        description="A comment containing any of these words (in body, name, email, URL, "
        "IP or user agent) waits for moderation.",
    )
    comment_blocklist_words: list[str] = Field(
        default_factory=list,
        description="A comment containing any of these words goes straight to SPAM.",
    )
    comment_previously_approved: bool = Field(
        True,
        description="Approve a comment at once when its author (same name and email) has an "
        "earlier approved comment.",
    )
