"""THE media journey in a real browser (Debian's Chromium via Playwright, a real server): an
editor signs in, drops two images at once on the library's upload zone and watches a
progress bar per file, sees both thumbnails appear, chooses a text file named .png and reads
why it was refused next to it, describes an image and sets its focal point by clicking it,
inserts it in a section from the editor's picker, drops another image file on the section's
text, chooses the cover, publishes, and the reader site shows the figure. Every new page is
screenshotted at 1280 and 375 px (/tmp/studio-media-screenshots/) and checked with axe-core."""

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import pyvips
from browser_support import no_sideways_scroll
from live_server import live_server
from playwright.async_api import Page, expect

from studio.journey_support import Inspector, cms_command, install_axe, new_session, sign_in

pytestmark = pytest.mark.slow

SCREENSHOTS = Path("/tmp/studio-media-screenshots")
EDITOR = ("edna@example.com", "Edna Editor", "a long editor password 2")
MAX_BYTES = 300_000
MAX_PIXELS = 3_000_000
DROP_FILES = """
async ({selector, files}) => {
    const transfer = new DataTransfer();
    for (const file of files) {
        const bytes = Uint8Array.from(atob(file.data), c => c.charCodeAt(0));
        transfer.items.add(new File([bytes], file.name, {type: file.type}));
    }
    const target = document.querySelector(selector);
    const box = target.getBoundingClientRect();
    const at = {clientX: box.left + 20, clientY: box.top + 20};
    for (const name of ["dragenter", "dragover", "drop"]) {
        target.dispatchEvent(new DragEvent(name, {
            dataTransfer: transfer, bubbles: true, cancelable: true, ...at}));
    }
}
"""


@pytest.fixture(scope="module")
def server(database, tmp_path_factory) -> Iterator[str]:
    media = tmp_path_factory.mktemp("studio-media")
    with live_server(
        database.url,
        media_root=str(media),
        media_max_bytes=str(MAX_BYTES),
        media_max_pixels=str(MAX_PIXELS),
    ) as base_url:
        yield base_url


def gradient(width: int, height: int, tint: int, suffix: str = ".jpg") -> bytes:
    """A colourful image (a gradient), so screenshots show something."""
    xy = pyvips.Image.xyz(width, height)
    red = xy[0] * (255 / width)
    green = xy[1] * (255 / height)
    image = red.bandjoin([green, (red + green) * 0 + tint]).cast("uchar")
    return image.write_to_buffer(suffix)


def noise(width: int, height: int) -> bytes:
    """A PNG of random colours: it hardly compresses (about 3 bytes a pixel)."""
    bands = [pyvips.Image.gaussnoise(width, height, mean=128, sigma=60) for _ in range(3)]
    return bands[0].bandjoin(bands[1:]).cast("uchar").pngsave_buffer()


def dropped(name: str, data: bytes, media_type: str) -> dict[str, str]:
    return {"name": name, "type": media_type, "data": base64.b64encode(data).decode()}


async def drop(page: Page, selector: str, *files: dict[str, str]) -> None:
    await page.evaluate(DROP_FILES, {"selector": selector, "files": list(files)})


