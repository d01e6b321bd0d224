"""Export and import: all content — media assets (with their files), pages, sections,
revisions, comments and scheduled jobs — as one JSON document, portable between SQLite and
PostgreSQL and between media storages.

API tokens are never exported (they are credentials), nor are webhooks (their secrets)
and their deliveries. Rows keep their ids, so global IDs, revision links and comment
threads survive the trip; the import goes into an empty database in one transaction.
"""

import base64
import hashlib
from collections import defaultdict
from datetime import datetime
from enum import Enum
from typing import Any

from tortoise.connection import connections
from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.fields import DatetimeField
from tortoise.models import Model
from tortoise.transactions import in_transaction

from cms.errors import CmsError
from cms.media.storage import MediaStorage, original_key
from cms.models import Asset, Comment, Page, Revision, ScheduledJob, Section
from cms.services import comment_threads, publishing, search
from cms.services.snapshots import snapshot_of
from cms.services.thread_paths import fill_thread_paths

FORMAT = "cms-export"
FORMAT_VERSION = 1
# In insertion order: every row's references come before it.
MODELS: dict[str, type[Model]] = {
    "assets": Asset,
    "pages": Page,
    "sections": Section,
    "revisions": Revision,
    "comments": Comment,
    "scheduledJobs": ScheduledJob,
}
# What a hand-edited or truncated file raises while its rows are restored: a missing or
# mistyped field, a bad timestamp, a reference to a row that is not there.
# Rows inserted (and pages indexed) per statement batch.
BATCH_SIZE = 2000
ROW_ERRORS = (KeyError, TypeError, ValueError, IntegrityError, ValidationError)


class ImportRefused(CmsError):
    """The target database is not empty, or the file is not an export."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a self-referencing table ordered so that each parent precedes its children."""
    by_id = {row["id"]: row for row in rows}

    def depth(row: dict[str, Any]) -> int:
        level = 0
        while row.get("parent_id") is not None:
            if row["parent_id"] not in by_id:
                raise ValueError(f"row {row['id']}'s parent {row['parent_id']} is not in it")
            row, level = by_id[row["parent_id"]], level + 1
        return level

    return sorted(rows, key=lambda row: (depth(row), row["id"]))


async def export_data(storage: MediaStorage | None = None) -> dict[str, Any]:
    """Every row, and (with ``storage``) each asset's original file, base64-encoded under
    ``assetFiles`` by content hash."""
    data: dict[str, Any] = {"format": FORMAT, "version": FORMAT_VERSION}
    for key, model in MODELS.items():
        rows = await model.all().order_by("id").values()
        data[key] = [{name: _plain(value) for name, value in row.items()} for row in rows]
    if storage is not None:
        data["assetFiles"] = await _asset_files(storage, data["assets"])
    return data


async def _asset_files(storage: MediaStorage, assets: list[dict[str, Any]]) -> dict[str, str]:
    files = {}
    for asset in assets:
        content = await storage.get(original_key(asset["content_hash"]))
        if content is None:
            raise CmsError(f"Asset {asset['id']}'s file is missing from the media storage.")
        files[asset["content_hash"]] = base64.b64encode(content).decode()
    return files


async def _restore_asset_files(storage: MediaStorage, data: dict[str, Any]) -> None:
    """Each asset's file, checked against its hash, into the storage."""
    files = data.get("assetFiles", {})
    if not isinstance(files, dict):
        raise ImportRefused("'assetFiles' must be an object.")
    for asset in _rows(data, "assets"):
        encoded = files.get(asset.get("content_hash"))
        try:
            content = base64.b64decode(encoded, validate=True) if encoded else None
        except (ValueError, TypeError) as error:
            raise ImportRefused(f"Asset {asset.get('id')}'s file is not base64.") from error
        if content is None or hashlib.sha256(content).hexdigest() != asset["content_hash"]:
            raise ImportRefused(f"Asset {asset.get('id')}'s file is missing or damaged.")
        await storage.put(original_key(asset["content_hash"]), content)


def _datetime_fields(model: type[Model]) -> list[str]:
    return [
        name for name, field in model._meta.fields_map.items() if isinstance(field, DatetimeField)
    ]


