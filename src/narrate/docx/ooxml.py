"""The OOXML vocabulary the writer and `narrate update` share: one namespace table, element
names, xpath, escaping for the fixed parts, units, and the one allocator of w:id numbers."""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "ds": "http://schemas.openxmlformats.org/officeDocument/2006/customXml",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "xml": "http://www.w3.org/XML/1998/namespace",
}
W_NS, R_NS = NS["w"], NS["r"]
# Relationship types (officeDocument/2006/relationships/<kind>) and content types (…wordprocessingml.<kind>+xml).
REL_TYPE = NS["r"] + "/"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
NSMAP = {"w": W_NS, "r": R_NS}  # what word/document.xml declares
NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XML_SPACE = f"{{{NS['xml']}}}space"

TWIPS_PER_MM = 1440 / 25.4


def w(tag: str) -> str:
    """Returns the Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


@lru_cache(maxsize=128)
def _compiled(expr: str) -> etree.XPath:
    return etree.XPath(expr, namespaces=NS)


def xpath(el: etree._Element, expr: str) -> list:
    """Evaluates expr with the prefixes of NS."""
    return _compiled(expr)(el)


def parse(blob: bytes) -> etree._Element:
    """Returns the root of an XML part someone else may have written: no entities expanded, no
    network, no size limit (a long document is a big part)."""
    return etree.fromstring(blob, _PARSER)


_PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def serialize(root: etree._Element) -> bytes:
    """Returns a part's bytes: the standalone declaration Word writes, then the tree in UTF-8."""
    return XML_HEAD.encode() + etree.tostring(root, encoding="UTF-8")


class Ids:
    """Hands out w:id numbers. Bookmarks, revisions and comments draw from this one counter, so
    no two of them share an id (Word rejects a document where they do; LibreOffice tolerates it)."""

    def __init__(self, start: int = 1) -> None:
        self._next = start

    @classmethod
    def above(cls, *roots: etree._Element | None) -> Ids:
        """Returns an allocator whose ids are above every w:id already used in roots."""
        used = [int(v) for root in roots if root is not None for v in xpath(root, "//@w:id") if v.isdigit()]
        return cls(max(used, default=0) + 1)

    def take(self) -> str:
        self._next += 1
        return str(self._next - 1)


def text(value: str) -> str:
    """Returns value escaped for element content (the fixed parts written as text)."""
    return escape(value)


def attr(value: str) -> str:
    """Returns value quoted and escaped for an attribute."""
    return quoteattr(value)


def mm(value: float) -> int:
    """Returns millimetres as twips (1/20 pt), the unit of page and table geometry."""
    return round(value * TWIPS_PER_MM)


def half_points(pt: float) -> int:
    return round(pt * 2)


def twips(pt: float) -> int:
    return round(pt * 20)
