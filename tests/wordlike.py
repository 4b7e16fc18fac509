"""Edits made the way Word makes them, on the lxml tree of word/document.xml.

The update tests describe what an officer does in Word with these verbs: type over a figure,
type beside it, press Enter inside a paragraph, cut a sentence and paste it elsewhere, make
tracked changes of their own, accept or reject all revisions. Each verb changes the XML as Word
does: typing makes a new run (split runs), Enter splits the w:p and leaves bookmarks where they
were, rejecting an insertion removes its content with any bookmark inside it, rejecting a
deletion turns w:delText back into w:t. Offsets are in visible characters (w:ins counts, w:del
does not), like the caret in Word.
"""

from __future__ import annotations

import copy
import io
import subprocess
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OFFICER = "张科长"
WHEN = "2025-03-01T09:00:00Z"
RSID = "00A1B2C3"  # Word stamps every run typed in one session with the session's rsid


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_HIDDEN = (w("del"), w("moveFrom"))


# -- files ---------------------------------------------------------------------------------------


@contextmanager
def editing(path: Path) -> Iterator[etree._Element]:
    """Yields the w:body of path; writes it back when the block ends (other parts as they were)."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info, archive.read(info)) for info in archive.infolist()]
    root = etree.fromstring(dict((i.filename, d) for i, d in parts)["word/document.xml"])
    yield root.find(w("body"))
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts:
            archive.writestr(info.filename, xml if info.filename == "word/document.xml" else data)
    path.write_bytes(out.getvalue())


def libreoffice(path: Path, folder: Path | None = None) -> Path:
    """Returns path as LibreOffice saves it (docx in, docx out), with a profile of its own."""
    folder = folder or path.parent
    out = folder / "lo"
    profile = folder / f"lo_profile_{path.stem}"
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "docx",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return out / path.name


# -- reading -------------------------------------------------------------------------------------


def _owner(el: etree._Element) -> etree._Element | None:
    return next(el.iterancestors(w("p")), None)


def _shown(run: etree._Element, p: etree._Element) -> bool:
    for anc in run.iterancestors():
        if anc is p:
            return True
        if anc.tag in _HIDDEN:
            return False
    return True


def runs(p: etree._Element) -> list[etree._Element]:
    """The runs of p whose text shows (pending insertions count, deletions do not)."""
    return [r for r in p.iter(w("r")) if _owner(r) is p and _shown(r, p)]


def run_text(r: etree._Element) -> str:
    out = []
    for c in r:
        if c.tag == w("t"):
            out.append(c.text or "")
        elif c.tag == w("tab"):
            out.append("\t")
        elif c.tag == w("br") and c.get(w("type")) not in ("page", "column"):
            out.append("\n")
    return "".join(out)


def text(p: etree._Element) -> str:
    return "".join(run_text(r) for r in runs(p))


def paragraphs(body: etree._Element) -> list[etree._Element]:
    return list(body.iter(w("p")))


def paragraph_with(body: etree._Element, words: str, n: int = 0) -> etree._Element:
    """The n-th paragraph whose text contains words."""
    found = [p for p in paragraphs(body) if words in text(p)]
    assert len(found) > n, f"no paragraph {n} with {words!r}"
    return found[n]


def bookmark(body: etree._Element, name: str) -> tuple[etree._Element | None, etree._Element | None]:
    start = next((b for b in body.iter(w("bookmarkStart")) if b.get(w("name")) == name), None)
    if start is None:
        return None, None
    end = next((b for b in body.iter(w("bookmarkEnd")) if b.get(w("id")) == start.get(w("id"))), None)
    return start, end


def marked(body: etree._Element, name: str) -> etree._Element:
    """The paragraph holding the start of bookmark name."""
    start, _ = bookmark(body, name)
    assert start is not None, name
    return _owner(start)


# -- the caret -----------------------------------------------------------------------------------


def _split(r: etree._Element, k: int) -> etree._Element:
    """Splits run r after k characters of its text; returns the right half (placed after r)."""
    right = etree.Element(w("r"), r.attrib)
    rpr = r.find(w("rPr"))
    if rpr is not None:
        right.append(copy.deepcopy(rpr))
    seen = 0
    for child in [c for c in r if c.tag != w("rPr")]:
        size = _child_len(child)
        if seen >= k:
            right.append(child)
        elif seen + size > k:
            tail = etree.SubElement(right, w("t"))
            tail.text, child.text = child.text[k - seen :], child.text[: k - seen]
            child.set(_XML_SPACE, "preserve")
            tail.set(_XML_SPACE, "preserve")
        seen += size
    r.addnext(right)
    return right


def _child_len(c: etree._Element) -> int:
    if c.tag == w("t"):
        return len(c.text or "")
    if c.tag == w("tab") or (c.tag == w("br") and c.get(w("type")) not in ("page", "column")):
        return 1
    return 0


def _boundary(p: etree._Element, offset: int) -> None:
    seen = 0
    for r in runs(p):
        size = len(run_text(r))
        if seen < offset < seen + size:
            _split(r, offset - seen)
            return
        seen += size


def _runs_between(p: etree._Element, start: int, end: int) -> list[etree._Element]:
    _boundary(p, end)
    _boundary(p, start)
    out, seen = [], 0
    for r in runs(p):
        size = len(run_text(r))
        if start <= seen and seen + size <= end and size:
            out.append(r)
        seen += size
    return out


def _caret(p: etree._Element, offset: int, into_mark: bool) -> tuple[etree._Element, str]:
    """Returns (element, side): new content goes before or after element. Typing at the edge of
    a bookmark stays outside it unless into_mark."""
    _boundary(p, offset)
    seen, before = 0, None
    for r in runs(p):
        if seen == offset:
            break
        before = r
        seen += len(run_text(r))
    if before is not None:
        anchor = _top(before, p) if before.getparent().tag in (w("ins"), w("del")) else before
        while not into_mark and anchor.getnext() is not None and anchor.getnext().tag == w("bookmarkEnd"):
            anchor = anchor.getnext()
        return anchor, "after"
    first = next(iter(runs(p)), None)
    if first is None:
        ppr = p.find(w("pPr"))
        marks = [c for c in p if c.tag in (w("bookmarkStart"), w("bookmarkEnd"))]
        if into_mark and marks:
            return marks[0], "after"
        return (marks[-1], "after") if marks else ((ppr, "after") if ppr is not None else (p, "into"))
    anchor = _top(first, p)
    while not into_mark and anchor.getprevious() is not None and anchor.getprevious().tag == w("bookmarkStart"):
        anchor = anchor.getprevious()
    return anchor, "before"


def _top(el: etree._Element, p: etree._Element) -> etree._Element:
    while el.getparent() is not p:
        el = el.getparent()
    return el


def _put(p: etree._Element, offset: int, new: etree._Element, into_mark: bool = False) -> None:
    anchor, side = _caret(p, offset, into_mark)
    if side == "after":
        anchor.addnext(new)
    elif side == "before":
        anchor.addprevious(new)
    else:
        anchor.append(new)


def _run(words: str, like: etree._Element | None) -> etree._Element:
    r = etree.Element(w("r"))
    r.set(w("rsidR"), RSID)
    if like is not None and like.find(w("rPr")) is not None:
        r.append(copy.deepcopy(like.find(w("rPr"))))
    t = etree.SubElement(r, w("t"))
    t.text = words
    t.set(_XML_SPACE, "preserve")
    return r


def _revision(tag: str, author: str) -> etree._Element:
    el = etree.Element(w(tag))
    el.set(w("id"), "9" + str(abs(hash((tag, author))) % 10**6))
    el.set(w("author"), author)
    el.set(w("date"), WHEN)
    return el


def _offset(p: etree._Element, words: str, n: int = 0) -> int:
    shown = text(p)
    at = -1
    for _ in range(n + 1):
        at = shown.index(words, at + 1)
    return at


# -- what the officer does -------------------------------------------------------------------------


def type_at(p: etree._Element, offset: int, words: str, into_mark: bool = False) -> None:
    """Types words at offset (a new run in the formatting of the run before the caret)."""
    like = next(iter(runs(p)), None)
    _put(p, offset, _run(words, like), into_mark)


def type_after(p: etree._Element, anchor_words: str, words: str, into_mark: bool = False) -> None:
    type_at(p, _offset(p, anchor_words) + len(anchor_words), words, into_mark)


def type_over(p: etree._Element, old: str, new: str, n: int = 0) -> None:
    """Selects the n-th occurrence of old and types new: the first selected run keeps the new
    text, the others are emptied out of existence; bookmarks around the selection stay."""
    start = _offset(p, old, n)
    selected = _runs_between(p, start, start + len(old))
    first = selected[0]
    for child in [c for c in first if c.tag != w("rPr")]:
        first.remove(child)
    t = etree.SubElement(first, w("t"))
    t.text = new
    t.set(_XML_SPACE, "preserve")
    for r in selected[1:]:
        r.getparent().remove(r)


def delete_text(p: etree._Element, words: str) -> None:
    """Selects words and presses Delete (no track changes)."""
    start = _offset(p, words)
    for r in _runs_between(p, start, start + len(words)):
        r.getparent().remove(r)


def track_insert(p: etree._Element, offset: int, words: str, author: str = OFFICER) -> None:
    """Types words at offset with Track Changes on."""
    box = _revision("ins", author)
    box.append(_run(words, next(iter(runs(p)), None)))
    _put(p, offset, box)


def track_delete(p: etree._Element, words: str, author: str = OFFICER) -> None:
    """Selects words and deletes them with Track Changes on."""
    start = _offset(p, words)
    for r in _runs_between(p, start, start + len(words)):
        for t in r.iter(w("t")):
            t.tag = w("delText")
        box = _revision("del", author)
        r.addprevious(box)
        box.append(r)


def press_enter(p: etree._Element, offset: int) -> etree._Element:
    """Presses Enter at offset: p ends there and a new paragraph with p's properties holds the
    rest. Bookmarks stay where they were: one that spans the caret now spans two paragraphs."""
    _boundary(p, offset)
    q = etree.Element(w("p"), p.attrib)
    ppr = p.find(w("pPr"))
    if ppr is not None:
        q.append(copy.deepcopy(ppr))
        sect = ppr.find(w("sectPr"))
        if sect is not None:  # the section break belongs to the paragraph mark, now the second one
            ppr.remove(sect)
    seen, moving = 0, False
    for child in [c for c in p if c.tag != w("pPr")]:
        size = sum(len(run_text(r)) for r in runs(p) if r is child or child in r.iterancestors())
        if not moving and seen >= offset and not (child.tag == w("bookmarkEnd") and seen == offset):
            moving = True
        if moving:
            q.append(child)
        seen += size
    p.addnext(q)
    return q


def move(src: etree._Element, words: str, dst: etree._Element, at: int) -> None:
    """Cuts words out of src and pastes them into dst at offset at. A bookmark that lies wholly
    inside the cut text travels with it (Word moves bookmarks on cut and paste)."""
    start = _offset(src, words)
    selected = _runs_between(src, start, start + len(words))
    tops = []
    for r in selected:
        top = _top(r, src)
        if top not in tops:
            tops.append(top)
    kids = list(src)
    # Bookmarks right at the edges belong to the cut text when both their ends are inside it.
    i, j = kids.index(tops[0]), kids.index(tops[-1])
    while i > 0 and kids[i - 1].tag == w("bookmarkStart"):
        i -= 1
    while j + 1 < len(kids) and kids[j + 1].tag == w("bookmarkEnd"):
        j += 1
    span = kids[i : j + 1]
    ids = {}
    for el in span:
        if el.tag in (w("bookmarkStart"), w("bookmarkEnd")):
            ids.setdefault(el.get(w("id")), []).append(el)
    carried = [el for el in span if el.tag not in (w("bookmarkStart"), w("bookmarkEnd")) or len(ids[el.get(w("id"))]) == 2]
    anchor, side = _caret(dst, at, into_mark=False)
    for el in carried if side == "before" else reversed(carried):
        src.remove(el)
        if side == "before":
            anchor.addprevious(el)
        elif side == "after":
            anchor.addnext(el)
        else:
            anchor.append(el)


def add_paragraph_after(p: etree._Element, words: str) -> etree._Element:
    q = etree.Element(w("p"))
    if p.find(w("pPr")) is not None:
        ppr = copy.deepcopy(p.find(w("pPr")))
        for sect in ppr.findall(w("sectPr")):
            ppr.remove(sect)
        q.append(ppr)
    q.append(_run(words, None))
    p.addnext(q)
    return q


def delete_paragraph(p: etree._Element) -> None:
    p.getparent().remove(p)


# -- reviewing -----------------------------------------------------------------------------------


def _by(el: etree._Element, author: str | None) -> bool:
    return author is None or el.get(w("author")) == author


def _unwrap(el: etree._Element) -> None:
    for child in list(el):
        el.addprevious(child)
    el.getparent().remove(el)


def _join_next(p: etree._Element) -> None:
    """Removes p's paragraph mark: what is left of p joins the next paragraph (whose mark stays)."""
    nxt = p.getnext()
    content = [c for c in p if c.tag != w("pPr")]
    if nxt is not None and nxt.tag == w("p"):
        ppr = nxt.find(w("pPr"))
        at = 1 if ppr is not None else 0
        for i, c in enumerate(content):
            nxt.insert(at + i, c)
        p.getparent().remove(p)
    elif not any(text_of(c) for c in content):
        p.getparent().remove(p)


