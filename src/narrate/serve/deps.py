"""What a request brings: its database session, who is asking (a session cookie on the pages, a
bearer token on the API), and the rights check every unit and version passes through."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from sqlalchemy import select

from narrate.filenames import safe_name
from narrate.serve import auth, db
from narrate.serve.errors import Refusal


def database(request: Request) -> Iterator:
    with request.app.state.sessions() as s:
        yield s


@dataclass
class Who:
    user: db.User
    session: db.Session | None = None  # None: signed in by API token


def page_user(request: Request, s) -> Who:
    """The signed-in user of a page, or a refusal sending them to log in."""
    found = auth.session_of(s, request.cookies.get(auth.COOKIE))
    if found is None:
        raise Refusal("serve_login_needed", 401)
    return Who(*found)


def form_user(request: Request, s, csrf: str | None) -> Who:
    """As page_user, for a form that changes something: its CSRF token must be the session's."""
    who = page_user(request, s)
    if not auth.csrf_ok(who.session, csrf):
        raise Refusal("serve_csrf", 403)
    return who


def api_user(request: Request, s) -> Who:
    user = auth.token_user(s, request.headers.get("authorization"))
    if user is None:
        raise Refusal("serve_token_needed", 401)
    return Who(user)


def unit_for(s, who: Who, unit_id: int) -> db.Unit:
    """The unit, when who may see it: an officer their own, the bureau's staff its units.
    Anything else is refused alike, whether or not the unit exists."""
    unit = s.get(db.Unit, unit_id)
    user = who.user
    allowed = unit is not None and (
        (user.role == "officer" and unit.id == user.unit_id) or (user.role == "bureau" and unit.bureau_id == user.bureau_id)
    )
    if not allowed:
        raise Refusal("serve_forbidden", 403)
    return unit


def version_for(s, who: Who, version_id: int) -> tuple[db.Version, db.Unit]:
    version = s.get(db.Version, version_id)
    if version is None:
        raise Refusal("serve_forbidden", 403)
    return version, unit_for(s, who, version.unit_id)


def units_of(s, who: Who) -> list[db.Unit]:
    user = who.user
    if user.role == "officer":
        return [s.get(db.Unit, user.unit_id)]
    return list(s.scalars(select(db.Unit).where(db.Unit.bureau_id == user.bureau_id).order_by(db.Unit.name)))


def versions_of(s, unit_ids: list[int]) -> dict[int, list[db.Version]]:
    out: dict[int, list[db.Version]] = {i: [] for i in unit_ids}
    if unit_ids:
        for v in s.scalars(select(db.Version).where(db.Version.unit_id.in_(unit_ids)).order_by(db.Version.id)):
            out[v.unit_id].append(v)
    return out


async def engine(request: Request, s, fn, *args):
    """Runs an engine call (jobs.py) in a worker. The session's transaction ends first: a
    request waiting for a build holds no database connection (twenty waiting would hold the
    whole pool)."""
    s.commit()
    return await request.app.state.engine.run(fn, *args)


def shown_name(unit: db.Unit, version: db.Version) -> str:
    """The name a version is downloaded and spoken of under: the document's own name for a
    document (its stem is kept in note), else the unit's name; always with the version's number."""
    stem = version.note or unit.name
    return safe_name(f"{stem}-{version.id}", version.suffix)


@contextmanager
def staged(scratch: Path, *files: tuple[bytes, str]) -> Iterator[list[Path]]:
    """Writes API uploads into a folder of their own under names the server chose; removed after."""
    folder = scratch / f"api-{secrets.token_hex(8)}"
    folder.mkdir(parents=True)
    try:
        paths = []
        for i, (data, suffix) in enumerate(files):
            path = folder / f"upload-{i}{suffix}"
            path.write_bytes(data)
            paths.append(path)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)
