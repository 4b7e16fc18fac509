"""The engine's calls, run in worker processes: the functions the command line runs (pipeline.check,
batch.one for a build, render_text for the preview, regen.update, convert for the workbook), with
their results made plain data for the pages and the API.

Each call works on a copy of the stored file in a scratch folder of its own, named by the
server (never by the upload). An input on the server is one file: one that names another file
(上年文件, 英文译文, a member's 文件) or a profile folder rather than a built-in profile is refused
before anything reads it, so an upload can neither read the server's files nor another unit's.
"""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from narrate.serve.errors import Refusal

TIMEOUT = 300.0  # seconds an engine call may take before the page says so


class Engine:
    """A pool of worker processes with a bounded queue. Started on first use; spawn, not fork:
    the server has threads, and a forked copy of a thread's lock can hang a worker."""

    def __init__(self, workers: int, queue: int, scratch: Path):
        self.workers, self.queue, self.scratch = max(1, workers), queue, scratch
        self._pool: ProcessPoolExecutor | None = None
        self._waiting = 0

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def run(self, fn, *args):
        """Runs fn(scratch, *args) in a worker; refuses when too many calls already wait."""
        if self._waiting >= self.queue:
            raise Refusal("serve_busy", 503)
        self._waiting += 1
        try:
            future = self._executor().submit(fn, str(self.scratch), *args)
            return await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)
        except BrokenProcessPool:
            self._pool = None  # a worker died (killed, out of memory): the next call starts afresh
            raise Refusal("serve_worker_died", 503) from None
        except TimeoutError:
            raise Refusal("serve_timeout", 503) from None
        finally:
            self._waiting -= 1

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


# --- in the worker ---------------------------------------------------------------------------


class _Workdir:
    """A scratch folder holding a copy of each file under the name given."""

    def __init__(self, scratch: str):
        Path(scratch).mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="job-", dir=scratch))

    def copy(self, source: str, name: str) -> Path:
        target = self.path / name
        shutil.copyfile(source, target)
        return target

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def _problem(p, name: str, at: str) -> dict:
    shown = dataclasses.replace(p, file=name) if p.file == at else p
    return {"severity": p.severity.value, "rule": p.rule, "location": str(p.line) if p.line else "",
            "field": p.field, "message": p.message, "subject": p.subject, "text": str(shown)}


def _refused_references(path: Path, profile: str | None) -> list:
    """Returns problems for what an input on the server may not name: other files, profile
    folders. Empty when it names none (or cannot be read: the check says why)."""
    from narrate import pipeline
    from narrate import profile as profiles
    from narrate.messages import say
    from narrate.model import Member, UnitFile, UnitInfo
    from narrate.problems import InputError, Problem, Severity

    builtin = profiles.builtin_names()
    out = []
    if profile is not None and profile not in builtin:
        out.append(Problem(Severity.ERROR, "input", str(path), None, "", say("serve_profile_unknown", profile=profile)))
    try:
        tree = pipeline.source(path, None, profile if profile in builtin else None).tree or {}
    except InputError:
        return out
    fields = UnitFile.model_fields
    for key in ("prior_file", "translations"):
        alias = fields[key].alias
        if tree.get(alias):
            out.append(Problem(Severity.ERROR, "input", str(path), None, alias, say("serve_names_file")))
    named = tree.get(fields["profile"].alias)
    if named and str(named) not in builtin:
        out.append(Problem(Severity.ERROR, "input", str(path), None, fields["profile"].alias,
                           say("serve_profile_unknown", profile=str(named))))
    unit = tree.get(fields["unit"].alias) or {}
    members = unit.get(UnitInfo.model_fields["members"].alias) or [] if isinstance(unit, dict) else []
    for i, member in enumerate(members):
        if isinstance(member, dict) and member.get(Member.model_fields["file"].alias):
            field = f"{fields['unit'].alias}.{UnitInfo.model_fields['members'].alias}[{i + 1}]"
            out.append(Problem(Severity.ERROR, "input", str(path), None, field, say("serve_names_file")))
    return out


def _checked(path: Path, name: str, profile: str | None):
    """Returns (checked unit or None, problems as dicts)."""
    from narrate import pipeline
    from narrate.problems import InputError

    refused = _refused_references(path, profile)
    if refused:
        return None, [_problem(p, name, str(path)) for p in refused]
    try:
        checked = pipeline.check(path, None, profile)
    except InputError as exc:
        return None, [_problem(p, name, str(path)) for p in exc.problems]
    return checked, [_problem(p, name, str(path)) for p in checked.problems]


def check(scratch: str, source: str, name: str, profile: str | None) -> dict:
    """narrate check: the problems, the changes lacking a reason, the profile and unit."""
    with _Workdir(scratch) as work:
        path = work.copy(source, name)
        checked, problems = _checked(path, name, profile)
        ok = checked is not None and checked.ok
        return {
            "ok": ok,
            "problems": problems,
            "missing": [p["subject"] for p in problems if p["rule"] == "reason-missing" and p["subject"]],
            "profile": checked.profile.name if checked is not None and checked.profile is not None else None,
            "unit": checked.unit.info.name if ok else None,
        }


