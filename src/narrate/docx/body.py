"""word/document.xml from a blocks.Document: paragraphs, tables, sections, the TOC, the marks.

The body is built as lxml elements, not strings: marks are placed with the same functions the
merge uses (docx.marks), run and cell paragraphs come from one builder the merge reuses for the
text it inserts, and `narrate update` takes the new body as a tree without parsing it again.
Page geometry, styles and the TOC depth come from the profile; style keys are checked before
anything is written.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

from lxml import etree

from narrate.blocks import Block, Cell, Document, HeaderCell, PageBreak, Para, Run, Slot, Table
from narrate.docx import grid, marks, snapshot
from narrate.docx import widths as colwidths
from narrate.docx.marks import FIGURE_PREFIX, PARA_PREFIX, ROW_PREFIX, figure_key
from narrate.docx.ooxml import NSMAP, XML_SPACE, Ids, R_NS, mm, w
from narrate.docx.sections import TOC_SLOT, Section, sect_element, segments, text_width
from narrate.docx.styles import TABLE_STYLE_ID, style_ids

CELL_STYLE = {"left": "table_text", "center": "table_center", "right": "table_amount"}


class StyleError(ValueError):
    """A block names a style the profile does not define."""


@dataclass
class Writer:
    profile: dict[str, Any]
    styles: dict[str, str]
    names: marks.Names = field(default_factory=marks.Names)
    ids: Ids = field(default_factory=Ids)
    records: list[snapshot.Para | snapshot.Table] = field(default_factory=list)
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, anchor)
    entries: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # block index -> its TC entries
    anchors: dict[int, str] = field(default_factory=dict)  # block index -> TOC bookmark
    placed: dict[str, marks.Pair] = field(default_factory=dict)  # every bookmark written, by name
    _templates: dict[tuple, etree._Element] = field(default_factory=dict)

    def style(self, key: str) -> str:
        return self.styles[key]

    def copy(self, key: tuple, make) -> etree._Element:
        """Returns a copy of the element make() builds for key: copying a small tree is several
        times faster than building it again, and a document repeats a few shapes thousands of times."""
        template = self._templates.get(key)
        if template is None:
            template = self._templates[key] = make()
        return template.__copy__()  # lxml copies the whole subtree


def check_styles(doc: Document, profile: dict[str, Any]) -> None:
    """Raises StyleError naming every style key the document uses that the profile lacks."""
    known = set(profile["styles"])
    used = {b.style for b in doc.blocks if isinstance(b, Para)}
    missing = sorted(used - known)
    if missing:
        raise StyleError(f"styles not in the profile: {', '.join(missing)}; known: {', '.join(sorted(known))}")


def sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    """Appends a w: element with w: attributes to parent."""
    return etree.SubElement(parent, w(tag), {w(k): v for k, v in attrs.items()})


# -- runs and paragraphs -------------------------------------------------------------------------


def run(value: str, rpr: etree._Element | None = None) -> etree._Element:
    """Returns a w:r showing value (\\n as a line break, \\t as a tab), formatted by a copy of rpr."""
    r = etree.Element(w("r"))
    if rpr is not None:
        r.append(copy.deepcopy(rpr) if rpr.getparent() is not None else rpr)
    for i, line in enumerate(value.split("\n")):
        if i:
            sub(r, "br")
        for j, piece in enumerate(line.split("\t")):
            if j:
                sub(r, "tab")
            if piece:
                t = sub(r, "t")
                t.set(XML_SPACE, "preserve")
                t.text = piece
    return r


# Characters Unicode shares between Latin and Chinese typography (curly quotes, dashes, ellipsis,
# middle dot, ℃, ①, ≥, ★ …). Word and WPS draw them in the run's Latin font unless the run says
# it is East Asian text; in a Chinese document they belong to the Chinese font (“三公”, — 1 —).
_SHARED = re.compile("[\u00a7\u00a8\u00b0\u00b1\u00b7\u00d7\u00f7\u2010-\u206f\u2100-\u22ff\u2460-\u26ff]")


def east_asian(text: str) -> bool:
    """Tells whether a run showing text needs w:hint="eastAsia" to be drawn in its Chinese font."""
    return _SHARED.search(text) is not None


@dataclass(frozen=True)
class Fit:
    """What a paragraph's runs carry so that its lines break well: a slightly tighter spacing
    (twips a character, negative) or a smaller size (half-points); zero: as the style says."""

    spacing: int = 0
    size: int = 0


NO_FIT = Fit()


def _rpr(bold: bool, placeholder: bool, hint: bool = False, fit: Fit = NO_FIT) -> etree._Element | None:
    if not (bold or placeholder or hint or fit.spacing or fit.size):
        return None
    rpr = etree.Element(w("rPr"))
    if hint:
        sub(rpr, "rFonts", hint="eastAsia")
    if bold:
        sub(rpr, "b")
        sub(rpr, "bCs")
    if fit.spacing:  # CT_RPr's order: spacing, then sz/szCs, then highlight
        sub(rpr, "spacing", val=str(fit.spacing))
    if fit.size:
        sub(rpr, "sz", val=str(fit.size))
        sub(rpr, "szCs", val=str(fit.size))
    if placeholder:
        sub(rpr, "highlight", val="yellow")
    return rpr


def paragraph(style: str) -> etree._Element:
    """Returns an empty w:p in style (a Word style id)."""
    p = etree.Element(w("p"))
    sub(sub(p, "pPr"), "pStyle", val=style)
    return p


def _run(wr: Writer, value: str, bold: bool, placeholder: bool, fit: Fit = NO_FIT) -> etree._Element:
    hint = east_asian(value)
    if "\n" in value or "\t" in value or not value:
        return run(value, _rpr(bold, placeholder, hint, fit))
    el = wr.copy(("r", bold, placeholder, hint, fit), lambda: run("x", _rpr(bold, placeholder, hint, fit)))
    el[-1].text = value
    return el


def _runs(wr: Writer, p: etree._Element, container: str, runs: tuple[Run, ...], bold: bool = False,
          fit: Fit = NO_FIT) -> tuple[snapshot.Run, ...]:
    out = []
    for r in runs:
        el = _run(wr, r.text, bold, r.placeholder, fit)
        p.append(el)
        name = None
        if r.figure:
            name = wr.names.name(FIGURE_PREFIX, figure_key(container, r.figure))
            wr.placed[name] = marks.around(el, el, name, wr.ids)
        out.append(snapshot.Run(r.text, r.figure, name, r.placeholder))
    return tuple(out)


# What never starts a line's count of characters: a line of a comma and a full stop is no line.
_PUNCT = re.compile(r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2010-\u206f.,;:!?()'\"“”‘’]")
MAX_TIGHTEN_PT = 1.0  # the most a character's spacing is tightened by (a 16 pt text: 6 %)
IDEOGRAPHIC_SPACE = chr(0x3000)  # one em wide, as wrap() measures it
SHORT_EM = 2.5  # a last line this short (em) may hold one character when the document is laid out
MIN_FIT = 0.75  # the smallest share of its size a title is set in to stay on one line


def fit(text: str, spec: dict[str, Any], width_twips: int) -> Fit:
    """Returns how a paragraph of text in style spec should be set in a text block width_twips
    wide, by the line breaking Word and LibreOffice apply to Chinese (docx/widths.py): a
    centered title a little too long for one line is set smaller to stay on it (a title broken
    inside a word, 经济分/类, reads badly); a paragraph whose last line would hold a single
    character (秩/序。) is set a little tighter, so that the character joins the line above."""
    size = spec["size"]
    width_em = (width_twips / 20 - spec.get("left_pt", 0)) / size
    if not text or width_em <= 0:
        return NO_FIT
    natural = colwidths.natural_em(text)
    indent = IDEOGRAPHIC_SPACE * round(spec.get("indent_chars", 0))  # the first line's indent, one em a character
    lines = colwidths.wrap(indent + text, width_em)
    if len(lines) < 2:
        return NO_FIT
    if spec.get("align") == "center" and natural * MIN_FIT <= width_em:
        return Fit(size=int(2 * size * width_em / (natural + 0.5)))  # half-points, rounded down
    # The estimate is within an em or so of what the programs do: a last line of a few characters
    # may really be one, and a full one may really spill one over.
    last = colwidths.natural_em(lines[-1])
    # The programs fit a little more on a line than the estimate (digits and stops are narrower,
    # a closing stop may hang): a paragraph's error grows by about half an em a line.
    short = SHORT_EM + 0.5 * (len(lines) - 1)
    if len(_PUNCT.sub("", lines[-1])) <= 1 or last <= short:
        need_pt = (last + 0.5) * size  # the last line's width, and room to spare
    elif last >= width_em - SHORT_EM + 1:
        need_pt = SHORT_EM * size
    else:
        return NO_FIT
    tighten = need_pt / len(text)
    return Fit(spacing=-math.ceil(tighten * 20)) if tighten <= MAX_TIGHTEN_PT else NO_FIT


def para_element(wr: Writer, para: Para, index: int, break_before: bool = False, sect: etree._Element | None = None,
                 width: int | None = None) -> etree._Element:
    style = wr.style(para.style)
    p = wr.copy(("p", style), lambda: paragraph(style))
    ppr = p[0]
    if break_before:
        sub(ppr, "pageBreakBefore")
    if sect is not None:
        ppr.append(sect)
    name = wr.names.name(PARA_PREFIX, para.id)
    # Paragraph and TOC marks are points at the paragraph's start, not spans: LibreOffice adds an
    # empty line after a paragraph whose full last line is followed by a bookmark end.
    wr.placed[name] = marks.point(p, name, wr.ids)
    if index in wr.anchors:
        wr.placed[wr.anchors[index]] = start_end = marks.pair(wr.anchors[index], wr.ids)
        p.extend(start_end)
    spec = wr.profile["styles"][para.style]
    runs = _runs(wr, p, para.id, para.runs, fit=fit(para.text, spec, width) if width else NO_FIT)
    for level, entry in wr.entries.get(index, ()):
        p.extend(tc_field(level, entry))
    outline = wr.profile["styles"][para.style].get("outline")
    wr.records.append(snapshot.Para("p", para.id, para.style, name, para.text, runs, para.rule, outline))
    return p


# -- the table of contents -----------------------------------------------------------------------


def collect_toc(wr: Writer, blocks: tuple[Block, ...]) -> None:
    """Finds the headings the TOC lists and gives each a _Toc bookmark (what TOC \\h links to)."""
    levels = wr.profile["toc"]["levels"]
    for i, block in enumerate(blocks):
        if not isinstance(block, Para):
            continue
        if block.toc is not None:  # the entries the profile names for this paragraph
            entries = [(level, text) for level, text in block.toc if level in levels]
        else:
            outline = wr.profile["styles"][block.style].get("outline")
            entries = [(outline + 1, block.text)] if outline is not None and outline + 1 in levels else []
        if entries:
            anchor = f"_Toc{100000001 + len(wr.toc)}"
            wr.anchors[i] = anchor
            wr.entries[i] = entries
            wr.toc.extend((level, text, anchor) for level, text in entries)


def _field_char(p: etree._Element, kind: str) -> None:
    sub(sub(p, "r"), "fldChar", fldCharType=kind)


def tc_field(level: int, entry: str) -> list[etree._Element]:
    """Returns the runs of a TC field: the 目录 entry a paragraph contributes, in the words the
    profile gives it (一、单位收支总体情况表 for a title that reads 单位收支总体情况表), so that
    updating the TOC field (built from TC entries, \\f) in Word, WPS or LibreOffice gives the
    same 目录 as narrate wrote. A field without a result shows nothing; not formatted hidden
    (as Word formats the TC fields it inserts): LibreOffice's update leaves hidden ones out."""
    def fld(kind: str) -> etree._Element:
        r = etree.Element(w("r"))
        sub(r, "fldChar", fldCharType=kind)
        return r

    instr = etree.Element(w("r"))
    t = sub(instr, "instrText")
    t.set(XML_SPACE, "preserve")
    t.text = f' TC "{entry.replace(chr(34), chr(0x201D))}" \\l {level} '
    return [fld("begin"), instr, fld("end")]


