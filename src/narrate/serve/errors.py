"""Refusals: what the server will not do, as a message key (phrasebook/<lang>/messages.yaml) and
an HTTP status. Every refusal, and every error nobody foresaw, reaches the browser as a page in
Chinese (the API: JSON) and never as a traceback."""

from __future__ import annotations

import logging

LOG = logging.getLogger("narrate.serve")


class Refusal(Exception):
    def __init__(self, key: str, status: int = 400, **params: object):
        super().__init__(key)
        self.key, self.status, self.params = key, status, params


async def answer_refusal(request, exc: Refusal, render):
    """The answer to a refusal raised outside a route (in a middleware)."""
    from fastapi.responses import JSONResponse

    from narrate.messages import say

    message = say(exc.key, **exc.params)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.key, "message": message}, status_code=exc.status)
    return render(request, exc.status, message)


def install(app, render) -> None:
    """Registers the handlers on app; render(request, status, message) makes the page."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    from narrate.messages import say

    def answer(request, status: int, key: str, **params):
        message = say(key, **params)
        if request.url.path.startswith("/api/") or request.url.path == "/healthz":
            return JSONResponse({"error": key, "message": message}, status_code=status)
        return render(request, status, message)

    async def refused(request, exc: Refusal):
        return answer(request, exc.status, exc.key, **exc.params)

    async def http(request, exc: HTTPException):
        key = {401: "serve_login_needed", 403: "serve_forbidden", 404: "serve_not_found",
               405: "serve_method", 413: "serve_too_large"}.get(exc.status_code, "serve_bad_request")
        return answer(request, exc.status_code, key)

    async def invalid(request, exc: RequestValidationError):
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "-" for e in exc.errors()})
        return answer(request, 422, "serve_invalid_request", fields=", ".join(fields))

    async def unforeseen(request, exc: Exception):
        LOG.exception("unforeseen error on %s", request.url.path)
        return answer(request, 500, "serve_internal")

    app.add_exception_handler(Refusal, refused)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, unforeseen)
