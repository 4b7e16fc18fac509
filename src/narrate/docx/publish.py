"""`narrate publish`: the edited document as it goes out.

A document narrate wrote carries what only `narrate update` needs: the snapshot of the whole
generated text (a custom XML part), hidden bookmarks on every generated paragraph and figure,
and, after an update, tracked changes and review comments by narrate. A site that publishes the
Word file would publish all of it. publish() writes a copy without them: pending revisions
refused (listed, so the officer decides) or accepted when told, every comment and narrate's
marks gone, the snapshot gone, and the package stamped as published so `update` refuses it
with a message that says to update the edited file instead. The edited file is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from narrate.docx import marks, package, snapshot
from narrate.docx.ooxml import NS, REL_TYPE, serialize, w
from narrate.docx.revisions import AUTHOR
from narrate.docx.package import CONTENT_TYPES_PART, DOCUMENT, DOCUMENT_RELS

PUBLISHED = "published"  # core.xml's cp:contentStatus of a published copy
EXCERPT = 24
CORE = "docProps/core.xml"

# Revisions: what is shown once accepted is unwrapped, what is removed goes with its content.
_KEEP = (w("ins"), w("moveTo"))
_DROP = (w("del"), w("moveFrom"))
# Property changes: the element records the old properties; accepting drops the record.
_PROPERTY_CHANGES = tuple(w(t) for t in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "tblPrExChange",
                                         "trPrChange", "tcPrChange", "tblGridChange", "numberingChange"))
_RANGE_MARKS = tuple(w(t) for t in ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
                                    "customXmlInsRangeStart", "customXmlInsRangeEnd", "customXmlDelRangeStart",
                                    "customXmlDelRangeEnd"))
_COMMENT_MARKS = (w("commentRangeStart"), w("commentRangeEnd"))
_COMMENT_KINDS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")


class PublishError(Exception):
    """The file cannot be published; key names the message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Pending:
    """A revision or one of narrate's comments still waiting for the officer: what (insertion,
    deletion, formatting, comment), where (the heading above it) and an excerpt."""

    kind: str
    where: str
    excerpt: str
    author: str = ""


@dataclass(frozen=True)
class Published:
    data: bytes
    accepted: tuple[Pending, ...]  # what --accept accepted


def _text(el: etree._Element) -> str:
    """The text el shows with every revision accepted (deleted text left out)."""
    out = []
    for t in el.iter(w("t"), w("delText"), w("tab"), w("br")):
        if any(a.tag in _DROP for a in t.iterancestors()):
            continue
        out.append(t.text or "" if t.tag == w("t") else "" if t.tag == w("delText") else " ")
    return "".join(out).strip()


def _deleted_text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(w("delText"))).strip()


def _excerpt(value: str) -> str:
    return value if len(value) <= EXCERPT else value[:EXCERPT] + "…"


def _heading_styles(parts: dict[str, bytes]) -> set[str]:
    """The ids of the paragraph styles that carry an outline level: the headings."""
    blob = parts.get("word/styles.xml")
    if not blob:
        return set()
    root = package.parse(blob, "word/styles.xml")
    return {s.get(w("styleId")) for s in root.iter(w("style")) if s.find(f"{w('pPr')}/{w('outlineLvl')}") is not None}


class _Places:
    """Finds, for any element of the body, the heading above it."""

    def __init__(self, body: etree._Element, headings: set[str]) -> None:
        self.order: dict[etree._Element, str] = {}
        current = ""
        for p in body.iter(w("p")):
            style = p.find(f"{w('pPr')}/{w('pStyle')}")
            own = p.find(f"{w('pPr')}/{w('outlineLvl')}")
            if (style is not None and style.get(w("val")) in headings) or own is not None:
                current = _text(p) or current
            self.order[p] = current

    def where(self, el: etree._Element) -> str:
        p = el if el.tag == w("p") else next(el.iterancestors(w("p")), None)
        if p is None:  # a table row: its first paragraph
            p = next(el.iter(w("p")), None)
        return self.order.get(p, "") if p is not None else ""


def _kind(el: etree._Element) -> str:
    if el.tag in _KEEP:
        return "insertion"
    if el.tag in _DROP:
        return "deletion"
    return "formatting"


