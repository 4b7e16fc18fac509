"""word/document.xml from a blocks.Document: paragraphs, tables, sections, the TOC, the marks.

Returns the XML and the snapshot of what was written (see marks.py). Page geometry, styles and
the TOC depth come from the profile; style keys are checked before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from narrate.blocks import Block, Cell, Document, HeaderCell, PageBreak, Para, Run, Slot, Table
from narrate.docx.marks import FIGURE_PREFIX, PARA_PREFIX, ROW_PREFIX, Marker, figure_key
from narrate.docx.ooxml import NS_DECL, XML_HEAD, attr, mm, text
from narrate.docx.styles import style_ids

FOOTER_DEFAULT_RID = "rIdFooterDefault"
FOOTER_FIRST_RID = "rIdFooterFirst"
TOC_SLOT = "toc"
CELL_STYLE = {"left": "table_text", "center": "table_center", "right": "table_amount"}


class StyleError(ValueError):
    """A block names a style the profile does not define."""


@dataclass
class Writer:
    profile: dict[str, Any]
    styles: dict[str, str]
    marker: Marker = field(default_factory=Marker)
    snapshot: list[dict[str, Any]] = field(default_factory=list)
    toc: list[tuple[int, str, str]] = field(default_factory=list)  # (level, text, anchor)
    anchors: dict[int, str] = field(default_factory=dict)  # block index -> TOC bookmark

    def style(self, key: str) -> str:
        return self.styles[key]


def check_styles(doc: Document, profile: dict[str, Any]) -> None:
    """Raises StyleError naming every style key the document uses that the profile lacks."""
    known = set(profile["styles"])
    used = {b.style for b in doc.blocks if isinstance(b, Para)}
    missing = sorted(used - known)
    if missing:
        raise StyleError(f"styles not in the profile: {', '.join(missing)}; known: {', '.join(sorted(known))}")


# -- runs and paragraphs -------------------------------------------------------------------------


def _t(value: str) -> str:
    out = []
    for i, line in enumerate(value.split("\n")):
        if i:
            out.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                out.append("<w:tab/>")
            if piece:
                out.append(f'<w:t xml:space="preserve">{text(piece)}</w:t>')
    return "".join(out)


def run_xml(run: Run, bold: bool = False) -> str:
    props = ("<w:b/><w:bCs/>" if bold else "") + ('<w:highlight w:val="yellow"/>' if run.placeholder else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f"<w:r>{rpr}{_t(run.text)}</w:r>"


def _bookmark(w: Writer, name: str, inner: str) -> str:
    n = w.marker.number()
    return f'<w:bookmarkStart w:id="{n}" w:name={attr(name)}/>{inner}<w:bookmarkEnd w:id="{n}"/>'


def _runs(w: Writer, container: str, runs: tuple[Run, ...], record: list, bold: bool = False) -> str:
    out = []
    for run in runs:
        entry: dict[str, Any] = {"text": run.text}
        if run.figure:
            name = w.marker.name(FIGURE_PREFIX, figure_key(container, run.figure))
            out.append(_bookmark(w, name, run_xml(run, bold)))
            entry.update(figure=run.figure, mark=name)
        else:
            out.append(run_xml(run, bold))
        if run.placeholder:
            entry["placeholder"] = True
        record.append(entry)
    return "".join(out)


def para_xml(w: Writer, para: Para, index: int, break_before: bool = False, sect: str = "") -> str:
    name = w.marker.name(PARA_PREFIX, para.id)
    runs: list[dict[str, Any]] = []
    inner = _runs(w, para.id, para.runs, runs)
    # Paragraph and TOC marks are points at the paragraph's start, not spans: LibreOffice adds an
    # empty line after a paragraph whose full last line is followed by a bookmark end.
    if index in w.anchors:
        inner = _bookmark(w, w.anchors[index], "") + inner
    ppr = f'<w:pStyle w:val="{w.style(para.style)}"/>' + ("<w:pageBreakBefore/>" if break_before else "") + sect
    w.snapshot.append({"type": "p", "id": para.id, "style": para.style, "rule": para.rule, "mark": name, "text": para.text, "runs": runs})
    return f"<w:p><w:pPr>{ppr}</w:pPr>{_bookmark(w, name, '')}{inner}</w:p>"


# -- the table of contents -----------------------------------------------------------------------


def collect_toc(w: Writer, blocks: tuple[Block, ...]) -> None:
    """Finds the headings the TOC lists and gives each a _Toc bookmark (what TOC \\h links to)."""
    levels = w.profile["toc"]["levels"]
    for i, block in enumerate(blocks):
        if not isinstance(block, Para):
            continue
        if block.toc is not None:  # the entries the profile names for this paragraph
            entries = [(level, text) for level, text in block.toc if level in levels]
        else:
            outline = w.profile["styles"][block.style].get("outline")
            entries = [(outline + 1, block.text)] if outline is not None and outline + 1 in levels else []
        if entries:
            anchor = f"_Toc{100000001 + len(w.toc)}"
            w.anchors[i] = anchor
            w.toc.extend((level, text, anchor) for level, text in entries)


def toc_xml(w: Writer) -> str:
    """Returns a TOC field whose result is already filled in: it reads right before any update."""
    levels = w.profile["toc"]["levels"]
    instr = f' TOC \\o "{min(levels)}-{max(levels)}" \\h \\z \\u \\n '
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{text(instr)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    out = []
    for i, (level, title, anchor) in enumerate(w.toc):
        link = f'<w:hyperlink w:anchor="{anchor}" w:history="1"><w:r><w:t xml:space="preserve">{text(title)}</w:t></w:r></w:hyperlink>'
        out.append(f'<w:p><w:pPr><w:pStyle w:val="{w.style(f"toc{level}")}"/></w:pPr>{begin if i == 0 else ""}{link}</w:p>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not out:
        out.append(f"<w:p>{begin}</w:p>")
    out.append(f"<w:p>{end}</w:p>")
    return "".join(out)


# -- tables --------------------------------------------------------------------------------------


def _grid(w: Writer, table: Table, ncols: int) -> list[int]:
    width = text_width(w.profile, table.landscape)
    rel = list(table.widths) if len(table.widths) == ncols else [1.0] * ncols
    cols = [int(width * r / sum(rel)) for r in rel]
    cols[-1] += width - sum(cols)
    return cols


def _ncols(table: Table) -> int:
    rows = table.header[:1] or table.rows[:1]
    return sum(c.colspan for c in rows[0]) if rows else 0


def _tc(w: Writer, grid: list[int], col: int, span: int, vmerge: str, paras: str) -> str:
    props = f'<w:tcW w:w="{sum(grid[col:col + span])}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"


def _cell_paras(w: Writer, table: Table, cell: Cell | HeaderCell, header: bool, record: dict) -> str:
    style = w.style("table_head" if header else CELL_STYLE.get(getattr(cell, "align", "left"), "table_text"))
    bold = getattr(cell, "bold", False)
    lines = cell.text.split("\n")
    body = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run_xml(Run(line), bold) if line else ""}</w:p>' for line in lines
    )
    figure = getattr(cell, "figure", None)
    if figure:
        name = w.marker.name(FIGURE_PREFIX, figure_key(table.id, figure))
        n = w.marker.number()
        # The mark spans the cell's whole text, from its first paragraph to its last.
        first_end = body.index("</w:pPr>") + len("</w:pPr>")
        body = body[:first_end] + f'<w:bookmarkStart w:id="{n}" w:name={attr(name)}/>' + body[first_end:]
        body = body[: -len("</w:p>")] + f'<w:bookmarkEnd w:id="{n}"/></w:p>'
        record.update(figure=figure, mark=name)
    return body


def _mark_first_paragraph(tc: str, name: str, n: int) -> str:
    """Returns the cell XML with a row mark around its first paragraph's content."""
    start = tc.index("<w:p>") if "<w:p>" in tc else tc.index("<w:p/>")
    if tc.startswith("<w:p/>", start):
        return tc[:start] + f'<w:p><w:bookmarkStart w:id="{n}" w:name={attr(name)}/><w:bookmarkEnd w:id="{n}"/></w:p>' + tc[start + 6 :]
    head = tc.index("</w:pPr>", start) + len("</w:pPr>")
    end = tc.index("</w:p>", head)
    return tc[:head] + f'<w:bookmarkStart w:id="{n}" w:name={attr(name)}/>' + tc[head:end] + f'<w:bookmarkEnd w:id="{n}"/>' + tc[end:]


