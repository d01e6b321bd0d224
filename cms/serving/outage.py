"""Recognising a database that cannot be reached (restart, failover, network), so requests
fail with 503 SERVICE_UNAVAILABLE instead of an internal error, and the pool reconnects on
the next request."""

import asyncpg
from tortoise.exceptions import DBConnectionError

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
SERVICE_UNAVAILABLE_MESSAGE = "The service is temporarily unavailable; try again shortly."

_UNAVAILABLE = (
    DBConnectionError,
    ConnectionError,  # refused, reset, aborted
    TimeoutError,
    OSError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.InterfaceError,
)


def is_database_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` (or an error it was raised from) means the database is gone."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _UNAVAILABLE):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False