def toc_elements(wr: Writer) -> list[etree._Element]:
    """Returns a TOC field whose result is already filled in: it reads right before any update.
    The field collects the TC entries (\\f) of the profile's levels (\\l), not the headings'
    outline levels: the 目录's wording is the profile's, and an update must not change it."""
    levels = wr.profile["toc"]["levels"]
    instr = f' TOC \\f \\l "{min(levels)}-{max(levels)}" \\h \\z \\n '

    def begin(p: etree._Element) -> None:
        _field_char(p, "begin")
        t = sub(sub(p, "r"), "instrText")
        t.set(XML_SPACE, "preserve")
        t.text = instr
        _field_char(p, "separate")

    out = []
    for i, (level, title, anchor) in enumerate(wr.toc):
        p = paragraph(wr.style(f"toc{level}"))
        if i == 0:
            begin(p)
        link = sub(p, "hyperlink", anchor=anchor, history="1")
        link.append(run(title, _rpr(False, False, east_asian(title))))
        out.append(p)
    if not out:
        p = etree.Element(w("p"))
        begin(p)
        out.append(p)
    end = etree.Element(w("p"))
    _field_char(end, "end")
    out.append(end)
    return out


# -- tables --------------------------------------------------------------------------------------


def _measured(profile: dict[str, Any], table: Table, ncols: int) -> list[colwidths.Cell]:
    """The table's cells as the width layout measures them, each in its style's size."""
    styles = profile["styles"]
    cells = []
    for k, row in enumerate(grid.walk([*table.header, *table.rows], lambda c: c.colspan, lambda c: c.rowspan, ncols)):
        header = k < len(table.header)
        for slot in row:
            if slot.cell is not None and slot.cell.text:
                style = "table_head" if header else CELL_STYLE.get(getattr(slot.cell, "align", "left"), "table_text")
                cells.append(colwidths.Cell(slot.col, slot.span, slot.cell.text, styles[style]["size"], header, k, slot.cell.rowspan))
    return cells


