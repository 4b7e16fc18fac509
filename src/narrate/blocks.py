"""The document as data: what the rules produce and every renderer (text, Word) consumes.

Every generated paragraph and table carries a stable id, and every generated figure (amount,
rate, share, and the direction word tied to it) is a Run with its own figure id, so the Word writer
can mark them and `narrate update` can find them again. Ids are ASCII [A-Za-z0-9_] and short
(Word bookmark names allow at most 40 characters, and the writer adds a prefix).

Word marking convention (writer and `narrate update` share it): each generated paragraph is
wrapped in a hidden bookmark `_np_<h>` and each figure run (or table cell) in `_nf_<h>`, where <h>
is a short hash of the ids; a snapshot of the generated Document (ids, texts, figures) travels
inside the .docx, so the merge can compare last-generated, the officer's version and the new one.

Rendered phrase text carries figures inline between private-use markers (see `figure`), which
`runs` splits back into Runs; user text never contains the markers (model.py strips them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIG_OPEN, FIG_MID, FIG_CLOSE = "\ue000", "\ue001", "\ue002"
HOLE_OPEN, HOLE_CLOSE = "\ue003", "\ue004"
MARKERS = FIG_OPEN + FIG_MID + FIG_CLOSE + HOLE_OPEN + HOLE_CLOSE
_SPLIT = re.compile(f"{FIG_OPEN}([^{FIG_MID}]*){FIG_MID}([^{FIG_CLOSE}]*){FIG_CLOSE}|{HOLE_OPEN}([^{HOLE_CLOSE}]*){HOLE_CLOSE}")


@dataclass(frozen=True)
class Run:
    text: str
    figure: str | None = None  # id of the generated figure this run shows
    placeholder: bool = False  # text the officer must replace, e.g. 【请说明变动原因】


@dataclass(frozen=True)
class Para:
    """One paragraph. style is a style key of the profile (title, part, heading1 … body, note)."""

    id: str
    style: str
    runs: tuple[Run, ...]
    rule: str = ""  # the rule that chose this paragraph's phrase, for "why does it say this?"
    # The 目录 entries (level, text) that point here, when the profile names them; None: the
    # writer lists the paragraph by its style's outline level, as Word's TOC field would.
    toc: tuple[tuple[int, str], ...] | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Cell:
    text: str
    figure: str | None = None
    align: str = "left"  # left | center | right
    colspan: int = 1
    bold: bool = False
    rowspan: int = 1  # as in HeaderCell: the rows below omit the cells this one covers


@dataclass(frozen=True)
class Table:
    """A table: header rows (with merges), body rows, relative column widths."""

    id: str
    header: tuple[tuple[HeaderCell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] = ()
    landscape: bool = False
    row_ids: tuple[str, ...] = ()  # one per body row, for regeneration


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Slot:
    """A place the assembler fills with blocks another producer makes (e.g. performance tables)."""

    name: str


Block = Para | Table | PageBreak | Slot


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]
    properties: dict[str, str] = field(default_factory=dict)


def figure(fid: str, text: str) -> str:
    """Returns text marked as the generated figure fid, for use inside a rendered phrase."""
    return f"{FIG_OPEN}{fid}{FIG_MID}{text}{FIG_CLOSE}"


def hole(text: str) -> str:
    """Returns text marked as a placeholder the officer must fill in."""
    return f"{HOLE_OPEN}{text}{HOLE_CLOSE}"


def runs(rendered: str) -> tuple[Run, ...]:
    """Splits rendered phrase text into plain, figure and placeholder runs."""
    out: list[Run] = []
    pos = 0
    for m in _SPLIT.finditer(rendered):
        if m.start() > pos:
            out.append(Run(rendered[pos : m.start()]))
        if m.group(3) is not None:
            out.append(Run(m.group(3), placeholder=True))
        else:
            out.append(Run(m.group(2), figure=m.group(1)))
        pos = m.end()
    if pos < len(rendered):
        out.append(Run(rendered[pos:]))
    return tuple(out)
