"""The HTTP API beside the pages, for the bureau's own systems (OpenAPI schema at /docs).

Every call but /healthz needs `Authorization: Bearer <token>` (a user's token, made by
`narrate serve adduser --token`). The API keeps nothing: it answers for the files it is sent,
through the same engine calls as the pages (jobs.py)."""

from __future__ import annotations

import base64
import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import text

from narrate.serve import deps, jobs, uploads
from narrate.serve.errors import Refusal

router = APIRouter()
DB = Annotated[object, Depends(deps.database)]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFUSED = {code: {"description": "A refusal: {error: message key, message: the message in Chinese}"}
           for code in (400, 401, 413, 415, 422, 503)}


class ProblemOut(BaseModel):
    severity: Literal["error", "warning", "hint"]
    rule: str
    location: str  # a YAML line, or a workbook's sheet!cell; empty when the file as a whole
    field: str
    message: str
    subject: str
    text: str  # as `narrate check` prints it: file:line: field: message


class CheckOut(BaseModel):
    ok: bool
    profile: str | None
    unit: str | None
    missing: list[str]  # the 变动原因 keys of changes lacking a reason
    problems: list[ProblemOut]


class ReviewItem(BaseModel):
    kind: str
    heading: str
    excerpt: str
    detail: str
    message: str


class UpdateOut(BaseModel):
    summary: list[str]
    review: list[ReviewItem]
    docx_base64: str


def _profile(profile: str | None) -> str | None:
    return profile or None


@router.get("/healthz", tags=["api"])
def healthz(request: Request, s: DB) -> dict:
    """The server answers and its database too."""
    try:
        s.execute(text("SELECT 1"))
    except Exception:
        raise Refusal("serve_db_down", 503) from None
    return {"status": "ok"}


@router.post("/api/check", tags=["api"], response_model=CheckOut, responses=REFUSED)
async def check(request: Request, s: DB, file: Annotated[UploadFile | None, File(description="YAML or .xlsx input")] = None,
                profile: Annotated[str | None, Form(description="a built-in profile; default: the input's")] = None) -> dict:
    """An input file -> every problem `narrate check` finds, located by line or sheet and cell."""
    deps.api_user(request, s)
    data, suffix = await uploads.read(file, uploads.INPUT)
    with deps.staged(request.app.state.scratch, (data, suffix)) as (path,):
        return await deps.engine(request, s, jobs.check, str(path), "input" + suffix, _profile(profile))


@router.post("/api/build", tags=["api"], responses={200: {"content": {DOCX: {}}}, **REFUSED},
             response_class=Response)
async def build(request: Request, s: DB, file: Annotated[UploadFile | None, File(description="YAML or .xlsx input")] = None,
                profile: Annotated[str | None, Form()] = None) -> Response:
    """An input file -> the disclosure .docx (422 with the first problem when the input fails its check)."""
    deps.api_user(request, s)
    data, suffix = await uploads.read(file, uploads.INPUT)
    with deps.staged(request.app.state.scratch, (data, suffix)) as (path,):
        result = await deps.engine(request, s, jobs.build, str(path), "input" + suffix, _profile(profile), False)
    if not result["ok"]:
        raise Refusal("serve_engine_refused", 422, message=result["problem"])
    return Response(result["docx"], media_type=DOCX, headers={"Content-Disposition": 'attachment; filename="narrate.docx"'})


@router.post("/api/update", tags=["api"], responses={200: {"content": {DOCX: {}, "application/json": {
    "schema": UpdateOut.model_json_schema()}}}, **REFUSED}, response_class=Response)
async def update(request: Request, s: DB,
                 edited: Annotated[UploadFile | None, File(description="the officer's edited .docx")] = None,
                 file: Annotated[UploadFile | None, File(description="the new input, YAML or .xlsx")] = None,
                 profile: Annotated[str | None, Form()] = None,
                 review: Annotated[Literal["header", "json"], Form(description="where the review list goes")] = "header") -> Response:
    """The edited .docx and the new input -> the updated .docx. The review list comes in the
    X-Narrate-Review header (JSON, ASCII-escaped), or, with review=json, the whole answer is JSON."""
    deps.api_user(request, s)
    officer, docx_suffix = await uploads.read(edited, uploads.DOCX)
    data, suffix = await uploads.read(file, uploads.INPUT)
    with deps.staged(request.app.state.scratch, (officer, docx_suffix), (data, suffix)) as (edited_path, path):
        result = await deps.engine(request, s, jobs.update, str(edited_path), "edited.docx", str(path),
                                   "input" + suffix, _profile(profile))
    if not result["ok"]:
        message = result.get("message") or "; ".join(p["text"] for p in result.get("problems", []))
        raise Refusal("serve_engine_refused", 422, message=message)
    if review == "json":
        return JSONResponse({"summary": result["summary"], "review": result["review"],
                             "docx_base64": base64.b64encode(result["docx"]).decode("ascii")})
    return Response(result["docx"], media_type=DOCX, headers={
        "Content-Disposition": 'attachment; filename="narrate-updated.docx"',
        "X-Narrate-Review": json.dumps(result["review"], ensure_ascii=True)})
