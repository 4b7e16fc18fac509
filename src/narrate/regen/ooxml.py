"""Raw WordprocessingML for the merge: visible text, run splitting, tracked changes.

The only regen module that knows OOXML element names. It works on lxml elements of a
python-docx body, so it reads what Word, WPS and LibreOffice write, not only what narrate wrote:
runs split at script changes (LibreOffice), bookmarks moved inside w:ins, pending revisions.
"Visible text" is the text with every pending revision accepted: w:ins counts, w:del does not.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
AUTHOR = "narrate"


def xpath(el: etree._Element, expr: str) -> list:
    """Evaluates expr with the w: prefix on any element (python-docx's own xpath takes no map)."""
    return etree.XPath(expr, namespaces={"w": W_NS})(el)


def w(tag: str) -> str:
    """Returns the Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


_CHAR = {w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_HIDDEN = {w("del"), w("moveFrom")}


@dataclass
class Revisions:
    """Hands out revision ids and carries the author and date of the update's tracked changes."""

    next_id: int
    date: str

    @classmethod
    def for_body(cls, body: etree._Element, date: str) -> Revisions:
        ids = [int(v) for v in xpath(body, "//@w:id") if v.lstrip("-").isdigit()]
        return cls(max(ids, default=0) + 1, date)

    def take(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def element(self, tag: str) -> etree._Element:
        el = etree.Element(w(tag))
        el.set(w("id"), self.take())
        el.set(w("author"), AUTHOR)
        el.set(w("date"), self.date)
        return el


def _owner(el: etree._Element) -> etree._Element | None:
    """Returns the paragraph that directly holds el (not one inside a text box within it)."""
    for anc in el.iterancestors(w("p")):
        return anc
    return None


def _hidden(run: etree._Element, para: etree._Element) -> bool:
    for anc in run.iterancestors():
        if anc is para:
            return False
        if anc.tag in _HIDDEN:
            return True
    return False


def _run_text(child: etree._Element) -> str:
    if child.tag == w("t"):
        return child.text or ""
    if child.tag == w("br") and child.get(w("type")) in ("page", "column"):
        return ""  # layout, not words: LibreOffice turns "page break before" into such a run
    return _CHAR.get(child.tag, "")


def visible_runs(para: etree._Element) -> list[etree._Element]:
    """Returns the runs of para whose text is visible once every revision is accepted."""
    return [r for r in para.iter(w("r")) if _owner(r) is para and not _hidden(r, para)]


def run_text(run: etree._Element) -> str:
    return "".join(_run_text(c) for c in run)


def text(para: etree._Element) -> str:
    """Returns the visible text of a paragraph."""
    return "".join(run_text(r) for r in visible_runs(para))


def cell_text(tc: etree._Element) -> str:
    return "\n".join(text(p) for p in tc.iter(w("p")) if _owner_cell(p) is tc)


def _owner_cell(p: etree._Element) -> etree._Element | None:
    for anc in p.iterancestors(w("tc")):
        return anc
    return None


def offsets(para: etree._Element) -> dict[etree._Element, int]:
    """Returns, for each bookmark start/end in para, how many visible characters precede it."""
    out: dict[etree._Element, int] = {}
    count = 0
    visible = set(visible_runs(para))
    for el in para.iter():
        if el.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            out[el] = count
        elif el.tag == w("r") and el in visible:
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
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        seen += size
    run.addnext(right)
    return right


def _cut_at(para: etree._Element, pos: int) -> None:
    """Makes pos (a visible-character offset) fall on a run boundary."""
    seen = 0
    for run in visible_runs(para):
        size = len(run_text(run))
        if seen < pos < seen + size:
            _split(run, pos - seen)
            return
        seen += size


def isolate(para: etree._Element, start: int, end: int) -> list[etree._Element]:
    """Returns the visible runs covering exactly [start, end), splitting runs at the edges."""
    _cut_at(para, end)
    _cut_at(para, start)
    out, seen = [], 0
    for run in visible_runs(para):
        size = len(run_text(run))
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


def new_run(text_: str, rpr: etree._Element | None) -> etree._Element:
    run = etree.Element(w("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, w("t"))
    t.text = text_
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def replace(para: etree._Element, start: int, end: int, new: str, rev: Revisions, rpr: etree._Element | None = None) -> None:
    """Replaces visible characters [start, end) of para by new, as tracked changes by narrate.

    The inserted run takes rpr when given, else the formatting of the text it replaces or
    follows, so an officer's restyling carries over to the new figure."""
    runs = isolate(para, start, end)
    neighbour = runs[0] if runs else _run_before(para, start)
    if rpr is None and neighbour is not None:
        rpr = neighbour.find(w("rPr"))
    last = None
    for run in runs:
        last = _delete_run(run, rev)
    if new:
        box = rev.element("ins")
        box.append(new_run(new, rpr))
        if last is not None:
            while last.getparent() is not para and last.getparent().tag in (w("ins"), w("del"), w("moveTo")):
                last = last.getparent()  # a w:ins may not sit inside another revision
            last.addnext(box)
        else:
            _place(para, start, box)
    for here in list(para.iter(_TMP)):
        here.getparent().remove(here)


def _place(para: etree._Element, pos: int, box: etree._Element) -> None:
    """Puts box where visible offset pos is: before the run starting there, else after the text."""
    seen = 0
    for run in visible_runs(para):
        if seen == pos:
            _outer(run, para).addprevious(box)
            return
        seen += len(run_text(run))
    runs = visible_runs(para)
    if runs:
        _outer(runs[-1], para).addnext(box)
    else:
        para.append(box)


def _outer(run: etree._Element, para: etree._Element) -> etree._Element:
    """Returns run, or the narrate insertion wrapping it (a w:ins may not nest in a w:ins)."""
    parent = run.getparent()
    return parent if parent.tag == w("ins") and parent is not para else run


def mark_paragraph_inserted(para: etree._Element, rev: Revisions) -> None:
    """Marks every run and the paragraph mark of para as a tracked insertion."""
    for run in [r for r in para.iter(w("r")) if _owner(r) is para]:
        box = rev.element("ins")
        run.addprevious(box)
        box.append(run)
    _mark_para_mark(para, rev.element("ins"))


def mark_paragraph_deleted(para: etree._Element, rev: Revisions) -> None:
    """Marks the whole visible text and the paragraph mark of para as a tracked deletion."""
    replace(para, 0, len(text(para)), "", rev)
    _mark_para_mark(para, rev.element("del"))


def _mark_para_mark(para: etree._Element, mark: etree._Element) -> None:
    ppr = para.find(w("pPr"))
    if ppr is None:
        ppr = etree.Element(w("pPr"))
        para.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(ppr, w("rPr"))
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
            mark_paragraph_inserted(para, rev)
        else:
            replace(para, 0, len(text(para)), "", rev)
