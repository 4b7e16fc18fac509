"""The three-way merge: last generated (the snapshot, base) x the officer's body x the new
generation (new, with the body the writer built for it).

New paragraphs, tables and rows are copied from the new body, so they carry the writer's styles
and marks. Every change to the officer's body is a tracked change by narrate; every bookmark,
revision and comment id comes from one allocator (rev.ids).
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field, replace

from lxml import etree

from narrate import vocabulary
from narrate.docx import marks, snapshot
from narrate.docx.ooxml import w, xpath
from narrate.messages import listing, say
from narrate.docx import revisions
from narrate.regen import locate, plan, review
from narrate.regen.locate import TOKEN, Place, ancestor, cells_by_column

_REGION = 6  # a generated paragraph and the officer's paragraphs after it where its figures may be
_T = w("t")
_P = w("p")


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
    cells: list[str] = field(default_factory=list)  # "table/row/column" of cells updated


def merge(doc: locate.Body, base: snapshot.Snapshot, new: snapshot.Snapshot, fresh: locate.Body, rev: revisions.Revisions,
          words: vocabulary.Words | None = None) -> Outcome:
    """Brings the officer's body (doc) from base up to new (whose body the writer built,
    fresh); returns what was done and what to review. words are the profile's direction words."""
    return _Merge(doc, base, new, fresh, rev, words).run()