def _grid(wr: Writer, table: Table, ncols: int) -> list[int]:
    """Returns the columns' widths (twips): the profile's shares where it gives them (widths),
    else from what the columns hold (docx/widths.py)."""
    width = text_width(wr.profile, table.landscape)
    if len(table.widths) == ncols:
        cols = [int(width * r / sum(table.widths)) for r in table.widths]
        cols[-1] += width - sum(cols)
        return cols
    return colwidths.to_twips(colwidths.allocate(_measured(wr.profile, table, ncols), ncols, width / 20), width)


def oriented(blocks: tuple[Block, ...], profile: dict[str, Any]) -> tuple[Block, ...]:
    """Returns blocks with each table's orientation as the profile's page.landscape_rule says:
    "table", as each table's own landscape flag; "width", landscape exactly when the table's
    body does not fit the portrait text block on one line a cell (so two tables of one size
    turn alike, and a narrow one never takes a landscape page)."""
    if profile["page"].get("landscape_rule", "table") != "width":
        return blocks
    portrait = text_width(profile, False) / 20
    out = []
    for block in blocks:
        if isinstance(block, Table) and len(block.widths) != _ncols(block):
            ncols = _ncols(block)
            wide = ncols > 0 and colwidths.one_line_width(_measured(profile, block, ncols), ncols) > portrait
            block = replace(block, landscape=wide)
        out.append(block)
    return tuple(out)


