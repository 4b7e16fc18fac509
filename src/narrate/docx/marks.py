"""The hidden bookmarks that let `narrate update` find generated content again.

Names: `_np_<h>` at the start of each generated paragraph (a point, not a span: a bookmark
ending a paragraph makes LibreOffice add an empty line after a full last line), `_nf_<h>` around
each figure run or figure cell, `_nr_<h>` in the first cell of each table body row; <h> is a
short hash of the paragraph/table id and the figure id, so the same thing gets the same name in
every generation. Word hides bookmarks whose name starts with '_'; LibreOffice and WPS keep them.

The writer and the merge place marks with the same functions, on lxml elements, and take every
w:id from one ooxml.Ids.
"""

from __future__ import annotations

import hashlib

from lxml import etree

from narrate.docx.ooxml import Ids, w

PARA_PREFIX = "_np_"
FIGURE_PREFIX = "_nf_"
ROW_PREFIX = "_nr_"
_START, _END, _PPR = w("bookmarkStart"), w("bookmarkEnd"), w("pPr")


def digest(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def figure_key(container_id: str, figure_id: str) -> str:
    return f"{container_id}/{figure_id}"


class Names:
    """Hands out unique bookmark names while one document is written."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def name(self, prefix: str, key: str) -> str:
        base = prefix + digest(key)
        name, n = base, 1
        while name in self._used:  # the same id twice (a repeated figure) still gets its own mark
            name, n = f"{base}_{n}", n + 1
        self._used.add(name)
        return name


_ID, _NAME = w("id"), w("name")
_START_EL, _END_EL = etree.Element(_START, {_ID: "", _NAME: ""}), etree.Element(_END, {_ID: ""})


def pair(name: str, ids: Ids) -> tuple[etree._Element, etree._Element]:
    """Returns a new bookmarkStart/bookmarkEnd pair named name."""
    n = ids.take()
    start, end = _START_EL.__copy__(), _END_EL.__copy__()
    start.set(_ID, n)
    start.set(_NAME, name)
    end.set(_ID, n)
    return start, end


Pair = tuple[etree._Element, etree._Element]


def around(first: etree._Element, last: etree._Element, name: str, ids: Ids) -> Pair:
    """Bookmarks the sibling elements first..last."""
    start, end = pair(name, ids)
    first.addprevious(start)
    last.addnext(end)
    return start, end


def _content_start(p: etree._Element) -> int:
    return 1 if len(p) and p[0].tag == _PPR else 0


def point(p: etree._Element, name: str, ids: Ids) -> Pair:
    """Puts a collapsed bookmark at the start of paragraph p's content."""
    start, end = pair(name, ids)
    at = _content_start(p)
    p.insert(at, start)
    p.insert(at + 1, end)
    return start, end


def span(first: etree._Element, last: etree._Element, name: str, ids: Ids) -> Pair:
    """Bookmarks the content of paragraphs first..last (a table cell): from the start of the
    first paragraph's content to the end of the last one's."""
    start, end = pair(name, ids)
    first.insert(_content_start(first), start)
    last.append(end)
    return start, end


def find(root: etree._Element, prefix: str = "_n") -> dict[str, tuple[etree._Element, etree._Element | None]]:
    """Returns the bookmarks in root whose name starts with prefix: name -> (start, end). A name
    written twice (LibreOffice writes a collapsed bookmark twice, once without its end) keeps
    the occurrence that has an end."""
    ends = {e.get(_ID): e for e in root.iter(_END)}
    out: dict[str, tuple[etree._Element, etree._Element | None]] = {}
    for start in root.iter(_START):
        name = start.get(_NAME) or ""
        if name.startswith(prefix) and (name not in out or out[name][1] is None):
            out[name] = (start, ends.get(start.get(_ID)))
    return out


def remove(start: etree._Element | None, end: etree._Element | None) -> None:
    for el in (start, end):
        if el is not None and el.getparent() is not None:
            el.getparent().remove(el)
