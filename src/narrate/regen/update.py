"""`narrate update`: open the officer's file, regenerate, merge, write a new file atomically."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError

from narrate.regen import marks, merge, ooxml, snapshot
from narrate.regen.review import Item


class UpdateError(Exception):
    """A problem with the edited file; key names the message in phrasebook/<lang>/messages.yaml."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Updated:
    path: Path
    outcome: merge.Outcome
    backup: Path | None = None


def default_output(edited: Path) -> Path:
    """Returns where the update goes unless told: <name>-更新.docx beside the edited file."""
    return edited.with_name(f"{edited.stem}-更新.docx")


def open_edited(path: Path) -> tuple[docx.document.Document, snapshot.Generated]:
    """Returns the officer's document and what narrate last generated in it."""
    if not path.is_file():
        raise UpdateError("update_missing", path=str(path))
    if not zipfile.is_zipfile(path):
        raise UpdateError("update_not_docx", path=str(path))
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError, SyntaxError):
        raise UpdateError("update_corrupt", path=str(path)) from None
    except Exception as exc:  # lxml parse errors and other damage inside a readable zip
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise UpdateError("update_corrupt", path=str(path)) from None
        raise
    text = marks.read_snapshot(document)
    if text is None:
        lost = marks.marked(document.element.body)
        raise UpdateError("update_snapshot_lost" if lost else "update_not_narrate", path=str(path))
    try:
        return document, snapshot.parse(text)
    except snapshot.SnapshotError:
        raise UpdateError("update_snapshot_bad", path=str(path)) from None


def update(
    edited: Path,
    fresh: bytes,
    output: Path | None = None,
    in_place: bool = False,
    comments: bool = False,
    now: dt.datetime | None = None,
) -> Updated:
    """Merges fresh (the writer's .docx of the new figures) into the officer's file and writes
    the result to output (never over the edited file unless in_place, which keeps a .bak)."""
    document, base = open_edited(edited)
    new_doc = docx.Document(io.BytesIO(fresh))
    new = snapshot.parse(marks.read_snapshot(new_doc))
    date = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = document.element.body
    outcome = merge.merge(body, base, new, new_doc.element.body, ooxml.Revisions.for_body(body, date))
    marks.replace_snapshot(document, marks.snapshot_xml(new_doc))
    if comments:
        _comment(document, base, outcome.review)
    target = edited if in_place else (output or default_output(edited))
    backup = None
    if in_place:
        backup = edited.with_name(edited.name + ".bak")
        shutil.copy2(edited, backup)
    _save(document, target)
    return Updated(target, outcome, backup)


def _save(document, target: Path) -> None:
    # Temporary file beside the target, then rename: a failure never leaves half a document.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        document.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _comment(document, base: snapshot.Generated, items: list[Item]) -> None:
    from narrate.messages import say

    doc = merge.Located(document.element.body, base)
    paragraphs = {p._p: p for p in document.paragraphs}
    for item in items:
        p = doc.para(item.block)
        para = paragraphs.get(p) if p is not None else None
        if para is not None and para.runs:
            document.add_comment(para.runs, say(f"review_{item.kind}", excerpt=item.excerpt, detail=item.detail), author=ooxml.AUTHOR, initials="N")


def summary(done: Updated) -> list[str]:
    """Returns the lines the CLI prints: where it went, what changed, what to review."""
    from narrate.messages import say

    o = done.outcome
    lines = [say("update_written", path=str(done.path))]
    if done.backup:
        lines.append(say("update_backup", backup=str(done.backup)))
    counts = dict(replaced=len(o.replaced), updated=len(o.updated), inserted=len(o.inserted), deleted=len(o.deleted))
    lines.append(say("update_counts", rows=len(o.rows), kept=len(o.kept_deleted), **counts))
    if not o.review:
        return [*lines, say("update_review_none")]
    lines.append(say("update_review_head", count=len(o.review)))
    return lines + [f"  {n}. " + say(f"review_{i.kind}", excerpt=i.excerpt, detail=i.detail) for n, i in enumerate(o.review, 1)]
