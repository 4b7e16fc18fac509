"""Writes a workbook in the layout of sheets.py: empty (a template) or filled from an input.

The input comes as the canonical tree (validate.canonical: what the file gives, keys in Chinese,
amounts in the file's 金额单位), so what load/excel.py reads back is that tree again. Every sheet
has a title row, the unit line, a frozen header; amount columns show every decimal a figure has;
code and choice columns offer drop-down lists (a warning, not a refusal: the officer's own
catalog may know more codes). The bytes depend on the input only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from narrate import sheets
from narrate.catalog import Catalogs
from narrate.messages import say
from narrate.sheets import Column, FieldsSheet, Kind, RowsSheet

_EXCEL_DIGITS = 15  # a number with more significant digits is written as text, to keep them all
_TITLE = Font(bold=True, size=14)
_HEAD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_SPARE_ROWS = 200  # drop-down lists reach this far below the last row
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Layout:
    """What the profile decides about the workbook."""

    profile: str | None  # written as 格式 (None: the file names none)
    money_unit: str
    vehicle_kinds: tuple[str, ...]
    project_classes: tuple[int, ...]
    catalogs: Catalogs
    profiles: tuple[str, ...] = ()


def write(tree: dict | None, layout: Layout) -> bytes:
    """Returns the .xlsx bytes: the template when tree is None, else the workbook of tree."""
    tree = dict(tree or {})
    tree.setdefault(sheets.MONEY_UNIT_KEY, layout.money_unit)
    if layout.profile and "格式" not in tree:
        tree["格式"] = layout.profile
    book = Workbook()
    book.remove(book.active)
    writer = _Writer(book, tree, layout)
    for sheet in sheets.SHEETS:
        if isinstance(sheet, FieldsSheet):
            writer.fields(sheet)
        else:
            writer.rows(sheet)
    writer.catalog_sheet()
    book.properties.creator = "narrate"
    book.properties.created = book.properties.modified = dt.datetime(*_FIXED_TIME)
    out = io.BytesIO()
    book.save(out)
    return _fixed_zip(out.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    # openpyxl stamps every zip entry, and the file's "modified" property, with the time of
    # saving; fixed times make the same input give the same bytes.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            part = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = dt.datetime(*_FIXED_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                part = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>", part)
            dst.writestr(fixed, part)
    return out.getvalue()


def _get(tree: Any, path: tuple) -> Any:
    for part in path:
        if not isinstance(tree, dict) or part not in tree:
            return None
        tree = tree[part]
    return tree


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


class _Writer:
    def __init__(self, book: Workbook, tree: dict, layout: Layout):
        self.book, self.tree, self.layout = book, tree, layout
        self.unit = tree.get(sheets.MONEY_UNIT_KEY, layout.money_unit)
        info = tree.get("单位") or {}
        self.title_words = {"unit": info.get(sheets.NAME, ""), "year": info.get("年度", "")}
        self.catalog_rows = (len(layout.catalogs.function.entries), len(layout.catalogs.economic.entries))

    # -- cells

    def _put(self, ws, row: int, col: int, value: Any, kind: Kind) -> None:
        if value is None:
            return
        cell = ws.cell(row, col)
        if isinstance(value, bool):
            cell.value = sheets.YES if value else sheets.NO
        elif isinstance(value, (int, Decimal)) and kind in sheets.NUMBERS:
            number = Decimal(value)
            if len(number.normalize().as_tuple().digits) > _EXCEL_DIGITS:
                cell.value = f"{number:f}"
                cell.data_type = "s"
            else:
                cell.value = int(number) if number == number.to_integral_value() else number
                places = max(_places(number), 2) if kind is Kind.AMOUNT else _places(number)
                cell.number_format = "#,##0." + "0" * places if places else ("#,##0" if kind is Kind.AMOUNT else "0")
        elif isinstance(value, dt.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        else:
            cell.value = str(value)
            cell.data_type = "s"  # text, even when it starts with "=" (指标值 "=100%")
            if kind is Kind.TEXT or kind is Kind.TEXTS:
                cell.alignment = _WRAP

    def _format_column(self, ws, col: int, kind: Kind, first: int, last: int) -> None:
        # Empty cells of an amount column still show two decimals when the officer types.
        if kind is Kind.AMOUNT:
            for row in range(first, last + 1):
                cell = ws.cell(row, col)
                if cell.value is None:
                    cell.number_format = "#,##0.00"

    def _sheet(self, name: str, width: int, amounts: bool):
        ws = self.book.create_sheet(name)
        ws.cell(1, 1, say("workbook_title", sheet=name, **self.title_words) if self.title_words["unit"] else name).font = _TITLE
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        if amounts:
            cell = ws.cell(2, width, sheets.UNIT_LINE_TEXT.format(unit=self.unit))
            cell.alignment = Alignment(horizontal="right")
        return ws

    def _head(self, ws, row: int, col: int, text: str) -> None:
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.alignment = _HEAD, _HEAD_FILL, _CENTER

    def _choices(self, ws, kind_or_codes: Any, col: int, first: int, last: int) -> None:
        if isinstance(kind_or_codes, str):  # a catalog: "function" or "economic"
            column, count = ("A", self.catalog_rows[0]) if kind_or_codes == "function" else ("C", self.catalog_rows[1])
            formula = f"'{sheets.CATALOG_SHEET}'!${column}$2:${column}${count + 1}"
        else:
            formula = '"' + ",".join(kind_or_codes) + '"'
        check = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="warning")
        check.add(f"{get_column_letter(col)}{first}:{get_column_letter(col)}{last}")
        ws.add_data_validation(check)

    # -- fields sheets

    def fields(self, sheet: FieldsSheet) -> None:
        sets = tuple(sheets.SETS) if sheet.by_set else (None,)
        width = 1 + len(sets)
        kinds = {r.kind for r in sheet.rows} | ({sheet.free_kind} if sheet.free else set())
        ws = self._sheet(sheet.name, width, Kind.AMOUNT in kinds)
        head = 3
        self._head(ws, head, 1, sheet.label_header)
        for i, name in enumerate(sets, start=2):
            self._head(ws, head, i, name or sheet.value_header)
        rows = list(sheet.rows)
        if sheet.free:
            labels: dict[Any, None] = {}
            for s in sets:
                found = _get(self.tree, self._set(s) + sheet.base)
                labels.update(dict.fromkeys(found if isinstance(found, dict) else {}))
            rows = [sheets.Row(str(k), sheet.base + (k,), sheet.free_kind) for k in labels]
        r = head + 1
        for row in rows:
            # A mapping under a row's key (英文译文 written inline) is its own sheet's, not this row's.
            values = [None if isinstance(v, dict) else v for v in (_get(self.tree, self._set(s) + row.path) for s in sets)]
            lines = max([len(v) for v in values if isinstance(v, (list, tuple))] + [1])
            for n in range(lines):
                if n == 0:
                    ws.cell(r, 1, row.label).font = _HEAD
                for i, value in enumerate(values, start=2):
                    item = (value[n] if n < len(value) else None) if isinstance(value, (list, tuple)) else (value if n == 0 else None)
                    self._put(ws, r, i, item, row.kind)
                    if row.kind is Kind.AMOUNT and ws.cell(r, i).value is None:
                        ws.cell(r, i).number_format = "#,##0.00"
                if row.choices:
                    for i in range(2, width + 1):
                        self._choices(ws, row.choices, i, r, r)
                r += 1
        if sheet is sheets.UNIT_SHEET and self.layout.profiles:
            at = 4 + [x.label for x in rows].index("格式")
            self._choices(ws, self.layout.profiles, 2, at, at)
        if sheet is sheets.USES_SHEET:
            self._choices(ws, "function", 1, head + 1, r + _SPARE_ROWS)
        ws.column_dimensions["A"].width = 28 if not sheet.free else 30
        for i in range(2, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 60 if not sheet.by_set else 18
        ws.freeze_panes = ws.cell(head + 1, 2)

    def _set(self, name: str | None) -> tuple[str, ...]:
        return sheets.SETS[name] if name else ()

    # -- rows sheets

    def _columns(self, sheet: RowsSheet) -> list[Column]:
        columns = ([Column(sheets.SET_COLUMN, (), Kind.CHOICE, choices=tuple(sheets.SETS), width=14)] if sheet.by_set else []) + list(sheet.columns)
        if sheet is sheets.EXPENSES_SHEET:
            return columns + self._own_columns()
        if sheet is not sheets.PROJECTS_SHEET:
            return columns
        used: set[str] = set()
        for s in sheets.SETS:
            for project in _get(self.tree, sheets.SETS[s] + sheet.path) or ():
                used.update(str(c) for c in project.get(sheets.CLASS_GROUP, {}))
        codes = sorted({str(c) for c in self.layout.project_classes} | used)
        names = self.layout.catalogs.economic
        classes = [Column(f"{c} {names.name(c) or ''}".strip(), (sheets.CLASS_GROUP, c), Kind.AMOUNT, group=sheets.CLASS_GROUP)
                   for c in codes]
        at = next(i for i, c in enumerate(columns) if c.name == sheets.CLASS_COLUMNS_AFTER) + 1
        return columns[:at] + classes + columns[at:]

    def rows(self, sheet: RowsSheet) -> None:
        columns = self._columns(sheet)
        width = len(columns)
        ws = self._sheet(sheet.name, width, any(c.kind is Kind.AMOUNT for c in columns))
        top, bottom = 3, 4
        grouped: dict[str, list[int]] = {}
        for i, c in enumerate(columns, start=1):
            if c.group:
                grouped.setdefault(c.group, []).append(i)
                self._head(ws, bottom, i, c.name)
            else:
                self._head(ws, top, i, c.name)
                ws.merge_cells(start_row=top, start_column=i, end_row=bottom, end_column=i)
            ws.column_dimensions[get_column_letter(i)].width = c.width
        for group, cols in grouped.items():
            self._head(ws, top, cols[0], group)
            if len(cols) > 1:
                ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])
        r = bottom + 1
        for set_name in (sheets.SETS if sheet.by_set else (sheets.THIS_YEAR,)):
            for row in self._items(sheet, set_name):
                for i, c in enumerate(columns, start=1):
                    value = set_name if c.name == sheets.SET_COLUMN and c.group is None and sheet.by_set else row.get(c.header)
                    self._put(ws, r, i, value, c.kind)
                r += 1
        last = max(r, bottom + 1) + _SPARE_ROWS
        for i, c in enumerate(columns, start=1):
            self._format_column(ws, i, c.kind, bottom + 1, last)
            if c.choices:
                self._choices(ws, c.choices, i, bottom + 1, last)
            elif c.kind is Kind.CODE:
                self._choices(ws, "economic" if sheet is sheets.ECONOMIC_SHEET else "function", i, bottom + 1, last)
        ws.freeze_panes = ws.cell(bottom + 1, 1)

    def _items(self, sheet: RowsSheet, set_name: str):
        """Yields the rows of one budget's items: {(group, column name): value}."""
        base = sheets.SETS[set_name]
        if sheet is sheets.EXPENSES_SHEET:
            yield from self._expense_rows(_get(self.tree, base + sheet.path) or ())
        elif sheet is sheets.INDICATORS_SHEET:
            yield from self._indicator_rows(base)
        elif sheet is sheets.VEHICLES_SHEET:
            yield from self._vehicle_rows(set_name, _get(self.tree, base + sheet.path) or {})
        else:
            for item in _get(self.tree, base + sheet.path) or ():
                yield from self._item_rows(sheet, item)

    def _item_rows(self, sheet: RowsSheet, item: dict):
        # The item's first row; lists (立项依据, 预算明细 …) go on down, one element a row.
        first: dict = {}
        extra: list[dict] = []
        for c in self._columns(sheet):
            if c.group in sheet.lists:
                for n, sub in enumerate(item.get(c.group) or ()):
                    target = first if n == 0 else self._row(extra, n - 1)
                    target[c.header] = sub.get(c.path[-1])
            elif c.kind is Kind.TEXTS:
                for n, text in enumerate(_get(item, c.path) or ()):
                    target = first if n == 0 else self._row(extra, n - 1)
                    target[c.header] = text
            elif c.path:
                first[c.header] = _get(item, c.path)
        yield first
        yield from extra

    @staticmethod
    def _row(rows: list[dict], n: int) -> dict:
        while len(rows) <= n:
            rows.append({})
        return rows[n]

    def _own_columns(self) -> list[Column]:
        """Returns a column per bucket of the format's own the lines use (格式金额 › name), in
        the order first met."""
        names: dict[str, None] = {}
        for s in sheets.SETS:
            for line in _get(self.tree, sheets.SETS[s] + sheets.EXPENSES_SHEET.path) or ():
                for cell in line.values() if isinstance(line, dict) else ():
                    if isinstance(cell, dict) and isinstance(cell.get(sheets.OWN_GROUP), dict):
                        names.update(dict.fromkeys(str(n) for n in cell[sheets.OWN_GROUP]))
        return [Column(n, (sheets.OWN_GROUP, n), Kind.AMOUNT, group=sheets.OWN_GROUP, width=16) for n in names]

    def _expense_rows(self, lines):
        cell_fields = [c for c in sheets.EXPENSES_SHEET.columns if c.kind is Kind.AMOUNT]
        for line in lines:
            sources = [k for k in line if k not in (sheets.CODE, sheets.NAME)]
            head = {(None, sheets.CODE): line.get(sheets.CODE), (None, sheets.NAME): line.get(sheets.NAME)}
            if not sources:
                yield head
            for n, source in enumerate(sources):
                row = dict(head) if n == 0 else {(None, sheets.CODE): line.get(sheets.CODE)}
                row[(None, sheets.SOURCE)] = source
                for c in cell_fields:
                    row[c.header] = (line[source] or {}).get(c.name)
                for name, value in ((line[source] or {}).get(sheets.OWN_GROUP) or {}).items():
                    row[(sheets.OWN_GROUP, str(name))] = value
                yield row

    def _indicator_rows(self, base: tuple):
        owners = [(p.get(sheets.NAME), _get(p, (sheets.INDICATORS, sheets.INDICATOR_ROWS))) for p in _get(self.tree, base + (sheets.PROJECTS,)) or ()]
        owners.append((sheets.PERFORMANCE, _get(self.tree, base + (sheets.PERFORMANCE, sheets.INDICATOR_ROWS))))
        for name, indicators in owners:
            for indicator in indicators or ():
                row = {(None, sheets.PROJECTS): name}
                row.update(((None, k), v) for k, v in indicator.items())
                yield row

    def _vehicle_rows(self, set_name: str, assets: dict):
        held = assets.get(sheets.VEHICLES) or {}
        bought = assets.get(sheets.BUY_VEHICLES) or {}
        kinds = dict.fromkeys(list(held) + list(bought))
        if set_name == sheets.THIS_YEAR:
            kinds = dict.fromkeys(list(self.layout.vehicle_kinds) + list(kinds))
        for kind in kinds:
            row = {(None, sheets.VEHICLE_KIND): kind, (None, sheets.BUY_VEHICLES): bought.get(kind)}
            row.update(((None, k), v) for k, v in (held.get(kind) or {}).items())
            yield row

    # -- the catalog the code columns' lists read

    def catalog_sheet(self) -> None:
        ws = self.book.create_sheet(sheets.CATALOG_SHEET)
        for col, catalog in ((1, self.layout.catalogs.function), (3, self.layout.catalogs.economic)):
            ws.cell(1, col, sheets.CODE)
            ws.cell(1, col + 1, sheets.NAME)
            for r, entry in enumerate(catalog.entries.values(), start=2):
                ws.cell(r, col, entry.code).data_type = "s"
                ws.cell(r, col + 1, entry.name)
        ws.sheet_state = "hidden"