class _Merge:
    """One merge: walks base's blocks, finds each in the officer's body, acts, collects the outcome."""

    def __init__(self, doc: locate.Body, base, new, fresh: locate.Body, rev, words=None) -> None:
        self.doc, self.src, self.words = doc, fresh, words
        self.base, self.new, self.rev = base, new, rev
        self.now = new.by_id()
        self.out = Outcome()
        self.generated = {}
        self.fresh_paragraphs: set = set()  # the paragraphs this update inserted: narrate's, no copy
        for b in base.blocks:
            if isinstance(b, snapshot.Para):
                p = self.doc.para(b)
                if p is not None:
                    self.generated[p] = b

    def run(self) -> Outcome:
        for b in self.base.blocks:
            el = self.doc.block(b)
            if b.id not in self.now:
                if el is not None:
                    self._vanish(b, el)
            elif el is None:
                self.out.kept_deleted.append(b.id)
            elif isinstance(b, snapshot.Para):
                self._paragraph(b, self.now[b.id], el)
            else:
                self._table(b, self.now[b.id], el)
        self._insert_new()
        self._beside_flips()
        self._copies()
        self._finish()
        return self.out

    def _copies(self) -> None:
        """Lists the old text of each figure that changed where it stands elsewhere in the
        sentence it was generated in: a sentence the officer copied (not cut) keeps it, with no
        bookmark to find it by (review.copies decides, on text alone)."""
        changed: list[review.Changed] = []
        homes: set = set()
        for b in self.base.blocks:
            new = self.now.get(b.id)
            if not isinstance(b, snapshot.Para) or not isinstance(new, snapshot.Para):
                continue
            now = review.figures(new)
            pos = 0
            seen: dict[str, int] = {}
            for r in b.runs:
                if r.figure:
                    n = seen.get(r.figure, 0)
                    seen[r.figure] = n + 1
                    target = now.get((r.figure, n))
                    if target is not None and target != r.text and r.text:
                        changed.append(review.Changed(b.text[:pos], r.text, b.text[pos + len(r.text):], target))
                        found = self.doc.marks.get(r.mark) if r.mark else None
                        if found and found[0] is not None:
                            homes.add(ancestor(found[0], "p"))
                pos += len(r.text)
        if not changed:
            return
        # w:t: the visible words (pending insertions count, deletions not); most updates find
        # no old figure anywhere, and stop here without reading paragraph by paragraph.
        whole = "".join((t.text or "") + (t.tail or "") for t in self.doc.body.iter(_T))
        if not review.copies(changed, [whole]):
            return
        paragraphs = [p for p in self.doc.body.iter(_P)
                      if p not in homes and p not in self.fresh_paragraphs and ancestor(p, "tc") is None]
        texts = [revisions.text(p) for p in paragraphs]
        for k, detail in review.copies(changed, texts):
            self._item("figure_copy", "", detail, paragraphs[k])

    # -- paragraphs ---------------------------------------------------------------------------

    def _vanish(self, b, el) -> None:
        if isinstance(b, snapshot.Table):
            for row in b.rows:
                tr = self.doc.row(b, row)
                if tr is not None:
                    revisions.mark_row(tr, "del", self.rev)
            self.out.deleted.append(b.id)
        elif revisions.text(el) == b.text:
            revisions.mark_paragraph_deleted(el, self.rev)
            self.out.deleted.append(b.id)
        else:
            self._item("item_gone", b.id, "", el)

    def _paragraph(self, base: snapshot.Para, new: snapshot.Para, p) -> None:
        """Regenerates a paragraph the officer left alone; in one they edited, updates the
        figures whose data changed and lists what to re-read."""
        act = plan.paragraph(base.text, revisions.text(p), new.text)
        if act is plan.Para.REGENERATE:
            self._regenerate(p, base, new)
            self.out.replaced.append(base.id)
        if act is not plan.Para.MERGE:
            return
        if self._update_figures(p, base, new):
            self.out.updated.append(base.id)
        for item in review.edited(base, new, "", p, self.words):
            self.out.review.append(item)

    def _regenerate(self, p, base: snapshot.Para, new: snapshot.Para) -> None:
        """Turns an untouched paragraph from base into new with the fewest tracked changes: a
        figure is one token, so an amount is replaced whole and not digit by digit."""
        if _shape(base) == _shape(new):  # the same wording: only figures to replace, right to left
            pos = [0]
            for r in base.runs:
                pos.append(pos[-1] + len(r.text))
            for k in reversed(range(len(base.runs))):
                if base.runs[k].text != new.runs[k].text:
                    revisions.replace(p, pos[k], pos[k + 1], new.runs[k].text, self.rev)
            self._remark(p, base, new)
            return
        a, b = _tokens(base), _tokens(new)
        starts = [0]
        for tok, _ in a:
            starts.append(starts[-1] + len(tok))
        ops = difflib.SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in reversed(ops):
            if tag != "equal":
                revisions.replace(p, starts[i1], starts[i2], _pieces(b[j1:j2]), self.rev)
        self._remark(p, base, new)

    def _remark(self, p, base: snapshot.Para, new: snapshot.Para) -> None:
        """Leaves each figure bookmark of a regenerated paragraph around its new figure: one that
        already wraps it (around the deletion and the insertion of a replaced figure, so that
        both accepting and rejecting keep it) stays; the others are placed again."""
        wanted = {r.mark for r in new.runs if r.figure and r.mark}
        for r in base.runs:
            if r.figure and r.mark and r.mark not in wanted:
                marks.remove(*self.doc.marks.pop(r.mark, (None, None)))
        pos = 0
        for r in new.runs:
            if r.figure and r.mark and r.text:
                self._mark_at(p, pos, pos + len(r.text), r.mark)
            pos += len(r.text)

    def _mark_at(self, p, s: int, e: int, name: str) -> None:
        found = self.doc.marks.get(name)
        if found and found[1] is not None and ancestor(found[0], "p") is p and ancestor(found[1], "p") is p:
            where = revisions.offsets(p)
            if (where[found[0]], where[found[1]]) == (s, e):
                return
        if found:
            marks.remove(*found)
        runs = revisions.isolate(p, s, e)
        if runs:
            first, last = _siblings(runs[0], runs[-1], p)
            marks.around(first, last, name, self.rev.ids)
            self.doc.marks[name] = marks.find(p, name)[name]

    def _update_figures(self, p, base: snapshot.Para, new: snapshot.Para) -> bool:
        """Updates each figure of an edited paragraph whose data changed, wherever the officer
        left it; True if any changed. Figures whose data did not change stay as they are."""
        now = review.figures(new)
        names = {key: r.mark for key, r in _figure_runs(new).items()}
        places = locate.figures(self.doc, base, self._region(p), self.words)
        changed = False
        groups: dict = {}  # paragraph -> its places, paragraphs in the order figures were met
        for key, place in places.items():
            if place is not None:
                groups.setdefault(place.para, []).append((key, place))
        # Right to left within each paragraph, so earlier offsets stay true.
        order = [kp for group in groups.values() for kp in sorted(group, key=lambda kp: -kp[1].start)]
        unplaced = [k for k, pl in places.items() if pl is None]
        typed: list[str] = []
        stale: list[str] = []
        for key, place in order:
            was, target = _figure_runs(base)[key].text, now.get(key)
            if target is None:
                continue
            act = plan.figure(was, target, place.current)
            if act in (plan.Figure.KEEP, plan.Figure.LIST):
                if not place.by_mark and names.get(key):
                    self._mark_at(place.para, place.start, place.end, names[key])
                if act is plan.Figure.LIST:
                    # Its data did not change this time, but the document does not show it: the
                    # officer typed over it, or rejected the revision that set it. Kept, listed.
                    stale.append(f"{place.current}→{target}")
                continue
            change = revisions.replace(place.para, place.start, place.end, target, self.rev)
            if act is plan.Figure.REPLACE_LISTED:
                typed.append(f"{place.current}→{target}")
            self._keep_mark(place, change, names.get(key), _figure_runs(base)[key].mark)
            changed = True
        if typed:
            self._item("figure_edited", base.id, listing(reversed(typed)), p)
        if stale:
            self._item("figure_stale", base.id, listing(reversed(stale)), p)
        lost = [f"{_figure_runs(base)[k].text}→{now[k]}" for k in unplaced if k in now and now[k] != _figure_runs(base)[k].text]
        if lost:
            self._item("figure_unplaced", base.id, listing(lost), p)
        return changed

    def _keep_mark(self, place: Place, change: revisions.Change, name: str | None, old: str | None) -> None:
        """After a figure was replaced: its bookmark stays around the deletion and insertion, or
        is placed there again when it was lost (empty, split, or taken by a rejected revision)."""
        boxes = change.deleted + change.inserted
        found = self.doc.marks.get(old) if old else None
        if place.by_mark or (found is not None and boxes and _wraps(found, boxes)):
            if name and old and name != old and found is not None:
                found[0].set(w("name"), name)
                self.doc.marks[name] = self.doc.marks.pop(old)
            return
        if not name or not boxes:
            return
        for stale in {old, name} - {None}:
            if stale in self.doc.marks:
                marks.remove(*self.doc.marks.pop(stale))
        first, last = _siblings(boxes[0], boxes[-1], place.para)
        marks.around(first, last, name, self.rev.ids)
        self.doc.marks[name] = marks.find(place.para, name)[name]

    def _region(self, p) -> list:
        """p and the officer's own paragraphs right after it (where Enter put part of it)."""
        out = [p]
        sib = p.getnext()
        while sib is not None and sib.tag == w("p") and sib not in self.generated and len(out) < _REGION:
            out.append(sib)
            sib = sib.getnext()
        return out

    # -- tables -------------------------------------------------------------------------------

    def _table(self, base: snapshot.Table, new: snapshot.Table, tbl) -> None:
        if base.rows == new.rows and base.header == new.header:
            self._stale_cells(base)
            return
        self._header(base, new, tbl)
        was_cols, now_cols = base.columns(), new.columns()
        new_rows = {r.id: r for r in new.rows}
        for row in base.rows:
            tr = self.doc.row(base, row)
            if tr is None:
                continue
            if row.id not in new_rows:
                if _row_untouched(tr, was_cols[row.id]):
                    revisions.mark_row(tr, "del", self.rev)
                    self.out.rows.append(f"-{base.id}/{row.id}")
                else:
                    self._item("row_gone", base.id, "", _first_para(tr), text=_row_text(tr))
                continue
            if row.cells == new_rows[row.id].cells:
                self._stale_row(base.id, row, tr)
                continue
            was_at, now_at = was_cols[row.id], now_cols[row.id]
            changed = [col for col, cell in now_at.items() if col in was_at and cell.text != was_at[col].text]
            if not changed:
                continue
            tcs = _Lazy(lambda: cells_by_column(tr))
            fresh_tcs = _Lazy(lambda: cells_by_column(self.src.row(new, new_rows[row.id])))
            notes: dict[str, list[str]] = {}
            for col in changed:
                tc = self.doc.cell(was_at[col]) if was_at[col].figure else None
                tc = tc if tc is not None else tcs().get(col)
                fresh_tc = self.src.cell(now_at[col])
                fresh_tc = fresh_tc if fresh_tc is not None else fresh_tcs().get(col)
                if tc is not None:
                    note = self._cell(base.id, f"{row.id}/{col}", tc, was_at[col], now_at[col], fresh_tc)
                    if note:
                        notes.setdefault(note[0], []).append(note[1])
            self._row_items(base.id, tr, notes)
        self._new_rows(base, new, tbl)

    def _stale_cells(self, base: snapshot.Table) -> None:
        """A table whose data did not change: its figure cells must still show it (after the
        officer rejected narrate's revisions they show the older data: listed, not changed)."""
        for row in base.rows:
            if any(c.figure for c in row.cells):
                tr = self.doc.row(base, row)
                if tr is not None:
                    self._stale_row(base.id, row, tr)

    def _stale_row(self, tid: str, row: snapshot.Row, tr) -> None:
        stale = []
        for cell in row.cells:
            if cell.figure and cell.text:
                tc = self.doc.cell(cell)
                shown = "\n".join(revisions.text(p) for p in tc.findall(w("p"))) if tc is not None else None
                if shown is not None and plan.figure(cell.text, cell.text, shown) is plan.Figure.LIST:
                    stale.append(f"{shown}→{cell.text}")
        if stale:
            self._item("figure_stale", tid, listing(stale), _first_para(tr), text=_row_text(tr))

    def _row_items(self, tid: str, tr, notes: dict[str, list[str]]) -> None:
        """One review item per row and kind, naming every cell of it."""
        for kind, details in notes.items():
            self._item(kind, tid, listing(details), _first_para(tr), text=_row_text(tr))

    def _header(self, base: snapshot.Table, new: snapshot.Table, tbl) -> None:
        """Header rows follow the profile: untouched header cells take the new labels."""
        if base.header == new.header or not base.header:
            return
        trs = tbl.findall(w("tr"))[: len(base.header)]
        if len(base.header) != len(new.header) or len(trs) != len(base.header):
            self._item("header_changed", base.id, "", _first_para(trs[0]) if trs else None)
            return
        for k, (was_at, now_at, tr) in enumerate(zip(base.header_columns(), new.header_columns(), trs)):
            tcs = cells_by_column(tr)
            notes: dict[str, list[str]] = {}
            for col, cell in now_at.items():
                if col in was_at and cell.text != was_at[col].text and col in tcs:
                    note = self._cell(base.id, f"header{k}/{col}", tcs[col], was_at[col], cell, None)
                    if note:
                        notes.setdefault(note[0], []).append(note[1])
            self._row_items(base.id, tr, notes)

    def _cell(self, tid: str, where: str, tc, was: snapshot.Cell, now: snapshot.Cell, fresh_tc) -> tuple[str, str] | None:
        """Merges one cell, every paragraph of it: untouched lines take the new text, the
        officer's edits stay. Returns what to list about a cell the officer edited: (kind, detail)."""
        paras = [p for p in tc.findall(w("p"))]
        lines = [revisions.text(p) for p in paras]
        old, target = was.text.split("\n"), now.text.split("\n")
        if lines == old:
            self._rewrite_lines(tc, paras, old, target, fresh_tc)
            self.out.cells.append(f"{tid}/{where}")
            return None
        if len(old) == len(target) == len(paras) == 1:
            place = locate.by_mark(self.doc, was.mark, was.text) if was.figure else None
            if place is None and was.text and lines[0].count(was.text) == 1:
                k = lines[0].index(was.text)
                place = Place(paras[0], k, k + len(was.text), was.text, False)
            if place is not None:
                revisions.replace(place.para, place.start, place.end, now.text, self.rev)
                self.out.cells.append(f"{tid}/{where}")
                # The cell holding only the figure: the officer typed over it (or rejected narrate's
                # revision); more than the figure: they added words beside it.
                kind = "figure_edited" if place.current == lines[0] else "cell_updated"
                return kind, f"{place.current}→{now.text}"
        elif len(lines) == len(old) == len(target):
            kept = False  # lines the officer changed whose data changed too
            for p, line, a, b in zip(paras, lines, old, target):
                if a != b and line == a:
                    _rewrite(p, a, b, self.rev)
                elif a != b:
                    kept = True
            if not kept:
                self.out.cells.append(f"{tid}/{where}")
                return None
        return "cell_changed", now.text

    def _rewrite_lines(self, tc, paras: list, old: list[str], target: list[str], fresh_tc) -> None:
        rpr = _first_rpr(fresh_tc)
        ops = difflib.SequenceMatcher(None, old, target, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in reversed(ops):
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                _rewrite(paras[i1 + k], old[i1 + k], target[j1 + k], self.rev, rpr)
            if j2 - j1 > pairs:
                after = paras[i1 + pairs - 1] if i1 + pairs > 0 else None
                like = after if after is not None else paras[0]
                for line in reversed(target[j1 + pairs : j2]):
                    p = _new_line(like, line, rpr, self.rev)
                    (after.addnext(p) if after is not None else paras[0].addprevious(p))
            if i2 - i1 > pairs:
                self._delete_lines(paras, i1 + pairs, i2)

    def _delete_lines(self, paras: list, a: int, b: int) -> None:
        """Deletes lines a..b-1 of a cell as Word does: their text and the paragraph marks
        between them and the line before (a cell keeps its last paragraph mark)."""
        for p in paras[a:b]:
            revisions.replace(p, 0, len(revisions.text(p)), "", self.rev)
        marked = range(a, b) if b < len(paras) else range(max(a - 1, 0), b - 1)
        for k in marked:
            revisions.mark_paragraph_mark(paras[k], self.rev.element("del"))

    def _new_rows(self, base: snapshot.Table, new: snapshot.Table, tbl) -> None:
        old_ids = {r.id for r in base.rows}
        base_rows = {r.id: r for r in base.rows}
        previous = None
        for row in new.rows:
            tr = self.doc.row(base, base_rows[row.id]) if row.id in base_rows else None
            if tr is None and row.id not in old_ids:
                fresh_tr = self.src.row(new, row)
                if fresh_tr is None:
                    continue
                tr = self._copy(fresh_tr)
                (previous.addnext(tr) if previous is not None else _first_body_row(tbl).addprevious(tr))
                revisions.mark_row(tr, "ins", self.rev)
                self.out.rows.append(f"+{base.id}/{row.id}")
            previous = tr if tr is not None else previous

    # -- new blocks ---------------------------------------------------------------------------

    def _copy(self, el):
        """Returns a deep copy of el (from the new body) with bookmark ids from the one allocator;
        TOC anchors whose name the officer's body already uses are left out."""
        el = copy.deepcopy(el)
        # A section break travels with the page layout the officer's file already has, never
        # with an inserted paragraph (it would split a section and name footers the file may lack).
        for sect in el.findall(f"{w('pPr')}/{w('sectPr')}"):
            sect.getparent().remove(sect)
        mapping: dict[str, str] = {}
        for bm in list(el.iter(w("bookmarkStart"), w("bookmarkEnd"))):
            name = bm.get(w("name")) or ""
            if name.startswith("_Toc") and xpath(self.doc.body, f".//w:bookmarkStart[@w:name='{name}']"):
                mapping[bm.get(w("id"))] = ""
            old = bm.get(w("id"))
            if mapping.get(old) == "":
                bm.getparent().remove(bm)
                continue
            if old not in mapping:
                mapping[old] = self.rev.ids.take()
            bm.set(w("id"), mapping[old])
        for name, pair in marks.find(el).items():
            self.doc.marks[name] = pair
        return el

    def _insert_new(self) -> None:
        """Inserts blocks new in this generation before the next surviving block, else after the last."""
        old = {b.id for b in self.base.blocks}
        blocks = list(self.new.blocks)
        base_by_id = self.base.by_id()
        placed = [self.doc.block(base_by_id[b.id]) if b.id in old else None for b in blocks]
        for i, b in enumerate(blocks):
            if b.id in old:
                continue
            fresh = self.src.block(b)
            if fresh is None:
                continue
            el = self._copy(fresh)
            after = next((e for e in placed[i + 1 :] if e is not None), None)
            before = next((e for e in reversed(placed[:i]) if e is not None), None)
            if before is not None and (after is None or _in_order(before, after)):
                before.addnext(el) if after is None else after.addprevious(el)
            elif after is not None:
                after.addprevious(el)
            else:
                self.doc.body.find(w("sectPr")).addprevious(el)
            placed[i] = el
            if el.tag == w("tbl"):
                for tr in el.findall(w("tr")):
                    revisions.mark_row(tr, "ins", self.rev)
            else:
                revisions.mark_paragraph_inserted(el, self.rev)
                self.fresh_paragraphs.add(el)
            self.out.inserted.append(b.id)

    def _beside_flips(self) -> None:
        """Flags the officer's words right after a generated paragraph whose direction flipped:
        paragraphs they added or generated ones they rewrote (a reason written for an increase),
        up to the next generated paragraph they left alone."""
        for b in self.base.blocks:
            n = self.now.get(b.id)
            if not isinstance(b, snapshot.Para) or not isinstance(n, snapshot.Para) or not review.flips(b, n, self.words):
                continue
            p = self.doc.para(b)
            sib = p.getnext() if p is not None else None
            while sib is not None and sib.tag == w("p"):
                words, mine = revisions.text(sib).strip(), self.generated.get(sib)
                if mine is not None and words in (mine.text.strip(), getattr(self.now.get(mine.id), "text", mine.text).strip()):
                    break
                other = self.now.get(mine.id) if mine is not None else None
                if words and (mine is None or not isinstance(other, snapshot.Para) or not review.flips(mine, other, self.words)):
                    self._item("beside", b.id, say("list_separator").join(review.flips(b, n, self.words)), sib)
                sib = sib.getnext()

    # -- review -------------------------------------------------------------------------------

    def _item(self, kind: str, block: str, detail: str, anchor, text: str = "") -> None:
        self.out.review.append(review.Item(kind, block, detail, text=text, anchor=anchor))

    def _finish(self) -> None:
        """Gives every review item its excerpt, against the text of the whole result, and the
        heading of its section."""
        if not self.out.review:
            return
        generated = [b.text for b in self.new.blocks if isinstance(b, snapshot.Para)]
        # w:t: pending insertions count, deletions not (what itertext(w:t) gives, three times faster)
        whole = "".join((t.text or "") + (t.tail or "") for t in self.doc.body.iter(_T))
        rivals = review.Rivals(generated, whole)
        items = [replace(i, text=i.text or (revisions.text(i.anchor) if i.anchor is not None else "")) for i in self.out.review]
        self.out.review = review.finish(items, rivals, self._headings())

    def _headings(self) -> dict[str, str]:
        """Returns block id -> the heading of the section it is in, as the officer's file reads."""
        out: dict[str, str] = {}
        base_by_id = self.base.by_id()
        for snap in (self.new, self.base):
            heading = ""
            for b in snap.blocks:
                if isinstance(b, snapshot.Para) and b.outline is not None:
                    rec = base_by_id.get(b.id)
                    p = self.doc.para(rec) if isinstance(rec, snapshot.Para) else None
                    heading = revisions.text(p) if p is not None else b.text
                out.setdefault(b.id, heading)
        return out


# -- helpers -------------------------------------------------------------------------------------


class _Lazy:
    """A value computed the first time it is asked for (a row's cells by column, rarely needed)."""

    def __init__(self, make) -> None:
        self._make, self._value, self._done = make, None, False

    def __call__(self):
        if not self._done:
            self._value, self._done = self._make(), True
        return self._value


def _figure_runs(rec: snapshot.Para) -> dict[tuple[str, int], snapshot.Run]:
    out, seen = {}, {}
    for r in rec.runs:
        if r.figure:
            n = seen.get(r.figure, 0)
            seen[r.figure] = n + 1
            out[(r.figure, n)] = r
    return out


def _shape(p: snapshot.Para) -> list[tuple[str | None, str]]:
    return [(r.figure, "" if r.figure else r.text) for r in p.runs]


def _tokens(p: snapshot.Para) -> list[tuple[str, bool]]:
    """p's text as tokens, each a figure (one token, never split) or a piece of wording."""
    out: list[tuple[str, bool]] = []
    for r in p.runs:
        out.extend([(r.text, True)] if r.figure else [(t, False) for t in TOKEN.findall(r.text)])
    return out


def _pieces(tokens: list[tuple[str, bool]]) -> list[str]:
    """Groups tokens into the insertions to make: each figure alone, the wording between joined."""
    out: list[str] = []
    words = ""
    for tok, figure in tokens:
        if figure:
            if words:
                out.append(words)
                words = ""
            out.append(tok)
        else:
            words += tok
    return out + ([words] if words else [])


def _siblings(first, last, p):
    """Returns first and last, or their ancestors below p, so that they share a parent; a
    revision box that holds nothing else is taken whole, so the bookmark sits outside it."""

    def lift(el):
        parent = el.getparent()
        while parent is not p and parent.tag in (w("ins"), w("del")) and len([c for c in parent if c.tag == w("r")]) == 1:
            el, parent = parent, parent.getparent()
        return el

    first, last = lift(first), lift(last)
    if first.getparent() is last.getparent():
        return first, last

    def top(el):
        while el.getparent() is not p:
            el = el.getparent()
        return el

    return top(first), top(last)


def _wraps(found, boxes) -> bool:
    start, end = found
    if end is None or start.getparent() is not boxes[0].getparent():
        return False
    parent = start.getparent()
    return parent.index(start) < parent.index(boxes[0]) and end.getparent() is parent and parent.index(end) > parent.index(boxes[-1])


def _rewrite(p, old: str, new: str, rev: revisions.Revisions, rpr=None) -> None:
    """Turns paragraph p from old into new with tracked changes, token by token."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    starts = [0]
    for tok in a:
        starts.append(starts[-1] + len(tok))
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()):
        if tag != "equal":
            revisions.replace(p, starts[i1], starts[i2], "".join(b[j1:j2]), rev, rpr if not old else None)


def _new_line(like, line: str, rpr, rev: revisions.Revisions):
    """Returns a new paragraph of a cell, formatted like the paragraph like, holding line."""
    p = etree.Element(w("p"))
    ppr = like.find(w("pPr"))
    if ppr is not None:
        ppr = copy.deepcopy(ppr)
        for el in ppr.findall(w("rPr")):
            ppr.remove(el)
        p.append(ppr)
    if line:
        runs = revisions.visible_runs(like)
        p.append(revisions.new_run(line, rpr if rpr is not None else (runs[0].find(w("rPr")) if runs else None)))
    revisions.mark_paragraph_inserted(p, rev)
    return p


def _first_rpr(tc):
    if tc is None:
        return None
    for p in tc.iter(w("p")):
        runs = revisions.visible_runs(p)
        if runs:
            return runs[0].find(w("rPr"))
    return None


def _first_para(tr):
    return tr.find(f".//{w('p')}") if tr is not None else None


def _row_text(tr) -> str:
    return " ".join(t for t in (revisions.cell_text(tc) for tc in tr.findall(w("tc"))) if t) if tr is not None else ""


def _row_untouched(tr, was_at: dict[int, snapshot.Cell]) -> bool:
    tcs = cells_by_column(tr)
    return all(col in tcs and revisions.cell_text(tcs[col]) == cell.text for col, cell in was_at.items())


def _first_body_row(tbl):
    rows = tbl.findall(w("tr"))
    for tr in rows:
        if not xpath(tr, "./w:trPr/w:tblHeader"):
            return tr
    return rows[-1]


def _in_order(a, b) -> bool:
    return a.getparent() is b.getparent() and a.getparent().index(a) < b.getparent().index(b)
