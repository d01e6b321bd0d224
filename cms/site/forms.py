"""The comment form: what the reader typed, the addComment input made from it, and the
errors the API gave back, by field."""

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from cms.site.api import ApiError

# The form's inputs are named like AddCommentInput's fields, so the API's error `field`
# names the input to show it next to.
TEXT_FIELDS = ("body", "authorName", "authorEmail", "authorUrl")
HIDDEN_FIELDS = ("pageId", "parentId", "formToken", "honeypot")
FORM_LEVEL = "form"


@dataclass
class CommentForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The API's error code for each input field it rejected.
    rejected: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_form_data(cls, form: FormData) -> "CommentForm":
        values = {}
        for name in TEXT_FIELDS + HIDDEN_FIELDS:
            value = form.get(name)
            values[name] = value if isinstance(value, str) else ""
        return cls(values=values)

    def mutation_input(self) -> dict[str, Any]:
        """AddCommentInput: empty optional fields are left out rather than sent empty."""
        data: dict[str, Any] = {
            name: self.values[name]
            for name in ("pageId", "authorName", "authorEmail", "body", "honeypot")
        }
        for name in ("authorUrl", "parentId", "formToken"):
            if self.values[name].strip():
                data[name] = self.values[name].strip()
        return data

    def add_error(self, field_name: str, message: str, code: str = "INVALID") -> None:
        self.rejected[field_name] = code
        # Errors about inputs the reader cannot see belong to the form as a whole.
        where = field_name if field_name in TEXT_FIELDS else FORM_LEVEL
        self.errors.setdefault(where, []).append(message)

    def add_api_errors(self, payload_errors: list[dict[str, Any]], errors: list[ApiError]) -> None:
        for error in payload_errors:
            self.add_error(error["field"], error["message"], error["code"])
        for api_error in errors:
            self.add_error(FORM_LEVEL, api_error.message, api_error.code or "ERROR")

    @property
    def only_needs_a_token(self) -> bool:
        """The API refused the form only because it carried no token (the shared
        article's form has none); everything else about it was fine."""
        return self.rejected == {"formToken": "REQUIRED"}

    @property
    def needs_new_token(self) -> bool:
        """The form token was missing, expired or not valid (one sent too soon just needs
        time, so it is kept)."""
        code = self.rejected.get("formToken")
        return code is not None and code != "TOO_SOON"
