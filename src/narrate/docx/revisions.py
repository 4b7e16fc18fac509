"""WordprocessingML as an editor leaves it, for the merge: visible text, run splitting, tracked changes.

It works on lxml elements of any body, so it reads what Word, WPS and LibreOffice write, not
only what narrate wrote: runs split at script changes (LibreOffice), bookmarks moved inside
w:ins, pending revisions of other authors. "Visible text" is the text with every pending
revision accepted: w:ins counts, w:del does not.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from narrate.docx.body import run as new_run
from narrate.docx.ooxml import XML_SPACE, Ids, w, xpath  # noqa: F401  (xpath: callers read bodies through this module)

AUTHOR = "narrate"

_CHAR = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_HIDDEN = {w("del"), w("moveFrom")}
_REVISION_BOXES = (w("ins"), w("del"), w("moveTo"), w("moveFrom"))


@dataclass
class Revisions:
    """Makes the update's tracked changes: author narrate, one stated date, ids from the one
    allocator the update's bookmarks and comments also draw from."""

    ids: Ids
    date: str

    def element(self, tag: str) -> etree._Element:
        return etree.Element(w(tag), {w("id"): self.ids.take(), w("author"): AUTHOR, w("date"): self.date})


_R, _P, _T, _BR, _TYPE = w("r"), w("p"), w("t"), w("br"), w("type")
_BOOKMARKS = (w("bookmarkStart"), w("bookmarkEnd"))


def _run_text(child: etree._Element) -> str:
    tag = child.tag
    if tag == _T:
        return child.text or ""
    if tag == _BR and child.get(_TYPE) in ("page", "column"):
        return ""  # layout, not words: LibreOffice turns "page break before" into such a run
    return _CHAR.get(tag, "")


def _collect(el: etree._Element, out: list[etree._Element]) -> None:
    for child in el:
        tag = child.tag
        if tag == _R:
            out.append(child)  # a run's own children never hold runs of this paragraph (a text box's do)
        elif tag not in _HIDDEN and tag != _P and len(child):
            _collect(child, out)


def visible_runs(para: etree._Element) -> list[etree._Element]:
    """Returns the runs of para whose text is visible once every revision is accepted: inside
    insertions, hyperlinks, fields and content controls, not inside deletions or text boxes."""
    out: list[etree._Element] = []
    _collect(para, out)
    return out


def run_text(run: etree._Element) -> str:
    return "".join([_run_text(c) for c in run])


def text(para: etree._Element) -> str:
    """Returns the visible text of a paragraph."""
    return "".join(run_text(r) for r in visible_runs(para))


def cell_text(tc: etree._Element) -> str:
    """Returns the visible text of a table cell, one line per paragraph (nested tables' too)."""
    return "\n".join(text(p) for p in tc.iter(_P) if next(p.iterancestors(w("tc"))) is tc)


def offsets(para: etree._Element) -> dict[etree._Element, int]:
    """Returns, for each bookmark start/end in para, how many visible characters precede it."""
    out: dict[etree._Element, int] = {}
    count = 0
    visible = set(visible_runs(para))
    for el in para.iter(_BOOKMARKS + (_R,)):
        if el.tag != _R:
            out[el] = count
        elif el in visible:
            count += len(run_text(el))
    return out


def _split(run: etree._Element, k: int) -> etree._Element:
    """Splits run after k visible characters; returns the new right-hand run (placed after it)."""
    right = etree.Element(w("r"), run.attrib)
    rpr = run.find(w("rPr"))
    if rpr is not None:
        right.append(copy.deepcopy(rpr))
    seen = 0
    for child in [c for c in run if c.tag != w("rPr")]:
        size = len(_run_text(child))
        if seen >= k:
            right.append(child)
        elif seen + size > k and child.tag == w("t"):
            cut = k - seen
            tail = etree.SubElement(right, w("t"))
            tail.text = child.text[cut:]
            child.text = child.text[:cut]
            for t in (child, tail):
                t.set(XML_SPACE, "preserve")
        seen += size
    run.addnext(right)
    return right


def isolate(para: etree._Element, start: int, end: int) -> list[etree._Element]:
    """Returns the visible runs covering exactly [start, end), splitting runs at the edges."""
    # One walk of the runs: a split leaves k characters on the left and puts the rest in a run
    # right after it, so the list and the sizes are kept up to date instead of walked again.
    runs = visible_runs(para)
    sizes = [len(run_text(r)) for r in runs]
    for pos in (end, start):
        seen = 0
        for i, size in enumerate(sizes):
            if seen < pos < seen + size:
                runs.insert(i + 1, _split(runs[i], pos - seen))
                sizes[i : i + 1] = [pos - seen, size - (pos - seen)]
                break
            seen += size
    out, seen = [], 0
    for run, size in zip(runs, sizes):
        if start <= seen and seen + size <= end and size:
            out.append(run)
        seen += size
    return out


def _run_before(para: etree._Element, pos: int) -> etree._Element | None:
    seen, last = 0, None
    for run in visible_runs(para):
        if seen >= pos and last is not None:
            break
        last = run
        seen += len(run_text(run))
        if seen >= pos:
            break
    return last


_TMP = "{urn:narrate:tmp}here"


def _delete_run(run: etree._Element, rev: Revisions) -> etree._Element:
    """Marks run deleted, or drops it when it is narrate's own pending insertion (a revision of
    a revision would only clutter the review); returns the element now standing in its place."""
    parent = run.getparent()
    if parent.tag == w("ins") and parent.get(w("author")) == AUTHOR:
        here = etree.Element(_TMP)
        run.addprevious(here)
        parent.remove(run)
        if parent.find(w("r")) is None:
            for child in list(parent):  # bookmarks and the position survive the emptied revision
                parent.addprevious(child)
            parent.getparent().remove(parent)
        return here
    for t in run.iter(w("t")):
        t.tag = w("delText")
    for t in run.iter(w("instrText")):
        t.tag = w("delInstrText")
    box = rev.element("del")
    run.addprevious(box)
    box.append(run)
    return box


