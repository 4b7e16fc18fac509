"""Reads a workbook (.xlsx) into the tree the YAML loader makes, remembering each value's cell.

The layout is sheets.py's. openpyxl reads the values (read-only, cached results of formulas);
one pass over each sheet's XML finds what read-only mode does not tell: merged ranges (a merged
header names every column under it; a merged 口径 or 项目 cell covers every row under it) and
formulas that were never calculated (a workbook saved by a program that does not compute them).
Numbers become Decimals from the value Excel shows in General format, at most 15 significant
digits, so binary residue (473.87000000000006) never reaches a figure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from narrate import model, sheets, zipbound
from narrate.load import bounds
from narrate.load.kinds import OLD_SUFFIX
from narrate.load.yaml_file import ReadError
from narrate.messages import listing, say
from narrate.problems import CellRef
from narrate.sheets import Column, FieldsSheet, Kind, RowsSheet

MAX_BYTES = 20 * 1024 * 1024
MAX_CELLS = 200_000  # cells holding a value, all sheets together
# What a workbook may hold as read (docs/input-format.md, 输入的上限), checked while the XML
# streams by, before openpyxl or the tree holds any of it: a sheet's rows (formatted empty ones
# too: openpyxl walks every one), its cell elements, and the cells openpyxl makes up to fill the
# gaps of a row (a lone cell at XFD1 is 16,384 cells to it).
ZIP_LIMITS = zipbound.Limits(parts=500, part=64 * 1024 * 1024, total=256 * 1024 * 1024,
                             streamed=("xl/worksheets/", "xl/sharedStrings.xml"), whole=8 * 1024 * 1024)
MAX_ROWS = 20_000  # rows of one sheet: 5,000 items (bounds.MAX_ITEMS) of up to three rows, and room
MAX_CELL_ELEMENTS = 1_000_000  # <c> elements of all sheets, empty formatted ones included
MAX_POSITIONS = 2_000_000  # cells openpyxl walks: each row up to its last cell
MAX_SHARED = MAX_CELLS  # shared strings: no more than there may be cells to use them
MAX_SHARED_TEXT = 32_767  # characters of one shared string: Excel's own limit for a cell
MAX_SHARED_CHARS = 20_000_000  # characters of all shared strings
MAX_STYLES = 65_000  # fonts, fills, borders, formats and cell styles: Excel stops at 64,000 formats
_HEADER_ROWS = 20  # a header is looked for this far down (title rows, the unit line above it)
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file: an old .xls, or an encrypted workbook
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# ASCII digits only: full-width ones (４７３.８７) stay text, for validation to refuse as in YAML.
_PLAIN = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?")  # 1,234,567.89: thousands separators


@dataclass(frozen=True)
class ExcelDoc:
    """A read workbook: its display name, the tree, and the cell of every path in the tree."""

    name: str
    tree: dict
    cells: dict[tuple, CellRef] = field(repr=False)

    def line(self, path: tuple[str | int, ...]) -> CellRef | None:
        """Returns the cell of path, or of its deepest part that has one (the same question
        YamlDoc.line answers with a line)."""
        for n in range(len(path), -1, -1):
            found = self.cells.get(tuple(path[:n]))
            if found is not None:
                return found
        return None


# -- the file ------------------------------------------------------------------------------------


def read(path: Path, name: str | None = None) -> ExcelDoc:
    """Returns the workbook's tree; raises ReadError (placed at a cell where there is one) for a
    file that is not a readable .xlsx or does not have the layout."""
    name = name or str(path)
    try:
        if not path.exists():
            raise ReadError("file_missing")
        if path.is_dir():
            raise ReadError("file_is_dir")
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ReadError("file_unreadable", reason=exc.strerror) from None
    if head == _CFB:
        raise ReadError(_ole_kind(path))
    if path.suffix.lower() == OLD_SUFFIX or not zipfile.is_zipfile(path):
        raise ReadError("xlsx_not_workbook")
    if size > MAX_BYTES:
        raise ReadError("xlsx_too_big", limit=MAX_BYTES // (1024 * 1024))
    try:
        with zipfile.ZipFile(path) as archive:
            zipbound.inspect(archive, ZIP_LIMITS)
            scans = _scan(archive)
        grids = _grids(path, scans)
    except ReadError:
        raise
    except zipbound.Refused as exc:
        raise ReadError(exc.key, **exc.params) from None
    except Exception:  # noqa: BLE001 - a damaged archive fails in zipfile, lxml or openpyxl alike
        raise ReadError("xlsx_not_workbook") from None
    return _Reader(grids).doc(name)


def _ole_kind(path: Path) -> str:
    # Excel keeps a password-protected workbook as an OLE file holding the encrypted package;
    # an old .xls is an OLE file holding a Workbook (or Book) stream.
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptedPackage"):
                return "xlsx_encrypted"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "xlsx_old_xls"
    except OSError:
        pass
    return "xlsx_not_workbook"


@dataclass
class _Scan:
    """What read-only openpyxl does not tell about a sheet."""

    known: str = ""  # the sheet of sheets.py it is ("收入 " is 收入)
    merged: list[str] = field(default_factory=list)
    uncalculated: list[str] = field(default_factory=list)


def _scan(archive: zipfile.ZipFile) -> dict[str, _Scan]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    book = etree.fromstring(zipbound.read(archive, "xl/workbook.xml", ZIP_LIMITS.of("xl/workbook.xml")), parser)
    rels = etree.fromstring(zipbound.read(archive, "xl/_rels/workbook.xml.rels", ZIP_LIMITS.of("xl/_rels/")), parser)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    kinds = {r.get("Type", "").rsplit("/", 1)[-1]: _part(r.get("Target", "")) for r in rels.iter(f"{{{_PKG_REL}}}Relationship")}
    names = set(archive.namelist())
    if kinds.get("sharedStrings") in names:
        _count_shared(archive, kinds["sharedStrings"])
    if kinds.get("styles") in names:
        _count_styles(archive, kinds["styles"])
    out: dict[str, _Scan] = {}
    counted = _Counted()
    listed = [(index, sheet.get("name") or "", sheet) for index, sheet in enumerate(book.iter(f"{{{_MAIN}}}sheet"))]
    known = _known_sheets(listed)
    for index, name, sheet in listed:
        if name not in known:
            continue
        part = _part(targets.get(sheet.get(f"{{{_REL}}}id"), ""))
        scan = out[name] = _Scan(known[name])
        _scan_sheet(archive, part, name, index, scan, counted)
    return out


_BY_HEADER = {}  # a sheet's name as compared (header_text) -> its name; filled on first use


def _known_sheets(listed: list[tuple[int, str, Any]]) -> dict[str, str]:
    """Returns the workbook's sheets narrate reads: their names -> the name in sheets.py. A name
    differing only in spaces or full-width forms ("收入 ") is that sheet; two such are refused. A
    sheet of another name holding the name of a sheet the book lacks ("收入表" with no 收入) is
    refused too: read as the officer's own, its figures would be dropped without a word."""
    if not _BY_HEADER:
        _BY_HEADER.update({header_text(s.name): s.name for s in sheets.SHEETS})
    out: dict[str, str] = {}
    where: dict[str, tuple[int, str]] = {}
    for index, name, _ in listed:
        found = _BY_HEADER.get(header_text(name))
        if found is None:
            continue
        if found in where:
            raise ReadError("xlsx_sheet_twice", line=_sheet_ref(name, index), sheet=found, other=where[found][1])
        where[found] = (index, name)
        out[name] = found
    for index, name, _ in listed:
        if name in out:
            continue
        text = header_text(name)
        absent = [s.name for s in sheets.SHEETS if s.name not in where and header_text(s.name) in text]
        if absent:
            sheet = max(absent, key=len)
            raise ReadError("xlsx_sheet_like", line=_sheet_ref(name, index), name=name, sheet=sheet)
    return out


