"""Column widths from what the columns hold.

Each cell is measured in its style's size: a Chinese character (and the punctuation and symbols
Chinese text shares) one em, Latin letters and digits about half. A column gets, in this order
as the text width allows: room for its longest unbreakable word and two characters; room for
every body cell on one line; room for its header cells on one line (a header cell spanning
columns asks it of them together); the rest of the width in proportion. It is the way browsers
lay out automatic tables, with the body before the header: a table has one header and many rows.

Then no wrapped cell may leave one character alone on its last line (统计信息事/务) when the
cell has room to avoid it: the cell is widened a little, taken from columns that can give it
without a new line, or else narrowed so its lines share the characters.

Line breaking follows the rules Word and LibreOffice apply to Chinese: any two characters may be
split, except before closing punctuation (，。）…) and after opening punctuation (（“《…); a run
of Latin letters or digits (15909089558, >=99%) is not split unless it alone is too wide.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

PAD_PT = 2 * 57 / 20  # the table style's cell margins, 57 twips a side: what a line cannot use
SAFETY_PT = 2.0  # what a width meant to hold a text gets besides: LibreOffice and Word measure a little wider
MIN_CHARS = 2
def _closing(c: str) -> bool:
    """Never at a line's start (GB/T 15834, as Word applies it): closing brackets and quotes,
    and the full-width stops and commas (，。、；：？！…)."""
    kind = unicodedata.category(c)
    return kind in ("Pe", "Pf") or (kind == "Po" and (ord(c) > 0xFF or c == "%")) or c == "\u2026"


def _opening(c: str) -> bool:
    """Never at a line's end: opening brackets and quotes."""
    return unicodedata.category(c) in ("Ps", "Pi")
_WIDE = {"%": 0.83, "M": 0.89, "W": 0.94, "m": 0.78, "w": 0.72, "@": 0.92}


def char_em(c: str) -> float:
    """Returns the width of c in em: one for Chinese, about half for Latin letters and digits."""
    if unicodedata.east_asian_width(c) in "WFA" and ord(c) > 0xFF or (ord(c) > 0xFF and (_closing(c) or _opening(c))):
        return 1.0
    if c.isupper():
        return _WIDE.get(c, 0.68)
    return _WIDE.get(c, 0.5)


def _chinese(c: str) -> bool:
    return ord(c) > 0xFF and unicodedata.east_asian_width(c) in "WFA"


@lru_cache(maxsize=2048)
def tokens(line: str) -> tuple[tuple[str, float], ...]:
    """Returns line as the pieces a line break may fall between, each with its width (em)."""
    out: list[list] = []
    glue = False  # the previous piece was opening punctuation: the next one sticks to it
    for c in line:
        width = char_em(c)
        latin = not _chinese(c) and not c.isspace()
        if out and (_closing(c) or glue or (latin and out[-1][2])):
            out[-1][0] += c
            out[-1][1] += width
            out[-1][2] = latin  # a Latin character goes on with a Latin run; punctuation ends it
        else:
            out.append([c, width, latin])
        glue = _opening(c)
    return tuple((text, width) for text, width, _ in out)


@lru_cache(maxsize=2048)
def wrap(line: str, width_em: float) -> tuple[str, ...]:
    """Returns line broken into lines no wider than width_em (a piece wider than that alone is
    split character by character, as the programs do)."""
    lines: list[str] = []
    text, used = "", 0.0
    for piece, w in tokens(line):
        if used + w <= width_em + 1e-6 or not text:
            if w > width_em + 1e-6 and not text:  # alone too wide: split it
                for c in piece:
                    cw = char_em(c)
                    if used + cw > width_em + 1e-6 and text:
                        lines.append(text)
                        text, used = "", 0.0
                    text += c
                    used += cw
                continue
            text += piece
            used += w
        else:
            lines.append(text.rstrip())
            text, used = piece.lstrip(), w
    lines.append(text)
    return tuple(lines)


def natural_em(line: str) -> float:
    return sum(w for _, w in tokens(line))


