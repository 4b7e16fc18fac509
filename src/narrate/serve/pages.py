"""The server-rendered pages: the officer's (a unit: its versions, upload, problems, reasons,
preview, build, update) and the bureau's (its units' states, filters, many documents as one
zip, publishing). Every change is a POSTed form carrying the session's CSRF token; every
engine call goes through jobs.py."""

from __future__ import annotations

import io
import secrets
import zipfile
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from narrate.serve import auth, batches, db, deps, jobs, states, storage, uploads
from narrate.serve.errors import Refusal

router = APIRouter(include_in_schema=False)
DB = Annotated[object, Depends(deps.database)]
LOGIN_COOKIE = "narrate_login"  # the login form's own CSRF token (double submit)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".pdf": "application/pdf",
         ".xlsx": XLSX, ".yaml": "text/yaml; charset=utf-8", ".yml": "text/yaml; charset=utf-8", ".zip": "application/zip"}


def _page(request: Request, template: str, status: int = 200, **values) -> HTMLResponse:
    html = request.app.state.templates.get_template(template).render(request=request, **values)
    return HTMLResponse(html, status_code=status)


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _download(data: bytes, name: str) -> Response:
    from urllib.parse import quote

    suffix = "." + name.rsplit(".", 1)[-1]
    disposition = f"attachment; filename=\"download{suffix}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA.get(suffix, "application/octet-stream"),
                    headers={"Content-Disposition": disposition})


def _settings(request: Request):
    return request.app.state.settings


# --- signing in ------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    page = _page(request, "login.html", csrf=token, demo=_settings(request).demo, failed=False)
    page.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", secure=_settings(request).secure_cookies)
    return page


@router.post("/login")
def login(request: Request, s: DB, login: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
          csrf: Annotated[str, Form()] = "") -> Response:
    import hmac

    expected = request.cookies.get(LOGIN_COOKIE) or ""
    if not csrf or not hmac.compare_digest(expected, csrf):
        raise Refusal("serve_csrf", 403)
    try:
        user = auth.login(s, login, password)
    except auth.Throttled as exc:
        return _page(request, "login.html", 429, csrf=csrf, demo=_settings(request).demo, failed=False,
                     throttled=exc.minutes)
    if user is None:
        page = _page(request, "login.html", 401, csrf=csrf, demo=_settings(request).demo, failed=True)
        return page
    token, _ = auth.open_session(s, user)
    response = _see("/")
    response.set_cookie(auth.COOKIE, token, httponly=True, samesite="lax", secure=_settings(request).secure_cookies,
                        max_age=int(auth.LIFETIME.total_seconds()))
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, s: DB, csrf: Annotated[str, Form()] = "") -> Response:
    deps.form_user(request, s, csrf)
    auth.close_session(s, request.cookies.get(auth.COOKIE))
    response = _see("/login")
    response.delete_cookie(auth.COOKIE)
    return response


@router.get("/")
def home(request: Request, s: DB) -> Response:
    who = deps.page_user(request, s)
    return _see("/bureau" if who.user.role == "bureau" else f"/units/{who.user.unit_id}")


# --- a unit ----------------------------------------------------------------------------------


@router.get("/units/{unit_id}")
def unit_page(request: Request, s: DB, unit_id: int) -> HTMLResponse:
    who = deps.page_user(request, s)
    unit = deps.unit_for(s, who, unit_id)
    versions = deps.versions_of(s, [unit.id])[unit.id]
    users = {u.id: u.login for u in s.query(db.User).filter(db.User.id.in_({v.created_by for v in versions}))}
    return _page(request, "unit.html", who=who, unit=unit, state=states.of(unit, versions),
                 versions=list(reversed(versions)), users=users, names={v.id: deps.shown_name(unit, v) for v in versions})


@router.get("/units/{unit_id}/workbook")
async def workbook(request: Request, s: DB, unit_id: int, filled: bool = False) -> Response:
    """The workbook to enter the figures in: blank, or filled from the unit's latest input."""
    who = deps.page_user(request, s)
    unit = deps.unit_for(s, who, unit_id)
    state = states.of(unit, deps.versions_of(s, [unit.id])[unit.id])
    source = state.input if filled else None
    if filled and source is None:
        raise Refusal("serve_no_input", 404)
    name = deps.shown_name(unit, source) if source else None
    result = await deps.engine(request, s, jobs.template, str(storage.path(_settings(request), source)) if source else None,
                               name or "", source.profile if source else None)
    if not result["ok"]:
        raise Refusal("serve_engine_refused", 422, message=result["message"])
    from narrate.filenames import safe_name

    return _download(result["xlsx"], safe_name(unit.name, ".xlsx"))