async def test_the_media_journey(server, browser, database, tmp_path):
    inspector = Inspector(install_axe(), folder=SCREENSHOTS)
    cms_command(
        database.url,
        *("user", "create", "--email", EDITOR[0], "--name", EDITOR[1], "--role", "editor"),
        "--password-stdin",
        stdin=EDITOR[2] + "\n",
    )
    edna = await new_session(browser)
    page = await edna.new_page()
    await sign_in(page, server, EDITOR[0], EDITOR[2])
    await page.get_by_role("link", name="Media", exact=True).click()
    await expect(page.get_by_role("heading", name="Media", level=1)).to_be_visible()
    await expect(page.locator("#upload-input")).to_be_enabled()

    # Two images dropped at once: a progress bar each, then both in the grid.
    await drop(
        page,
        "#upload-zone",
        dropped("harbour.jpg", gradient(1600, 1000, 60), "image/jpeg"),
        dropped("meadow.png", gradient(900, 1200, 200, ".png"), "image/png"),
    )
    uploads = page.locator("#upload-list .upload")
    await expect(uploads).to_have_count(2)
    await expect(uploads.locator("progress")).to_have_count(2)
    for name in ("harbour.jpg", "meadow.png"):
        row = uploads.filter(has_text=name)
        await expect(row).to_have_attribute("data-state", "done", timeout=20_000)
        await expect(row.locator("progress")).to_have_attribute("value", "100")
        await expect(row).to_contain_text("Uploaded. Add alt text")
    grid = page.locator("#media-grid .asset-card__name")
    await expect(grid).to_have_count(2, timeout=15_000)
    assert sorted(await grid.all_text_contents()) == ["harbour.jpg", "meadow.png"]
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.asset-thumb__image')].every(i => i.naturalWidth)"
    )

    # Three files chosen with the button, each refused, and why, next to its name: a web
    # page named .png, a photo over the size limit, an image of too many pixels.
    (tmp_path / "notes.png").write_text("<!DOCTYPE html><html><body>My notes</body></html>")
    (tmp_path / "noise.png").write_bytes(noise(400, 400))
    (tmp_path / "panorama.png").write_bytes(gradient(2000, 1600, 30, ".png"))
    chosen = [tmp_path / name for name in ("notes.png", "noise.png", "panorama.png")]
    await page.locator("#upload-input").set_input_files(chosen)
    for name, why in (
        ("notes.png", "Not a type we accept (we look at what the file contains"),
        ("noise.png", "Too large: noise.png is"),
        ("panorama.png", "Too many pixels. The image is 2000x1600 (3200000 pixels)"),
    ):
        refused = uploads.filter(has_text=name)
        await expect(refused).to_have_attribute("data-state", "error", timeout=20_000)
        await expect(refused.locator(".upload__status")).to_contain_text("Not uploaded. " + why)
    await expect(grid).to_have_count(2)
    await no_sideways_scroll(page)
    await inspector.at_both_widths(page, "media-library")

    # Describe the harbour and set its focal point by clicking the image.
    await page.get_by_role("link", name="harbour.jpg", exact=True).click()
    await expect(page.locator("#alt-missing")).to_be_visible()
    await page.get_by_label("Alt text").fill("Boats moored in the harbour")
    await page.get_by_label("Caption").fill("The old harbour")
    image = page.locator("#asset-image")
    box = await image.bounding_box()
    await image.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.5})
    await expect(page.locator("#focal-marker")).to_be_visible()
    clicked = (
        await page.locator("#focal_x").input_value(),
        await page.locator("#focal_y").input_value(),
    )
    assert abs(float(clicked[0]) - 25) < 1 and abs(float(clicked[1]) - 50) < 1, clicked
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await expect(page.locator("#focal_x")).to_have_value(clicked[0])
    await expect(page.locator("#focal-marker")).to_be_visible()
    await no_sideways_scroll(page)
    await inspector.at_both_widths(page, "media-asset")

    # A page whose section shows the harbour, inserted from the picker.
    await page.goto(server + "/studio/pages/new")
    await page.get_by_label("Title").fill("Harbour walk")
    await page.get_by_role("button", name="Create draft").click()
    await expect(page.locator("html")).to_have_attribute("data-editor", "ready")
    await page.get_by_role("button", name="Add section", exact=True).click()
    await page.locator(".section-title:focus").fill("The harbour")
    section = page.locator("li.section-item").first
    await section.locator(".CodeMirror").click()
    await page.keyboard.type("We walked along the quay.")
    await page.keyboard.press("Enter")
    await section.get_by_role("button", name="Image").click()
    picker = page.locator("#image-picker")
    await expect(picker).to_be_visible()
    await expect(picker.locator(".picker-item")).to_have_count(2)
    await inspector.at_both_widths(page, "editor-image-picker")
    await picker.locator(".picker-item", has_text="harbour.jpg").click()
    await expect(picker).to_be_hidden()
    text = section.locator(".CodeMirror")
    await expect(text).to_contain_text("![Boats moored in the harbour](asset:")
    await expect(text).to_contain_text('"The old harbour")')

    # An image file dropped on the section's text: uploaded with its progress, inserted.
    await drop(
        page,
        "li.section-item .CodeMirror-lines",
        dropped("pier.webp", gradient(800, 500, 120, ".webp"), "image/webp"),
    )
    pier = section.locator(".section-uploads .upload", has_text="pier.webp")
    await expect(pier.locator("progress")).to_have_count(1)
    await expect(pier).to_have_attribute("data-state", "done", timeout=20_000)
    await expect(text).to_contain_text("![](asset:")
    body = await page.evaluate(
        "() => document.querySelector('li.section-item .CodeMirror').CodeMirror.getValue()"
    )
    paragraphs = body.split("\n\n")
    assert paragraphs[0] == "We walked along the quay.", body
    assert paragraphs[1].startswith("![](asset:") and paragraphs[2].startswith("![Boats"), body
    await expect(section.locator(".section-uploads__warning")).to_contain_text(
        "“pier.webp” has no alt text yet"
    )

    # The cover: an image without alt text is refused, the described one taken.
    await page.get_by_role("button", name="Choose cover image…").click()
    await picker.locator(".picker-item", has_text="meadow.png").click()
    await expect(page.locator("#picker-message")).to_contain_text("a cover needs it")
    await picker.locator(".picker-item", has_text="harbour.jpg").click()
    await expect(page.locator("#cover-preview img.asset-thumb__image")).to_be_visible()
    await expect(page.locator("#save-state")).to_have_text("All changes saved", timeout=15_000)
    preview = page.frame_locator("#preview")
    await expect(preview.locator(".figure img")).to_have_count(2)
    await expect(preview.locator(".figure img[alt='Boats moored in the harbour']")).to_have_count(1)
    await no_sideways_scroll(page)
    await inspector.at_both_widths(page, "editor-images")

    # Publishing waits until every image shown is described: the pier is marked decorative.
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_text("Section “The harbour” shows image")).to_contain_text("pier.webp")
    editor_url = page.url.removesuffix("/publish") + "/edit"  # the refusal answered the POST
    await page.goto(server + "/studio/media")
    await page.get_by_role("link", name="pier.webp", exact=True).click()
    await page.get_by_label("Decorative").check()
    await page.get_by_role("button", name="Save").click()
    await expect(page.get_by_text("Saved.")).to_be_visible()
    await page.goto(editor_url)
    await page.get_by_role("button", name="Publish", exact=True).click()
    await expect(page.get_by_text("Published: readers see this version now.")).to_be_visible()
    reader = await edna.new_page()
    await reader.goto(server + "/pages/harbour-walk")
    figure = reader.locator(".figure").filter(has_text="The old harbour")
    await expect(figure.locator("img")).to_have_attribute("alt", "Boats moored in the harbour")
    await figure.scroll_into_view_if_needed()
    await reader.wait_for_function(
        "() => [...document.querySelectorAll('.figure img')].every(i => i.naturalWidth)"
    )
    await reader.screenshot(path=SCREENSHOTS / "reader-figure-1280.png", full_page=True)

    # The library page of the harbour now lists where it is used; delete is refused.
    await page.goto(server + "/studio/media")
    await page.get_by_role("link", name="harbour.jpg", exact=True).click()
    await expect(page.locator(".asset-usage")).to_contain_text("Harbour walk")
    await page.get_by_role("link", name="Delete this file…").click()
    await expect(page.get_by_text("cannot be deleted")).to_be_visible()
    await inspector.at_both_widths(page, "media-delete-refused")

    assert edna.problems == []
    assert inspector.violations == {}, inspector.violations
