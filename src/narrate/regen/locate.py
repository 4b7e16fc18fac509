"""Finding what one generation wrote in a body, whoever saved it last.

Blocks are found by the bookmark names the snapshot records. A figure is found by its bookmark
when the bookmark still holds text within one paragraph, wherever that paragraph now is (the
officer may have moved the sentence, or pressed Enter before it). When the bookmark is empty or
gone (rejected revisions take bookmarks with them, an edit can delete one, an Enter inside the
figure splits it) the figure is found from the snapshot's text around it: the generated
paragraph is aligned token by token with the officer's paragraph and the paragraphs they added
right after it, and the figure is placed only where the alignment leaves no doubt: its own
tokens unchanged inside a run of equal text, or exactly its tokens replaced between equal
context on both sides. Anything else is not placed, and the merge lists it for review.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from lxml import etree

from narrate import vocabulary
from narrate.docx import grid, marks, snapshot
from narrate.docx.ooxml import w
from narrate.docx import revisions

TOKEN = re.compile(r"\d[\d.,]*%?|[A-Za-z]+|\s+|.", re.S)
_NUMBER = re.compile(r"[-+]?\d[\d.,]*%?")
_SEPARATOR = "\ue010"  # stands between paragraphs of a region: never typed, never equal to a token of the base
_CONTEXT = 2  # equal tokens on each side that make a placement certain


@dataclass(frozen=True)
class Place:
    """Where a figure is now: visible offsets [start, end) of para, the text there, and whether
    its own bookmark wraps exactly that range."""

    para: etree._Element
    start: int
    end: int
    current: str
    by_mark: bool


_TAGS = {t: w(t) for t in ("p", "tr", "tc", "tbl")}
_T = w("t")


def ancestor(el: etree._Element, tag: str) -> etree._Element | None:
    clark = _TAGS[tag]
    if el.tag == clark:
        return el
    return next(el.iterancestors(clark), None)


def mark_paragraph(start: etree._Element, end: etree._Element | None) -> etree._Element | None:
    """The paragraph a paragraph's point mark stands in. LibreOffice saves the mark of a paragraph
    that ends a section with its start at the very end of the paragraph before and its end in
    the paragraph itself: the mark is then the second paragraph's."""
    p = ancestor(start, "p")
    q = ancestor(end, "p") if end is not None else None
    if p is None or q is None or q is p:
        return p
    after = list(p.iter())
    if any(el.tag == _T and el.text for el in after[after.index(start) + 1:]):
        return p
    return q


class Body:
    """A body and narrate's bookmarks in it, by name."""

    def __init__(self, body: etree._Element, found: dict | None = None) -> None:
        self.body = body
        self.marks = dict(found) if found is not None else marks.find(body)

    def mark(self, name: str | None) -> tuple[etree._Element, etree._Element | None] | None:
        return self.marks.get(name) if name else None

    def para(self, rec: snapshot.Para) -> etree._Element | None:
        found = self.mark(rec.mark)
        return mark_paragraph(*found) if found else None

    def row(self, table: snapshot.Table, row: snapshot.Row) -> etree._Element | None:
        for name in (row.mark, *(c.mark for c in row.cells)):
            found = self.mark(name)
            if found:
                return ancestor(found[0], "tr")
        return None

    def table(self, rec: snapshot.Table) -> etree._Element | None:
        for row in rec.rows:
            tr = self.row(rec, row)
            if tr is not None:
                return ancestor(tr, "tbl")
        return None

    def block(self, rec: snapshot.Para | snapshot.Table) -> etree._Element | None:
        return self.para(rec) if isinstance(rec, snapshot.Para) else self.table(rec)

    def cell(self, rec: snapshot.Cell) -> etree._Element | None:
        found = self.mark(rec.mark)
        return ancestor(found[0], "tc") if found else None

    def found_any(self, snap: snapshot.Snapshot) -> bool:
        """Tells whether any block of snap can be found here."""
        return any(self.block(b) is not None for b in snap.blocks)


def cells_by_column(tr: etree._Element | None) -> dict[int, etree._Element]:
    """Returns a row's cells by grid column, leaving out cells merged into the one above."""
    if tr is None:
        return {}
    (slots,) = grid.walk([tr.findall(_TC)], _span)
    return {slot.col: slot.cell for slot in slots if _merge(slot.cell) in (None, "restart")}