@dataclass
class Cell:
    """What the layout needs of a cell: its grid columns, its lines of text and its size (pt)."""

    col: int
    span: int
    text: str
    size: float
    header: bool
    row: int = 0
    rows: int = 1  # the rows it spans
    # The text and size never change: what follows from them alone is measured once (the
    # orphan search asks the same questions of a cell many times).
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def lines(self) -> list[str]:
        if "lines" not in self._memo:
            self._memo["lines"] = self.text.split("\n")
        return self._memo["lines"]

    def natural(self) -> float:
        if "natural" not in self._memo:
            self._memo["natural"] = self._natural()
        return self._memo["natural"]

    def _natural(self) -> float:
        return max((natural_em(line) for line in self.lines), default=0.0) * self.size + PAD_PT + SAFETY_PT

    def minimum(self) -> float:
        if "minimum" not in self._memo:
            self._memo["minimum"] = self._minimum()
        return self._memo["minimum"]

    def _minimum(self) -> float:
        longest = max((w for line in self.lines for _, w in tokens(line)), default=0.0)
        return max(longest, min(MIN_CHARS, max((natural_em(line) for line in self.lines), default=0.0))) * self.size + PAD_PT + SAFETY_PT

    def shown(self, width_pt: float) -> list[str]:
        room = max(0.0, width_pt - PAD_PT) / self.size
        return [piece for line in self.lines for piece in wrap(line, room)]

    def orphan(self, width_pt: float) -> bool:
        """Tells whether at width_pt a line holds one Chinese character alone although the cell
        has room for two."""
        key = ("orphan", width_pt)
        if key not in self._memo:
            self._memo[key] = self._orphan(width_pt)
        return self._memo[key]

    def _orphan(self, width_pt: float) -> bool:
        if (width_pt - PAD_PT) / self.size < MIN_CHARS:
            return False
        for line in self.lines:
            pieces = wrap(line, (width_pt - PAD_PT) / self.size)
            if len(pieces) > 1 and len(pieces[-1].strip()) == 1 and _chinese(pieces[-1].strip()):
                return True
        return False

    def longest_em(self) -> float:
        """Returns the widest line's width (em). At a width where it is clearly one line, the
        cell is as tall as its lines and leaves nothing alone."""
        if "longest" not in self._memo:
            self._memo["longest"] = max((natural_em(line) for line in self.lines), default=0.0)
        return self._memo["longest"]

    def height(self, width_pt: float) -> int:
        key = ("height", width_pt)
        if key not in self._memo:
            self._memo[key] = len(self.shown(width_pt))
        return self._memo[key]


@dataclass
class Layout:
    cells: list[Cell]
    ncols: int
    total: float  # the text width, pt
    widths: list[float] = field(default_factory=list)
    _by_column: list[list[Cell]] = field(default_factory=list, init=False, repr=False)
    _slacks: dict[tuple, dict] = field(default_factory=dict, init=False, repr=False)  # by widths

    def span_width(self, cell: Cell) -> float:
        return sum(self.widths[cell.col : cell.col + cell.span])

    def covering(self, cols: range) -> list[Cell]:
        if len(cols) == 1:  # the orphan search asks this of every column many times
            if not self._by_column:
                self._by_column.extend([] for _ in range(self.ncols))
                for c in self.cells:
                    for j in range(c.col, min(c.col + c.span, self.ncols)):
                        self._by_column[j].append(c)
            return self._by_column[cols.start]
        return [c for c in self.cells if c.col < cols.stop and c.col + c.span > cols.start]

    def slack(self, j: int) -> float:
        """Returns what column j can give at the present widths (_slack). An attempt that fails
        puts the widths back, and the next one asks the same again: the answers are kept by widths."""
        key = tuple(self.widths)
        known = self._slacks.get(key)
        if known is None:
            known = self._slacks[key] = {"heights": self.row_heights()}
        if j not in known:
            known[j] = _slack(self, j, known["heights"])
        return known[j]

    def row_heights(self) -> dict[int, int]:
        """Returns each row's lines at the present widths: its tallest cell of one row decides."""
        heights: dict[int, int] = {}
        for c in self.cells:
            if c.rows == 1:
                heights[c.row] = max(heights.get(c.row, 1), c.height(self.span_width(c)))
        return heights

    def budget(self, cell: Cell, heights: dict[int, int]) -> int:
        """Returns the lines cell may take without making its rows taller (heights: row_heights())."""
        return max(sum(heights.get(r, 1) for r in range(cell.row, cell.row + cell.rows)), cell.height(self.span_width(cell)))


def _level(cells: list[Cell], ncols: int, need, floor: list[float] | None = None) -> list[float]:
    """Returns each column's width for one level of need: the single-column cells' widest, then
    each spanning cell's excess shared by the columns it spans in proportion to them."""
    cols = list(floor) if floor else [0.0] * ncols
    for c in cells:
        if c.span == 1:
            cols[c.col] = max(cols[c.col], need(c))
    for c in sorted((c for c in cells if c.span > 1), key=lambda c: c.span):
        have = sum(cols[c.col : c.col + c.span])
        excess = need(c) - have
        if excess > 0:
            for j in range(c.col, c.col + c.span):
                cols[j] += excess * (cols[j] / have if have else 1 / c.span)
    return cols


def _between(low: list[float], high: list[float], total: float) -> list[float]:
    """Returns widths from low toward high filling total like water: every column wider than
    low gets the same width (a level), none less than low nor more than high. Short columns are
    satisfied first; the long ones share what is left alike."""
    def filled(level: float) -> list[float]:
        return [min(h, max(lo, level)) for lo, h in zip(low, high)]

    a, b = 0.0, max(high)
    for _ in range(60):
        mid = (a + b) / 2
        a, b = (mid, b) if sum(filled(mid)) < total else (a, mid)
    return filled(b)


def one_line_width(cells: list[Cell], ncols: int) -> float:
    """Returns the width (pt) the table needs for its body cells each on one line (and every
    cell its longest word): what decides whether it wants a landscape page."""
    minimum = _level(cells, ncols, Cell.minimum)
    return sum(_level([c for c in cells if not c.header and c.span == 1], ncols, Cell.natural, minimum))