def text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def _paragraph_marks(body: etree._Element, tag: str, author: str | None) -> list[etree._Element]:
    return [m.getparent().getparent().getparent() for m in body.iter(w(tag))
            if m.getparent().tag == w("rPr") and m.getparent().getparent().tag == w("pPr") and _by(m, author)]


def _row_marks(body: etree._Element, tag: str, author: str | None) -> list[etree._Element]:
    return [m.getparent().getparent() for m in body.iter(w(tag)) if m.getparent().tag == w("trPr") and _by(m, author)]


def _drop_empty_tables(body: etree._Element) -> None:
    for tbl in list(body.iter(w("tbl"))):
        if tbl.find(w("tr")) is None:
            tbl.getparent().remove(tbl)


def accept_all(body: etree._Element, author: str | None = None) -> None:
    """Review > Accept All Changes (of author, or of everyone)."""
    for tr in _row_marks(body, "del", author):
        tr.getparent().remove(tr)
    for tr in _row_marks(body, "ins", author):
        tr.find(w("trPr")).remove(tr.find(w("trPr")).find(w("ins")))
    for p in _paragraph_marks(body, "del", author):
        p.find(w("pPr")).find(w("rPr")).remove(p.find(w("pPr")).find(w("rPr")).find(w("del")))
        _join_next(p)
    for p in _paragraph_marks(body, "ins", author):
        rpr = p.find(w("pPr")).find(w("rPr"))
        rpr.remove(rpr.find(w("ins")))
    for el in [e for e in body.iter(w("del"), w("moveFrom")) if e.getparent().tag != w("rPr") and _by(e, author)]:
        el.getparent().remove(el)
    for el in [e for e in body.iter(w("ins"), w("moveTo")) if e.getparent().tag != w("rPr") and _by(e, author)]:
        _unwrap(el)
    _drop_empty_tables(body)


