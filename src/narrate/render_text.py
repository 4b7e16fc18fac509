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


EXCERPT = 24  # characters of a paragraph's start that let the officer find it in the document


def placeholders(items: Iterable[blocks.Block]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Returns (paragraph id, its opening words, its placeholders) for every paragraph that still
    has text the officer must fill in."""
    out = []
    for b in items:
        if isinstance(b, blocks.Para):
            holes = tuple(r.text for r in b.runs if r.placeholder)
            if holes:
                text = b.text
                out.append((b.id, text if len(text) <= EXCERPT else text[:EXCERPT] + "…", holes))
    return out