def table_xml(w: Writer, table: Table) -> str:
    ncols = _ncols(table)
    grid = _grid(w, table, ncols)
    covered, spans = [0] * ncols, [1] * ncols
    rows_xml, header_rec, rows_rec = [], [], []
    all_rows = [(r, True, "") for r in table.header] + [
        (r, False, table.row_ids[i] if i < len(table.row_ids) else "") for i, r in enumerate(table.rows)
    ]
    for cells, header, rid in all_rows:
        out, queue, col, rec = [], list(cells), 0, []
        while col < ncols:
            if covered[col]:
                covered[col] -= 1
                out.append(_tc(w, grid, col, spans[col], "continue", "<w:p/>"))
                col += spans[col]
                continue
            cell = queue.pop(0) if queue else (HeaderCell("") if header else Cell(""))
            span = min(cell.colspan, ncols - col)
            entry: dict[str, Any] = {"text": cell.text}
            if cell.colspan > 1:
                entry["colspan"] = cell.colspan
            if cell.rowspan > 1:
                entry["rowspan"] = cell.rowspan
                covered[col], spans[col] = cell.rowspan - 1, span
            paras = _cell_paras(w, table, cell, header, entry)
            out.append(_tc(w, grid, col, span, "restart" if cell.rowspan > 1 else "", paras))
            rec.append(entry)
            col += span
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else "<w:trPr><w:cantSplit/></w:trPr>"
        row: dict[str, Any] = {"id": rid, "cells": rec}
        if not header and rid and out:
            row["mark"] = w.marker.name(ROW_PREFIX, f"{table.id}/{rid}")
            out[0] = _mark_first_paragraph(out[0], row["mark"], w.marker.number())
        rows_xml.append(f"<w:tr>{trpr}{''.join(out)}</w:tr>")
        (header_rec if header else rows_rec).append(rec if header else row)
    w.snapshot.append({"type": "table", "id": table.id, "landscape": table.landscape, "header": header_rec, "rows": rows_rec})
    tblpr = (
        f'<w:tblPr><w:tblStyle w:val="NarrateTable"/><w:tblW w:w="{sum(grid)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
    )
    cols = "".join(f'<w:gridCol w:w="{c}"/>' for c in grid)
    return f"<w:tbl>{tblpr}<w:tblGrid>{cols}</w:tblGrid>{''.join(rows_xml)}</w:tbl>"


