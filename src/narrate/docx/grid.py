"""Where each cell of a table sits on the grid: the one walk over columns, spans and merges.

A cell spans `colspan` grid columns and `rowspan` rows; the rows below list only the cells that
are not covered. The writer walks blocks.Table rows to emit cells and vMerge continuations, the
snapshot reader walks the stored rows to key cells by column, and the merge walks a w:tr (whose
continuation cells are written out, so each spans one row) to find a column's w:tc. All three
go through `walk`, so they agree on every column number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Slot(NamedTuple, Generic[T]):
    """A place on one row: the cell starting at grid column `col`; or, cell None, the columns a
    cell merged from above covers (covered) or a column the row left empty (padding)."""

    col: int
    span: int
    cell: T | None
    covered: bool = False


def walk(
    rows: Iterable[Sequence[T]],
    colspan: Callable[[T], int],
    rowspan: Callable[[T], int] | None = None,
    width: int | None = None,
) -> Iterator[list[Slot[T]]]:
    """Yields each row's slots left to right. With width, every row is filled to width columns
    (padding slots for missing cells) and spans are cut at the edge. Without rowspan every
    cell spans one row (a w:tr writes its continuation cells out)."""
    above: dict[int, tuple[int, int]] = {}  # column -> (rows below still covered, span)
    limit = width if width is not None else -1
    for row in rows:
        slots: list[Slot[T]] = []
        new: dict[int, tuple[int, int]] = {}
        k, n, col = 0, len(row), 0
        while k < n or col in above or col < limit:
            if width is not None and col >= width:
                break
            if col in above:
                span = above[col][1]
                slots.append(Slot(col, span, None, True))
            elif k < n:
                cell = row[k]
                k += 1
                span = colspan(cell) if width is None else min(colspan(cell), width - col)
                down = rowspan(cell) if rowspan is not None else 1
                if down > 1:
                    new[col] = (down - 1, span)
                slots.append(Slot(col, span, cell))
            else:
                span = 1
                slots.append(Slot(col, span, None))
            col += span
        if above or new:
            above = {c: (m - 1, span) for c, (m, span) in above.items() if m > 1} | new
        yield slots


def by_column(rows: Iterable[Sequence[T]], colspan: Callable[[T], int], rowspan: Callable[[T], int] | None = None) -> list[dict[int, T]]:
    """Returns, for each row, its cells keyed by the grid column they start in."""
    return [{s.col: s.cell for s in slots if s.cell is not None} for slots in walk(rows, colspan, rowspan)]
