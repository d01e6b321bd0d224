"""Media library mutations: upload (GraphQL multipart request), update, delete."""

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from cms import models
from cms.errors import ErrorCode, FieldError
from cms.services import assets
from cms.services.auth import require_editor
from schema.asset.types import Asset, AssetUse, media_library
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see
from schema.relay import decode_id


@strawberry.type(description="The result of an asset mutation: the asset, or errors.")
class AssetPayload:
    asset: Asset | None = strawberry.field(description="The asset as saved; null on error.")
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="The result of deleteAsset: the ID that is gone, or why not.")
class DeleteAssetPayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="The deleted asset's global ID; null if nothing was deleted."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted, if so.")
    usage: list[AssetUse] = strawberry.field(
        description="With an IN_USE error: every place the asset is shown."
    )


@strawberry.input(description="A point in an image, as fractions of its width and height.")
class FocalPointInput:
    x: float = strawberry.field(description="From the left edge, 0 to 1.")
    y: float = strawberry.field(description="From the top edge, 0 to 1.")


@strawberry.input(description="Changes to an asset; omitted fields stay as they are.")
class UpdateAssetInput:
    id: strawberry.ID = strawberry.field(description="The asset's global ID.")
    alt: str | None = strawberry.field(
        default=None,
        description="Alternative text: what the image shows, for screen readers (images only).",
    )
    caption: str | None = strawberry.field(default=None, description="A caption.")
    credit: str | None = strawberry.field(default=None, description="Who made it.")
    decorative: bool | None = strawberry.field(
        default=None, description="Purely decorative: shown with empty alt text (images only)."
    )
    focal_point: FocalPointInput | None = strawberry.field(
        default=None, description="Where the subject is; crops keep it in view (images only)."
    )
    clear_focal_point: bool = strawberry.field(
        default=False,
        description="Remove the focal point (crops pick the subject; images only).",
    )


NOT_A_PART = FieldError(
    "file",
    "Send the file as a part of a GraphQL multipart request, mapped to this variable.",
    ErrorCode.REQUIRED,
)


def _asset_payload(asset: models.Asset | None, errors: list[UserError]) -> AssetPayload:
    return AssetPayload(asset=Asset.from_model(asset) if asset else None, errors=errors)


@strawberry.type
class AssetMutations:
    @strawberry.mutation(
        description="Upload an image or a file (PDF, text, CSV, ZIP, Office, OpenDocument, "
        "MP3, MP4, WebM) with the GraphQL multipart request spec (the request must carry an "
        "`Apollo-Require-Preflight` header). Its type is detected from its bytes, never its "
        "name (HTML, SVG and XML are refused); the same bytes uploaded again return the "
        "existing asset. Editors only."
    )
    async def upload_asset(
        self,
        info: Info,
        file: Annotated[Upload, strawberry.argument(description="The file (multipart).")],
    ) -> AssetPayload | None:
        viewer = require_editor(info.context.viewer)
        media = media_library(info)
        if not callable(getattr(file, "read", None)):  # a value in the document, not a part
            return _asset_payload(None, [UserError.of(NOT_A_PART)])
        data = await file.read()
        asset, errors = await run_mutation(
            lambda: assets.upload_asset(
                viewer,
                media.storage,
                info.context.settings,
                name=getattr(file, "filename", None),
                data=data,
            )
        )
        changed_nothing_readers_see(info)
        return _asset_payload(asset, errors)

    @strawberry.mutation(
        description="Change an asset's alt text, caption, credit, decorative flag or focal "
        "point (a file's caption and credit only: INVALID otherwise). Editors only."
    )
    async def update_asset(
        self,
        info: Info,
        input: Annotated[UpdateAssetInput, strawberry.argument(description="The changes.")],
    ) -> AssetPayload | None:
        viewer = require_editor(info.context.viewer)
        focal = input.focal_point
        asset, errors = await run_mutation(
            lambda: assets.update_asset(
                viewer,
                decode_id(input.id, "Asset", "id"),
                assets.AssetChanges(
                    alt=input.alt,
                    caption=input.caption,
                    credit=input.credit,
                    decorative=input.decorative,
                    focal_point=(focal.x, focal.y) if focal else None,
                    clear_focal_point=input.clear_focal_point,
                ),
            )
        )
        return _asset_payload(asset, errors)

    @strawberry.mutation(
        description="Delete an asset and its files. Refused (IN_USE, with `usage`) while a "
        "page shows it, in its working copy or live. Editors only."
    )
    async def delete_asset(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The asset's global ID.")],
    ) -> DeleteAssetPayload | None:
        viewer = require_editor(info.context.viewer)
        media = media_library(info)
        usage: list[AssetUse] = []

        async def delete() -> models.Asset:
            try:
                return await assets.delete_asset(
                    viewer, media.storage, decode_id(id, "Asset", "id")
                )
            except assets.AssetInUse as refusal:
                usage.extend(AssetUse.of(use) for use in refusal.uses)
                raise

        asset, errors = await run_mutation(delete)
        changed_nothing_readers_see(info)
        return DeleteAssetPayload(deleted_id=id if asset else None, errors=errors, usage=usage)
