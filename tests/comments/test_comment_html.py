"""A comment's bodyHtml: plain text made safe, with paragraphs and nofollow links."""

from cms.services.comment_html import comment_to_html


def test_markup_in_a_comment_is_escaped_not_rendered():
    html = comment_to_html('<script>alert("x")</script> <b>bold</b> & more')
    assert html == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
        "&lt;b&gt;bold&lt;/b&gt; &amp; more</p>"
    )


def test_blank_lines_separate_paragraphs_and_single_newlines_become_breaks():
    assert comment_to_html("One\nstill one\n\n\nTwo") == "<p>One<br>\nstill one</p><p>Two</p>"


def test_web_addresses_become_nofollow_ugc_links_without_trailing_punctuation():
    html = comment_to_html("See https://example.org/a?b=1&c=2.")
    assert html == (
        '<p>See <a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.org/a?b=1&amp;c=2</a>.</p>"
    )


def test_only_http_addresses_become_links():
    html = comment_to_html("javascript:alert(1) and ftp://example.org")
    assert "<a" not in html


def test_a_quote_cannot_break_out_of_a_link():
    html = comment_to_html('https://example.org/"onmouseover="alert(1)')
    assert 'href="https://example.org/"' in html
    assert "onmouseover=&quot;" in html
