"""The snapshot the writer stores inside the .docx, read back as what narrate last generated.

The writer (narrate.docx) records, for each block, its ids, texts, figure ids and the bookmark
names it wrote (JSON, format "narrate-snapshot"). Here it becomes a Generated: a blocks.Document
of paragraphs and tables, plus where each generated thing was marked. Keys of `names`:
("p", para) · ("f", para, figure, n) for the n-th occurrence of a figure in a paragraph ·
("r", table, row) · ("c", table, row, grid column) for a figure cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from narrate.blocks import Cell, Document, Para, Run, Table
from narrate.docx.marks import SNAPSHOT_FORMAT

FORMAT = SNAPSHOT_FORMAT  # one constant with the writer that stores it


class SnapshotError(ValueError):
    """The stored snapshot cannot be read."""


@dataclass(frozen=True)
class Generated:
    """What one generation wrote: the blocks and the bookmark name of every marked thing."""

    doc: Document
    names: dict[tuple, str] = field(default_factory=dict)

    def blocks(self) -> list[Para | Table]:
        return [b for b in self.doc.blocks if isinstance(b, (Para, Table))]


def _para(rec: dict[str, Any], names: dict[tuple, str]) -> Para:
    runs, seen = [], {}
    for r in rec["runs"]:
        fid = r.get("figure")
        if fid:
            n = seen.get(fid, 0)
            seen[fid] = n + 1
            if r.get("mark"):
                names[("f", rec["id"], fid, n)] = r["mark"]
        runs.append(Run(r["text"], fid, bool(r.get("placeholder"))))
    if rec.get("mark"):
        names[("p", rec["id"])] = rec["mark"]
    return Para(rec["id"], rec.get("style", ""), tuple(runs), rec.get("rule", ""))


def _table(rec: dict[str, Any], names: dict[tuple, str]) -> Table:
    rows, ids = [], []
    covered: dict[int, int] = {}  # grid column -> rows still covered by a cell merged from above
    for row in rec["rows"]:
        rid, cells, col = row.get("id", ""), [], 0
        for c in row["cells"]:
            while covered.get(col, 0) > 0:
                col += 1
            span, down = c.get("colspan", 1), c.get("rowspan", 1)
            cells.append(Cell(c["text"], c.get("figure"), colspan=span, rowspan=down))
            if c.get("mark"):
                names[("c", rec["id"], rid, col)] = c["mark"]
            for k in range(col, col + span):
                covered[k] = down
            col += span
        covered = {k: n - 1 for k, n in covered.items() if n > 1}
        if row.get("mark"):
            names[("r", rec["id"], rid)] = row["mark"]
        rows.append(tuple(cells))
        ids.append(rid)
    return Table(rec["id"], (), tuple(rows), row_ids=tuple(ids))


def parse(text: str) -> Generated:
    """Returns what a stored snapshot says narrate generated."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise SnapshotError(str(data.get("format")))
        names: dict[tuple, str] = {}
        blocks = tuple(
            _para(b, names) if b["type"] == "p" else _table(b, names) for b in data["blocks"] if b.get("type") in ("p", "table")
        )
        return Generated(Document(data.get("title", ""), blocks), names)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SnapshotError(str(exc)) from None


def columns(t: Table) -> dict[str, dict[int, Cell]]:
    """Returns each body row's cells by the grid column they start in."""
    out: dict[str, dict[int, Cell]] = {}
    covered: dict[int, int] = {}
    for rid, row in zip(t.row_ids, t.rows):
        col, cells = 0, {}
        for cell in row:
            while covered.get(col, 0) > 0:
                col += 1
            cells[col] = cell
            for k in range(col, col + cell.colspan):
                covered[k] = cell.rowspan
            col += cell.colspan
        covered = {k: n - 1 for k, n in covered.items() if n > 1}
        out[rid] = cells
    return out
