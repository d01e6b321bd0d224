"""The one typed settings object, read from ``CMS_``-prefixed environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the CMS can be configured with; see the README's Configuration table."""

    model_config = SettingsConfigDict(env_prefix="CMS_", extra="ignore")

    database_url: str = Field(
        "sqlite://cms.sqlite3",
        description="sqlite://PATH (default: a file in the working directory) or postgres://…",
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
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
    env: Literal["development", "production"] = Field(
        "development",
        description="production refuses to start without CMS_SECRET_KEY (or an existing "
        "CMS_SECRET_KEY_FILE); development generates a secret file and warns.",
    )
    secret_key: str | None = Field(
        None,
        min_length=16,
        description="Signs comment-form and preview tokens. No default: unset, development "
        "uses a random one kept in CMS_SECRET_KEY_FILE (see cms/secret_key.py).",
    )
    secret_key_file: Path | None = Field(
        None,
        description="Where the secret is kept when CMS_SECRET_KEY is unset; default: next "
        "to the SQLite file, or `cms-secret-key` in the working directory.",
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
        "earlier approved comment, and it has no link and no website other than theirs.",
    )

    # Production serving (issue 6): HTTP caching, persisted queries, limits, CORS, logs.
    http_max_age: int = Field(
        0,
        ge=0,
        description="Cache-Control max-age (seconds) of anonymous GET responses for browsers; "
        "0 makes them revalidate with If-None-Match every time (cheap: a 304).",
    )
    http_shared_max_age: int = Field(
        60,
        ge=0,
        description="Cache-Control s-maxage (seconds) for CDNs and shared caches; purge them "
        "by the Surrogate-Key/Cache-Tag headers when content changes.",
    )
    http_stale_while_revalidate: int = Field(
        30, ge=0, description="Cache-Control stale-while-revalidate (seconds) of anonymous GETs."
    )
    response_cache: bool = Field(
        True,
        description="Keep anonymous GET query responses server-side (in Redis with "
        "CMS_REDIS_URL, else in this process), invalidated by the surrogate keys of what "
        "readers see change.",
    )
    http_purge_url: str | None = Field(
        None,
        description="An HTTP cache in front (Varnish with xkey, deploy/varnish/cms.vcl): "
        "every content change sends it a PURGE with the changed surrogate keys in "
        "`xkey-purge`. Unset: nothing is purged.",
    )
    response_cache_size: int = Field(
        2048, ge=1, description="Most responses kept by the in-process response cache."
    )
    response_cache_ttl: int = Field(
        300, ge=1, description="Longest time (seconds) a cached response is kept."
    )
    persisted_query_cache_size: int = Field(
        4096, ge=1, description="Persisted documents kept in each process's LRU cache."
    )
    persisted_query_max_bytes: int = Field(
        20_000,
        ge=1,
        description="Largest document an anonymous client may register as a persisted query.",
    )
    persisted_query_registration_limits: str = Field(
        "30/minute;300/hour",
        description="How many new persisted queries one client IP may register anonymously, "
        "in `limits` notation; empty: no limit.",
    )
    persisted_query_max_stored: int = Field(
        10_000,
        ge=1,
        description="Most registered (not allow-listed) persisted queries kept; the oldest "
        "are evicted beyond it.",
    )
    persisted_queries_only: bool = Field(
        False,
        description="Allow-list mode: anonymous requests may only run documents imported with "
        "`cms persisted import` (by their sha256); requests with a token are exempt.",
    )
    max_query_cost: int = Field(
        20_000,
        ge=1,
        description="Cost budget of one operation: every field costs the product of the page "
        "sizes (`first`/`last`) of the connections around it.",
    )
    max_execution_seconds: float = Field(
        5.0,
        gt=0,
        description="Longest time one anonymous query or mutation may run; past it the "
        "operation stops with EXECUTION_TIMEOUT.",
    )
    max_response_bytes: int = Field(
        2_000_000,
        ge=1024,
        description="Largest response one anonymous operation may build (estimated field by "
        "field as it runs); past it the operation stops with RESPONSE_TOO_LARGE.",
    )
    max_subscriptions_per_connection: int = Field(
        20, ge=1, description="Most active subscriptions on one WebSocket connection."
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="Origins (e.g. https://www.example.com) whose browsers may call the API "
        "cross-origin; empty allows none. Credentials (cookies) are never allowed.",
    )
    log_format: Literal["json", "text"] = Field(
        "json", description="`cms serve` logs one JSON object per line, or plain text."
    )

    # Editorial workflow (issue 5): scheduling, preview links, webhooks.
    background_workers: bool | None = Field(
        None,
        description="Run the scheduler and the webhook delivery worker inside the server; "
        "unset: only when the app manages its own database connections (`cms serve`).",
    )
    scheduler_poll_seconds: float = Field(
        15.0, gt=0, description="How often the in-server scheduler looks for due jobs."
    )
    scheduler_lease_seconds: float = Field(
        300.0,
        gt=0,
        description="How long a runner holds a scheduled job it claimed; if it dies, "
        "another runner takes the job over once this has passed.",
    )
    preview_max_seconds: int = Field(
        7 * 86_400, ge=1, description="Longest validity a preview link may be given."
    )
    public_url: str | None = Field(
        None,
        pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$",
        description="The reader site's address as readers reach it (https://example.org): "
        "canonical links, feeds, the sitemap, preview links and the set-password links "
        "`cms user create` prints. Unset: taken from each request's Host (and "
        "http://CMS_HOST:CMS_PORT on the command line).",
    )
    webhook_poll_seconds: float = Field(
        1.0, gt=0, description="How often the webhook worker looks for due deliveries."
    )
    webhook_max_attempts: int = Field(
        6, ge=1, description="Attempts per webhook delivery before it is marked FAILED."
    )
    webhook_backoff_seconds: float = Field(
        30.0,
        gt=0,
        description="Wait before the first retry; each later retry waits twice as long.",
    )
    webhook_timeout_seconds: float = Field(
        10.0, gt=0, description="How long one webhook request may take."
    )
    webhook_allowed_networks: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description='Networks (JSON list, e.g. ["10.1.2.0/24"]) webhooks may reach besides '
        "public addresses; loopback, private and link-local addresses are refused otherwise.",
    )

    # The studio (issue 14): sign-in, sessions, set-password links.
    sign_in_rate_limits: str = Field(
        "5/minute;30/hour",
        description="Studio sign-in attempts allowed per account and per client IP, in "
        "`limits` notation; empty: no limit.",
    )
    session_max_age_seconds: int = Field(
        14 * 86_400, ge=60, description="How long a studio session lasts after sign-in."
    )
    password_link_max_age_seconds: int = Field(
        3 * 86_400, ge=60, description="How long a one-time set-password link stays usable."
    )
    autosave_revision_window_seconds: int = Field(
        600,
        ge=0,
        description="An author's autosaves within this long of their latest autosave "
        "revision update it instead of recording a new one; 0: every autosave is a revision.",
    )
    # Images (issue 15): the media library, its storage and renditions.
    media_root: Path = Field(
        Path("media"),
        description="Directory of the media storage (originals and renditions) when "
        "CMS_MEDIA_URL is unset; relative to the working directory.",
    )
    media_url: str | None = Field(
        None,
        pattern=r"^s3://[^/]+(/.*)?$",
        description="s3://bucket[/prefix]: keep media in an S3-compatible bucket instead, "
        "with the usual AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION variables.",
    )
    media_s3_endpoint: str | None = Field(
        None,
        description="The S3-compatible server's URL (MinIO, Ceph, R2, …); unset: AWS. "
        "http:// endpoints are allowed.",
    )
    media_public_url: str | None = Field(
        None,
        description="Origin that serves /media (a CDN in front of the app), e.g. "
        "https://media.example.com; unset: the app's own origin. The reader site's CSP "
        "allows images from exactly this origin.",
    )
    media_max_bytes: int = Field(
        20_000_000, ge=1024, description="Largest file one upload may hold, in bytes."
    )
    media_max_pixels: int = Field(
        50_000_000,
        ge=1,
        description="Largest image (width x height, times the frames of an animation) "
        "accepted: bigger ones, decompression bombs included, are refused from their "
        "header, before any decoding.",
    )
    media_max_frames: int = Field(
        1000,
        ge=1,
        description="Most frames an animated GIF or WebP may have (each frame costs work "
        "in every rendition, however small).",
    )
    media_allowed_types: list[str] = Field(
        default_factory=lambda: [
            "image/jpeg",
            "image/png",
            "image/webp",
            "image/avif",
            "image/gif",
            "application/pdf",
            "text/plain",
            "text/csv",
            "application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
            "audio/mpeg",
            "video/mp4",
            "video/webm",
        ],
        description="Media types (detected from the bytes) an upload may be: images, and "
        "files offered as downloads. SVG, HTML and XML are always refused.",
    )
    media_srcset_widths: list[int] = Field(
        default_factory=lambda: [320, 640, 960, 1280, 1920],
        description="Widths (px) of the renditions `srcset` and the site's figures offer.",
    )
    media_allowed_widths: list[int] = Field(
        default_factory=list,
        description="If set, the only rendition widths served (even with a valid "
        "signature); empty: any signed width.",
    )