def _instance(model: type[Model], row: dict[str, Any]) -> Model:
    values = dict(row)
    for name in _datetime_fields(model):
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    return model(**values)


async def _restore_timestamps(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """``auto_now`` fields are stamped on every write, ORM inserts included; put the
    exported values back with plain SQL, one batch per field."""
    names = [n for n in _datetime_fields(model) if model._meta.fields_map[n].auto_now]
    connection = connections.get("default")
    sqlite = connection.capabilities.dialect == "sqlite"
    for name in names:
        column = model._meta.fields_map[name].source_field or name
        placeholders = ("?", "?") if sqlite else ("$1", "$2")
        sql = (
            f'UPDATE "{model._meta.db_table}" SET "{column}" = {placeholders[0]} '
            f"WHERE id = {placeholders[1]}"
        )
        values = []
        for row in rows:
            value = datetime.fromisoformat(row[name])
            values.append([value.isoformat() if sqlite else value, row["id"]])
        if values:
            await connection.execute_many(sql, values)


async def _reset_sequences() -> None:
    """PostgreSQL's id sequences must continue after the imported ids."""
    connection = connections.get("default")
    if connection.capabilities.dialect != "postgres":
        return
    for model in MODELS.values():
        table = model._meta.db_table
        await connection.execute_script(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false);'
        )


async def _rebuild_search_index(restored: dict[str, list[Any]]) -> None:
    """Index every page's working copy and live revision, from the rows just restored."""
    sections: dict[int, list[Section]] = defaultdict(list)
    for section in sorted(restored["sections"], key=lambda s: (s.position, s.id)):
        sections[section.page_id].append(section)
    revisions = {revision.id: revision for revision in restored["revisions"]}
    pages = restored["pages"]
    for start in range(0, len(pages), BATCH_SIZE):
        batch = pages[start : start + BATCH_SIZE]
        entries = [
            (page.id, snapshot_of(page, sections[page.id]), search.SearchScope.DRAFT)
            for page in batch
        ]
        entries += [
            (page.id, revisions[page.live_revision_id].content, search.SearchScope.LIVE)
            for page in batch
            if page.live_revision_id in revisions
        ]
        await search.index_many(entries)


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ImportRefused(f"'{key}' must be a list of objects.")
    return rows


async def _restore(model: type[Model], rows: list[dict[str, Any]]) -> list[Model]:
    if model in (Section, Comment):
        rows = _parents_first(rows)
    instances = [_instance(model, row) for row in rows]
    for start in range(0, len(instances), BATCH_SIZE):
        await model.bulk_create(instances[start : start + BATCH_SIZE])
    await _restore_timestamps(model, rows)
    if model is Comment:  # in reading order by times the export kept
        await fill_thread_paths([instance.id for instance in instances])
    return instances


async def import_data(data: Any, storage: MediaStorage | None = None) -> dict[str, int]:
    """Load an export into this (empty) database, and its asset files into ``storage``;
    returns how many rows of each kind. A file that does not load whole is refused and
    leaves the database as it was."""
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or data.get("version") != FORMAT_VERSION
    ):
        raise ImportRefused(f"Not a {FORMAT} version {FORMAT_VERSION} file.")
    if await Page.exists() or await Comment.exists() or await Asset.exists():
        raise ImportRefused("The database already has content; import into an empty one.")
    if storage is not None:
        await _restore_asset_files(storage, data)
    restored: dict[str, list[Any]] = {}
    async with in_transaction():
        for key, model in MODELS.items():
            try:
                restored[key] = await _restore(model, _rows(data, key))
            except ROW_ERRORS as error:
                reason = f"missing field {error}" if isinstance(error, KeyError) else error
                raise ImportRefused(f"The file's '{key}' cannot be loaded: {reason}") from error
        await _reset_sequences()
        await publishing.fill_live_columns()
        await search.clear()
        await _rebuild_search_index(restored)
        discussed = sorted({comment.page_id for comment in restored["comments"]})
        for start in range(0, len(discussed), BATCH_SIZE):
            await comment_threads.store_counts(discussed[start : start + BATCH_SIZE])
    return {key: len(rows) for key, rows in restored.items()}