_TC, _TC_PR, _VAL, _GRID_SPAN, _V_MERGE = w("tc"), w("tcPr"), w("val"), w("gridSpan"), w("vMerge")


def _prop(tc: etree._Element, tag: str) -> etree._Element | None:
    props = tc[0] if len(tc) and tc[0].tag == _TC_PR else None
    for el in props if props is not None else ():
        if el.tag == tag:
            return el
    return None


def _span(tc: etree._Element) -> int:
    el = _prop(tc, _GRID_SPAN)
    return int(el.get(_VAL, "1")) if el is not None else 1


def _merge(tc: etree._Element) -> str | None:
    """Returns None (no vertical merge), "restart" or "continue"."""
    el = _prop(tc, _V_MERGE)
    return None if el is None else el.get(_VAL, "continue")


# -- figures ---------------------------------------------------------------------------------------


def by_mark(doc: Body, name: str | None, base_text: str) -> Place | None:
    """Returns where the bookmark name holds text within one paragraph; when the officer typed
    beside the figure inside the bookmark, the figure's own text within it."""
    found = doc.mark(name)
    if not found or found[1] is None:
        return None
    start, end = found
    p, q = ancestor(start, "p"), ancestor(end, "p")
    if p is None or p is not q:
        return None
    where = revisions.offsets(p)
    s, e = where[start], where[end]
    if e <= s:
        return None
    text = revisions.text(p)
    current = text[s:e]
    if current == base_text:
        return Place(p, s, e, current, True)
    if base_text and current.count(base_text) == 1:
        k = s + current.index(base_text)
        return Place(p, k, k + len(base_text), base_text, False)
    near = _shifted(text, s, e, base_text)
    if near is not None:
        return Place(p, near, near + len(base_text), base_text, False)
    s2, e2 = _whole_number(text, s, e)
    current = text[s2:e2]
    own = _own_number(current, base_text)
    if own is not None:
        return Place(p, s2 + own[0], s2 + own[1], current[own[0]:own[1]], False)
    return Place(p, s2, e2, current, (s2, e2) == (s, e))


_SLACK = 2  # characters a bookmark edge may have drifted (one per comment anchor before it)
_WHOLE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+(?:\.\d+)?%?")  # a number as printed, no trailing comma


def _shifted(text: str, s: int, e: int, base_text: str) -> int | None:
    """Returns where the figure's generated text lies when the bookmark [s, e) has drifted off
    it by a character or two: LibreOffice counts a comment's anchor as a character of the
    paragraph and writes the bookmarks after it one short ("2940.0" then "5"). The text must
    overlap the bookmark with both ends within _SLACK of its ends."""
    if not base_text:
        return None
    size = len(base_text)
    for k in range(max(0, s - _SLACK), s + _SLACK + 1):
        if text[k : k + size] == base_text and k < max(e, s + 1) and k + size > s and abs(k + size - e) <= _SLACK:
            return k
    return None


def _whole_number(text: str, s: int, e: int) -> tuple[int, int]:
    """Returns [s, e) widened so it cuts no number in two (a drifted bookmark around "%" of
    "98.2%", or around "2993.9" of "2993.92"): a figure is replaced whole, never in part."""
    if s == e:
        return s, e
    for m in _WHOLE.finditer(text):
        if m.start() < s < m.end():
            s = m.start()
        if m.start() < e < m.end():
            e = m.end()
    return s, e


_AMOUNT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _own_number(current: str, base_text: str) -> tuple[int, int] | None:
    """Returns where, inside a bookmark that holds more than the figure, the officer's own
    version of it lies: Word keeps the bookmark around a selection typed over, so selecting
    "5227.59万元" and typing "5227.6万元" leaves the unit inside the figure's bookmark. When the
    figure and the bookmark's text each hold exactly one number, that number (with the figure's
    own text either side of its number, a "%" say, where the officer kept it) is the figure, and
    the rest is the officer's. None when the bookmark holds nothing else or no single number."""
    was, now = list(_AMOUNT.finditer(base_text)), list(_AMOUNT.finditer(current))
    if len(was) != 1 or len(now) != 1:
        return None
    before, after = base_text[: was[0].start()], base_text[was[0].end() :]
    s, e = now[0].span()
    if before and current[:s].endswith(before):
        s -= len(before)
    if after and current[e:].startswith(after):
        e += len(after)
    return None if (s, e) == (0, len(current)) else (s, e)


