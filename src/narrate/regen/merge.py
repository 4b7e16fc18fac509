"""The three-way merge: last generated (snapshot) x the officer's file x the new generation.

`fresh` is the new Document rendered by the writer into its own .docx: new paragraphs, tables
and rows are copied from it, so they carry the writer's styles and marks. Every change to the
officer's body is a tracked change by narrate (ooxml.Revisions).
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field

from lxml import etree

from narrate.blocks import Para, Table
from narrate.regen import marks, ooxml, review, snapshot
from narrate.regen.ooxml import w, xpath

_TOKEN = re.compile(r"\d[\d.,]*%?|[A-Za-z]+|\s+|.", re.S)


@dataclass
class Outcome:
    """What the merge did, for the CLI summary and the tests."""

    review: list[review.Item] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # untouched paragraphs regenerated
    updated: list[str] = field(default_factory=list)  # edited paragraphs whose figures were updated
    inserted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)  # "+table/row" or "-table/row"


class Located:
    """Finds the blocks one generation wrote in one body, by the bookmark names it recorded."""

    def __init__(self, body: etree._Element, gen: snapshot.Generated) -> None:
        self.body, self.names = body, gen.names
        self.marks = marks.find(body)
        self._rows: dict[tuple, list[tuple]] = {}  # (table, row) -> keys that can find the row
        for key in gen.names:
            if key[0] in ("r", "c"):
                self._rows.setdefault(key[1:3], []).append(key)

    def mark(self, key: tuple) -> tuple[etree._Element, etree._Element | None] | None:
        name = self.names.get(key)
        return self.marks.get(name) if name else None

    def para(self, pid: str) -> etree._Element | None:
        found = self.mark(("p", pid))
        return _ancestor(found[0], "p") if found else None

    def cell(self, tid: str, rid: str, col: int) -> etree._Element | None:
        found = self.mark(("c", tid, rid, col))
        return _ancestor(found[0], "tc") if found else None

    def row(self, tid: str, rid: str) -> etree._Element | None:
        for key in sorted(self._rows.get((tid, rid), ()), key=lambda k: k[0] != "r"):
            found = self.mark(key)
            if found:
                return _ancestor(found[0], "tr")
        return None

    def table(self, t: Table) -> etree._Element | None:
        for rid in t.row_ids:
            tr = self.row(t.id, rid)
            if tr is not None:
                return _ancestor(tr, "tbl")
        return None

    def block(self, b: Para | Table) -> etree._Element | None:
        return self.para(b.id) if isinstance(b, Para) else self.table(b)


def _ancestor(el: etree._Element, tag: str) -> etree._Element | None:
    if el.tag == w(tag):
        return el
    return next(el.iterancestors(w(tag)), None)


def merge(body: etree._Element, base: snapshot.Generated, new: snapshot.Generated, fresh: etree._Element, rev: ooxml.Revisions) -> Outcome:
    """Brings the officer's body from base up to new; returns what was done and what to review."""
    out = Outcome()
    doc, src = Located(body, base), Located(fresh, new)
    marker = marks.Marker(body)
    old = {b.id: b for b in base.blocks()}
    now = {b.id: b for b in new.blocks()}
    for b in base.blocks():
        el = doc.block(b)
        if b.id not in now:
            if el is not None:
                _vanish(b, el, doc, rev, out)
            continue
        if el is None:
            out.kept_deleted.append(b.id)
        elif isinstance(b, Para):
            _paragraph(b, now[b.id], el, doc, src, marker, rev, out)
        else:
            _table(b, now[b.id], el, doc, src, marker, rev, out)
    _insert_new(new, old, doc, src, marker, rev, out)
    _beside_flips(base, new, doc, out)
    return out


def _vanish(b: Para | Table, el: etree._Element, doc: Located, rev: ooxml.Revisions, out: Outcome) -> None:
    if isinstance(b, Table):
        for rid in b.row_ids:
            tr = doc.row(b.id, rid)
            if tr is not None:
                ooxml.mark_row(tr, "del", rev)
        out.deleted.append(b.id)
    elif ooxml.text(el) == b.text:
        ooxml.mark_paragraph_deleted(el, rev)
        out.deleted.append(b.id)
    else:
        out.review.append(review.Item("item_gone", b.id, review.excerpt(ooxml.text(el))))


def _paragraph(base: Para, new: Para, p: etree._Element, doc: Located, src: Located, marker: marks.Marker, rev: ooxml.Revisions, out: Outcome) -> None:
    current = ooxml.text(p)
    if current == base.text:
        if new.text != base.text:
            _regenerate(p, base, new, marker, rev, src.names)
            out.replaced.append(base.id)
        return
    if _update_figures(p, base, new, doc, src.names, rev, out):
        out.updated.append(base.id)
    out.review.extend(review.edited(base, new, review.excerpt(current)))