def build(scratch: str, source: str, name: str, profile: str | None, pdf: bool) -> dict:
    """narrate build, as a batch builds each input (batch.one); the PDF through LibreOffice."""
    from narrate import batch
    from narrate import pdf as pdfs
    from narrate.messages import say

    with _Workdir(scratch) as work:
        path = work.copy(source, name)
        refused = _refused_references(path, profile)
        if refused:
            return {"ok": False, "problem": _problem(refused[0], name, str(path))["text"]}
        result = batch.one(0, path, batch.Task(profile=profile), work.path)
        if not result.ok:
            return {"ok": False, "problem": result.problem.replace(str(path), name)}
        out = {"ok": True, "stem": result.stem, "docx": result.made.read_bytes(), "pdf": None}
        if pdf:
            try:
                out["pdf"] = pdfs.make(result.made).path.read_bytes()
            except pdfs.PdfUnavailable:
                out["pdf_problem"] = say("build_pdf_missing")
            except (pdfs.PdfFailed, OSError) as exc:
                out["pdf_problem"] = say("build_pdf_failed", detail=str(exc).replace(str(work.path), ""))
        return out


def preview(scratch: str, source: str, name: str, profile: str | None) -> dict:
    """narrate preview: the explanations and the glossary as text, a paragraph a line."""
    from narrate import build as builder
    from narrate import outline, render_text
    from narrate import phrasebook as phrases

    with _Workdir(scratch) as work:
        path = work.copy(source, name)
        checked, problems = _checked(path, name, profile)
        if checked is None or not checked.ok:
            return {"ok": False, "problems": problems}
        ctx = builder.context(checked.unit, checked.catalogs, checked.profile, phrases.load(None, checked.profile))
        return {"ok": True, "lines": render_text.lines(outline.document(ctx, outline.PROSE).blocks)}


def update(scratch: str, edited: str, edited_name: str, source: str, name: str, profile: str | None) -> dict:
    """narrate update: the officer's edited document brought up to the new figures; the review
    list in the words the command line prints."""
    from narrate import build as builder
    from narrate import phrasebook as phrases
    from narrate import vocabulary
    from narrate.messages import say
    from narrate.phrasebook import layers
    from narrate.regen import update as updater

    with _Workdir(scratch) as work:
        path = work.copy(source, name)
        checked, problems = _checked(path, name, profile)
        if checked is None or not checked.ok:
            return {"ok": False, "problems": problems}
        officer = work.copy(edited, edited_name)
        out = work.path / ("updated-" + edited_name)
        try:
            book = phrases.load(None, checked.profile)
            fresh = builder.compose(checked.unit, checked.catalogs, checked.profile, book)
            words = vocabulary.words(layers(checked.profile, None))
            done = updater.update(officer, fresh, out, words=words)
        except updater.UpdateError as exc:
            params = {k: (edited_name if k == "path" else v) for k, v in exc.params.items()}
            return {"ok": False, "message": say(exc.key, **params)}
        items = [{"kind": i.kind, "heading": i.heading, "excerpt": i.excerpt, "detail": i.detail,
                  "message": updater.review_message(i)} for i in done.outcome.review]
        summary = [updater.counts(done)]
        return {"ok": True, "docx": out.read_bytes(), "summary": summary, "review": items, "profile": checked.profile.name,
                "stem": builder.default_output(checked.unit, checked.profile, book).stem}


def template(scratch: str, source: str | None, name: str, profile: str | None) -> dict:
    """narrate template: the workbook, blank or filled from an input."""
    from narrate import convert, pipeline
    from narrate.messages import say
    from narrate.problems import InputError

    with _Workdir(scratch) as work:
        path = work.copy(source, name) if source else None
        try:
            return {"ok": True, "xlsx": convert.to_workbook(pipeline.source(path, None, profile), profile)}
        except InputError as exc:
            return {"ok": False, "message": str(exc.problems[0]).replace(str(path), name)}
        except convert.Refused as exc:
            return {"ok": False, "message": say(exc.key, **exc.params)}


def with_reasons(scratch: str, source: str, name: str, reasons: dict[str, str]) -> dict:
    """Returns the input with the reasons added to its 变动原因, written in its own kind (YAML or
    workbook) by the converter, so nothing else in it changes."""
    from narrate import convert, pipeline
    from narrate.model import UnitFile
    from narrate.problems import InputError

    with _Workdir(scratch) as work:
        path = work.copy(source, name)
        try:
            read = pipeline.source(path)
        except InputError as exc:
            return {"ok": False, "message": str(exc.problems[0]).replace(str(path), name)}
        tree = dict(read.tree or {})
        key = UnitFile.model_fields["reasons"].alias
        tree[key] = {**(tree.get(key) or {}), **{k: v for k, v in reasons.items() if v.strip()}}
        write = convert.writer_for(path)
        return {"ok": True, "data": write(dataclasses.replace(read, tree=tree), None)}