def allocate(cells: list[Cell], ncols: int, total: float) -> list[float]:
    """Returns the columns' widths (pt), summing to total."""
    minimum = _level(cells, ncols, Cell.minimum)
    # The body on one line: its cells of one column (a cell spanning several is a form's long
    # text, a goal or a name: it wraps in whatever its columns get).
    body = _level([c for c in cells if not c.header and c.span == 1], ncols, Cell.natural, minimum)
    want = _level(cells, ncols, lambda c: min(c.natural(), total), body)
    if sum(minimum) >= total:
        widths = [m * total / sum(minimum) for m in minimum]
    elif sum(body) >= total:
        widths = _between(minimum, body, total)
    elif sum(want) >= total:
        widths = _between(body, want, total)
    else:
        widths = [x * total / sum(want) for x in want]
    layout = Layout(cells, ncols, total, widths)
    _mend_orphans(layout)
    return layout.widths


# -- no character alone ------------------------------------------------------------------------

STEP_EM = 0.25


def _slack(layout: Layout, j: int, heights: dict[int, int]) -> float:
    """How much column j can give without a cell in it taking another line or leaving a
    character alone (heights: the rows' at the present widths)."""
    give = layout.widths[j]
    for c in layout.covering(range(j, j + 1)):
        width = layout.span_width(c)
        lines, lost = layout.budget(c, heights), 0.0
        step = STEP_EM * c.size
        least, longest = c.minimum(), c.longest_em()
        # The cheap tests first: while the cell's lines fit whole, it neither grows nor leaves
        # a character alone, so height and orphan need not be asked (the search takes many
        # small steps; this loop is most of a build's layout time).
        while lost + step < give:
            narrower = width - lost - step
            if narrower < least:
                break
            if longest > (narrower - PAD_PT) / c.size - 1e-9 and (c.height(narrower) > lines or c.orphan(narrower)):
                break
            lost += step
        give = min(give, lost)
        if give <= 0:
            break
    return give


def _take(layout: Layout, amount: float, spare: set[int]) -> bool:
    """Takes amount from the columns not in spare that can give it, most slack first."""
    donors = sorted(((layout.widths[j], j) for j in range(layout.ncols) if j not in spare), reverse=True)
    slack = {j: layout.slack(j) for _, j in donors}
    if sum(slack.values()) < amount:
        return False
    left = amount
    for j in sorted(slack, key=lambda j: -slack[j]):
        part = min(left, slack[j])
        layout.widths[j] -= part
        left -= part
        if left <= 1e-6:
            break
    return True


def _mend_orphans(layout: Layout, rounds: int = 3) -> None:
    for _ in range(rounds):
        changed = False
        for cell in layout.cells:
            width = layout.span_width(cell)
            if not cell.orphan(width):
                continue
            cols = set(range(cell.col, cell.col + cell.span))
            widest = max(cols, key=lambda j: layout.widths[j])
            step = STEP_EM * cell.size
            grow = next((k * step for k in range(1, 13) if not cell.orphan(width + k * step)), None)
            saved = list(layout.widths)
            if grow is not None and _take(layout, grow, cols):
                layout.widths[widest] += grow
                if not any(c.orphan(layout.span_width(c)) for c in layout.covering(range(cell.col, cell.col + cell.span))):
                    changed = True
                    continue
                layout.widths = saved
            # narrower instead: the lines share the characters, the other columns get the room
            shrink = next((k * step for k in range(1, 9) if width - k * step >= cell.minimum()
                           and not cell.orphan(width - k * step)), None)
            if shrink is None:
                continue
            # taken from the span's columns that have room above what their own cells need (a
            # spanning header's widest column may hold codes that must not break)
            room = {j: layout.widths[j] - max((c.minimum() for c in layout.covering(range(j, j + 1)) if c.span == 1),
                                              default=0.0) for j in cols}
            if sum(max(r, 0.0) for r in room.values()) < shrink:
                continue
            left = shrink
            for j in sorted(cols, key=lambda j: -room[j]):
                part = min(left, max(room[j], 0.0))
                layout.widths[j] -= part
                left -= part
            others = [j for j in range(layout.ncols) if j not in cols]
            if not others:
                layout.widths = saved
                continue
            for j in others:
                layout.widths[j] += shrink / len(others)
            # the column it narrowed holds other cells too (a spanning header's widest column
            # holds codes): none of them may go below its own minimum
            mates = layout.covering(range(cell.col, cell.col + cell.span))
            if any(c.orphan(layout.span_width(c)) or layout.span_width(c) < c.minimum() - 1e-9 for c in mates):
                layout.widths = saved
                continue
            changed = True
        if not changed:
            return


def to_twips(widths: list[float], total: int) -> list[int]:
    """Returns the widths (pt) as whole twips summing to total."""
    out = [int(w * 20) for w in widths]
    out[-1] += total - sum(out)
    return out