def _base_tokens(rec: snapshot.Para) -> tuple[list[str], dict[tuple[str, int], tuple[int, int]]]:
    toks: list[str] = []
    spans: dict[tuple[str, int], tuple[int, int]] = {}
    seen: dict[str, int] = {}
    for r in rec.runs:
        pieces = TOKEN.findall(r.text)
        if r.figure:
            n = seen.get(r.figure, 0)
            seen[r.figure] = n + 1
            spans[(r.figure, n)] = (len(toks), len(toks) + len(pieces))
        toks.extend(pieces)
    return toks, spans


def _shaped_like(was: str, now: str, words: vocabulary.Words | None) -> bool:
    """Tells whether now could be the officer's version of the figure was (a number for a
    number, a direction word for a direction word)."""
    if _NUMBER.fullmatch(was):
        return bool(_NUMBER.fullmatch(now))
    return bool(vocabulary.kinds_in(was, words)) and bool(vocabulary.kinds_in(now, words)) and len(now) <= len(was) + 2


def by_text(rec: snapshot.Para, region: list[etree._Element], words: vocabulary.Words | None = None) -> dict[tuple[str, int], Place]:
    """Places rec's figures in region (the paragraph and the officer's paragraphs after it) by
    aligning rec's text with theirs; only figures placed with certainty are returned."""
    toks, spans = _base_tokens(rec)
    texts = [revisions.text(p) for p in region]
    joined = _SEPARATOR.join(texts)
    theirs = TOKEN.findall(joined)
    at = [0]
    for t in theirs:
        at.append(at[-1] + len(t))
    starts = [0]
    for t in texts:
        starts.append(starts[-1] + len(t) + 1)
    ops = difflib.SequenceMatcher(None, toks, theirs, autojunk=False).get_opcodes()
    out: dict[tuple[str, int], Place] = {}
    figure_text = {key: "".join(toks[i:j]) for key, (i, j) in spans.items()}
    for key, (i, j) in spans.items():
        if i == j:
            continue
        for k, (tag, a1, a2, b1, b2) in enumerate(ops):
            if tag == "equal" and a1 <= i and j <= a2 and (a2 - a1) - (j - i) >= _CONTEXT:
                lo, hi = at[b1 + i - a1], at[b1 + j - a1]
            elif tag == "replace" and (a1, a2) == (i, j) and _context(ops, k, len(toks)):
                lo, hi = at[b1], at[b2]
                if not _shaped_like(figure_text[key], joined[lo:hi], words):
                    break
            else:
                continue
            n = next(m for m in range(len(region)) if starts[m] <= lo < starts[m + 1])
            if hi > starts[n] + len(texts[n]):
                break  # it runs into the next paragraph
            s, e = lo - starts[n], hi - starts[n]
            out[key] = Place(region[n], s, e, texts[n][s:e], False)
            break
    return out


def _context(ops: list, k: int, size: int) -> bool:
    """Tells whether the replacement ops[k] sits between enough equal text on both sides."""
    before = ops[k - 1] if k > 0 else None
    after = ops[k + 1] if k + 1 < len(ops) else None
    left = ops[k][1] == 0 or (before is not None and before[0] == "equal" and before[2] - before[1] >= _CONTEXT)
    right = ops[k][2] == size or (after is not None and after[0] == "equal" and after[2] - after[1] >= _CONTEXT)
    return left and right


def figures(doc: Body, rec: snapshot.Para, region: list[etree._Element],
            words: vocabulary.Words | None = None) -> dict[tuple[str, int], Place | None]:
    """Returns where each figure of rec is now: by its bookmark, else by the text around it,
    else None (not placed)."""
    out: dict[tuple[str, int], Place | None] = {}
    seen: dict[str, int] = {}
    missing = []
    for r in rec.runs:
        if not r.figure:
            continue
        n = seen.get(r.figure, 0)
        seen[r.figure] = n + 1
        out[(r.figure, n)] = by_mark(doc, r.mark, r.text)
        if out[(r.figure, n)] is None:
            missing.append((r.figure, n))
    if missing and region:
        aligned = by_text(rec, region, words)
        for key in missing:
            out[key] = aligned.get(key)
    return out