def pending(parts: dict[str, bytes]) -> list[Pending]:
    """Returns every tracked change (any author's) and every comment by narrate still in the
    document, in document order, one a paragraph and kind."""
    root = package.parse(parts[DOCUMENT], DOCUMENT)
    body = root.find(w("body"))
    if body is None:
        return []
    places = _Places(body, _heading_styles(parts))
    out: list[Pending] = []
    seen: set[tuple] = set()
    for el in body.iter(*_KEEP, *_DROP, *_PROPERTY_CHANGES):
        if any(a.tag in _KEEP + _DROP for a in el.iterancestors()) and el.tag not in _PROPERTY_CHANGES:
            continue
        # One item a paragraph, or a table row, and kind: a row of changed figures is one change.
        owner = next(el.iterancestors(w("tr")), None)
        if owner is None:
            owner = el if el.tag == w("p") else next(el.iterancestors(w("p")), el)
        key = (owner, _kind(el))
        if key in seen:
            continue
        seen.add(key)
        if owner.tag == w("tr"):  # the row's changed pieces, each apart
            pieces = [_deleted_text(x) if el.tag in _DROP else _text(x) for x in owner.iter(el.tag)]
            shown = " ".join(x for x in pieces if x)
        else:
            shown = _deleted_text(el) if el.tag in _DROP else _text(el)
        out.append(Pending(_kind(el), places.where(owner), _excerpt(shown or _text(owner)), el.get(w("author"), "")))
    comments = _comments_root(parts)
    if comments is not None:
        anchors = {a.get(w("id")): a for a in body.iter(w("commentRangeStart"), w("commentReference"))}
        for c in comments.iter(w("comment")):
            if c.get(w("author")) != AUTHOR:
                continue
            anchor = anchors.get(c.get(w("id")))
            out.append(Pending("comment", places.where(anchor) if anchor is not None else "", _excerpt(_text(c)), AUTHOR))
    return out


def _comments_root(parts: dict[str, bytes]) -> etree._Element | None:
    for name in _related(parts, "comments"):
        if name in parts:
            return package.parse(parts[name], name)
    return None


def _related(parts: dict[str, bytes], kind: str) -> list[str]:
    """The parts document.xml relates to as kind (a relationship type's last word)."""
    rels = parts.get(DOCUMENT_RELS)
    if not rels:
        return []
    out = []
    for el in package.parse(rels, DOCUMENT_RELS):
        if el.get("Type", "").rsplit("/", 1)[-1] == kind and el.get("TargetMode") != "External":
            target = el.get("Target", "")
            out.append(target.lstrip("/") if target.startswith("/") else "word/" + target)
    return out


# -- accepting -----------------------------------------------------------------------------------


def _unwrap(el: etree._Element) -> None:
    parent = el.getparent()
    i = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(i, child)
    parent.remove(el)


def _join_next(p: etree._Element) -> None:
    """Accepts a deleted paragraph mark: the paragraph's content joins the next paragraph (an
    empty paragraph simply goes); before a table or at the end, only the mark's record goes."""
    nxt = p.getnext()
    if nxt is None or nxt.tag != w("p"):
        return
    content = [c for c in p if c.tag != w("pPr")]
    at = 1 if nxt.find(w("pPr")) is not None else 0
    for k, c in enumerate(content):
        nxt.insert(at + k, c)
    p.getparent().remove(p)


def accept_all(root: etree._Element) -> None:
    """Accepts every tracked change under root, as Word's "Accept All Changes" does."""
    for el in list(root.iter(*_PROPERTY_CHANGES, *_RANGE_MARKS)):
        el.getparent().remove(el)
    for tr in list(root.iter(w("tr"))):
        trpr = tr.find(w("trPr"))
        if trpr is None:
            continue
        if trpr.find(w("del")) is not None:
            tr.getparent().remove(tr)
        elif trpr.find(w("ins")) is not None:
            trpr.remove(trpr.find(w("ins")))
    for cell_mark in list(root.iter(w("cellIns"), w("cellDel"), w("cellMerge"))):
        cell_mark.getparent().remove(cell_mark)
    deleted_marks = []
    for mark in list(root.iter(w("ins"), w("del"))):
        parent = mark.getparent()
        if parent is not None and parent.tag == w("rPr") and parent.getparent() is not None and parent.getparent().tag == w("pPr"):
            if mark.tag == w("del"):
                deleted_marks.append(parent.getparent().getparent())
            parent.remove(mark)
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(root.iter(*_KEEP)):
        _unwrap(el)
    for p in deleted_marks:
        if p.getparent() is not None:
            _join_next(p)


# -- cleaning ------------------------------------------------------------------------------------


def _drop_marks(root: etree._Element) -> None:
    """Removes narrate's hidden bookmarks, every copy of each (LibreOffice may write one twice)."""
    prefixes = (marks.PARA_PREFIX, marks.FIGURE_PREFIX, marks.ROW_PREFIX)
    ids = set()
    for start in list(root.iter(w("bookmarkStart"))):
        if (start.get(w("name")) or "").startswith(prefixes):
            ids.add(start.get(w("id")))
            start.getparent().remove(start)
    for end in list(root.iter(w("bookmarkEnd"))):
        if end.get(w("id")) in ids:
            end.getparent().remove(end)


