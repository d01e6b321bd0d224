"""A comment's plain text as HTML: everything escaped, blank-line paragraphs, single line
breaks kept, and web addresses as links that pass no reputation (nofollow ugc).

Written by hand on purpose: the input is plain text, so escaping is html.escape and only
bare http(s) addresses become links; a Markdown or linkify library would accept far more."""

import html
import re
from functools import lru_cache

URL_PATTERN = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
TRAILING_PUNCTUATION = ".,;:!?)]}'\""
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
LINK_REL = "nofollow ugc noopener"


def _linkify(line: str) -> str:
    out, position = [], 0
    for match in URL_PATTERN.finditer(line):
        url = match.group(0).rstrip(TRAILING_PUNCTUATION)
        end = match.start() + len(url)
        out.append(html.escape(line[position : match.start()]))
        escaped = html.escape(url)
        out.append(f'<a href="{escaped}" rel="{LINK_REL}">{escaped}</a>')
        position = end
    out.append(html.escape(line[position:]))
    return "".join(out)


@lru_cache(maxsize=4096)
def comment_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + "<br>\n".join(_linkify(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph
    )