def reject_all(body: etree._Element, author: str | None = None) -> None:
    """Review > Reject All Changes (of author, or of everyone): inserted content goes, bookmarks
    inside it too; deleted content comes back as plain text."""
    for tr in _row_marks(body, "ins", author):
        tr.getparent().remove(tr)
    for tr in _row_marks(body, "del", author):
        tr.find(w("trPr")).remove(tr.find(w("trPr")).find(w("del")))
    for el in [e for e in body.iter(w("ins"), w("moveTo")) if e.getparent().tag != w("rPr") and _by(e, author)]:
        el.getparent().remove(el)
    for el in [e for e in body.iter(w("del"), w("moveFrom")) if e.getparent().tag != w("rPr") and _by(e, author)]:
        for t in el.iter(w("delText")):
            t.tag = w("t")
        for t in el.iter(w("delInstrText")):
            t.tag = w("instrText")
        _unwrap(el)
    for p in _paragraph_marks(body, "del", author):
        rpr = p.find(w("pPr")).find(w("rPr"))
        rpr.remove(rpr.find(w("del")))
    for p in _paragraph_marks(body, "ins", author):
        rpr = p.find(w("pPr")).find(w("rPr"))
        rpr.remove(rpr.find(w("ins")))
        _join_next(p)
    _drop_empty_tables(body)


