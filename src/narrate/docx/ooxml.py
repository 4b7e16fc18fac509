"""WordprocessingML vocabulary shared by the writer's modules: namespaces, escaping, units."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_DECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

TWIPS_PER_MM = 1440 / 25.4


def text(value: str) -> str:
    """Returns value escaped for element content."""
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
