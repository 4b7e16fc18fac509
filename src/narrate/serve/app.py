"""The application factory and the server.

create_app(settings) brings the database to the latest migration, sweeps what a killed server
left, makes the demo's accounts when asked, and returns the FastAPI app with the pages, the API
and the refusal handlers. run() serves it with uvicorn.
"""

from __future__ import annotations

import secrets
import shutil
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from narrate import __version__
from narrate.serve import accounts, db, errors, jobs, migrate, storage
from narrate.serve.settings import DOCX_LIMIT, Settings

TEMPLATES = Path(__file__).with_name("templates")
# A request larger than the largest upload (a .docx and an input, and the form around them) is
# refused before it is read.
REQUEST_LIMIT = DOCX_LIMIT + 2 * 1024 * 1024
# A leftover in a shared data folder is another server's only when younger than this.
STALE = 3600.0


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["narrate_version"] = __version__
    env.filters["when"] = _local_time
    return env


def _local_time(moment) -> str:
    """A stored time (UTC; SQLite gives it back without its zone) in the server's own zone."""
    if moment is None:
        return ""
    from datetime import timezone

    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def create_app(settings: Settings) -> FastAPI:
    from narrate.serve import api, pages

    settings.data.mkdir(parents=True, exist_ok=True)
    made = db.engine(settings.url)
    migrate.upgrade(settings.url)
    # SQLite: one machine, one server; a shared database may have other servers on the folder.
    storage.sweep(settings, 0.0 if made.dialect.name == "sqlite" else STALE)
    sessions = db.sessions(made)
    if settings.demo:
        with sessions() as s:
            accounts.seed_demo(s, settings)
    scratch = settings.scratch / f"server-{secrets.token_hex(6)}"
    engine = jobs.Engine(settings.workers, settings.queue, scratch)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            yield
        finally:
            engine.close()
            shutil.rmtree(scratch, ignore_errors=True)
            made.dispose()

    app = FastAPI(title="narrate", version=__version__, lifespan=lifespan,
                  description="narrate serve: check, build and update budget disclosures.")
    app.state.settings, app.state.sessions, app.state.engine = settings, sessions, engine
    app.state.templates = templates()
    app.state.scratch = scratch
    app.state.tasks = set()  # the bureau's batches running in this process

    def error_page(request: Request, status: int, message: str):
        if status == 401:  # not signed in (or the session ended): the login page says nothing more
            from fastapi.responses import RedirectResponse

            return RedirectResponse("/login", status_code=303)
        html = app.state.templates.get_template("error.html").render(message=message, status=status)
        return HTMLResponse(html, status_code=status)

    errors.install(app, error_page)

    @app.middleware("http")
    async def limit(request: Request, call_next):
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > REQUEST_LIMIT:
            from narrate.files import _size

            return await errors.answer_refusal(request, errors.Refusal("serve_file_too_large", 413, limit=_size(DOCX_LIMIT)), error_page)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serves app until Ctrl-C or SIGTERM (uvicorn stops taking requests, lets the running ones
    finish, then the lifespan closes the worker pool)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=True)
