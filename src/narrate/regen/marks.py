"""How generated content is found again in a .docx: bookmark names, marking, snapshot storage.

The writer calls these helpers while building; `narrate update` reads with them. Everything
here was checked to survive a LibreOffice 7.4 round trip (docs/regeneration.md):

- hidden bookmarks (names starting with "_"): `_np_<h>` in each generated paragraph,
  `_nf_<h>` around each figure's runs, `_nr_<h>` in the first cell of each generated table
  row. <h> is a short hash of the ids, so names stay under Word's 40-character limit.
- the snapshot in a custom XML part (Word's data store keeps unknown items; LibreOffice keeps
  them too), plus a short `narrate` custom document property naming the format, which makes the
  file recognisable in File > Properties and tells "lost snapshot" from "not narrate's file".
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from narrate.regen.ooxml import w, xpath

SNAPSHOT_NS = "urn:narrate:snapshot:1"
RT_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
RT_CUSTOM_XML_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
RT_CUSTOM_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CT_XML = "application/xml"
CT_ITEM_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_CUSTOM_PROPS = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
ITEM_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, SNAPSHOT_NS)).upper() + "}"  # fixed: byte-identical builds
PROPERTY = "narrate"


def _h(*ids: object) -> str:
    return hashlib.blake2s("\x1f".join(map(str, ids)).encode(), digest_size=6).hexdigest()


def para_name(pid: str) -> str:
    """Returns the bookmark name of generated paragraph pid."""
    return f"_np_{_h(pid)}"


def figure_name(block_id: str, fid: str, n: int = 0) -> str:
    """Returns the bookmark name of the n-th occurrence of figure fid in block block_id."""
    return f"_nf_{_h(block_id, fid, n)}"


def row_name(table_id: str, row_id: str) -> str:
    """Returns the bookmark name of generated table row row_id."""
    return f"_nr_{_h(table_id, row_id)}"


class Marker:
    """Adds narrate's bookmarks to one document body, handing out unique bookmark ids."""

    def __init__(self, body: etree._Element) -> None:
        ids = [int(v) for v in xpath(body, ".//w:bookmarkStart/@w:id") if v.isdigit()]
        self._next = max(ids, default=0) + 1

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

    def paragraph(self, p: etree._Element, pid: str) -> None:
        """Bookmarks the content of generated paragraph p (kept even if it is empty)."""
        start, end = self._pair(para_name(pid))
        ppr = p.find(w("pPr"))
        (ppr.addnext(start) if ppr is not None else p.insert(0, start))
        p.append(end)

    def row(self, tr: etree._Element, table_id: str, row_id: str) -> None:
        """Bookmarks the first paragraph of the first cell of generated row tr."""
        self.paragraph_named(tr.find(f"{w('tc')}/{w('p')}"), row_name(table_id, row_id))

    def paragraph_named(self, p: etree._Element, name: str) -> None:
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


def _snapshot_xml(text: str) -> bytes:
    root = etree.Element(f"{{{SNAPSHOT_NS}}}snapshot", nsmap={None: SNAPSHOT_NS})
    root.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _item_props() -> bytes:
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    root = etree.Element(f"{{{ds}}}datastoreItem", nsmap={"ds": ds})
    root.set(f"{{{ds}}}itemID", ITEM_ID)
    etree.SubElement(etree.SubElement(root, f"{{{ds}}}schemaRefs"), f"{{{ds}}}schemaRef").set(f"{{{ds}}}uri", SNAPSHOT_NS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _snapshot_part(document) -> Part | None:
    for part in document.part.package.iter_parts():
        if str(part.partname).startswith("/customXml/item") and SNAPSHOT_NS.encode() in part.blob[:400]:
            return part
    return None


def _free_name(package, pattern: str) -> PackURI:
    taken = {str(p.partname) for p in package.iter_parts()}
    n = 1
    while pattern % n in taken:
        n += 1
    return PackURI(pattern % n)


def embed_snapshot(document, text: str) -> None:
    """Stores snapshot text in document (a python-docx Document), replacing an older one."""
    part = _snapshot_part(document)
    if part is not None:
        part._blob = _snapshot_xml(text)
    else:
        package = document.part.package
        item = Part(_free_name(package, "/customXml/item%d.xml"), CT_XML, _snapshot_xml(text), package)
        props = Part(_free_name(package, "/customXml/itemProps%d.xml"), CT_ITEM_PROPS, _item_props(), package)
        item.relate_to(props, RT_CUSTOM_XML_PROPS)
        document.part.relate_to(item, RT_CUSTOM_XML)
    _set_property(document, f"{PROPERTY}-snapshot/1")


def read_snapshot(document) -> str | None:
    """Returns the snapshot text stored in document, or None when it has none."""
    part = _snapshot_part(document)
    if part is None:
        return None
    root = etree.fromstring(part.blob)
    return root.text if root.tag == f"{{{SNAPSHOT_NS}}}snapshot" else None


def has_property(document) -> bool:
    """Tells whether the file carries narrate's custom property (made by narrate)."""
    part = _custom_props(document)
    return part is not None and f'name="{PROPERTY}"'.encode() in part.blob


_CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def _custom_props(document) -> Part | None:
    for rel in document.part.package.rels.values():
        if rel.reltype == RT_CUSTOM_PROPS and not rel.is_external:
            return rel.target_part
    return None


def _set_property(document, value: str) -> None:
    part = _custom_props(document)
    if part is None:
        root = etree.Element(f"{{{_CP}}}Properties", nsmap={None: _CP, "vt": _VT})
        part = Part(PackURI("/docProps/custom.xml"), CT_CUSTOM_PROPS, b"", document.part.package)
        document.part.package.relate_to(part, RT_CUSTOM_PROPS)
    else:
        root = etree.fromstring(part.blob)
    props = root.findall(f"{{{_CP}}}property")
    for prop in props:
        if prop.get("name") == PROPERTY:
            root.remove(prop)
    pids = [int(p.get("pid", "1")) for p in props]
    prop = etree.SubElement(root, f"{{{_CP}}}property")
    prop.set("fmtid", "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}")
    prop.set("pid", str(max(pids, default=1) + 1))
    prop.set("name", PROPERTY)
    etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