async def _keep_input(request: Request, s, who: deps.Who, unit: db.Unit, data: bytes, suffix: str,
                      source_id: int | None = None) -> db.Version:
    """Keeps an input as a new version, then checks it (in a worker) and records the result."""
    settings = _settings(request)
    kept = storage.keep(s, settings, unit.id, "input", suffix, data, who.user.id, source_id=source_id)
    result = await deps.engine(request, s, jobs.check, str(storage.path(settings, kept)), deps.shown_name(unit, kept), None)
    kept.ok, kept.profile, kept.report = result["ok"], result["profile"], result
    s.commit()
    return kept


@router.post("/units/{unit_id}/upload")
async def upload(request: Request, s: DB, unit_id: int, file: Annotated[UploadFile | None, File()] = None,
                 csrf: Annotated[str, Form()] = "") -> Response:
    who = deps.form_user(request, s, csrf)
    unit = deps.unit_for(s, who, unit_id)
    data, suffix = await uploads.read(file, uploads.INPUT)
    kept = await _keep_input(request, s, who, unit, data, suffix)
    return _see(f"/versions/{kept.id}")


# --- a version -------------------------------------------------------------------------------


@router.get("/versions/{version_id}")
def version_page(request: Request, s: DB, version_id: int) -> HTMLResponse:
    who = deps.page_user(request, s)
    version, unit = deps.version_for(s, who, version_id)
    source = s.get(db.Version, version.source_id) if version.source_id else None
    made = list(s.query(db.Version).filter(db.Version.source_id == version.id).order_by(db.Version.id))
    return _page(request, "version.html", who=who, unit=unit, version=version, source=source, made=made,
                 name=deps.shown_name(unit, version), report=version.report or {},
                 names={v.id: deps.shown_name(unit, v) for v in made + ([source] if source else [])})


@router.get("/versions/{version_id}/file")
def version_file(request: Request, s: DB, version_id: int) -> Response:
    who = deps.page_user(request, s)
    version, unit = deps.version_for(s, who, version_id)
    return _download(storage.read(_settings(request), version), deps.shown_name(unit, version))


def _input(s, who, version_id: int) -> tuple[db.Version, db.Unit]:
    version, unit = deps.version_for(s, who, version_id)
    if version.kind != "input":
        raise Refusal("serve_not_input")
    return version, unit


@router.post("/versions/{version_id}/reasons")
async def reasons(request: Request, s: DB, version_id: int) -> Response:
    """Writes the reasons entered on the page into the input, as a new version."""
    form = await request.form()
    who = deps.form_user(request, s, str(form.get("csrf") or ""))
    version, unit = _input(s, who, version_id)
    missing = (version.report or {}).get("missing") or []
    given = {key: str(form.get(f"reason-{i}") or "").strip() for i, key in enumerate(missing)}
    given = {k: v for k, v in given.items() if v}
    if not given:
        raise Refusal("serve_no_reasons")
    settings = _settings(request)
    result = await deps.engine(request, s, jobs.with_reasons, str(storage.path(settings, version)),
                               deps.shown_name(unit, version), given)
    if not result["ok"]:
        raise Refusal("serve_engine_refused", 422, message=result["message"])
    kept = await _keep_input(request, s, who, unit, result["data"], version.suffix, source_id=version.id)
    return _see(f"/versions/{kept.id}")


@router.get("/versions/{version_id}/preview")
async def preview(request: Request, s: DB, version_id: int) -> HTMLResponse:
    who = deps.page_user(request, s)
    version, unit = _input(s, who, version_id)
    result = await deps.engine(request, s, jobs.preview, str(storage.path(_settings(request), version)),
                               deps.shown_name(unit, version), None)
    return _page(request, "preview.html", who=who, unit=unit, version=version, result=result)


@router.post("/versions/{version_id}/build")
async def build(request: Request, s: DB, version_id: int, csrf: Annotated[str, Form()] = "",
                pdf: Annotated[bool, Form()] = False) -> Response:
    who = deps.form_user(request, s, csrf)
    version, unit = _input(s, who, version_id)
    if not version.ok:
        raise Refusal("serve_check_failed")
    settings = _settings(request)
    result = await deps.engine(request, s, jobs.build, str(storage.path(settings, version)),
                               deps.shown_name(unit, version), None, pdf)
    if not result["ok"]:
        raise Refusal("serve_engine_refused", 422, message=result["problem"])
    docx = batches.keep_document(s, settings, unit, version, who.user.id, result)
    return _see(f"/versions/{docx.id}")


