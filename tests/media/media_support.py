"""What the media tests share besides fixtures: images made with pyvips, and the GraphQL
multipart upload a client sends."""

import json
import struct
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pyvips
from site_support import api

UPLOAD = """
mutation Upload($file: Upload!) {
  uploadAsset(file: $file) {
    asset {
      id originalName mediaType size width height contentHash uploader
      image { placeholder alt }
    }
    errors { field code message }
  }
}
"""
PREFLIGHT = {"Apollo-Require-Preflight": "true"}
# What Chrome sends for images.
AVIF_FIRST = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"


def make_image(
    width: int = 64, height: int = 48, suffix: str = ".png", colour: int = 90, **options: Any
) -> bytes:
    """A plain image of one grey, encoded by its suffix (".jpg", ".png", ".webp", …)."""
    image = (pyvips.Image.black(width, height, bands=3) + colour).cast("uchar")
    return image.write_to_buffer(suffix, **options)


def white_square_on_black(width: int, height: int, left: int, size: int) -> bytes:
    """Black, with a white square ``size`` wide at ``left`` (vertically centred): a
    subject to crop around."""
    canvas = pyvips.Image.black(width, height, bands=3)
    square = (pyvips.Image.black(size, size, bands=3) + 255).cast("uchar")
    return canvas.insert(square, left, (height - size) // 2).cast("uchar").pngsave_buffer()


async def post_upload(
    http: httpx.AsyncClient,
    data: bytes,
    name: str,
    *,
    token: str | None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A GraphQL multipart request (the spec Apollo's upload client follows)."""
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}})
    files = {
        "operations": (None, operations),
        "map": (None, json.dumps({"0": ["variables.file"]})),
        "0": (name, data, "application/octet-stream"),
    }
    sent = {**PREFLIGHT, **({"Authorization": f"Bearer {token}"} if token else {})}
    return await http.post("/graphql", files=files, headers={**sent, **(headers or {})})


async def upload(http: httpx.AsyncClient, data: bytes, name: str, token: str) -> dict[str, Any]:
    """The uploadAsset payload."""
    response = await post_upload(http, data, name, token=token)
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["uploadAsset"]


def photo_with_gps_and_orientation(width: int = 120, height: int = 60) -> bytes:
    """A JPEG stored landscape with EXIF orientation 6 (shown portrait), an artist and a
    GPS position: what a phone's photo carries."""
    image = (pyvips.Image.black(width, height, bands=3) + 90).cast("uchar").copy()
    image.set_type(pyvips.GValue.gint_type, "orientation", 6)
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd0-Artist", "Secret Person")
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd3-GPSLatitudeRef", "N")
    image.set_type(pyvips.GValue.gstr_type, "exif-ifd3-GPSLatitude", "52/1 31/1 0/1")
    return image.jpegsave_buffer()


IMAGE_URLS = """
query Urls($id: ID!, $width: Int, $height: Int, $fit: ImageFit!, $format: ImageFormat!) {
  node(id: $id) {
    ... on Asset {
      image { url(width: $width, height: $height, fit: $fit, format: $format) }
    }
  }
}
"""


async def rendition_url(
    http: httpx.AsyncClient,
    token: str,
    asset_id: str,
    *,
    width: int | None = None,
    height: int | None = None,
    fit: str = "COVER",
    format: str = "AUTO",
) -> str:
    variables = {"id": asset_id, "width": width, "height": height, "fit": fit, "format": format}
    data = await api(http, IMAGE_URLS, variables, token)
    return data["node"]["image"]["url"]


def loaded(data: bytes) -> pyvips.Image:
    return pyvips.Image.new_from_buffer(data, "")


DESCRIBE = """
mutation Describe($id: ID!, $alt: String!) {
  updateAsset(input: {id: $id, alt: $alt}) { errors { code } }
}
"""
PAGE_WITH_COVER = """
mutation CreatePage($slug: String!, $cover: ID!) {
  createPage(input: {slug: $slug, title: "Images", coverImageId: $cover}) { page { id } }
}
"""
SECTION_WITH_BODY = """
mutation AddSection($page: ID!, $body: String!) {
  createSection(input: {pageId: $page, title: "Photos", body: $body}) { errors { code } }
}
"""
PUBLISH = "mutation Publish($id: ID!) { publishPage(input: {id: $id}) { errors { code } } }"
Call = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


async def publish_page_with_images(
    call: Call, asset_id: str, *, slug: str, alt: str, body: str
) -> None:
    """Describe the asset, make it the cover of a new page with a section ``body``, and
    publish the page; ``call`` runs a document as an editor and returns its data."""
    await call(DESCRIBE, {"id": asset_id, "alt": alt})
    page = await call(PAGE_WITH_COVER, {"slug": slug, "cover": asset_id})
    page_id = page["createPage"]["page"]["id"]
    await call(SECTION_WITH_BODY, {"page": page_id, "body": body})
    await call(PUBLISH, {"id": page_id})


def animated_gif(width: int = 200, height: int = 100, frames: int = 5) -> bytes:
    """An animation: each frame a different grey, with a white square (a fifth of the
    height) near its right edge, vertically centred."""
    size = height // 5
    square = (pyvips.Image.black(size, size, bands=3) + 255).cast("uchar")
    pages = [
        (pyvips.Image.black(width, height, bands=3) + 20 * n)
        .insert(square, width - 2 * size, (height - size) // 2)
        .cast("uchar")
        for n in range(frames)
    ]
    strip = pyvips.Image.arrayjoin(pages, across=1).copy()
    strip.set_type(pyvips.GValue.gint_type, "page-height", height)
    strip.set_type(pyvips.GValue.array_int_type, "delay", [100] * frames)
    return strip.gifsave_buffer()


def many_frame_gif(width: int, height: int, frames: int) -> bytes:
    """A GIF of ``frames`` frames on a ``width`` x ``height`` screen, written byte by byte:
    each frame is one pixel (a few bytes), yet decodes to the whole screen."""
    screen = struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    looping = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\0\0\0"
    # A graphic control block (a tenth of a second), then a 1x1 image: LZW of one pixel.
    frame = b"\x21\xf9\x04\0\x0a\0\0\0" + b"\x2c\0\0\0\0\x01\0\x01\0\0" + b"\x02\x02\x44\x01\0"
    return b"GIF89a" + screen + looping + frame * frames + b"\x3b"


def frames_of(data: bytes) -> list[pyvips.Image]:
    """Each frame of an image (one for a still), loaded as a browser would play it."""
    loader = pyvips.Image.new_from_buffer(data, "").get("vips-loader")
    pages = {"n": -1} if loader in ("gifload_buffer", "webpload_buffer", "heifload_buffer") else {}
    loaded_all = pyvips.Image.new_from_buffer(data, "", **pages)
    page = (
        loaded_all.get("page-height") if loaded_all.get_typeof("page-height") else loaded_all.height
    )
    return [
        loaded_all.crop(0, top, loaded_all.width, page) for top in range(0, loaded_all.height, page)
    ]
