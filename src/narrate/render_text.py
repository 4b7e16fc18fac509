"""Plain-text rendering of document blocks: one paragraph a line (for `narrate preview`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from narrate import blocks


def table_lines(table: blocks.Table) -> list[str]:
    rows = [[c.text for c in row] for row in table.header] + [[c.text for c in row] for row in table.rows]
    return ["\t".join(row) for row in rows]


def lines(
    items: Iterable[blocks.Block],
    slots: Callable[[str], Iterable[blocks.Block]] | None = None,
) -> list[str]:
    """Returns the blocks as text lines; a Slot is filled by `slots(name)` or shown as a note."""
    out: list[str] = []
    for block in items:
        if isinstance(block, blocks.Para):
            out.append(block.text)
        elif isinstance(block, blocks.Table):
            out.extend(table_lines(block))
        elif isinstance(block, blocks.Slot):
            filled = list(slots(block.name)) if slots else None
            out.extend(lines(filled) if filled else [f"[{block.name}]"])
        elif isinstance(block, blocks.PageBreak):
            out.append("")
    return out


def placeholders(items: Iterable[blocks.Block]) -> list[tuple[str, str]]:
    """Returns (paragraph id, placeholder text) for every placeholder the officer must fill."""
    return [(b.id, r.text) for b in items if isinstance(b, blocks.Para) for r in b.runs if r.placeholder]
