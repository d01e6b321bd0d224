"""The live preview: the working copy rendered by the reader site's own page template,
marked as a draft, never cached, framed only by the studio itself."""

from studio.pages_support import add_section, create_page, editor_version, open_editor, save


async def test_preview_renders_the_working_copy_with_the_site_template(studio_editor):
    page_id = await create_page(studio_editor, "preview-me", "Preview me")
    section_id = await add_section(studio_editor, page_id, "First", "Plain")
    version = editor_version((await open_editor(studio_editor, page_id)).text)
    await save(
        studio_editor,
        page_id,
        {
            "version": version,
            "sections": [{"id": section_id, "title": "First", "body": "Now **bold**"}],
            "changedSections": [section_id],
        },
    )

    response = await studio_editor.get(f"/studio/pages/{page_id}/preview")

    assert response.status_code == 200
    assert '<h1 class="article__title">Preview me</h1>' in response.text
    assert '<h2 id="first">First</h2>' in response.text
    assert "<strong>bold</strong>" in response.text
    assert "Draft preview" in response.text
    assert '<link rel="stylesheet" href="/static/site/site.css' in response.text


async def test_preview_is_not_cached_and_framed_only_by_the_studio(studio_editor):
    page_id = await create_page(studio_editor, "framed", "Framed")

    preview = await studio_editor.get(f"/studio/pages/{page_id}/preview")
    editor = await open_editor(studio_editor, page_id)

    assert preview.headers["cache-control"] == "no-store"
    assert preview.headers["x-frame-options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview.headers["content-security-policy"]
    assert "frame-src 'self'" in editor.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in editor.headers["content-security-policy"]
    assert editor.headers["x-frame-options"] == "DENY"


async def test_preview_needs_a_signed_in_editor(studio_editor, studio_browser):
    page_id = await create_page(studio_editor, "secret-draft", "Secret draft")
    stranger = await studio_browser()

    response = await stranger.get(f"/studio/pages/{page_id}/preview")

    assert response.status_code == 303
    assert "Secret draft" not in response.text