# -- sections ------------------------------------------------------------------------------------


def text_width(profile: dict[str, Any], landscape: bool) -> int:
    page = profile["page"]
    w, h = page["size_mm"]
    margins = page["landscape_margins_mm"] if landscape else page["margins_mm"]
    return mm((h if landscape else w) - margins["left"] - margins["right"])


def sect_xml(profile: dict[str, Any], landscape: bool, first: bool) -> str:
    page = profile["page"]
    w, h = (mm(x) for x in page["size_mm"])
    m = page["landscape_margins_mm"] if landscape else page["margins_mm"]
    size = f'<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape"/>' if landscape else f'<w:pgSz w:w="{w}" w:h="{h}"/>'
    footers = f'<w:footerReference w:type="default" r:id="{FOOTER_DEFAULT_RID}"/>'
    if first:
        footers += f'<w:footerReference w:type="first" r:id="{FOOTER_FIRST_RID}"/>'
    return (
        f'<w:sectPr>{footers}<w:type w:val="nextPage"/>{size}'
        f'<w:pgMar w:top="{mm(m["top"])}" w:right="{mm(m["right"])}" w:bottom="{mm(m["bottom"])}" w:left="{mm(m["left"])}" '
        f'w:header="{mm(page["header_mm"])}" w:footer="{mm(page["footer_mm"])}" w:gutter="0"/>'
        f'<w:cols w:space="425"/>{"<w:titlePg/>" if first else ""}<w:docGrid w:linePitch="312"/></w:sectPr>'
    )


def segments(blocks: tuple[Block, ...]) -> list[tuple[bool, list[int]]]:
    """Splits block indexes into sections: each landscape table gets one of its own, with its
    captions (paragraphs just before it whose id starts with the table's id) and its note."""
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
    out: list[tuple[bool, list[int]]] = []
    previous: object = object()
    for i, k in enumerate(key):
        if out and k == previous:
            out[-1][1].append(i)
        else:
            out.append((k is not None, [i]))
        previous = k
    # Page breaks alone between two sections would make an empty page: the section break
    # already starts a new one.
    return [seg for seg in out if not all(isinstance(blocks[i], PageBreak) for i in seg[1])]


def document_xml(doc: Document, profile: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """Returns word/document.xml for doc and the snapshot of every block written."""
    check_styles(doc, profile)
    w = Writer(profile, style_ids(profile))
    blocks = doc.blocks
    collect_toc(w, blocks)
    parts: list[str] = []
    segs = segments(blocks)
    for s, (landscape, indexes) in enumerate(segs):
        last_seg = s == len(segs) - 1
        sect = "" if last_seg else sect_xml(profile, landscape, first=s == 0)
        pending_break = False
        for k, i in enumerate(indexes):
            block = blocks[i]
            is_last = k == len(indexes) - 1
            if isinstance(block, PageBreak):
                pending_break = not is_last  # a section break already starts a new page
                if is_last and sect:
                    parts.append(f'<w:p><w:pPr>{_tiny()}{sect}</w:pPr></w:p>')
                continue
            if isinstance(block, Para):
                parts.append(para_xml(w, block, i, pending_break, sect if is_last else ""))
            elif isinstance(block, Table):
                if pending_break:
                    parts.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                parts.append(table_xml(w, block))
                if is_last and sect:
                    parts.append(f'<w:p><w:pPr>{_tiny()}{sect}</w:pPr></w:p>')
            elif isinstance(block, Slot) and block.name == TOC_SLOT:
                parts.append(toc_xml(w))
                if is_last and sect:
                    parts.append(f'<w:p><w:pPr>{_tiny()}{sect}</w:pPr></w:p>')
            elif isinstance(block, Slot):
                raise ValueError(f"slot {block.name!r} was not filled before writing")
            pending_break = False
    final = sect_xml(profile, segs[-1][0] if segs else False, first=len(segs) <= 1)
    body = "".join(parts) + final
    return f"{XML_HEAD}<w:document {NS_DECL}><w:body>{body}</w:body></w:document>", w.snapshot


def _tiny() -> str:
    # The paragraph that only carries a section break: as small as Word allows, so it never
    # pushes an empty page.
    return '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr>'
