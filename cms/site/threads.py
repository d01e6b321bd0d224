"""Comment threads as the API lists them (flat, in reading order) turned into trees."""

from typing import Any


def nest_comments(comments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The top-level comments, each with its ``replies`` (the API lists a thread flat, in
    reading order, so a comment always comes after the one it answers)."""
    by_id: dict[str, dict[str, Any]] = {}
    top_level: list[dict[str, Any]] = []
    for comment in comments:
        comment["replies"] = []
        by_id[comment["id"]] = comment
        parent = by_id.get(comment["parentId"]) if comment["parentId"] else None
        (parent["replies"] if parent else top_level).append(comment)
    return top_level


def find_comment(page: dict[str, Any], comment_id: str) -> dict[str, Any] | None:
    """The approved comment with this id anywhere in the page's threads."""
    return next(
        (edge["node"] for edge in page["comments"]["edges"] if edge["node"]["id"] == comment_id),
        None,
    )