def _drop_comments(parts: dict[str, bytes], root: etree._Element) -> None:
    for el in list(root.iter(*_COMMENT_MARKS)):
        el.getparent().remove(el)
    for ref in list(root.iter(w("commentReference"))):
        run = ref.getparent()
        run.remove(ref)
        if run.tag == w("r") and not [c for c in run if c.tag != w("rPr")]:
            run.getparent().remove(run)
    for kind in _COMMENT_KINDS:
        for name in _related(parts, kind):
            _drop_part(parts, name)


def _drop_part(parts: dict[str, bytes], name: str) -> None:
    """Removes a part, its relationships from the document and its content type override."""
    parts.pop(name, None)
    folder, _, file = name.rpartition("/")
    parts.pop(f"{folder}/_rels/{file}.rels", None)
    for rels_name in [n for n in parts if n.endswith(".rels")]:
        rels = package.parse(parts[rels_name], rels_name)
        base = rels_name.rsplit("_rels/", 1)[0]  # the folder the relationships' targets start from
        changed = False
        for el in list(rels):
            target = el.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else _join(base, target)
            if resolved == name:
                rels.remove(el)
                changed = True
        if changed:
            parts[rels_name] = serialize(rels)
    ct = package.parse(parts[CONTENT_TYPES_PART], CONTENT_TYPES_PART)
    for el in list(ct.iter(f"{{{NS['ct']}}}Override")):
        if el.get("PartName") == "/" + name:
            ct.remove(el)
    parts[CONTENT_TYPES_PART] = serialize(ct)


def _join(base: str, target: str) -> str:
    out = [p for p in base.strip("/").split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def _drop_snapshot(parts: dict[str, bytes]) -> None:
    name = snapshot.find(parts)
    if name is None:
        return
    folder, _, file = name.rpartition("/")
    item_rels = parts.get(f"{folder}/_rels/{file}.rels")
    if item_rels:  # the item's properties part (customXml/itemPropsN.xml) goes with it
        for el in package.parse(item_rels, "item rels"):
            _drop_part(parts, _join(folder, el.get("Target", "")))
    _drop_part(parts, name)


def _stamp(parts: dict[str, bytes]) -> None:
    """Marks the package as published (core.xml's cp:contentStatus), so update can say so."""
    if CORE not in parts:
        return
    core = package.parse(parts[CORE], CORE)
    status = core.find(f"{{{NS['cp']}}}contentStatus")
    if status is None:
        status = etree.SubElement(core, f"{{{NS['cp']}}}contentStatus")
    status.text = PUBLISHED
    parts[CORE] = serialize(core)


def _settings(parts: dict[str, bytes]) -> None:
    """The published copy no longer records changes as the officer's copy may."""
    name = "word/settings.xml"
    if name in parts:
        root = package.parse(parts[name], name)
        for el in list(root.iter(w("trackRevisions"))):
            root.remove(el)
        parts[name] = serialize(root)


def is_published(parts: dict[str, bytes]) -> bool:
    """Tells whether the package is a copy publish() wrote."""
    if CORE not in parts:
        return False
    try:
        core = package.parse(parts[CORE], CORE)
    except package.PackageError:
        return False
    return core.findtext(f"{{{NS['cp']}}}contentStatus") == PUBLISHED


def _word_parts(parts: dict[str, bytes]) -> list[str]:
    """The WordprocessingML parts that hold text: the body, headers, footers, notes."""
    kinds = {"header", "footer", "footnotes", "endnotes"}
    rels = parts.get(DOCUMENT_RELS)
    names = [DOCUMENT]
    if rels:
        for el in package.parse(rels, DOCUMENT_RELS):
            if el.get("Type", "").removeprefix(REL_TYPE) in kinds:
                names.append("word/" + el.get("Target", "").lstrip("/").removeprefix("word/"))
    return [n for n in names if n in parts]


def publish(data: bytes, accept: bool = False) -> Published:
    """Returns the published copy of the .docx data. Raises PublishError (publish_pending, with
    the list) while revisions or narrate's comments are pending and accept is False."""
    try:
        parts = package.read_parts(data)
    except package.PackageError as exc:
        raise PublishError(f"update_{exc.reason}") from None
    waiting = pending(parts)
    if waiting and not accept:
        raise PublishError("publish_pending", items=waiting)
    for name in _word_parts(parts):
        root = package.parse(parts[name], name)
        accept_all(root)
        _drop_marks(root)
        if name == DOCUMENT:
            _drop_comments(parts, root)
        parts[name] = serialize(root)
    _drop_snapshot(parts)
    _settings(parts)
    _stamp(parts)
    return Published(package.zip_parts(parts), tuple(waiting))