def _ncols(table: Table) -> int:
    rows = table.header[:1] or table.rows[:1]
    return sum(c.colspan for c in rows[0]) if rows else 0


def _tc(wr: Writer, widths: list[int], slot: grid.Slot, vmerge: str, style: str | None) -> etree._Element:
    """Returns a w:tc for slot; with style, holding one empty paragraph in it."""
    width = str(sum(widths[slot.col : slot.col + slot.span]))

    def make() -> etree._Element:
        tc = etree.Element(w("tc"))
        props = sub(tc, "tcPr")
        sub(props, "tcW", w="0", type="dxa")
        if slot.span > 1:
            sub(props, "gridSpan", val=str(slot.span))
        if vmerge == "restart":
            sub(props, "vMerge", val="restart")
        elif vmerge:
            sub(props, "vMerge")
        sub(props, "vAlign", val="center")
        tc.append(paragraph(style) if style else etree.Element(w("p")))
        return tc

    tc = wr.copy(("tc", slot.span, vmerge, style), make)
    tc[0][0].set(w("w"), width)
    return tc


def _shape(wr: Writer, slot: grid.Slot, cell: Cell | HeaderCell, header: bool) -> tuple:
    """What a cell looks like but for its words."""
    if slot.covered:
        return ("covered", slot.span)
    return (slot.span, cell.rowspan > 1, _cell_style(wr, cell, header), cell.text.count("\n"))


