"""Page geometry: the document's sections, their margins and page numbers.

A document with a 目录 has three kinds of section: the front (the title page, unnumbered), the
目录 (numbered on its own, in the profile's format, or not at all) and the body (numbered from 1).
Each landscape table is a section of its own, on the sheet turned, its margins turned with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree

from narrate.blocks import Block, PageBreak, Para, Slot, Table
from narrate.docx.ooxml import R_NS, mm, w

TOC_SLOT = "toc"
FOOTER_DEFAULT_RID = "rIdFooterDefault"  # the page number (odd pages, or every page)
FOOTER_EMPTY_RID = "rIdFooterFirst"  # no number: the title page, an unnumbered 目录
FOOTER_EVEN_RID = "rIdFooterEven"  # the page number on even pages, where it sits elsewhere
MM_PER_PT = 25.4 / 72

Kind = Literal["front", "toc", "body"]


@dataclass(frozen=True)
class Section:
    landscape: bool
    kind: Kind
    restart: bool = False  # the body's first section: numbering starts again at 1


def margins(page: dict[str, Any], landscape: bool) -> dict[str, float]:
    """Returns a section's margins (mm). A landscape page is the portrait sheet turned, so each
    margin is the one of the portrait edge it lies along: with its top along the portrait
    page's left edge (landscape_top: left), top = left, right = top, bottom = right, left = bottom."""
    m = page["margins_mm"]
    if not landscape:
        return m
    if page.get("landscape_margins_mm"):
        return page["landscape_margins_mm"]
    if page.get("landscape_top", "left") == "left":
        return {"top": m["left"], "right": m["top"], "bottom": m["right"], "left": m["bottom"]}
    return {"top": m["right"], "left": m["top"], "bottom": m["left"], "right": m["bottom"]}


def text_width(profile: dict[str, Any], landscape: bool) -> int:
    """Returns the width of the text block (twips)."""
    page = profile["page"]
    w_, h = page["size_mm"]
    m = margins(page, landscape)
    return mm((h if landscape else w_) - m["left"] - m["right"])


def odd_even(profile: dict[str, Any]) -> bool:
    """Tells whether odd and even pages carry their numbers in different places."""
    page = profile["page"]
    return page.get("page_number_odd", "center") != page.get("page_number_even", "center")


def footer_distance(profile: dict[str, Any], bottom_mm: float) -> float:
    """Returns Word's footer distance (page edge to the footer's last line, mm) that puts the
    number's line page_number_gap_mm below the text block."""
    page = profile["page"]
    if page.get("footer_mm") is not None:
        return page["footer_mm"]
    style = profile["styles"]["footer"]
    line = (style.get("line_pt") or style["size"] * 1.3) * MM_PER_PT
    return max(0.0, bottom_mm - page.get("page_number_gap_mm", 7) - line)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


def sect_element(profile: dict[str, Any], section: Section) -> etree._Element:
    page = profile["page"]
    width, height = (str(mm(x)) for x in page["size_mm"])
    m = margins(page, section.landscape)
    toc_format = page.get("toc_page_numbers", "upperRoman")
    unnumbered = section.kind == "toc" and toc_format == "none"
    sect = etree.Element(w("sectPr"))
    rid = f"{{{R_NS}}}id"
    _sub(sect, "footerReference", type="default").set(rid, FOOTER_EMPTY_RID if unnumbered else FOOTER_DEFAULT_RID)
    if odd_even(profile):
        _sub(sect, "footerReference", type="even").set(rid, FOOTER_EMPTY_RID if unnumbered else FOOTER_EVEN_RID)
    if section.kind == "front":
        _sub(sect, "footerReference", type="first").set(rid, FOOTER_EMPTY_RID)
    _sub(sect, "type", val="nextPage")
    if section.landscape:
        _sub(sect, "pgSz", w=height, h=width, orient="landscape")
    else:
        _sub(sect, "pgSz", w=width, h=height)
    _sub(sect, "pgMar", top=str(mm(m["top"])), right=str(mm(m["right"])), bottom=str(mm(m["bottom"])), left=str(mm(m["left"])),
         header=str(mm(page.get("header_mm", 15))), footer=str(mm(footer_distance(profile, m["bottom"]))), gutter="0")
    if section.kind == "toc" and not unnumbered:
        _sub(sect, "pgNumType", fmt=toc_format, start="1")
    elif section.kind == "body":
        _sub(sect, "pgNumType", **({"fmt": "decimal", "start": "1"} if section.restart else {"fmt": "decimal"}))
    _sub(sect, "cols", space="425")
    if section.kind == "front":
        _sub(sect, "titlePg")
    _sub(sect, "docGrid", linePitch="312")
    return sect


def _kinds(blocks: tuple[Block, ...]) -> list[Kind]:
    """Each block's kind of section: before the 目录 (its title is a paragraph whose id starts
    with toc), the 目录 itself, the body. Without a 目录, the first section is the front one
    (its first page unnumbered) and numbering simply runs on."""
    slot = next((i for i, b in enumerate(blocks) if isinstance(b, Slot) and b.name == TOC_SLOT), None)
    if slot is None:
        return ["front"] * len(blocks)
    lo = slot
    while lo > 0 and isinstance(blocks[lo - 1], Para) and blocks[lo - 1].id.startswith("toc"):
        lo -= 1
    return ["front"] * lo + ["toc"] * (slot + 1 - lo) + ["body"] * (len(blocks) - slot - 1)


def segments(blocks: tuple[Block, ...]) -> list[tuple[Section, list[int]]]:
    """Splits block indexes into sections: the front, the 目录 and the body, and within them each
    landscape table in one of its own, with its captions (paragraphs just before it whose id
    starts with the table's id) and its note."""
    key: list[int | None] = [None] * len(blocks)
    for i, block in enumerate(blocks):
        if isinstance(block, Table) and block.landscape:
            prefix = block.id + "_"
            lo, hi = i, i
            while lo > 0 and isinstance(blocks[lo - 1], Para) and blocks[lo - 1].id.startswith(prefix):
                lo -= 1
            while hi + 1 < len(blocks) and isinstance(blocks[hi + 1], Para) and blocks[hi + 1].id.startswith(prefix):
                hi += 1
            for k in range(lo, hi + 1):
                key[k] = i
    kinds = _kinds(blocks)
    out: list[tuple[Section, list[int]]] = []
    previous: object = object()
    for i, (k, kind) in enumerate(zip(key, kinds)):
        if out and (k, kind) == previous:
            out[-1][1].append(i)
        else:
            out.append((Section(k is not None, kind), [i]))
        previous = (k, kind)
    # Page breaks alone between two sections would make an empty page: the section break
    # already starts a new one.
    kept = [seg for seg in out if not all(isinstance(blocks[i], PageBreak) for i in seg[1])]
    first_body = next((n for n, (s, _) in enumerate(kept) if s.kind == "body"), None)
    if first_body is not None:
        s, indexes = kept[first_body]
        kept[first_body] = (Section(s.landscape, s.kind, restart=True), indexes)
    return kept