def _part(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _events(archive: zipfile.ZipFile, part: str, tags: tuple[str, ...]):
    # The part's stream is closed however the reading ends: an open one keeps the workbook's
    # file open after the archive is closed (a refusal mid-part would leave it to the collector).
    with archive.open(part) as raw:
        yield from etree.iterparse(zipbound.Bounded(raw, part, ZIP_LIMITS.of(part)), events=("end",), tag=tags,
                                   resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class _Counted:
    cells: int = 0
    positions: int = 0


def _scan_sheet(archive: zipfile.ZipFile, part: str, name: str, index: int, scan: _Scan, counted: _Counted) -> None:
    from openpyxl.utils import coordinate_to_tuple

    rows, row_end = 0, 0
    for _, el in _events(archive, part, (f"{{{_MAIN}}}c", f"{{{_MAIN}}}row", f"{{{_MAIN}}}mergeCell")):
        tag = el.tag.rsplit("}", 1)[1]
        if tag == "mergeCell":
            scan.merged.append(el.get("ref"))
        elif tag == "c":
            counted.cells += 1
            if counted.cells > MAX_CELL_ELEMENTS:
                raise ReadError("xlsx_too_many_cell_elements", line=_sheet_ref(name, index), limit=MAX_CELL_ELEMENTS)
            ref = el.get("r")
            if ref:
                try:
                    row_end = max(row_end, coordinate_to_tuple(ref)[1])
                except ValueError:
                    pass
            else:
                row_end += 1  # a cell without its reference stands after the one before
            if el.find(f"{{{_MAIN}}}f") is not None and _uncalculated(el):
                scan.uncalculated.append(ref)
            el.clear()
        else:  # the end of a row: its cells are counted
            rows += 1
            if rows > MAX_ROWS:
                raise ReadError("xlsx_too_many_rows", line=_sheet_ref(name, index), sheet=name, limit=MAX_ROWS)
            counted.positions += row_end
            if counted.positions > MAX_POSITIONS:
                raise ReadError("xlsx_too_wide", line=_sheet_ref(name, index), sheet=name)
            row_end = 0
            el.clear()
            while el.getprevious() is not None:  # the rows already read: iterparse keeps them
                del el.getparent()[0]


def _sheet_ref(name: str, index: int) -> CellRef:
    return CellRef(name, None, (index,))


def _count_shared(archive: zipfile.ZipFile, part: str) -> None:
    count = chars = 0
    for _, el in _events(archive, part, (f"{{{_MAIN}}}si",)):
        count += 1
        if count > MAX_SHARED:
            raise ReadError("xlsx_too_many_strings", limit=MAX_SHARED)
        length = sum(len(t.text or "") for t in el.iter(f"{{{_MAIN}}}t"))
        if length > MAX_SHARED_TEXT:
            raise ReadError("yaml_text_too_long", length=length, limit=bounds.MAX_TEXT)
        chars += length
        if chars > MAX_SHARED_CHARS:
            raise ReadError("xlsx_too_much_text", limit=MAX_SHARED_CHARS)
        el.clear()
        while el.getprevious() is not None:
            del el.getparent()[0]


_STYLE_TAGS = tuple(f"{{{_MAIN}}}{t}" for t in ("xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"))


def _count_styles(archive: zipfile.ZipFile, part: str) -> None:
    count = 0
    for _, el in _events(archive, part, _STYLE_TAGS):
        count += 1
        if count > MAX_STYLES:
            raise ReadError("xlsx_too_many_styles", limit=MAX_STYLES)
        el.clear()


def _uncalculated(cell) -> bool:
    # A calculated formula keeps its result in <v>; an empty one is a result only as text ("").
    value = cell.find(f"{{{_MAIN}}}v")
    return value is None or (not value.text and cell.get("t") != "str")


@dataclass
class _Grid:
    """One sheet's non-empty cells: (row, column) -> (value, number format), merged ranges."""

    name: str
    index: int
    cells: dict[tuple[int, int], tuple[Any, str]]
    covered: dict[tuple[int, int], tuple[int, int]]  # a merged cell -> its range's top-left

    def ref(self, row: int, col: int | None = None) -> CellRef:
        from openpyxl.utils import get_column_letter

        if col is None:
            return CellRef(self.name, None, (self.index,))
        return CellRef(self.name, f"{get_column_letter(col)}{row}", (self.index, row, col))

    def get(self, row: int, col: int, merged: bool = False) -> Any:
        if merged and (row, col) in self.covered:
            row, col = self.covered[(row, col)]
        found = self.cells.get((row, col))
        return found[0] if found else None

    def format(self, row: int, col: int) -> str:
        found = self.cells.get((row, col))
        return found[1] if found else "General"

    def row(self, row: int, merged: bool = False) -> dict[int, Any]:
        cols = self._by_row.get(row, set()) | (self._covered_by_row.get(row, set()) if merged else set())
        out = {c: self.get(row, c, merged) for c in sorted(cols)}
        return {c: v for c, v in out.items() if _blank(v) is False}

    def by_rows(self) -> None:
        """Indexes the cells by row, once they are all read."""
        self._by_row: dict[int, set[int]] = {}
        self._covered_by_row: dict[int, set[int]] = {}
        for (r, c) in self.cells:
            self._by_row.setdefault(r, set()).add(c)
        for (r, c) in self.covered:
            self._covered_by_row.setdefault(r, set()).add(c)
        self.last_row = max(self._by_row, default=0)


def _grids(path: Path, scans: dict[str, _Scan]) -> dict[str, _Grid]:
    # openpyxl is imported when a workbook is read: a YAML input does not wait for it.
    from openpyxl import load_workbook

    # The file is opened here, not by openpyxl: a workbook openpyxl fails to load would leave
    # openpyxl's own handle to the garbage collector.
    with path.open("rb") as handle:
        return _grids_of(load_workbook(handle, read_only=True, data_only=True, keep_links=False), scans)


def _grids_of(book, scans: dict[str, _Scan]) -> dict[str, _Grid]:
    from openpyxl.utils import range_boundaries

    try:
        grids, count = {}, 0
        for index, ws in enumerate(book.worksheets):
            if ws.title not in scans:
                continue
            scan = scans[ws.title]
            grid = _Grid(ws.title, index, {}, {})
            if scan.uncalculated:
                from openpyxl.utils import coordinate_to_tuple

                row, col = coordinate_to_tuple(scan.uncalculated[0])
                raise ReadError("xlsx_uncalculated", line=grid.ref(row, col), cell=f"{ws.title}!{scan.uncalculated[0]}")
            for ref in scan.merged:
                c0, r0, c1, r1 = range_boundaries(ref)
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if (r, c) != (r0, c0):
                            grid.covered[(r, c)] = (r0, c0)
            ws.reset_dimensions()  # some programs write a wrong <dimension>; read every row there is
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                        continue
                    if cell.data_type == "e":  # #REF!, #DIV/0!: a formula that failed has no figure
                        raise ReadError("xlsx_formula_error", line=grid.ref(cell.row, cell.column), error=str(cell.value),
                                        cell=f"{ws.title}!{grid.ref(cell.row, cell.column).cell}")
                    value = _text(cell.value, grid.ref(cell.row, cell.column)) if isinstance(cell.value, str) else cell.value
                    grid.cells[(cell.row, cell.column)] = (value, cell.number_format or "General")
                    count += 1
                    if count > MAX_CELLS:
                        raise ReadError("xlsx_too_many_cells", limit=MAX_CELLS)
            grid.by_rows()
            grids[scan.known] = grid
        return grids
    finally:
        book.close()


# -- cell values ---------------------------------------------------------------------------------


def _text(value: str, ref: CellRef) -> str:
    """Returns a cell's text with Office's escapes (_x0007_) decoded; refuses a text longer than
    a YAML input may hold, or one with a control character."""
    from openpyxl.utils.escape import unescape

    value = unescape(value)
    if len(value) > bounds.MAX_TEXT:
        raise ReadError("yaml_text_too_long", line=ref, length=len(value), limit=bounds.MAX_TEXT)
    found = bounds.CONTROL.search(value)
    if found:
        raise ReadError("xlsx_control_char", line=ref, char=f"U+{ord(found.group()):04X}")
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(number: float | int) -> Decimal:
    # Excel keeps 15 significant digits and shows no more in General format.
    if isinstance(number, int):
        return Decimal(number)
    return Decimal(format(number, ".15g"))


def _plain(number: Decimal) -> int | Decimal:
    return int(number) if number == number.to_integral_value() and "E" not in str(number) else number


def key_text(value: Any) -> str:
    """Returns a header, label or choice as a key: no spaces or line breaks (a wrapped header)."""
    if isinstance(value, float):
        value = _plain(_shown(value))
    return "".join(str(value).split())


def header_text(value: Any) -> str:
    """Returns a column header or sheet name as compared: a key (key_text) in NFKC form, so that
    full-width letters, parentheses and colons (（万元）, 单位：) count as their plain forms."""
    return key_text(unicodedata.normalize("NFKC", key_text(value)))


def is_remark(header: str) -> bool:
    """True for a column of the officer's own notes (备注, 备注2): never read."""
    return header.startswith(sheets.REMARK)


_CODE_NAMED = re.compile(r"(\d+)\s+\S.*")


def value_of(value: Any, kind: Kind, number_format: str = "General") -> Any:
    """Returns a cell value as the tree holds it: numbers as int or Decimal (text numbers with
    thousands separators too), codes and texts as str. A value that is none of what the column
    holds is passed on as it is, for validation to refuse with the YAML input's message."""
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, str):
        value = value.strip()
    if kind in sheets.NUMBERS:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _plain(_shown(value))
        if isinstance(value, str) and (_PLAIN.fullmatch(value) or _GROUPED.fullmatch(value)):
            return _plain(Decimal(value.replace(",", "")))
        return value
    if kind is Kind.CODE:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(_plain(_shown(value)))
        if isinstance(value, str) and (named := _CODE_NAMED.fullmatch(value)):
            return named[1]  # "2010504 信息事务", as the workbook's lists offer codes: the code
        return value
    if kind is Kind.DATE:
        return value
    if kind is Kind.FLAG:
        return sheets.FLAGS.get(value, value) if isinstance(value, str) else value
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        # A number in a text column (联系电话, 指标值) is the text it shows: 15909089558, 95%.
        shown = _shown(value) * (100 if "%" in number_format else 1)
        text = f"{shown.normalize():f}" if shown != shown.to_integral_value() else str(int(shown))
        return text + ("%" if "%" in number_format else "")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


# -- the layout ------------------------------------------------------------------------------------


def upper_of(grid, top: int, col: int) -> Any:
    """Returns the header cell above col (merged cells count for every column they cover)."""
    return grid.row(top, merged=True).get(col, "")


def _put(tree: dict, path: tuple, value: Any) -> None:
    node: Any = tree
    for part in path[:-1]:
        node = node[part] if isinstance(node, list) else node.setdefault(part, {})
    node[path[-1]] = value


def _get(tree: dict, path: tuple) -> Any:
    node: Any = tree
    for part in path:
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return None
    return node


class _Reader:
    """Builds the tree sheet by sheet, registering the cell of every path it fills."""

    def __init__(self, grids: dict[str, _Grid]):
        self.grids = grids
        self.tree: dict = {}
        self.cells: dict[tuple, CellRef] = {}
        self.units: list[tuple[str, CellRef]] = []
        self.typed: list[tuple[str, CellRef, str]] = []  # amounts typed with their unit: unit, cell, text
        self.remarks: set[int] = set()  # the current sheet's 备注 columns

    def doc(self, name: str) -> ExcelDoc:
        for required in sheets.REQUIRED:
            if required not in self.grids:
                raise ReadError("xlsx_sheet_missing", sheet=required)
        for sheet in sheets.SHEETS:
            grid = self.grids.get(sheet.name)
            if grid is None:
                continue
            # A problem with a whole part (收入, 支出 …) is placed at its sheet.
            self.cells.setdefault((), grid.ref(0))
            for set_path in sheets.SETS.values() if sheet.by_set else ((),):
                part = set_path + (sheet.base if isinstance(sheet, FieldsSheet) else sheet.path)
                self.cells.setdefault(part, grid.ref(0))
            if isinstance(sheet, FieldsSheet):
                self._fields(sheet, grid)
            else:
                self._rows(sheet, grid)
        self._money_unit()
        # The unit is required: with its sheet there, a blank 名称 or 年度 is named at its cell.
        self.tree.setdefault(sheets.UNIT_KEY, {})
        return ExcelDoc(name, self.tree, self.cells)

    # -- where things go

    def _budget(self, set_name: str) -> tuple[str, ...]:
        return sheets.SETS.get(set_name, ())

    def _set(self, grid: _Grid, row: int, col: int | None) -> str:
        if col is None:
            return sheets.THIS_YEAR
        raw = grid.get(row, col, merged=True)
        if _blank(raw):
            return sheets.THIS_YEAR
        text = key_text(raw)
        text = sheets.SET_SYNONYMS.get(text, text)
        if text not in sheets.SETS:
            raise ReadError("bad_choice", line=grid.ref(row, col), value=text,
                            choices=listing(say("quoted", text=s) for s in sheets.SETS))
        return text

    def _place(self, path: tuple, value: Any, ref: CellRef) -> None:
        parent = _get(self.tree, path[:-1]) if len(path) > 1 else self.tree
        if parent is not None and not isinstance(parent, (dict, list)):  # 英文译文: a file name and entries
            raise ReadError("xlsx_both_forms", line=ref, key=str(path[0]), where=str(self.cells.get(path[:-1], "")))
        _put(self.tree, path, value)
        self.cells[path] = ref

    def _unit_line(self, grid: _Grid, above: int, amounts: bool) -> None:
        # "单位：元" above a table of amounts is the money unit; above 人员 ("单位：人") it is not.
        if not amounts:
            return
        for (r, c), (value, _) in sorted(grid.cells.items()):
            if r < above and isinstance(value, str):
                found = sheets.UNIT_LINE.fullmatch(key_text(value))
                if found and found[1] not in model.MONEY_UNITS:
                    raise ReadError("bad_choice", line=grid.ref(r, c), value=found[1],
                                    choices=listing(say("quoted", text=u) for u in model.MONEY_UNITS))
                if found:
                    self.units.append((found[1], grid.ref(r, c)))

    def _money_unit(self) -> None:
        key = (sheets.MONEY_UNIT_KEY,)
        given = [(self.tree[key[0]], self.cells[key])] if key[0] in self.tree else []
        seen = given + self.units
        for unit, ref in seen[1:]:
            if unit != seen[0][0]:
                raise ReadError("xlsx_unit_conflict", line=ref, unit=unit, other=seen[0][0], where=str(seen[0][1]))
        if seen and not given:
            self._place(key, seen[0][0], seen[0][1])
        # An amount typed with its unit ("324.25万元") is read as the number when the unit is the
        # workbook's; in another unit it is refused, never scaled behind the officer's back.
        unit, where = (self.tree[key[0]], self.cells[key]) if key[0] in self.tree else (None, None)
        for typed, ref, text in self.typed:
            if unit is None:
                unit, where = typed, ref
            elif typed != unit:
                raise ReadError("xlsx_amount_unit", line=ref, text=text, unit=unit, where=str(where))

    # -- fields sheets: a label a row

    def _fields(self, sheet: FieldsSheet, grid: _Grid) -> None:
        header, label_col = self._find(grid, sheet.label_header, sheet.name)
        self._unit_line(grid, header, Kind.AMOUNT in {r.kind for r in sheet.rows} | {sheet.free_kind if sheet.free else None})
        names = tuple(sheets.SETS) + tuple(sheets.SET_SYNONYMS) if sheet.by_set else (sheet.value_header,)
        values: dict[int, str] = {}
        self.remarks = set()
        amounts = any(r.kind is Kind.AMOUNT for r in sheet.rows) or (sheet.free and sheet.free_kind is Kind.AMOUNT)
        for col, raw in grid.row(header, merged=True).items():
            if col <= label_col:
                continue
            text, unit = self._header(raw)
            if is_remark(text):
                self.remarks.add(col)
                continue
            if text not in names or (unit and not amounts):
                raise self._unknown_column(grid, header, col, key_text(raw), names)
            if unit:
                self.units.append((unit, grid.ref(header, col)))
            values[col] = sheets.SET_SYNONYMS.get(text, text)
        if not values:
            raise ReadError("xlsx_column_missing", line=grid.ref(header, label_col), sheet=sheet.name,
                            column=sheets.THIS_YEAR if sheet.by_set else sheet.value_header)
        rows = {r.label: r for r in sheet.rows}
        seen: dict[str, CellRef] = {}
        last: sheets.Row | None = None
        in_remark = False
        for r in range(header + 1, grid.last_row + 1):
            filled = {c: grid.get(r, c) for c in values if not _blank(grid.get(r, c))}
            stray = next((c for c in grid.row(r) if c not in values and c != label_col and c not in self.remarks), None)
            if stray is not None:
                raise ReadError("xlsx_column_unnamed", line=grid.ref(r, stray), sheet=sheet.name)
            label = grid.get(r, label_col, merged=True)
            if not sheet.free and not _blank(label):
                # a row of the officer's notes (备注), and the rows continuing it, are not read
                in_remark = is_remark(header_text(label))
            if in_remark:
                continue
            if _blank(label):
                if not filled:
                    continue
                if last is None or last.kind is not Kind.TEXTS:
                    words = all(isinstance(v, str) and value_of(v, Kind.AMOUNT) == v.strip() for v in filled.values())
                    raise ReadError("xlsx_row_note" if words else "xlsx_label_missing", line=grid.ref(r, label_col),
                                    column=sheet.label_header)
                row = last
            else:
                text = key_text(label)
                row = rows.get(text) or sheets.Row(text, sheet.base + (value_of(label, sheet.free_key) if sheet.free else text,),
                                                   sheet.free_kind if sheet.free else Kind.TEXT)
                if text in seen and row.kind is not Kind.TEXTS:
                    raise ReadError("xlsx_label_twice", line=grid.ref(r, label_col), label=text, other=str(seen[text]))
                seen.setdefault(text, grid.ref(r, label_col))
                last = row
                for col, set_name in values.items():  # a blank value is reported where it belongs
                    self.cells.setdefault(self._budget(set_name) + row.path, grid.ref(r, col))
            for col, raw in filled.items():
                path = self._budget(values[col]) + row.path
                value = self._value(grid, r, col, raw, row.kind)
                if row.kind is Kind.TEXTS:
                    items = _get(self.tree, path)
                    if items is None:
                        self._place(path, [], grid.ref(r, col))
                        items = _get(self.tree, path)
                    self.cells[path + (len(items),)] = grid.ref(r, col)
                    items.append(value)
                else:
                    self._place(path, value, grid.ref(r, col))

    # -- rows sheets: an item a row

    def _find(self, grid: _Grid, key: str, sheet: str) -> tuple[int, int]:
        for r in range(1, min(grid.last_row, _HEADER_ROWS) + 1):
            for col, raw in grid.row(r, merged=True).items():
                if header_text(raw) == key:
                    return r, col
        raise ReadError("xlsx_header_missing", line=grid.ref(0), sheet=sheet, column=key)

    @staticmethod
    def _header(raw: Any) -> tuple[str, str | None]:
        """Returns a header as compared, and the money unit said after it ("人员经费（万元）")."""
        text = header_text(raw) if not _blank(raw) else ""
        found = sheets.HEADER_WITH_UNIT.fullmatch(text)
        return (found[1], found[2]) if found else (text, None)

    def _unknown_column(self, grid: _Grid, row: int, col: int, text: str, known) -> ReadError:
        guess = difflib.get_close_matches(text, list(known), n=1, cutoff=0.4)
        if guess:
            return ReadError("xlsx_column_unknown_guess", line=grid.ref(row, col), column=text, guess=guess[0])
        return ReadError("xlsx_column_unknown", line=grid.ref(row, col), column=text)

    def _columns(self, sheet: RowsSheet, grid: _Grid) -> tuple[int, dict[int, Column]]:
        """Returns the first data row and the sheet's columns by position."""
        top, _ = self._find(grid, sheet.key, sheet.name)
        self._unit_line(grid, top, sheet is sheets.PROJECTS_SHEET or any(c.kind is Kind.AMOUNT for c in sheet.columns))
        by_header = {c.header: c for c in sheet.columns}
        names = {c.name for c in sheet.columns}
        second = grid.row(top + 1)
        two = bool(second) and all(isinstance(v, str) and (self._header(v)[0] in names or self._class(sheet, self._header(v)[0])
                                                          or is_remark(header_text(v))
                                                          or (sheet is sheets.EXPENSES_SHEET and header_text(upper_of(grid, top, col)) == sheets.OWN_GROUP))
                                   for col, v in second.items())
        upper, lower = grid.row(top, merged=True), grid.row(top + 1, merged=True) if two else {}
        out: dict[int, Column] = {}
        self.remarks = set()
        for col in sorted(set(upper) | set(lower)):
            (above, unit_above), (below, unit_below) = self._header(upper.get(col, "")), self._header(lower.get(col, ""))
            if is_remark(above) or is_remark(below):
                self.remarks.add(col)  # 备注 and every column under it
                continue
            group, name = (above, below) if above and below and above != below else (None, above or below)
            typed = key_text(lower.get(col) or upper.get(col))  # a name of the format's own, as typed
            typed = sheets.UNIT_SUFFIX.sub("", typed) if unit_below or unit_above else typed
            column = by_header.get((group, name)) or self._class(sheet, name, group, typed)
            if column is None and sheet.by_set and (group, name) == (None, sheets.SET_COLUMN):
                column = self._SET
            if column is None and group is not None and group not in {c.group for c in sheet.columns} | {sheets.CLASS_GROUP, sheets.OWN_GROUP}:
                column = by_header.get((None, name))
            at = top + 1 if two and below else top
            unit = unit_below or unit_above
            if column is None or (unit and column.kind is not Kind.AMOUNT):  # 名称（元）: no amounts to have a unit
                raw = lower.get(col) if two and below else upper.get(col)
                raise self._unknown_column(grid, at, col, f"{group}.{name}" if group and not unit else key_text(raw),
                                           [f"{g}.{n}" if g else n for g, n in by_header] + [sheets.SET_COLUMN])
            if unit:
                self.units.append((unit, grid.ref(top + 1 if unit_below else top, col)))
            out[col] = column
        return top + (2 if two else 1), out

    def _class(self, sheet: RowsSheet, name: str, group: str | None = None, raw: str | None = None) -> Column | None:
        # An expense line's buckets of the format's own: one column per name under 格式金额
        # (named as typed: the name is the format's, compared with its fields as it stands).
        if sheet is sheets.EXPENSES_SHEET and group == sheets.OWN_GROUP and name:
            return Column(name, (sheets.OWN_GROUP, raw or name), Kind.AMOUNT, group=sheets.OWN_GROUP)
        # A project's 经济分类 columns: one per class, headed by its code (302 商品和服务支出).
        found = sheets.CLASS_HEADER.match(name) if sheet is sheets.PROJECTS_SHEET else None
        if not found or group not in (None, sheets.CLASS_GROUP):
            return None
        return Column(name, (sheets.CLASS_GROUP, found[1]), Kind.AMOUNT, group=sheets.CLASS_GROUP)

    _SET = Column(sheets.SET_COLUMN, ())

    def _rows(self, sheet: RowsSheet, grid: _Grid) -> None:
        start, columns = self._columns(sheet, grid)
        set_col = next((col for col, c in columns.items() if c is self._SET), None)
        key_col = next(col for col, c in columns.items() if c.name == sheet.key and c.group is None)
        # a row with a figure in a column of no header is refused below, not passed over
        rows = [r for r in range(start, grid.last_row + 1) if any(col not in self.remarks for col in grid.row(r))]
        if rows:
            present = {c.header for c in columns.values()}
            for c in sheet.columns:
                if c.required and c.header not in present:
                    raise ReadError("xlsx_column_missing", line=grid.ref(start - 1, key_col), sheet=sheet.name, column=c.name)
        self._positions = {c: col for col, c in columns.items() if c is not self._SET}
        self._lists = sheet.lists
        self._kinds: dict[tuple[str, str], CellRef] = {}
        self._codes: dict[tuple[str, Any], list[int]] = {}
        handler = {
            sheets.EXPENSES: self._expense_row,
            sheets.INDICATORS: self._indicator_row,
            sheets.VEHICLES: self._vehicle_row,
        }.get(sheet.name, self._item_row)
        self._last: tuple[str, tuple] | None = None
        self._link: str | None = None
        # A 科目 or 资金来源 cell merged over the rows below is theirs too (the rows of one code
        # make one line); a merged amount is never copied: it would be counted twice.
        spread = {col for col, c in columns.items()
                  if sheet is sheets.EXPENSES_SHEET and c.group is None and c.name in (sheets.CODE, sheets.SOURCE)}
        for (r, col), (r0, col0) in sorted(grid.covered.items()):
            if r > r0 and r0 >= start and col in columns and columns[col].kind is Kind.AMOUNT and not _blank(grid.get(r0, col0)):
                raise ReadError("xlsx_amount_merged", line=grid.ref(r0, col0))
        for r in rows:
            cells = {col: grid.get(r, col, col in spread) for col in columns
                     if col != set_col and not _blank(grid.get(r, col, col in spread))}
            if sheet.by_set and not cells and [c for c in grid.row(r) if c not in self.remarks] == [set_col] \
                    and key_text(grid.get(r, set_col)) not in {*sheets.SETS, *sheets.SET_SYNONYMS}:
                # words alone in the 口径 column ("以下为上年数"): a note, which may mean the rows below
                raise ReadError("xlsx_row_note", line=grid.ref(r, set_col), column=sheet.key)
            set_name = self._set(grid, r, set_col) if sheet.by_set else sheets.THIS_YEAR
            stray = next((col for col in grid.row(r) if col not in columns and col not in self.remarks), None)
            if stray is not None:
                raise ReadError("xlsx_column_unnamed", line=grid.ref(r, stray), sheet=sheet.name)
            if not cells:
                continue
            handler(sheet, grid, r, set_name, {columns[col]: (col, raw) for col, raw in cells.items()}, key_col)

    def _blanks(self, item_path: tuple, grid: _Grid, r: int) -> None:
        # A blank cell of a new item is where validation's "missing" is reported.
        for c, col in self._positions.items():
            if c.path and c.kind is not Kind.TEXTS and c.group not in self._lists:
                for n in range(1, len(c.path) + 1):
                    self.cells.setdefault(item_path + c.path[:n], grid.ref(r, col))

    @staticmethod
    def _keyless(grid: _Grid, r: int, key_col: int, key: str, cells: dict) -> ReadError:
        """The refusal of a row without its key: a row of words only is a note the officer put
        between the rows ("以下为上年数"), told where notes go."""
        if all(isinstance(raw, str) and value_of(raw, Kind.AMOUNT) == raw.strip() for _, raw in cells.values()):
            return ReadError("xlsx_row_note", line=grid.ref(r, key_col), column=key)
        return ReadError("xlsx_key_missing", line=grid.ref(r, key_col), column=key)

    def _value(self, grid: _Grid, r: int, col: int, raw: Any, kind: Kind) -> Any:
        if kind is Kind.AMOUNT and isinstance(raw, str):
            found = sheets.AMOUNT_WITH_UNIT.fullmatch(raw.strip())
            number = value_of(found[1], kind) if found else None
            if number is not None and not isinstance(number, str):
                # "324.25万元": the number, if the unit is the workbook's (checked once all is read)
                self.typed.append((found[2], grid.ref(r, col), raw.strip()))
                return number
        return value_of(raw, kind, grid.format(r, col))

    def _list(self, path: tuple, ref: CellRef) -> list:
        items = _get(self.tree, path)
        if items is None:
            self._place(path, [], ref)
            items = _get(self.tree, path)
        return items

    def _item_row(self, sheet: RowsSheet, grid: _Grid, r: int, set_name: str, cells: dict, key_col: int) -> None:
        base = self._budget(set_name) + sheet.path
        key = next((c for c in cells if c.name == sheet.key and c.group is None), None)
        if key is None:
            # No key: the row adds to the lists of the item above.
            stray = [c for c in cells if c.kind is not Kind.TEXTS and c.group not in sheet.lists]
            if stray or self._last is None or self._last[0] != set_name:
                raise self._keyless(grid, r, key_col, sheet.key, cells)
            item_path = self._last[1]
        else:
            items = self._list(base, grid.ref(r, key_col))
            item_path = base + (len(items),)
            items.append({})
            self.cells[item_path] = grid.ref(r, key_col)
            self._last = (set_name, item_path)
            self._blanks(item_path, grid, r)
        row_item: dict = {}
        for c, (col, raw) in cells.items():
            value = self._value(grid, r, col, raw, c.kind)
            if c.group in sheet.lists:
                row_item[c.path[-1]] = (value, grid.ref(r, col))
            elif c.kind is Kind.TEXTS:
                items = self._list(item_path + c.path, grid.ref(r, col))
                self.cells[item_path + c.path + (len(items),)] = grid.ref(r, col)
                items.append(value)
            else:
                self._place(item_path + c.path, value, grid.ref(r, col))
        if row_item:
            group = next(c.group for c in cells if c.group in sheet.lists)
            items = self._list(item_path + (group,), next(iter(row_item.values()))[1])
            sub = item_path + (group, len(items))
            items.append({k: v for k, (v, _) in row_item.items()})
            self.cells[sub] = next(iter(row_item.values()))[1]
            for k, (_, ref) in row_item.items():
                self.cells[sub + (k,)] = ref

    def _expense_row(self, sheet: RowsSheet, grid: _Grid, r: int, set_name: str, cells: dict, key_col: int) -> None:
        # One row per function line and funding source; rows of one code make one line.
        base = self._budget(set_name) + sheet.path
        by_name = {c.name: (c, col, raw) for c, (col, raw) in cells.items() if c.group != sheets.OWN_GROUP}
        own = [(c, col, raw) for c, (col, raw) in cells.items() if c.group == sheets.OWN_GROUP]
        if sheets.CODE not in by_name:
            raise self._keyless(grid, r, key_col, sheet.key, cells)
        c, col, raw = by_name.pop(sheets.CODE)
        code = self._value(grid, r, col, raw, c.kind)
        source = by_name.pop(sheets.SOURCE, None)
        name = by_name.pop(sheets.NAME, None)
        source_key = key_text(source[2]) if source else None
        name_value = self._value(grid, r, name[1], name[2], Kind.TEXT) if name else None
        lines = self._list(base, grid.ref(r, key_col))
        # The row joins the last line of its code that lacks its source (and names no other name).
        same = self._codes.setdefault((set_name, code), [])
        index = same[-1] if same else None
        if index is not None and not ((source_key is None or source_key not in lines[index])
                                      and (name_value is None or lines[index].get(sheets.NAME) in (None, name_value))):
            index = None
        if index is None:
            index = len(lines)
            same.append(index)
            lines.append({})
            self._place(base + (index, sheets.CODE), code, grid.ref(r, col))
            self.cells[base + (index,)] = grid.ref(r, col)
        line = base + (index,)
        if name is not None:
            self._place(line + (sheets.NAME,), name_value, grid.ref(r, name[1]))
        if source is None:
            if by_name or own:
                first = min(col for _, col, _ in list(by_name.values()) + own)
                raise ReadError("xlsx_source_missing", line=grid.ref(r, first), column=sheets.SOURCE)
            return
        self._place(line + (source_key,), {}, grid.ref(r, source[1]))
        for field_name, (c, col, raw) in by_name.items():
            self._place(line + (source_key, field_name), self._value(grid, r, col, raw, c.kind), grid.ref(r, col))
        for c, col, raw in own:
            self._place(line + (source_key,) + c.path, self._value(grid, r, col, raw, c.kind), grid.ref(r, col))

    def _indicator_row(self, sheet: RowsSheet, grid: _Grid, r: int, set_name: str, cells: dict, key_col: int) -> None:
        # Each row is an indicator of the project its 项目 cell names (blank or merged: the one
        # above), or of the unit's 整体绩效.
        link = next(((col, raw) for c, (col, raw) in cells.items() if c.name == sheet.key), None)
        raw_link = grid.get(r, key_col, merged=True)
        if not _blank(raw_link):
            self._link = (set_name, self._value(grid, r, key_col, raw_link, Kind.TEXT))
        if self._link is None or self._link[0] != set_name:
            raise self._keyless(grid, r, key_col, sheet.key, cells)
        budget = self._budget(set_name)
        target = self._link[1]
        if target == sheets.PERFORMANCE:
            owner = budget + (sheets.PERFORMANCE,)
        else:
            projects = _get(self.tree, budget + (sheets.PROJECTS,)) or []
            found = [i for i, p in enumerate(projects) if p.get(sheets.NAME) == target]
            if len(found) != 1:
                raise ReadError("xlsx_link_unknown" if not found else "xlsx_link_twice",
                                line=grid.ref(r, key_col), name=target, sheet=sheets.PROJECTS)
            owner = budget + (sheets.PROJECTS, found[0], sheets.INDICATORS)
        rows = self._list(owner + (sheets.INDICATOR_ROWS,), grid.ref(r, key_col))
        path = owner + (sheets.INDICATOR_ROWS, len(rows))
        rows.append({})
        self.cells[path] = grid.ref(r, link[0] if link else key_col)
        for c, (col, raw) in cells.items():
            if c.name != sheet.key:
                self._place(path + c.path, self._value(grid, r, col, raw, c.kind), grid.ref(r, col))
        self._blanks(path, grid, r)

    def _vehicle_row(self, sheet: RowsSheet, grid: _Grid, r: int, set_name: str, cells: dict, key_col: int) -> None:
        by_name = {c.name: (c, col, raw) for c, (col, raw) in cells.items()}
        if sheets.VEHICLE_KIND not in by_name:
            raise self._keyless(grid, r, key_col, sheet.key, cells)
        _, col, raw = by_name.pop(sheets.VEHICLE_KIND)
        kind = self._value(grid, r, col, raw, Kind.TEXT)
        if (set_name, kind) in self._kinds:
            raise ReadError("xlsx_label_twice", line=grid.ref(r, col), label=kind, other=str(self._kinds[(set_name, kind)]))
        self._kinds[(set_name, kind)] = grid.ref(r, col)
        base = self._budget(set_name) + sheet.path
        for c, col, raw in by_name.values():
            group = c.path[0]
            self.cells.setdefault(base + (group, kind), grid.ref(r, key_col))
            self._place(base + (group, kind) + c.path[1:], self._value(grid, r, col, raw, c.kind), grid.ref(r, col))
