"""An officer's session in Word on a generated document, named by the snapshot's block ids so one
scenario serves every kind of document: a sentence rewritten around a figure, a paragraph added,
one deleted, a table cell typed over, a comment, another author's tracked changes (left pending,
accepted or rejected); then what an update of it must show.

`Session.check` holds the promise of `narrate update` for any such file: every block the officer
did not touch reads as the new build, the touched ones keep the officer's words with their
figures brought up to date, narrate's own revisions rejected give the officer's file back, the
comment and the other author's revisions stay, and the package validates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemas
import wordlike
from updating import accepted, body_of, cells_by_column, para, read, snapshot
from wordlike import w

from narrate.regen.update import Updated, update

OTHER = "李处长"  # the colleague whose tracked changes are in the file too
ADDED = "本段为经办人补充：以上数字已经内部审计复核。"
NOTE = "请再核对本段数字。"
DAY = dt.date(2025, 6, 1)


@dataclass(frozen=True)
class Session:
    """What the officer does, by block id of the generated document."""

    rewrites: tuple[tuple[str, str, str], ...]  # paragraph, words typed over (around a figure), the officer's words
    added_after: str  # the officer's new paragraph follows this one
    deleted: str  # paragraph the officer deletes
    cell: tuple[str, str, int, str]  # table, row, grid column, what the officer types over the cell
    commented: str  # paragraph whose first words get a comment
    inserted_by_other: str  # paragraph another author types at the end of (tracked)
    deleted_by_other: tuple[str, str]  # paragraph and words another author deletes (tracked)
    review: str = "pending"  # the other author's changes: pending, accept (all) or reject (all)
    split: tuple[str, str] | None = None  # paragraph and the words before which Enter is pressed
    other_words: str = field(default="（经复核）")

    def touched(self) -> set[Any]:
        """The blocks whose text is the officer's (or the other author's), as read() keys."""
        table, row, col, _ = self.cell
        out: set[Any] = {pid for pid, _, _ in self.rewrites} | {(table, row, col)}
        if self.split:
            out.add(self.split[0])
        if self.review != "reject":
            out |= {self.inserted_by_other, self.deleted_by_other[0]}
        return out

    def apply(self, path: Path, base: dict) -> None:
        with wordlike.editing(path) as body:
            for pid, old, new in self.rewrites:
                wordlike.type_over(wordlike.marked(body, para(base, pid)["mark"]), old, new)
            wordlike.add_paragraph_after(wordlike.marked(body, para(base, self.added_after)["mark"]), ADDED)
            wordlike.delete_paragraph(wordlike.marked(body, para(base, self.deleted)["mark"]))
            if self.split:
                p = wordlike.marked(body, para(base, self.split[0])["mark"])
                wordlike.press_enter(p, wordlike.text(p).index(self.split[1]))
            cell = cell_paragraph(body, base, *self.cell[:3])
            wordlike.type_over(cell, wordlike.text(cell), self.cell[3])
            p = wordlike.marked(body, para(base, self.inserted_by_other)["mark"])
            wordlike.track_insert(p, len(wordlike.text(p)), self.other_words, author=OTHER)
            pid, words = self.deleted_by_other
            wordlike.track_delete(wordlike.marked(body, para(base, pid)["mark"]), words, author=OTHER)
            if self.review == "accept":
                wordlike.accept_all(body)
            elif self.review == "reject":
                wordlike.reject_all(body)
        commented = para(base, self.commented)
        wordlike.comment(path, commented["mark"], commented["text"][:8], NOTE)

    def check(self, edited: Path, fresh: bytes, result: Updated, expect: dict[Any, str]) -> None:
        """Asserts the update's promise; expect: what each touched block reads after it."""
        new, out = snapshot(fresh), result.path.read_bytes()
        # the package validates, or (saved by LibreOffice, whose parts carry mc:Ignorable and, in
        # a paragraph it wrote, w:pStyle after w:rPr) the update adds no problem of its own
        assert set(schemas.problems(out)) - set(schemas.problems(edited.read_bytes())) == set()
        wanted, got = read(fresh, new), read(out, new)
        # every block the officer left alone reads as the new build, text and cells alike
        stale = {k: (got.get(k), v) for k, v in wanted.items()
                 if k not in self.touched() and k != self.deleted and got.get(k) != v}
        assert stale == {}
        assert self.deleted not in got and para(new, self.deleted)["text"] not in shown(out)
        for key, text in expect.items():
            assert got[key] == text, key
        assert set(expect) == self.touched()
        # the officer's paragraph stays, once, where it was put
        assert shown(out).count(ADDED) == 1
        after = wordlike.marked(accepted(out), para(new, self.added_after)["mark"]).getnext()
        assert wordlike.text(after) == ADDED
        # narrate's revisions rejected give the officer's file back: nothing else changed
        assert shown(out, reject="narrate") == shown(edited.read_bytes())
        # the comment and the other author's pending revisions stay theirs
        assert list(wordlike.comments(result.path).values()) == [NOTE]
        assert authored(out, OTHER) == authored(edited.read_bytes(), OTHER)


def cell_paragraph(body, base: dict, table: str, row: str, col: int):
    """The first paragraph of the cell at grid column col of row (by its mark)."""
    block = para(base, table)
    mark = next(r["mark"] for r in block["rows"] if r["id"] == row)
    start = next(b for b in body.iter(w("bookmarkStart")) if b.get(w("name")) == mark)
    return cells_by_column(next(start.iterancestors(w("tr"))))[col].find(w("p"))


def shown(data: bytes, reject: str | None = None) -> str:
    """Every paragraph's visible text, one a line (narrate's revisions rejected if reject)."""
    body = body_of(data)
    if reject:
        wordlike.reject_all(body, author=reject)
    wordlike.accept_all(body)
    return "\n".join(wordlike.text(p) for p in wordlike.paragraphs(body))


def authored(data: bytes, author: str) -> list[tuple[str, str]]:
    """The revisions of author in document order: (ins/del, their text)."""
    body = body_of(data)
    return [(etree_local(e), "".join(t.text or "" for t in e.iter(w("t"), w("delText"))))
            for e in wordlike.revisions(body, author)]


def etree_local(e) -> str:
    return e.tag.rsplit("}", 1)[1]


def run_update(edited: Path, fresh: bytes, name: str = "U.docx") -> Updated:
    return update(edited, fresh, output=edited.parent / name, date=DAY)


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()
