"""The snapshot: the generated Document as JSON, so `update` knows what narrate last wrote.

It travels inside the .docx (see marks.embed_snapshot). Only what the merge reads is kept:
paragraph ids, styles and runs; table ids, row ids and body cells. Compact keys keep it small.
"""

from __future__ import annotations

import json

from narrate.blocks import Cell, Document, Para, Run, Table

FORMAT = "narrate-snapshot/1"


class SnapshotError(ValueError):
    """The stored snapshot is missing or cannot be read."""


def _para(p: Para) -> dict:
    return {"p": p.id, "s": p.style, "r": [[r.text, r.figure, r.placeholder] for r in p.runs]}


def _table(t: Table) -> dict:
    rows = [[[c.text, c.figure, c.align, c.colspan, c.bold] for c in row] for row in t.rows]
    return {"t": t.id, "ids": list(t.row_ids), "rows": rows}


def dumps(doc: Document) -> str:
    """Returns the snapshot of doc as JSON text (stable: same document, same text)."""
    blocks = [_para(b) if isinstance(b, Para) else _table(b) for b in doc.blocks if isinstance(b, (Para, Table))]
    return json.dumps({"format": FORMAT, "title": doc.title, "blocks": blocks}, ensure_ascii=False, separators=(",", ":"))


def _block(d: dict) -> Para | Table:
    if "p" in d:
        return Para(d["p"], d["s"], tuple(Run(t, f, bool(ph)) for t, f, ph in d["r"]))
    rows = tuple(tuple(Cell(t, f, a, cs, b) for t, f, a, cs, b in row) for row in d["rows"])
    return Table(d["t"], (), rows, row_ids=tuple(d["ids"]))


def loads(text: str) -> Document:
    """Returns the Document a snapshot describes (header rows and layout are not kept)."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise SnapshotError(data.get("format"))
        return Document(data["title"], tuple(_block(b) for b in data["blocks"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(str(exc)) from None