def revisions(body: etree._Element, author: str | None = None) -> list[etree._Element]:
    return [e for e in body.iter(w("ins"), w("del")) if _by(e, author)]


# -- comments ------------------------------------------------------------------------------------

_COMMENTS = "word/comments.xml"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
_COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def comment(path: Path, mark: str, words: str, note: str, author: str = OFFICER) -> None:
    """Selects words in the paragraph of bookmark mark and adds a comment note, as Word does:
    commentRangeStart/End around the selection, a run with the commentReference after it, the
    note in word/comments.xml (made, with its relationship and content type, if there is none)."""
    with zipfile.ZipFile(path) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    p = marked(root.find(w("body")), mark)
    start = _offset(p, words)
    selected = _runs_between(p, start, start + len(words))
    box = (etree.fromstring(parts[_COMMENTS]) if _COMMENTS in parts
           else etree.Element(w("comments"), nsmap={"w": W}))
    cid = str(max([int(c.get(w("id"))) for c in box.findall(w("comment"))] + [899]) + 1)
    first, last = _top(selected[0], p), _top(selected[-1], p)
    first.addprevious(etree.Element(w("commentRangeStart"), {w("id"): cid}))
    end = etree.Element(w("commentRangeEnd"), {w("id"): cid})
    last.addnext(end)
    ref = etree.Element(w("r"))
    etree.SubElement(ref, w("commentReference"), {w("id"): cid})
    end.addnext(ref)
    note_el = etree.SubElement(box, w("comment"), {w("id"): cid, w("author"): author, w("date"): WHEN, w("initials"): "张"})
    note_el.append(etree.Element(w("p")))
    note_el[0].append(_run(note, None))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if _COMMENTS not in parts:
        rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
        taken = {r.get("Id") for r in rels}
        rid = next(f"rId{n}" for n in range(900, 2000) if f"rId{n}" not in taken)
        etree.SubElement(rels, f"{{{rels.nsmap[None]}}}Relationship", Id=rid, Type=_COMMENTS_REL, Target="comments.xml")
        parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
        types = etree.fromstring(parts["[Content_Types].xml"])
        etree.SubElement(types, f"{{{types.nsmap[None]}}}Override", PartName="/" + _COMMENTS, ContentType=_COMMENTS_TYPE)
        parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts[_COMMENTS] = etree.tostring(box, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    path.write_bytes(out.getvalue())


def comments(path: Path) -> dict[str, str]:
    """Returns the comments of path: id -> text ({} when it has none)."""
    with zipfile.ZipFile(path) as archive:
        if _COMMENTS not in archive.namelist():
            return {}
        box = etree.fromstring(archive.read(_COMMENTS))
    return {c.get(w("id")): text_of(c) for c in box.findall(w("comment"))}
