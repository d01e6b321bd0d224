"""Rendition figures for `make bench`: first-time renders per second and cached serves per
second through the served app (uvicorn, one worker), next to the same renders in process
with pyvips (what the app runs) and with Pillow, in the same run.

    python -m bench.renditions [--renders 12] [--duration 5] [--connections 16]

Each source is a 2400x1600 JPEG of noise (a photo's worth of detail); each render makes an
800 px wide rendition (shrink-on-load where the library offers it, EXIF orientation
applied, metadata dropped) at quality 75. AVIF is encoded at libvips effort 2 and Pillow
speed 7 (both libaom cpu-used 7).

The animation line: 480x270 GIFs of 24 frames of noise, each rendered 240 px wide as an
animated GIF and an animated WebP (every frame resized) with pyvips in process.
"""

import argparse
import asyncio
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pyvips
from PIL import Image, ImageOps

from bench.run import server, wrk
from cms.config import Settings
from cms.media import images
from cms.media.specs import RenditionSpec

WIDTH = 800
QUALITY = 75
FORMATS = ("jpeg", "webp", "avif")
EXTENSIONS = {"jpeg": "JPEG", "webp": "WEBP", "avif": "AVIF"}
ANIMATION_WIDTH, ANIMATION_HEIGHT, ANIMATION_FRAMES = 480, 270, 24
ANIMATED_WIDTH = 240
ANIMATED_FORMATS = ("gif", "webp")
LIMIT = images.AnimationLimit.from_settings(Settings())
UPLOAD = "mutation U($file: Upload!) { uploadAsset(file: $file) { asset { id } errors { code } } }"
URL = """
query R($id: ID!, $w: Int!, $f: ImageFormat!) {
  node(id: $id) { ... on Asset { image { url(width: $w, format: $f) } } }
}
"""


def source_image(seed: int) -> bytes:
    noise = pyvips.Image.gaussnoise(2400, 1600, sigma=40, mean=110 + seed)
    return noise.bandjoin([noise, noise]).cast("uchar").jpegsave_buffer(Q=90)


def animated_source(seed: int) -> bytes:
    frames = [
        pyvips.Image.gaussnoise(ANIMATION_WIDTH, ANIMATION_HEIGHT, sigma=40, mean=100 + seed + n)
        for n in range(ANIMATION_FRAMES)
    ]
    strip = pyvips.Image.arrayjoin(frames, across=1).bandjoin([0, 0]).cast("uchar").copy()
    strip.set_type(pyvips.GValue.gint_type, "page-height", ANIMATION_HEIGHT)
    return strip.gifsave_buffer()


def animated_render(data: bytes, image_format: str) -> bytes:
    spec = RenditionSpec(width=ANIMATED_WIDTH, quality=QUALITY)
    return images.render(data, spec, image_format, None, LIMIT)


def pillow_render(data: bytes, image_format: str) -> bytes:
    image = Image.open(io.BytesIO(data))
    image = ImageOps.exif_transpose(image)
    image.thumbnail((WIDTH, 100_000))  # uses JPEG draft mode (shrink-on-load) first
    out = io.BytesIO()
    if image_format == "avif":
        image.save(out, "AVIF", quality=QUALITY, speed=7)
    elif image_format == "webp":
        image.save(out, "WEBP", quality=QUALITY)
    else:
        image.save(out, "JPEG", quality=QUALITY, progressive=True)
    return out.getvalue()


def pyvips_render(data: bytes, image_format: str) -> bytes:
    spec = RenditionSpec(width=WIDTH, quality=QUALITY)
    return images.render(data, spec, image_format, None, LIMIT)


def per_second(render: Callable[[bytes, str], bytes], sources: list[bytes], fmt: str) -> float:
    started = time.perf_counter()
    for data in sources:
        render(data, fmt)
    return len(sources) / (time.perf_counter() - started)


