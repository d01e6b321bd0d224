"""Sign-in, sign-out and the one-time set-password page."""

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from cms.errors import RateLimited, Unauthenticated, ValidationFailed
from cms.serving.sessions import SET_PASSWORD_PATH
from cms.studio.studio import SIGN_IN_PATH, Studio, safe_next


class AccountPages:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    async def sign_in_form(self, request: Request) -> Response:
        if await self.studio.user(request) is not None:
            return RedirectResponse(safe_next(request.query_params.get("next")), 303)
        return await self.studio.render(
            request,
            "sign_in.html.j2",
            {
                "next": safe_next(request.query_params.get("next")),
                "notice": request.query_params.get("notice"),
            },
        )

    async def sign_in(self, request: Request) -> Response:
        form = await request.form()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        target = safe_next(str(form.get("next", "")))
        response = RedirectResponse(target, status_code=303)
        try:
            await self.studio.accounts.sign_in(request, response, email, password)
        except RateLimited as error:
            return await self._sign_in_again(request, email, target, error.message, 429)
        except Unauthenticated as error:
            return await self._sign_in_again(request, email, target, error.message, 401)
        return response

    async def _sign_in_again(
        self, request: Request, email: str, target: str, message: str, status_code: int
    ) -> Response:
        return await self.studio.render(
            request,
            "sign_in.html.j2",
            {"next": target, "email": email, "error": message},
            status_code=status_code,
        )

    async def sign_out(self, request: Request) -> Response:
        response = RedirectResponse(f"{SIGN_IN_PATH}?notice=signed-out", status_code=303)
        await self.studio.accounts.sign_out(request, response)
        return response

    async def open_password_link(self, request: Request) -> Response:
        """The link's own address: its secret goes into a cookie and out of the address bar
        (cms/serving/sessions.py)."""
        response = RedirectResponse(SET_PASSWORD_PATH, status_code=303)
        secret = request.path_params["secret"]
        if await self.studio.accounts.open_password_link(request, response, secret):
            return response
        return await self._unusable_link(request)

    async def set_password_form(self, request: Request) -> Response:
        if not await self.studio.accounts.password_link_is_usable(request):
            return await self._unusable_link(request)
        return await self.studio.render(request, "set_password.html.j2", {"usable": True})

    async def set_password(self, request: Request) -> Response:
        form = await request.form()
        password, repeated = str(form.get("password", "")), str(form.get("repeat", ""))
        if password != repeated:
            return await self._set_password_again(request, "The two passwords differ.")
        response = RedirectResponse(f"{SIGN_IN_PATH}?notice=password-set", status_code=303)
        try:
            await self.studio.accounts.set_password(request, response, password)
        except ValidationFailed as error:
            return await self._set_password_again(request, error.errors[0].message)
        return response

    async def _unusable_link(self, request: Request) -> Response:
        return await self.studio.render(
            request, "set_password.html.j2", {"usable": False}, status_code=410
        )

    async def _set_password_again(self, request: Request, message: str) -> Response:
        return await self.studio.render(
            request, "set_password.html.j2", {"usable": True, "error": message}, status_code=422
        )


def account_routes(studio: Studio) -> list[BaseRoute]:
    pages = AccountPages(studio)
    return [
        Route("/sign-in", studio.public(pages.sign_in_form), name="studio:sign-in"),
        Route("/sign-in", studio.public(pages.sign_in), methods=["POST"]),
        Route(
            "/sign-out",
            studio.signed_in(pages.sign_out),
            methods=["POST"],
            name="studio:sign-out",
        ),
        Route("/set-password", studio.public(pages.set_password_form), name="studio:set-password"),
        Route("/set-password", studio.public(pages.set_password), methods=["POST"]),
        Route(
            "/set-password/{secret}",
            studio.public(pages.open_password_link),
            name="studio:password-link",
        ),
    ]
