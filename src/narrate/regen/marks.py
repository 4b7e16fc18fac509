"""Finding narrate's marks and snapshot in a .docx, whoever saved it last.

The writer (narrate.docx) puts hidden bookmarks around each generated paragraph (`_np_…`),
figure run and figure cell (`_nf_…`), and the snapshot in a custom XML part in the namespace
below. Both were checked to survive a LibreOffice 7.4 round trip (docs/regeneration.md); this
module reads them tolerantly: LibreOffice renumbers bookmark ids, renames custom XML parts and
writes a collapsed bookmark twice.
"""

from __future__ import annotations

from lxml import etree

from narrate.docx.marks import SNAPSHOT_NS
from narrate.regen.ooxml import w, xpath



class Marker:
    """Adds bookmarks to one document body, handing out unique bookmark ids."""

    def __init__(self, body: etree._Element) -> None:
        ids = [int(v) for v in xpath(body, ".//w:bookmarkStart/@w:id") if v.isdigit()]
        self._next = max(ids, default=0) + 1

    def take(self) -> str:
        """Returns an unused bookmark id."""
        self._next += 1
        return str(self._next - 1)

    def _pair(self, name: str) -> tuple[etree._Element, etree._Element]:
        start, end = etree.Element(w("bookmarkStart")), etree.Element(w("bookmarkEnd"))
        start.set(w("id"), str(self._next))
        start.set(w("name"), name)
        end.set(w("id"), str(self._next))
        self._next += 1
        return start, end

    def around(self, first: etree._Element, last: etree._Element, name: str) -> None:
        """Bookmarks the sibling elements first..last (runs of one paragraph)."""
        start, end = self._pair(name)
        first.addprevious(start)
        last.addnext(end)

    def paragraph(self, p: etree._Element, name: str) -> None:
        """Bookmarks the whole content of paragraph p."""
        start, end = self._pair(name)
        ppr = p.find(w("pPr"))
        (ppr.addnext(start) if ppr is not None else p.insert(0, start))
        p.append(end)


def find(body: etree._Element, prefix: str = "_n") -> dict[str, tuple[etree._Element, etree._Element | None]]:
    """Returns narrate's bookmarks in body: name -> (start, end). A name written twice
    (LibreOffice duplicates collapsed bookmarks) keeps the occurrence that has an end."""
    ends = {e.get(w("id")): e for e in body.iter(w("bookmarkEnd"))}
    out: dict[str, tuple[etree._Element, etree._Element | None]] = {}
    for start in body.iter(w("bookmarkStart")):
        name = start.get(w("name")) or ""
        if name.startswith(prefix):
            end = ends.get(start.get(w("id")))
            if name not in out or out[name][1] is None:
                out[name] = (start, end)
    return out


def _snapshot_part(document):
    """Returns the custom XML part holding the snapshot (found by namespace, not by name)."""
    for part in document.part.package.iter_parts():
        if str(part.partname).startswith("/customXml/item") and SNAPSHOT_NS.encode() in part.blob[:400]:
            return part
    return None


def read_snapshot(document) -> str | None:
    """Returns the snapshot text stored in document (python-docx), or None when it has none."""
    part = _snapshot_part(document)
    if part is None:
        return None
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None
    return "".join(root.itertext()) if etree.QName(root).namespace == SNAPSHOT_NS else None


def replace_snapshot(document, xml: bytes) -> None:
    """Stores xml (the writer's whole snapshot part) as document's snapshot."""
    part = _snapshot_part(document)
    part._blob = xml


def snapshot_xml(document) -> bytes:
    """Returns the snapshot part's XML as the writer wrote it."""
    return _snapshot_part(document).blob


def marked(body: etree._Element) -> bool:
    """Tells whether body has narrate's paragraph marks (made by narrate, snapshot lost)."""
    return bool(xpath(body, ".//w:bookmarkStart[starts-with(@w:name, '_np_')]"))
