"""The site's secret, which signs preview links and comment-form tokens.

There is no default in code: a known default would let anyone sign a preview token and read
every draft. ``CMS_SECRET_KEY`` gives it; otherwise, in development, a random one is made on
first start and kept in a file next to the data (``CMS_SECRET_KEY_FILE``), so tokens survive
restarts and every worker process shares it. In production (``CMS_ENV=production``) nothing
is generated: a start without a secret is refused (a generated file could silently differ
between replicas, or vanish with a container).
"""

import functools
import logging
import os
import secrets
from pathlib import Path

from cms.config import Settings

logger = logging.getLogger("cms.secret_key")

FILE_NAME = "cms-secret-key"
MIN_LENGTH = 16
GENERATE_HINT = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


class MissingSecretKey(RuntimeError):
    """The app may not start: production without a secret, or an unusable secret file."""


def secret_key_path(settings: Settings) -> Path:
    """``CMS_SECRET_KEY_FILE``, or next to the SQLite file, or in the working directory."""
    if settings.secret_key_file is not None:
        return settings.secret_key_file
    url = settings.database_url
    if url.startswith("sqlite://") and url != "sqlite://:memory:":
        return Path(url.removeprefix("sqlite://")).parent / FILE_NAME
    return Path(FILE_NAME)


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_LENGTH:
        raise MissingSecretKey(f"The secret key in {path} is shorter than {MIN_LENGTH} characters.")
    return key


def _read_or_create(path: Path) -> str:
    """The key in ``path``, made first if missing. Several processes may start at once:
    each writes its own temporary file and links it into place, so exactly one wins."""
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another process made it first: everyone uses that one
    else:
        logger.warning("Generated a new secret key in %s.", path.resolve())
    finally:
        temporary.unlink()
    return _read(path)


@functools.lru_cache(maxsize=8)
def _file_key(path: Path, may_create: bool) -> str:
    if may_create:
        return _read_or_create(path)
    if not path.exists():
        raise MissingSecretKey(
            f"CMS_ENV=production needs a secret key: set CMS_SECRET_KEY (make one with "
            f"{GENERATE_HINT}) or point CMS_SECRET_KEY_FILE at a file holding one "
            f"({path} does not exist)."
        )
    return _read(path)


def signing_key(settings: Settings) -> str:
    """The secret to sign and check tokens with."""
    if settings.secret_key:
        return settings.secret_key
    return _file_key(secret_key_path(settings), settings.env != "production")


def check_secret_key(settings: Settings) -> None:
    """Called when the app starts: refuse production without a secret, and say loudly in
    development that the secret is a generated file (fine on one machine, not for a site)."""
    if settings.secret_key:
        return
    path = secret_key_path(settings)
    signing_key(settings)
    if settings.env != "production":
        logger.warning(
            "CMS_SECRET_KEY is not set: using the generated secret in %s. This is for "
            "development only; in production set CMS_ENV=production and CMS_SECRET_KEY.",
            path.resolve(),
        )