@dataclass(frozen=True)
class Change:
    """What replace put in the paragraph: the w:del boxes (or what stands where narrate's own
    pending insertion was dropped) and the w:ins boxes, each a child of a run's container."""

    deleted: list[etree._Element]
    inserted: list[etree._Element]


def replace(para: etree._Element, start: int, end: int, new: str | list[str], rev: Revisions, rpr: etree._Element | None = None) -> Change:
    """Replaces visible characters [start, end) of para by new, as tracked changes by narrate.
    new may be given as pieces: each becomes an insertion of its own (so a figure can be
    bookmarked apart from the words around it).

    The inserted run takes rpr when given, else the formatting of the text it replaces or
    follows, so an officer's restyling carries over to the new figure."""
    pieces = [p for p in ([new] if isinstance(new, str) else new) if p]
    runs = isolate(para, start, end)
    neighbour = runs[0] if runs else _run_before(para, start)
    if rpr is None and neighbour is not None:
        rpr = neighbour.find(w("rPr"))
    deleted = [_delete_run(r, rev) for r in runs]
    inserted = []
    for piece in pieces:
        box = rev.element("ins")
        box.append(new_run(piece, rpr))
        inserted.append(box)
    last = deleted[-1] if deleted else None
    if last is not None:
        while last.getparent() is not para and last.getparent().tag in _REVISION_BOXES:
            last = last.getparent()  # a w:ins may not sit inside another revision
        for box in reversed(inserted):
            last.addnext(box)
    elif inserted:
        _place(para, start, inserted)
    for d in deleted:
        if d.tag == _TMP and d.getparent() is not None:
            d.getparent().remove(d)
    return Change([d for d in deleted if d.tag != _TMP], inserted)


def _place(para: etree._Element, pos: int, boxes: list[etree._Element]) -> None:
    """Puts boxes where visible offset pos is: before the run starting there, else after the
    text (inside a collapsed bookmark there, so an empty figure cell keeps its mark around
    the text it gains)."""
    seen = 0
    for r in visible_runs(para):
        if seen == pos:
            anchor = _outer(r, para)
            for box in boxes:
                anchor.addprevious(box)
            return
        seen += len(run_text(r))
    runs = visible_runs(para)
    if runs:
        anchor = _outer(runs[-1], para)
        for box in reversed(boxes):
            anchor.addnext(box)
        return
    ends = [e for e in para if e.tag == w("bookmarkEnd")]
    at = para.index(ends[-1]) if ends else len(para)
    for k, box in enumerate(boxes):
        para.insert(at + k, box)


def _outer(r: etree._Element, para: etree._Element) -> etree._Element:
    """Returns r, or the revision wrapping it (a w:ins may not nest in a w:ins)."""
    while r.getparent() is not para and r.getparent().tag in _REVISION_BOXES:
        r = r.getparent()
    return r


_WRAPPABLE = (w("r"), w("bookmarkStart"), w("bookmarkEnd"))


def _wrap_inserted(container: etree._Element, rev: Revisions) -> None:
    """Wraps the runs (and bookmarks among them) of container in w:ins, recursing into other
    containers (a hyperlink, a field) since w:ins may hold runs but not those."""
    group: list[etree._Element] = []

    def flush() -> None:
        if any(el.tag == w("r") for el in group):
            box = rev.element("ins")
            group[0].addprevious(box)
            box.extend(group)
        group.clear()

    for child in list(container):
        if child.tag in _WRAPPABLE:
            group.append(child)
            continue
        flush()
        if child.tag not in (w("pPr"), w("ins"), w("del")) and child.find(f".//{w('r')}") is not None:
            _wrap_inserted(child, rev)
    flush()


def mark_paragraph_inserted(para: etree._Element, rev: Revisions) -> None:
    """Marks para's content and paragraph mark as one tracked insertion. Its bookmarks go inside
    the insertion: rejecting it then removes them with the text, as Word does."""
    _wrap_inserted(para, rev)
    mark_paragraph_mark(para, rev.element("ins"))


def mark_paragraph_deleted(para: etree._Element, rev: Revisions) -> None:
    """Marks the whole visible text and the paragraph mark of para as a tracked deletion."""
    replace(para, 0, len(text(para)), "", rev)
    mark_paragraph_mark(para, rev.element("del"))


def mark_paragraph_mark(para: etree._Element, mark: etree._Element) -> None:
    """Puts a revision mark (w:ins or w:del) on para's paragraph mark."""
    ppr = para.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        para.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.Element(w("rPr"))
        after = ppr.find(w("sectPr"))
        after = after if after is not None else ppr.find(w("pPrChange"))
        (after.addprevious(rpr) if after is not None else ppr.append(rpr))  # rPr comes before sectPr
    rpr.insert(0, mark)


def mark_row(tr: etree._Element, tag: str, rev: Revisions) -> None:
    """Marks a table row as inserted or deleted (tag "ins" or "del"), its text too."""
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = etree.Element(w("trPr"))
        tblpr = tr.find(w("tblPrEx"))
        (tblpr.addnext(trpr) if tblpr is not None else tr.insert(0, trpr))
    trpr.append(rev.element(tag))
    for para in tr.iter(w("p")):
        if tag == "ins":
            _wrap_inserted(para, rev)
        else:
            replace(para, 0, len(text(para)), "", rev)
