"""One asset's page in the studio: preview, description (alt text, caption, credit,
decorative), focal point, where pages show it, and delete (refused while it is shown)."""

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.forms import see_other, text
from cms.studio.studio import Studio

DONE_MESSAGES = {"saved": "Saved."}
# The form's focal point is in percent (people's unit); the API's in fractions of 1.
PERCENT = 100
FORM_FIELDS = ("alt", "caption", "credit")


def detail_path(asset_id: str) -> str:
    return f"/studio/media/{asset_id}"


def _percent(form: FormData, name: str) -> tuple[float | None, str | None]:
    """A 0-100 number field as a fraction; (None, None) when empty, else an error."""
    raw = text(form, name).strip().replace(",", ".")
    if not raw:
        return None, None
    try:
        value = float(raw)
    except ValueError:
        return None, "Give a number from 0 to 100."
    return value / PERCENT, None


def update_input(asset_id: str, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """updateAsset's input from the form, and the form's own errors (by field)."""
    changes: dict[str, Any] = {"id": asset_id, **{name: text(form, name) for name in FORM_FIELDS}}
    changes["decorative"] = form.get("decorative") == "on"
    x, x_error = _percent(form, "focal_x")
    y, y_error = _percent(form, "focal_y")
    errors = {name: error for name, error in (("focal_x", x_error), ("focal_y", y_error)) if error}
    if form.get("clear_focal_point") == "on":
        changes["clearFocalPoint"] = True
    elif x is not None and y is not None:
        changes["focalPoint"] = {"x": x, "y": y}
    elif (x is None) != (y is None) and not errors:
        errors["focal_x" if x is None else "focal_y"] = "Give both positions, or neither."
    return changes, errors


def form_values(asset: dict[str, Any]) -> dict[str, Any]:
    image = asset.get("image") or {}
    focal = image.get("focalPoint")
    return {
        "alt": image.get("alt", ""),
        "caption": image.get("caption", ""),
        "credit": image.get("credit", ""),
        "decorative": image.get("decorative", False),
        "focal_x": f"{focal['x'] * PERCENT:g}" if focal else "",
        "focal_y": f"{focal['y'] * PERCENT:g}" if focal else "",
    }


def submitted_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: text(form, name) for name in (*FORM_FIELDS, "focal_x", "focal_y")
    }
    values["decorative"] = form.get("decorative") == "on"
    return values


def field_errors(errors: list[dict[str, Any]]) -> dict[str, str]:
    """The API's errors by the form's fields (the focal point is shown by its x input)."""
    by_field: dict[str, str] = {}
    for error in errors:
        name = "focal_x" if error["field"] == "focalPoint" else error["field"] or "form"
        by_field[name] = error["message"]
    return by_field


def media_detail_routes(studio: Studio) -> list[BaseRoute]:
    async def read(request: Request) -> dict[str, Any] | None:
        result = await studio.execute(
            request, "studio_asset", {"id": request.path_params["asset_id"]}
        )
        asset = result.data.get("node")
        return asset if asset and "originalName" in asset else None

    async def render(
        request: Request,
        asset: dict[str, Any],
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        context = {
            "active_section": "media",
            "item": asset,
            "values": values or form_values(asset),
            "errors": errors or {},
            "done": DONE_MESSAGES.get(request.query_params.get("done", "")),
        }
        return await studio.render(request, "media/detail.html.j2", context, status_code)

    async def missing(request: Request) -> Response:
        return await studio.refuse(request, 404, "There is no such file in the library.")

    async def detail(request: Request) -> Response:
        asset = await read(request)
        return await render(request, asset) if asset else await missing(request)

    async def save(request: Request) -> Response:
        asset = await read(request)
        if asset is None:
            return await missing(request)
        form = await request.form()
        changes, errors = update_input(asset["id"], form)
        if not errors:
            result = await studio.execute(request, "update_asset", {"input": changes})
            payload = result.data.get("updateAsset") or {"errors": []}
            errors = field_errors(payload["errors"])
            if result.errors:
                errors["form"] = " ".join(error.message for error in result.errors)
        if errors:
            values = submitted_values(form)
            return await render(request, asset, values=values, errors=errors, status_code=422)
        return see_other(detail_path(asset["id"]), done="saved")

    async def confirm_delete(request: Request) -> Response:
        asset = await read(request)
        if asset is None:
            return await missing(request)
        context = {"active_section": "media", "item": asset, "uses": asset["usage"]}
        return await studio.render(request, "media/delete.html.j2", context)

    async def delete(request: Request) -> Response:
        asset = await read(request)
        if asset is None:
            return await missing(request)
        result = await studio.execute(request, "delete_asset", {"id": asset["id"]})
        payload = result.data.get("deleteAsset") or {"errors": [], "usage": []}
        if payload.get("deletedId"):
            return see_other("/studio/media", done="deleted")
        problems = [error["message"] for error in payload["errors"]]
        problems += [error.message for error in result.errors]
        context = {
            "active_section": "media",
            "item": asset,
            "uses": payload["usage"] or asset["usage"],
            "refused": " ".join(problems),
        }
        return await studio.render(request, "media/delete.html.j2", context, 422)

    guard = studio.signed_in
    return [
        Route("/media/{asset_id}", guard(detail), name="studio:asset"),
        Route("/media/{asset_id}", guard(save), methods=["POST"]),
        Route("/media/{asset_id}/delete", guard(confirm_delete)),
        Route("/media/{asset_id}/delete", guard(delete), methods=["POST"]),
    ]
