"""The reader site shows cover images and figures, and its CSP allows images from exactly
the media origin in use."""

import re

import httpx
import pytest

from cms.app import create_app
from media.media_support import (
    animated_gif,
    api,
    frames_of,
    make_image,
    publish_page_with_images,
    upload,
)


async def publish_gallery(http, token) -> None:
    asset = (await upload(http, make_image(1600, 900, ".jpg"), "harbour.jpg", token))["asset"]

    async def call(query: str, variables: dict) -> dict:
        return await api(http, query, variables, token)

    body = f'Boats.\n\n![Boats at dusk](asset:{asset["id"]} "The harbour")'
    await publish_page_with_images(call, asset["id"], slug="gallery", alt="Harbour", body=body)


async def test_an_animated_gif_figure_stays_animated(http, editor_token):
    asset = (await upload(http, animated_gif(), "dance.gif", editor_token))["asset"]

    async def call(query: str, variables: dict) -> dict:
        return await api(http, query, variables, editor_token)

    body = f"![Dancing](asset:{asset['id']})"
    await publish_page_with_images(call, asset["id"], slug="dance", alt="Dance", body=body)
    html = (await http.get("/pages/dance")).text
    figure = html[html.index('<figure class="figure">') :]
    figure = figure[: figure.index("</figure>")]
    src = re.search(r'<img src="([^"]+)"', figure)[1]

    # No AVIF source (its renditions are stills); WebP and the GIF fallback animate.
    assert "image/avif" not in figure and 'type="image/webp"' in figure
    assert src.endswith(".gif")
    assert len(frames_of((await http.get(src)).content)) == 5


def image_policy(response: httpx.Response) -> str:
    directives = response.headers["content-security-policy"].split("; ")
    return next(d for d in directives if d.startswith("img-src "))


async def test_the_page_shows_its_cover_and_figures_from_the_app(http, editor_token):
    await publish_gallery(http, editor_token)

    response = await http.get("/pages/gallery")

    html = response.text
    assert '<figure class="article__cover">' in html
    assert 'alt="Harbour"' in html and 'alt="Boats at dusk"' in html
    assert "<figcaption>The harbour</figcaption>" in html
    assert 'srcset="/media/' in html and 'loading="lazy"' in html
    assert 'width="1600" height="900"' in html
    assert image_policy(response) == "img-src 'self' data:"


@pytest.mark.parametrize("storage_kind", ["local"])
async def test_a_media_origin_is_the_one_other_origin_images_may_come_from(
    media_settings, editor_token, storage_kind
):
    cdn = "https://media.example.com"
    app = create_app(
        media_settings.model_copy(update={"media_public_url": cdn + "/"}), manage_database=False
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        await publish_gallery(http, editor_token)
        response = await http.get("/pages/gallery")

    assert image_policy(response) == f"img-src 'self' data: {cdn}"
    assert f'src="{cdn}/media/' in response.text
    assert 'src="/media/' not in response.text