async def fetch_all(http: httpx.AsyncClient, urls: list[str], concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def fetch(url: str) -> None:
        async with gate:
            response = await http.get(url)
            response.raise_for_status()

    await asyncio.gather(*(fetch(url) for url in urls))


async def served_first_renders(base: str, token: str, sources: list[bytes]) -> dict[str, float]:
    """Upload the sources, then ask for one new rendition of each per format, two at a
    time (the machine's cores): each request is a first request."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
        ids = []
        for n, data in enumerate(sources):
            files = {
                "operations": (None, json.dumps({"query": UPLOAD, "variables": {"file": None}})),
                "map": (None, json.dumps({"0": ["variables.file"]})),
                "0": (f"s{n}.jpg", data, "image/jpeg"),
            }
            answer = await http.post(
                "/graphql", files=files, headers={"Apollo-Require-Preflight": "1"}
            )
            ids.append(answer.json()["data"]["uploadAsset"]["asset"]["id"])
        rates = {}
        for fmt in FORMATS:
            urls = []
            for asset_id in ids:
                variables = {"id": asset_id, "w": WIDTH, "f": EXTENSIONS[fmt]}
                answer = await http.post("/graphql", json={"query": URL, "variables": variables})
                urls.append(answer.json()["data"]["node"]["image"]["url"])
            started = time.perf_counter()
            await fetch_all(http, urls, concurrency=2)
            rates[fmt] = len(urls) / (time.perf_counter() - started)
        rates["cached_url"] = urls[0]  # type: ignore[assignment]
        return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--renders", type=int, default=12, help="Sources (renders per format).")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    sources = [source_image(n) for n in range(args.renders)]
    in_process = {
        fmt: (per_second(pyvips_render, sources, fmt), per_second(pillow_render, sources, fmt))
        for fmt in FORMATS
    }
    animations = [animated_source(n) for n in range(4)]
    animated = {fmt: per_second(animated_render, animations, fmt) for fmt in ANIMATED_FORMATS}
    scratch = Path(tempfile.mkdtemp(prefix="cms-bench-media-"))
    try:
        env = {
            **os.environ,
            "CMS_LOG_LEVEL": "warning",
            "CMS_DATABASE_URL": f"sqlite://{scratch / 'bench.sqlite3'}",
            "CMS_MEDIA_ROOT": str(scratch / "media"),
            "CMS_SECRET_KEY": "bench-secret-key-of-some-length",
        }
        cms = [sys.executable, "-c", "from cms.cli import main; main()"]
        subprocess.run([*cms, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        created = subprocess.run(
            [*cms, "token", "create", "--name", "bench", "--role", "editor"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        token = next(word for word in created.split() if word.startswith("cms_"))
        with server("cms.asgi:app", env) as base:
            served = asyncio.run(served_first_renders(base, token, sources))
            cached_url = base + str(served.pop("cached_url"))
            cached_rps, p50, p99, errors = wrk(cached_url, args.duration, args.connections)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nRenditions: {WIDTH} px wide from 2400x1600 JPEGs, quality {QUALITY}")
    print(f"{'format':<8}{'served, first':>16}{'pyvips':>10}{'Pillow':>10}   (renders/s)")
    for fmt in FORMATS:
        vips, pillow = in_process[fmt]
        print(f"{fmt:<8}{served[fmt]:>16.1f}{vips:>10.1f}{pillow:>10.1f}")
    print(
        f"animated GIF {ANIMATION_WIDTH}x{ANIMATION_HEIGHT} x {ANIMATION_FRAMES} frames -> "
        f"{ANIMATED_WIDTH} px, pyvips: "
        + ", ".join(f"{fmt} {animated[fmt]:.1f}" for fmt in ANIMATED_FORMATS)
        + " renders/s"
    )
    print(
        f"cached rendition served: {cached_rps:.0f} requests/s "
        f"(p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors; wrk -c{args.connections})"
    )


if __name__ == "__main__":
    main()
