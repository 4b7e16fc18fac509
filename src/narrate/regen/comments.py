"""The review list as Word comments by narrate, each anchored on the paragraph it concerns.

Comments go into the package's comments part (the officer's own comments, if any, stay); their
ids come from the update's one allocator, their date is the update's revision date.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from narrate.docx import package
from narrate.docx.ooxml import CONTENT_TYPE, NSMAP, REL_TYPE, Ids, serialize, w
from narrate.docx.revisions import AUTHOR, new_run
from narrate.regen.review import Item

PART = "word/comments.xml"
_KIND = "comments"


def part_name(parts: dict[str, bytes]) -> str | None:
    """Returns the name of the comments part the document already relates to, if any."""
    rels = parts.get(package.DOCUMENT_RELS)
    if not rels:
        return None
    root = package.parse(rels, package.DOCUMENT_RELS)
    for el in root:
        if el.get("Type") == REL_TYPE + _KIND:
            target = el.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "word/" + target
    return None


def existing(parts: dict[str, bytes]) -> etree._Element | None:
    name = part_name(parts)
    return package.parse(parts[name], name) if name and name in parts else None


def add(parts: dict[str, bytes], items: list[Item], ids: Ids, date: str, message: Callable[[Item], str]) -> None:
    """Adds one comment per item that has a paragraph to anchor on (parts changes in place; the
    caller writes word/document.xml afterwards, since the anchors live there)."""
    anchored = [i for i in items if i.anchor is not None]
    if not anchored:
        return
    name = part_name(parts) or PART
    root = existing(parts)
    if root is None:
        root = etree.Element(w("comments"), nsmap=NSMAP)
    for item in anchored:
        cid = ids.take()
        comment = etree.SubElement(root, w("comment"), {w("id"): cid, w("author"): AUTHOR, w("date"): date, w("initials"): "N"})
        etree.SubElement(comment, w("p")).append(new_run(message(item)))
        _anchor(item.anchor, cid)
    parts[name] = serialize(root)
    parts[package.CONTENT_TYPES_PART] = package.with_override(parts[package.CONTENT_TYPES_PART], "/" + name, CONTENT_TYPE + "comments+xml")
    rels, _ = package.with_relationship(parts.get(package.DOCUMENT_RELS), _KIND, name.removeprefix("word/"))
    parts[package.DOCUMENT_RELS] = rels


def _anchor(p: etree._Element, cid: str) -> None:
    ppr = p.find(w("pPr"))
    p.insert(0 if ppr is None else p.index(ppr) + 1, etree.Element(w("commentRangeStart"), {w("id"): cid}))
    p.append(etree.Element(w("commentRangeEnd"), {w("id"): cid}))
    ref = etree.SubElement(p, w("r"))
    etree.SubElement(ref, w("commentReference"), {w("id"): cid})