def _tokens(p: Para) -> list[str]:
    # A figure is one token, so a changed amount is replaced whole, never digit by digit.
    out: list[str] = []
    for run in p.runs:
        out.extend([run.text] if run.figure else _TOKEN.findall(run.text))
    return out


def _regenerate(p: etree._Element, base: Para, new: Para, marker: marks.Marker, rev: ooxml.Revisions, names: dict) -> None:
    """Turns an untouched paragraph from base into new with the fewest tracked changes."""
    a, b = _tokens(base), _tokens(new)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag != "equal":
            ooxml.replace(p, starts[i1], starts[i2], "".join(b[j1:j2]), rev)
    _remark_figures(p, new, marker, names)


def _remark_figures(p: etree._Element, new: Para, marker: marks.Marker, names: dict) -> None:
    """Moves the figure bookmarks of a regenerated paragraph onto its new figures."""
    for name, (start, end) in marks.find(p, "_nf_").items():
        for el in (start, end):
            if el is not None and el.getparent() is not None:
                el.getparent().remove(el)
    pos, seen = 0, {}
    for run in new.runs:
        if run.figure and run.text:
            n = seen.get(run.figure, 0)
            seen[run.figure] = n + 1
            runs = ooxml.isolate(p, pos, pos + len(run.text))
            name = names.get(("f", new.id, run.figure, n))
            if runs and name:
                first, last = _siblings(runs[0], runs[-1], p)
                marker.around(first, last, name)
        pos += len(run.text)


def _siblings(first: etree._Element, last: etree._Element, p: etree._Element) -> tuple[etree._Element, etree._Element]:
    """Returns first and last, or their ancestors below p, so that they share a parent."""
    if first.getparent() is last.getparent():
        return first, last

    def top(el: etree._Element) -> etree._Element:
        while el.getparent() is not p:
            el = el.getparent()
        return el

    return top(first), top(last)


def _update_figures(p: etree._Element, base: Para, new: Para, doc: Located, names: dict, rev: ooxml.Revisions, out: Outcome) -> bool:
    """Updates each figure of an edited paragraph whose bookmark survived; True if any changed."""
    old, now = review.figures(base), review.figures(new)
    changed = False
    for (fid, n), was in old.items():
        found = doc.mark(("f", base.id, fid, n))
        if not found or found[1] is None or (fid, n) not in now:
            continue
        start, end = found
        if _ancestor(start, "p") is not p or _ancestor(end, "p") is not p:
            continue  # the officer split or merged paragraphs across the figure
        where = ooxml.offsets(p)
        s, e = where[start], where[end]
        current = ooxml.text(p)[s:e]
        if s == e or current == now[(fid, n)]:
            continue  # deleted by the officer, or already right
        if current != was:
            out.review.append(review.Item("figure_edited", base.id, review.excerpt(ooxml.text(p)), f"{current}→{now[(fid, n)]}"))
        ooxml.replace(p, s, e, now[(fid, n)], rev)
        if names.get(("f", new.id, fid, n)):
            start.set(w("name"), names[("f", new.id, fid, n)])  # the name the new snapshot records
        changed = True
    return changed


def _table(base: Table, new: Table, tbl: etree._Element, doc: Located, src: Located, marker: marks.Marker, rev: ooxml.Revisions, out: Outcome) -> None:
    old_rows = dict(zip(base.row_ids, base.rows))
    new_rows = dict(zip(new.row_ids, new.rows))
    old_cols, new_cols = snapshot.columns(base), snapshot.columns(new)
    for rid, cells in old_rows.items():
        tr = doc.row(base.id, rid)
        if tr is None:
            continue
        if rid not in new_rows:
            ooxml.mark_row(tr, "del", rev)
            out.rows.append(f"-{base.id}/{rid}")
            continue
        was_at, now_at = old_cols[rid], new_cols[rid]
        changed = [col for col, now in now_at.items() if col in was_at and now.text != was_at[col].text]
        if not changed:
            continue
        tcs, fresh_tcs = _by_column(tr), _by_column(src.row(new.id, rid))
        for col in changed:
            tc = doc.cell(base.id, rid, col) if was_at[col].figure else None
            tc = tc if tc is not None else tcs.get(col)
            fresh_tc = src.cell(new.id, rid, col)
            if tc is not None:
                _cell(tc, now_at[col].text, fresh_tc if fresh_tc is not None else fresh_tcs.get(col), rev)
    previous = None
    for rid in new.row_ids:
        tr = doc.row(base.id, rid)
        if tr is None and rid not in old_rows:
            fresh_tr = src.row(new.id, rid)
            if fresh_tr is None:
                continue
            tr = _copy(fresh_tr, marker)
            (previous.addnext(tr) if previous is not None else _first_body_row(tbl).addprevious(tr))
            ooxml.mark_row(tr, "ins", rev)
            out.rows.append(f"+{base.id}/{rid}")
        previous = tr if tr is not None else previous


