"""The surrogate keys of what an anonymous answer shows, found while it is executed.

Keys come from the objects execution completes, not from the fields the client selected:
a page asked for without its ``id`` still carries the page's key. A section or a comment
carries its page's key (a publish replaces the sections readers see; a moderated comment
changes its page's thread and counts). See cms/services/reader_changes.py.
"""

from collections.abc import Iterator
from typing import Any

from cms.services.reader_changes import NOT_FOUND, PAGE_LIST, page_key

# A list whose members depend on which pages are live.
PAGE_LIST_TYPES = frozenset({"PageConnection", "SearchResultConnection"})
# A null of these types is "nothing to show": it changes when something goes live.
LOOKUP_TYPES = frozenset({"Page", "Node"})


def keys_of_object(type_name: str, value: Any) -> Iterator[str]:
    if type_name == "Page":
        yield page_key(value.pk)
    elif type_name in PAGE_LIST_TYPES:
        yield PAGE_LIST
    else:
        page_pk = getattr(value, "page_pk", None)
        if isinstance(page_pk, int):
            yield page_key(page_pk)


def keys_of_null(type_name: str) -> Iterator[str]:
    if type_name in LOOKUP_TYPES:
        yield NOT_FOUND
