"""The media library listing."""

from typing import Annotated

import strawberry

from cms.models import AssetKind
from cms.services import assets
from schema.asset.types import Asset
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, page_request, query_connection

ASSETS_DEFAULT_PAGE_SIZE = 20


@strawberry.type
class AssetQueries:
    @strawberry.field(
        description="The media library, newest first. Editors only: null, with an error, "
        "for readers."
    )
    async def assets(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Only assets whose name, alt text, caption or credit contains this."
            ),
        ] = None,
        type: Annotated[
            str | None,
            strawberry.argument(
                description="Only assets of this media type, e.g. image/png or application/pdf."
            ),
        ] = None,
        kind: Annotated[
            AssetKind | None,
            strawberry.argument(description="Only images (IMAGE) or only files (FILE)."),
        ] = None,
    ) -> Connection[Asset] | None:
        return await query_connection(
            info,
            assets.list_assets(info.context.viewer, search=search, media_type=type, kind=kind),
            page_request(first, after, last, before),
            ASSETS_DEFAULT_PAGE_SIZE,
            Asset.from_model,
        )