def _row_element(wr: Writer, widths: list[int], slots: list, header: bool) -> etree._Element:
    """Returns a w:tr holding slots' cells, a paragraph for each line of a cell, and their words
    (no marks yet). The cells come from a template of the row's shape: a table repeats a few
    shapes many times."""
    shapes = tuple(_shape(wr, slot, cell, header) for slot, cell in slots)
    tr = wr.copy(("tr", tuple(widths), header, shapes), lambda: _build_row(wr, widths, slots, header))
    for (slot, cell), tc in zip(slots, tr[1:]):
        if slot.covered or not cell.text:
            continue
        bold = getattr(cell, "bold", False)
        for line, p in zip(cell.text.split("\n"), tc[1:]):
            if line:
                p.append(_run(wr, line, bold, False))
    return tr


def _build_row(wr: Writer, widths: list[int], slots: list, header: bool) -> etree._Element:
    tr = _row(wr, header)
    for slot, cell in slots:
        if slot.covered:
            tr.append(_tc(wr, widths, slot, "continue", None))
            continue
        tc = _tc(wr, widths, slot, "restart" if cell.rowspan > 1 else "", _cell_style(wr, cell, header))
        tc.extend(copy.deepcopy(tc[1]) for _ in range(cell.text.count("\n")))
        tr.append(tc)
    return tr


def _cell_style(wr: Writer, cell: Cell | HeaderCell, header: bool) -> str:
    return wr.style("table_head" if header else CELL_STYLE.get(getattr(cell, "align", "left"), "table_text"))


def _row(wr: Writer, header: bool) -> etree._Element:
    def make() -> etree._Element:
        tr = etree.Element(w("tr"))
        trpr = sub(tr, "trPr")
        sub(trpr, "cantSplit")
        if header:
            sub(trpr, "tblHeader")
        return tr

    return wr.copy(("tr", header), make)


def _row_mark(wr: Writer, tr: etree._Element, name: str) -> None:
    """Marks a body row in its first cell's first paragraph (a span over its content)."""
    first = tr[1].find(w("p"))
    content = [c for c in first if c.tag != _PPR]
    if content:
        wr.placed[name] = marks.around(content[0], content[-1], name, wr.ids)
    else:
        wr.placed[name] = marks.pair(name, wr.ids)
        first.extend(wr.placed[name])


_PPR = w("pPr")


def table_element(wr: Writer, table: Table) -> etree._Element:
    ncols = _ncols(table)
    widths = _grid(wr, table, ncols)
    tbl = etree.Element(w("tbl"))
    tblpr = sub(tbl, "tblPr")
    sub(tblpr, "tblStyle", val=TABLE_STYLE_ID)
    sub(tblpr, "tblW", w=str(sum(widths)), type="dxa")
    sub(tblpr, "jc", val="center")
    sub(tblpr, "tblLayout", type="fixed")
    sub(tblpr, "tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1", lastColumn="0", noHBand="0", noVBand="1")
    cols = sub(tbl, "tblGrid")
    for c in widths:
        sub(cols, "gridCol", w=str(c))
    nhead = len(table.header)
    header_rec, rows_rec = [], []
    walked = grid.walk([*table.header, *table.rows], lambda c: c.colspan, lambda c: c.rowspan, ncols)
    for k, walked_row in enumerate(walked):
        header = k < nhead
        empty = HeaderCell("") if header else Cell("")
        slots = [(slot, slot.cell if slot.cell is not None else empty) for slot in walked_row]
        tr = _row_element(wr, widths, slots, header)
        tbl.append(tr)
        rec = []
        for (slot, cell), tc in zip(slots, tr[1:]):
            if slot.covered:
                continue
            figure, name = getattr(cell, "figure", None), None
            if figure:
                name = wr.names.name(FIGURE_PREFIX, figure_key(table.id, figure))
                wr.placed[name] = marks.span(tc[1], tc[-1], name, wr.ids)  # the mark spans the cell's whole text
            rec.append(snapshot.Cell(cell.text, figure, name, cell.colspan, cell.rowspan))
        if header:
            header_rec.append(tuple(rec))
            continue
        rid = table.row_ids[k - nhead] if k - nhead < len(table.row_ids) else ""
        name = wr.names.name(ROW_PREFIX, f"{table.id}/{rid}") if rid and len(tr) > 1 else None
        if name:
            _row_mark(wr, tr, name)
        rows_rec.append(snapshot.Row(rid, tuple(rec), name))
    wr.records.append(snapshot.Table("table", table.id, tuple(rows_rec), tuple(header_rec), table.landscape))
    return tbl