def _first_body_row(tbl: etree._Element) -> etree._Element:
    rows = tbl.findall(w("tr"))
    for tr in rows:
        if not xpath(tr, "./w:trPr/w:tblHeader"):
            return tr
    return rows[-1]


def _by_column(tr: etree._Element | None) -> dict[int, etree._Element]:
    """Returns a row's cells by grid column, leaving out cells merged into the one above."""
    out, col = {}, 0
    for tc in tr.findall(w("tc")) if tr is not None else []:
        span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
        vmerge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
        if vmerge is None or vmerge.get(w("val")) == "restart":
            out[col] = tc
        col += int(span.get(w("val"))) if span is not None else 1
    return out


def _cell(tc: etree._Element, now: str, fresh_tc: etree._Element | None, rev: ooxml.Revisions) -> None:
    p = tc.find(w("p"))
    current = ooxml.text(p)
    if current == now:
        return
    rpr = None
    if fresh_tc is not None:
        runs = ooxml.visible_runs(fresh_tc.find(w("p")))
        rpr = runs[0].find(w("rPr")) if runs else None
    ooxml.replace(p, 0, len(current), now, rev, rpr if not current else None)


def _copy(el: etree._Element, marker: marks.Marker) -> etree._Element:
    """Returns a deep copy of el (from the fresh body) with bookmark ids unique in the body."""
    el = copy.deepcopy(el)
    mapping: dict[str, str] = {}
    for bm in el.iter(w("bookmarkStart"), w("bookmarkEnd")):
        old = bm.get(w("id"))
        if old not in mapping:
            mapping[old] = marker.take()
        bm.set(w("id"), mapping[old])
    return el


def _insert_new(new: snapshot.Generated, old: dict, doc: Located, src: Located, marker: marks.Marker, rev: ooxml.Revisions, out: Outcome) -> None:
    """Inserts blocks new in this generation before the next surviving block, else after the last."""
    blocks = new.blocks()
    placed: list[etree._Element | None] = [doc.block(b) if b.id in old else None for b in blocks]
    for i, b in enumerate(blocks):
        if b.id in old:
            continue
        fresh = src.block(b)
        if fresh is None:
            continue
        el = _copy(fresh, marker)
        after = next((e for e in placed[i + 1 :] if e is not None), None)
        before = next((e for e in reversed(placed[:i]) if e is not None), None)
        if before is not None and (after is None or _in_order(before, after)):
            _after_block(before, el) if after is None else after.addprevious(el)
        elif after is not None:
            after.addprevious(el)
        else:
            doc.body.find(w("sectPr")).addprevious(el)
        placed[i] = el
        if el.tag == w("tbl"):
            for tr in el.findall(w("tr")):
                ooxml.mark_row(tr, "ins", rev)
        else:
            ooxml.mark_paragraph_inserted(el, rev)
        out.inserted.append(b.id)


def _in_order(a: etree._Element, b: etree._Element) -> bool:
    return a.getparent() is b.getparent() and a.getparent().index(a) < b.getparent().index(b)


def _after_block(before: etree._Element, el: etree._Element) -> None:
    # After the last generated block: keep paragraphs the officer added after it above the new one.
    before.addnext(el)


def _beside_flips(base: snapshot.Generated, new: snapshot.Generated, doc: Located, out: Outcome) -> None:
    """Flags the officer's words right after a generated paragraph whose direction flipped:
    paragraphs they added or generated ones they rewrote (a reason written for an increase),
    up to the next generated paragraph they left alone."""
    now = {b.id: b for b in new.blocks()}
    generated = {doc.para(b.id): b for b in base.blocks() if isinstance(b, Para)}
    for b in base.blocks():
        if not isinstance(b, Para) or not isinstance(now.get(b.id), Para) or not review.flips(b, now[b.id]):
            continue
        p = doc.para(b.id)
        sib = p.getnext() if p is not None else None
        while sib is not None and sib.tag == w("p"):
            words, mine = ooxml.text(sib).strip(), generated.get(sib)
            if mine is not None and words in (mine.text.strip(), now.get(mine.id, mine).text.strip()):
                break
            if words and (mine is None or mine.id not in now or not review.flips(mine, now[mine.id])):
                out.review.append(review.Item("beside", b.id, review.excerpt(words), "；".join(review.flips(b, now[b.id]))))
            sib = sib.getnext()
