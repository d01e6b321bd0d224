"""The media library's rules: what an upload may be, deduplication, metadata, deletion.

An upload is checked from its bytes alone — size, then type (an image's with its pixel
count, from the header, no decoding; else a file's: cms/media/file_types.py), then for an
image a full decode for the placeholder (a damaged file fails there) — before anything is
stored. The same bytes uploaded twice are one asset.
"""

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath, PureWindowsPath

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from cms.config import Settings
from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.media import file_types, images
from cms.media.storage import MediaStorage, original_key
from cms.models import Asset, AssetKind
from cms.services.asset_usage import AssetUse, asset_usage
from cms.services.auth import Viewer, require_editor
from cms.services.pagination import ID_DESC, Ordered, SortKey, ordered
from cms.services.validation import check_length, first_error

NAME_MAX = 255
ALT_MAX = 1000
CAPTION_MAX = 2000
CREDIT_MAX = 300
SEARCH_MAX = 200


def _display_name(name: str | None) -> str:
    """The file's own name, without any folders a browser or a client sent along."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name.strip()
    return (base or "upload")[:NAME_MAX]


def _refusal(message: str, code: ErrorCode) -> ValidationFailed:
    return ValidationFailed.single("file", message, code)


def _check_size(header: images.Probe, settings: Settings) -> None:
    """Every frame of an animation counts: a few kilobytes of GIF may unpack to billions
    of pixels."""
    size = f"{header.width}x{header.height}"
    if header.animated:
        size += f" x {header.frames} frames"
    if header.pixels > settings.media_max_pixels:
        raise _refusal(
            f"The image is {size} ({header.pixels} pixels); at most "
            f"{settings.media_max_pixels} pixels are accepted.",
            ErrorCode.TOO_MANY_PIXELS,
        )
    if header.frames > settings.media_max_frames:
        raise _refusal(
            f"The animation has {header.frames} frames; at most "
            f"{settings.media_max_frames} are accepted.",
            ErrorCode.TOO_MANY_FRAMES,
        )


async def _detect(data: bytes, settings: Settings) -> images.Probe | file_types.FileType:
    """An image's header (type and size, nothing decoded) or a file's type, from the bytes."""
    try:
        found: images.Probe | file_types.FileType = await asyncio.to_thread(images.probe, data)
    except images.NotAnImage:
        try:
            found = await asyncio.to_thread(file_types.detect, data)
        except file_types.NotAFile as error:
            raise _refusal(str(error), ErrorCode.UNSUPPORTED_TYPE) from error
    if found.media_type not in settings.media_allowed_types:
        raise _refusal(f"{found.media_type} files are not accepted.", ErrorCode.UNSUPPORTED_TYPE)
    if isinstance(found, images.Probe):
        _check_size(found, settings)
    return found


async def upload_asset(
    viewer: Viewer | None,
    storage: MediaStorage,
    settings: Settings,
    *,
    name: str | None,
    data: bytes,
) -> Asset:
    """Store an uploaded image or file, or return the asset that already holds these
    bytes."""
    viewer = require_editor(viewer)
    if len(data) > settings.media_max_bytes:
        raise _refusal(
            f"The file is {len(data)} bytes; at most {settings.media_max_bytes} are accepted.",
            ErrorCode.FILE_TOO_LARGE,
        )
    found = await _detect(data, settings)
    content_hash = hashlib.sha256(data).hexdigest()
    existing = await Asset.get_or_none(content_hash=content_hash)
    if existing is not None:
        return existing
    described: dict[str, object] = {"kind": AssetKind.FILE}
    if isinstance(found, images.Probe):
        try:
            placeholder = await asyncio.to_thread(images.placeholder, data)
        except images.NotAnImage as error:
            raise _refusal(str(error), ErrorCode.INVALID) from error
        described = {
            "kind": AssetKind.IMAGE,
            "width": found.width,
            "height": found.height,
            "placeholder": placeholder,
        }
    await storage.put(original_key(content_hash), data)
    try:
        return await Asset.create(
            content_hash=content_hash,
            original_name=_display_name(name),
            media_type=found.media_type,
            size=len(data),
            uploader=viewer.name,
            **described,
        )
    except IntegrityError:  # the same bytes, uploaded at the same moment by someone else
        return await Asset.get(content_hash=content_hash)


async def get_asset(viewer: Viewer | None, asset_id: int, field: str = "id") -> Asset:
    require_editor(viewer)
    asset = await Asset.get_or_none(id=asset_id)
    if asset is None:
        raise ValidationFailed.single(field, "No asset with this id.", ErrorCode.NOT_FOUND)
    return asset


def list_assets(
    viewer: Viewer | None,
    *,
    search: str | None = None,
    media_type: str | None = None,
    kind: AssetKind | None = None,
) -> Ordered[Asset]:
    """The library, newest first; ``search`` looks in names, alt texts, captions and
    credits, ``media_type`` keeps one type (image/png), ``kind`` images or files."""
    require_editor(viewer)
    query = Asset.all()
    if media_type:
        query = query.filter(media_type=media_type)
    if kind is not None:
        query = query.filter(kind=kind)
    if search and search.strip():
        if len(search) > SEARCH_MAX:
            raise ValidationFailed.single(
                "search", f"At most {SEARCH_MAX} characters.", ErrorCode.TOO_LONG
            )
        text = search.strip()
        query = query.filter(
            Q(original_name__icontains=text)
            | Q(alt__icontains=text)
            | Q(caption__icontains=text)
            | Q(credit__icontains=text)
        )
    return ordered(query, SortKey("created_at", descending=True, value_type=datetime), ID_DESC)


@dataclass(frozen=True)
class AssetChanges:
    """What updateAsset may change; None leaves a field as it is."""

    alt: str | None = None
    caption: str | None = None
    credit: str | None = None
    decorative: bool | None = None
    focal_point: tuple[float, float] | None = None
    clear_focal_point: bool = False


def _change_errors(changes: AssetChanges) -> list[FieldError]:
    errors = [
        check_length("alt", changes.alt, ALT_MAX),
        check_length("caption", changes.caption, CAPTION_MAX),
        check_length("credit", changes.credit, CREDIT_MAX),
    ]
    if changes.focal_point is not None and not all(0 <= v <= 1 for v in changes.focal_point):
        errors.append(
            FieldError(
                "focalPoint",
                "x and y are fractions of the width and height, from 0 to 1.",
                ErrorCode.INVALID,
            )
        )
    return first_error(*errors)


def _check_file_changes(changes: AssetChanges) -> None:
    """Alt text, the decorative flag and focal points describe images only."""
    image_only = {
        "alt": changes.alt is not None,
        "decorative": changes.decorative is not None,
        "focalPoint": changes.focal_point is not None or changes.clear_focal_point,
    }
    errors = [
        FieldError(field, "Only images have this; this asset is a file.", ErrorCode.INVALID)
        for field, given in image_only.items()
        if given
    ]
    if errors:
        raise ValidationFailed(errors)


async def update_asset(viewer: Viewer | None, asset_id: int, changes: AssetChanges) -> Asset:
    """Change an asset's texts, decorative flag or focal point (a file's caption and
    credit only)."""
    require_editor(viewer)
    errors = _change_errors(changes)
    if errors:
        raise ValidationFailed(errors)
    async with in_transaction():
        asset = await get_asset(viewer, asset_id)
        if asset.kind is AssetKind.FILE:
            _check_file_changes(changes)
        for name in ("alt", "caption", "credit", "decorative"):
            value = getattr(changes, name)
            if value is not None:
                setattr(asset, name, value.strip() if isinstance(value, str) else value)
        if changes.clear_focal_point:
            asset.focal_x = asset.focal_y = None
        elif changes.focal_point is not None:
            asset.focal_x, asset.focal_y = changes.focal_point
        await asset.save()
    return asset


class AssetInUse(ValidationFailed):
    """The asset is shown somewhere: ``uses`` says where."""

    def __init__(self, uses: list[AssetUse]) -> None:
        where = "; ".join(use.describe() for use in uses)
        super().__init__([FieldError("id", f"The asset is in use: {where}.", ErrorCode.IN_USE)])
        self.uses = uses


async def delete_asset(viewer: Viewer | None, storage: MediaStorage, asset_id: int) -> Asset:
    """Delete an asset no page shows (working copy or live), with its files."""
    require_editor(viewer)
    asset = await get_asset(viewer, asset_id)
    uses = await asset_usage(asset.id)
    if uses:
        raise AssetInUse(uses)
    await asset.delete()
    if not await Asset.exists(content_hash=asset.content_hash):
        await storage.delete(original_key(asset.content_hash))
        await storage.delete_prefix(f"renditions/{asset.content_hash}/")
    return asset
