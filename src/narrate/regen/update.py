"""`narrate update`: read the officer's file, merge the new generation into it, write the result
by the one rule every narrate file follows (docx.save).

The package is read and written part by part (no python-docx): every part the officer's editor
wrote is kept as it was, except word/document.xml (merged), the snapshot (renewed) and, with
comments, the comments part. The zip has fixed entry times and revisions carry a stated date,
so the same EDITED and the same input give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from narrate import files, vocabulary
from narrate.docx import Built, marks, package, publish, replaceable, snapshot
from narrate.docx.ooxml import Ids, serialize, w
from narrate.docx.package import DOCUMENT, PackageError
from narrate.docx.save import save
from narrate.messages import say
from narrate.regen import comments as notes
from narrate.docx import revisions
from narrate.regen import locate, merge
from narrate.regen.review import Item


class UpdateError(Exception):
    """A problem with the edited file or the options; key names the message in
    phrasebook/<lang>/messages.yaml. usage: the options conflict (exit 2, not 1)."""

    def __init__(self, key: str, usage: bool = False, **params: object) -> None:
        super().__init__(key)
        self.key, self.params, self.usage = key, params, usage


@dataclass(frozen=True)
class Updated:
    path: Path
    outcome: merge.Outcome
    backup: Path | None = None
    unchanged: bool = False


@dataclass(frozen=True)
class Edited:
    """The officer's file as read: its parts, its w:document tree and what narrate last generated."""

    parts: dict[str, bytes]
    root: etree._Element
    snapshot_part: str
    base: snapshot.Snapshot

    @property
    def body(self) -> etree._Element:
        return self.root.find(w("body"))


def default_output(edited: Path) -> Path:
    """Returns where the update goes unless told: <name>-更新.docx beside the edited file (the
    name is a message, update_default_name)."""
    return edited.with_name(say("update_default_name", lang="zh", stem=edited.stem))


def target(edited: Path, output: Path | None, in_place: bool) -> Path:
    """Returns the file to write; writing over EDITED needs in_place, and in_place with an
    output is a contradiction."""
    if in_place and output is not None:
        raise UpdateError("update_in_place_and_output", usage=True)
    if in_place:
        return edited
    out = output or default_output(edited)
    if _same_file(out, edited):
        raise UpdateError("update_output_is_edited", usage=True, path=str(out))
    return out


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def revision_date(day: dt.date | None) -> str:
    """Returns the w:date of the update's revisions and comments: the day given, else today."""
    return f"{(day or dt.date.today()).isoformat()}T00:00:00Z"


def open_edited(path: Path) -> Edited:
    """Returns the officer's document and what narrate last generated in it."""
    try:
        data = files.read(path, package.MAX_FILE)
    except files.Refused as exc:
        if exc.key == "file_missing":
            raise UpdateError("update_missing", path=str(path)) from None
        raise UpdateError("update_unreadable", path=str(path), reason=say(exc.key, **exc.params)) from None
    try:
        parts = package.read_parts(data)
        root = package.parse(parts[DOCUMENT], DOCUMENT)
    except PackageError as exc:
        detail = say(exc.key, **exc.params) if exc.key else ""
        raise UpdateError(f"update_{exc.reason}", path=str(path), detail=detail) from None
    if root.find(w("body")) is None:
        raise UpdateError("update_corrupt", path=str(path))
    name = snapshot.find(parts)
    if name is None and publish.is_published(parts):
        raise UpdateError("update_published", path=str(path))
    if name is None:
        lost = bool(locate.Body(root).marks)
        raise UpdateError("update_snapshot_lost" if lost else "update_not_narrate", path=str(path))
    try:
        base = snapshot.from_part(parts[name])
    except snapshot.SnapshotError as exc:
        raise UpdateError("update_snapshot_empty" if exc.reason == "empty" else "update_snapshot_bad", path=str(path)) from None
    return Edited(parts, root, name, base)