@router.post("/versions/{version_id}/update")
async def update(request: Request, s: DB, version_id: int, edited: Annotated[UploadFile | None, File()] = None,
                 csrf: Annotated[str, Form()] = "") -> Response:
    """The officer's edited document brought up to this input's figures. The edited file is kept
    as a version of its own and never replaced; the result is a new version."""
    who = deps.form_user(request, s, csrf)
    version, unit = _input(s, who, version_id)
    if not version.ok:
        raise Refusal("serve_check_failed")
    data, suffix = await uploads.read(edited, uploads.DOCX)
    settings = _settings(request)
    kept = storage.keep(s, settings, unit.id, "edited", suffix, data, who.user.id, version.profile, version.id)
    result = await deps.engine(request, s, jobs.update, str(storage.path(settings, kept)), deps.shown_name(unit, kept),
                               str(storage.path(settings, version)), deps.shown_name(unit, version), None)
    if not result["ok"]:
        kept.report = result
        s.commit()
        raise Refusal("serve_engine_refused", 422,
                      message=result.get("message") or "; ".join(p["text"] for p in result.get("problems", [])))
    report = {"summary": result["summary"], "review": result["review"], "edited": kept.id}
    made = storage.keep(s, settings, unit.id, "updated", ".docx", result["docx"], who.user.id, result["profile"],
                        version.id, report=report)
    made.note = result["stem"]
    s.commit()
    return _see(f"/versions/{made.id}")


# --- the bureau ------------------------------------------------------------------------------


@router.get("/bureau")
def bureau(request: Request, s: DB, state: str = "", profile: str = "") -> HTMLResponse:
    who = deps.page_user(request, s)
    if who.user.role != "bureau":
        raise Refusal("serve_bureau_only", 403)
    units = deps.units_of(s, who)
    versions = deps.versions_of(s, [u.id for u in units])
    rows = [(u, states.of(u, versions[u.id])) for u in units]
    profiles = sorted({st.input.profile for _, st in rows if st.input is not None and st.input.profile})
    shown = [(u, st) for u, st in rows
             if (not state or st.key == state) and (not profile or (st.input is not None and st.input.profile == profile))]
    counts = {key: sum(1 for _, st in rows if st.key == key) for key in states.ORDER}
    bureau_row = s.get(db.Bureau, who.user.bureau_id)
    return _page(request, "bureau.html", who=who, bureau=bureau_row, rows=shown, states=states.ORDER, counts=counts,
                 profiles=profiles, state=state, profile=profile, total=len(rows),
                 batch=batches.progress(s, bureau_row.id))


@router.post("/bureau/build")
async def bureau_build(request: Request, s: DB) -> Response:
    """Builds the chosen units' documents from their latest inputs that passed their check and
    have none yet, in the workers; the bureau's page shows the progress."""
    form = await request.form()
    who = deps.form_user(request, s, str(form.get("csrf") or ""))
    if who.user.role != "bureau":
        raise Refusal("serve_bureau_only", 403)
    units = [deps.unit_for(s, who, int(v)) for v in form.getlist("unit") if str(v).isdigit()]
    versions = deps.versions_of(s, [u.id for u in units])
    todo = [st.input.id for st in (states.of(u, versions[u.id]) for u in units) if st.key == "checked"]
    if not todo:
        raise Refusal("serve_batch_nothing")
    batches.start(request.app, s, who.user.bureau_id, who.user.id, todo)
    return _see("/bureau")


@router.post("/bureau/zip")
async def bureau_zip(request: Request, s: DB) -> Response:
    """The chosen units' latest documents as one zip, each under its document's name."""
    form = await request.form()
    who = deps.form_user(request, s, str(form.get("csrf") or ""))
    if who.user.role != "bureau":
        raise Refusal("serve_bureau_only", 403)
    chosen = [int(v) for v in form.getlist("unit") if str(v).isdigit()]
    units = [deps.unit_for(s, who, i) for i in chosen]
    versions = deps.versions_of(s, [u.id for u in units])
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for unit in units:
            document = states.of(unit, versions[unit.id]).document
            if document is not None:
                archive.writestr(deps.shown_name(unit, document), storage.read(_settings(request), document))
                count += 1
    if not count:
        raise Refusal("serve_zip_empty")
    from narrate.messages import say

    return _download(buffer.getvalue(), say("serve_zip_name", bureau=s.get(db.Bureau, who.user.bureau_id).name) + ".zip")


@router.post("/units/{unit_id}/publish")
def publish(request: Request, s: DB, unit_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    """The bureau marks the unit's latest document published."""
    who = deps.form_user(request, s, csrf)
    if who.user.role != "bureau":
        raise Refusal("serve_bureau_only", 403)
    unit = deps.unit_for(s, who, unit_id)
    state = states.of(unit, deps.versions_of(s, [unit.id])[unit.id])
    if state.document is None:
        raise Refusal("serve_nothing_to_publish")
    unit.published_version, unit.published_at = state.document.id, db.now()
    s.commit()
    return _see("/bureau")
