"""Alt text is required to show an image in content, unless the image is marked decorative:
a cover image is refused without it, and so is publishing a working copy whose sections
show an image that neither the Markdown nor the asset describes. Drafts may hold such
images meanwhile — editors see a warning on the section — but readers never get one."""

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.global_ids import to_global_id
from cms.models import Asset, AssetKind
from cms.rendering import body_assets
from cms.services.snapshots import Snapshot


def _undescribed(asset: Asset) -> bool:
    return not asset.alt.strip() and not asset.decorative


async def check_usable_image(asset_id: int, field: str) -> None:
    """An image may be shown in content once it has alt text or is marked decorative."""
    asset = await Asset.get_or_none(id=asset_id)
    if asset is None:
        raise ValidationFailed.single(field, "No asset with this id.", ErrorCode.NOT_FOUND)
    if asset.kind is AssetKind.FILE:
        raise ValidationFailed.single(
            field, "This asset is a file, not an image: link to it instead.", ErrorCode.INVALID
        )
    if _undescribed(asset):
        raise ValidationFailed.single(
            field,
            "Give the image alt text (or mark it decorative) before using it.",
            ErrorCode.REQUIRED,
        )


async def check_images_described(snapshot: Snapshot) -> None:
    """Refuse to publish ``snapshot`` if a section shows a library image with no alt text
    in its Markdown, on the asset, and no decorative mark. Unknown assets and files are
    left to the section's warnings: they show no image."""
    shown_by: dict[int, list[str]] = {}
    for section in snapshot["sections"]:
        for pk in body_assets(section["body"]).images_without_alt:
            shown_by.setdefault(pk, []).append(section["title"])
    if not shown_by:
        return
    images = await Asset.filter(id__in=list(shown_by), kind=AssetKind.IMAGE).order_by("id")
    errors = [
        FieldError(
            "sections",
            f"Section “{title}” shows image asset:{to_global_id('Asset', image.id)} "
            f"({image.original_name}) without alt text: describe it in the Markdown "
            "(![alt text](asset:…)) or on the image, or mark the image decorative.",
            ErrorCode.REQUIRED,
        )
        for image in images
        if _undescribed(image)
        for title in shown_by[image.id]
    ]
    if errors:
        raise ValidationFailed(errors)