def built(data: bytes) -> Built:
    """Returns a .docx narrate wrote, as the writer's Built (for an update from bytes)."""
    parts = package.read_parts(data)
    name = snapshot.find(parts)
    root = package.parse(parts[DOCUMENT], DOCUMENT)
    others = {k: v for k, v in parts.items() if k not in (DOCUMENT, name)}
    return Built(root, others, snapshot.from_part(parts[name]), marks.find(root))


def update(
    edited: Path,
    fresh: Built | bytes,
    output: Path | None = None,
    in_place: bool = False,
    comments: bool = False,
    date: dt.date | None = None,
    message: Callable[[Item], str] | None = None,
    words: vocabulary.Words | None = None,
) -> Updated:
    """Merges fresh (the writer's build of the new figures) into the officer's file and writes
    the result to output (default: beside it), or over it with in_place. A file it replaces is
    kept as a backup unless docx.replaceable says nothing would be lost."""
    out = target(edited, output, in_place)
    doc = open_edited(edited)
    new = fresh if isinstance(fresh, Built) else built(fresh)
    if doc.base.profile and new.snapshot.profile and doc.base.profile != new.snapshot.profile:
        raise UpdateError("update_profile_other", path=str(edited), was=doc.base.profile, now=new.snapshot.profile)
    found = locate.Body(doc.body)
    if not found.found_any(doc.base):
        raise UpdateError("update_marks_lost", path=str(edited))
    parts = dict(doc.parts)
    ids = Ids.above(doc.root, notes.existing(parts))
    rev = revisions.Revisions(ids, revision_date(date))
    outcome = merge.merge(found, doc.base, new.snapshot, locate.Body(new.document.find(w("body")), new.marks), rev, words)
    if comments:
        notes.add(parts, outcome.review, ids, rev.date, message or review_message)
    source = _origin(doc)
    parts[DOCUMENT] = serialize(doc.root)
    parts[doc.snapshot_part] = new.snapshot.stamped(snapshot.package_digest(parts, doc.snapshot_part), source).to_part()
    saved = save(out, package.zip_parts(parts), lambda old: replaceable(old, source))
    return Updated(out, outcome, saved.backup, saved.unchanged)


def _origin(doc: Edited) -> str:
    """Returns the digest of the officer's file whose work the update's output holds: EDITED's,
    or, when EDITED is an earlier update's output nobody has changed since, that one's origin
    (so updating its own output with unchanged input changes nothing)."""
    untouched = doc.base.package_sha256 == snapshot.package_digest(doc.parts, doc.snapshot_part)
    if untouched and doc.base.merged_from:
        return doc.base.merged_from
    return snapshot.package_digest(doc.parts, None)


def review_message(item: Item) -> str:
    """Returns what the review list says of one item (the CLI's line, the web page's entry)."""
    from narrate.messages import say

    return say(f"review_{item.kind}", where=say("review_where", heading=item.heading, excerpt=item.excerpt), detail=item.detail)


def counts(done: Updated) -> str:
    """Returns the line that counts what the update changed."""
    from narrate.messages import say

    o = done.outcome
    changed = dict(replaced=len(o.replaced), updated=len(o.updated), inserted=len(o.inserted), deleted=len(o.deleted))
    return say("update_counts", rows=len(o.rows), cells=len(o.cells), kept=len(o.kept_deleted), **changed)


def summary(done: Updated) -> list[str]:
    """Returns the lines the CLI prints: where it went, what changed, what to review."""
    from narrate.messages import say

    o = done.outcome
    lines = [say("update_unchanged" if done.unchanged else "update_written", path=str(done.path))]
    if done.backup:
        lines.append(say("update_backup", backup=str(done.backup)))
    lines.append(counts(done))
    if not o.review:
        return [*lines, say("update_review_none")]
    lines.append(say("update_review_head", count=len(o.review)))
    return lines + [f"  {n}. " + review_message(i) for n, i in enumerate(o.review, 1)]