# -- sections ------------------------------------------------------------------------------------


def _section_break(sect: etree._Element) -> etree._Element:
    # The paragraph that only carries a section break: as small as Word allows, so it never
    # pushes an empty page.
    p = etree.Element(w("p"))
    ppr = sub(p, "pPr")
    sub(ppr, "spacing", before="0", after="0", line="20", lineRule="exact")
    sub(sub(ppr, "rPr"), "sz", val="2")
    ppr.append(sect)
    return p


def _joint(above: etree._Element) -> etree._Element:
    """Returns the paragraph between two tables that read as one (a form and its indicators):
    Word joins adjacent tables into one, so a paragraph must part them; one point high, and
    keeping the table above on the page of the one below."""
    for p in above.iter(w("p")):
        ppr = p.find(w("pPr"))
        if ppr is not None and ppr.find(w("keepNext")) is None:
            ppr.insert(1, etree.Element(w("keepNext")))  # after pStyle, as CT_PPr orders them
    p = etree.Element(w("p"))
    ppr = sub(p, "pPr")
    sub(ppr, "keepNext")
    sub(ppr, "spacing", before="0", after="0", line="20", lineRule="exact")
    sub(sub(ppr, "rPr"), "sz", val="2")
    return p


def _page_break() -> etree._Element:
    p = etree.Element(w("p"))
    sub(sub(p, "r"), "br", type="page")
    return p


def document_element(doc: Document, profile: dict[str, Any]) -> tuple[etree._Element, list[snapshot.Para | snapshot.Table], dict[str, marks.Pair]]:
    """Returns the w:document element for doc, the snapshot record of every block written and
    every bookmark by name."""
    check_styles(doc, profile)
    wr = Writer(profile, style_ids(profile))
    blocks = oriented(doc.blocks, profile)
    collect_toc(wr, blocks)
    root = etree.Element(w("document"), nsmap=NSMAP)
    body = sub(root, "body")
    segs = segments(blocks)
    for s, (section, indexes) in enumerate(segs):
        sect = None if s == len(segs) - 1 else sect_element(profile, section)
        width = text_width(profile, section.landscape)
        pending_break = False
        for k, i in enumerate(indexes):
            block = blocks[i]
            is_last = k == len(indexes) - 1
            if isinstance(block, PageBreak):
                pending_break = not is_last  # a section break already starts a new page
                if is_last and sect is not None:
                    body.append(_section_break(sect))
                continue
            if isinstance(block, Para):
                body.append(para_element(wr, block, i, pending_break, sect if is_last else None, width))
            elif isinstance(block, Table):
                if pending_break:
                    body.append(_page_break())
                elif k and isinstance(blocks[indexes[k - 1]], Table):
                    body.append(_joint(body[-1]))
                body.append(table_element(wr, block))
                if is_last and sect is not None:
                    body.append(_section_break(sect))
            elif isinstance(block, Slot) and block.name == TOC_SLOT:
                body.extend(toc_elements(wr))
                if is_last and sect is not None:
                    body.append(_section_break(sect))
            elif isinstance(block, Slot):
                raise ValueError(f"slot {block.name!r} was not filled before writing")
            pending_break = False
    body.append(sect_element(profile, segs[-1][0] if segs else Section(False, "front")))
    return root, wr.records, wr.placed
