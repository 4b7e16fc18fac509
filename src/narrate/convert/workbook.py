"""Writes a workbook in the layout of sheets.py: empty (a template) or filled from an input.

The input comes as the canonical tree (validate.canonical: what the file gives, keys in Chinese,
amounts in the file's 金额单位), so what load/excel.py reads back is that tree again. Every sheet
has a title row, the unit line (the file's 金额单位), a frozen header
that repeats on every printed page; amount columns show every decimal a figure has. A 填表说明
sheet comes first; every header and input cell shows a hint; code, choice and fact-name columns
offer drop-down lists that refuse anything else (codes shown with their names, "2010504 信息事务":
load/excel.py reads the code); texts wrap; each sheet prints its rows, fitted to the page's width,
landscape where wide. The bytes depend on the input only.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from narrate import facts, sheets
from narrate.catalog import Catalogs
from narrate.docx.widths import wrap
from narrate.messages import say
from narrate.sheets import Column, FieldsSheet, Kind, RowsSheet

_EXCEL_DIGITS = 15  # a number with more significant digits is written as text, to keep them all
_TITLE = Font(bold=True, size=14)
_HEAD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_SPARE_ROWS = 200  # drop-down lists reach this far below the last row
_PRINT_SPARE = 5  # blank rows printed below the last filled one, to write in by hand
_GUIDE_WIDTH = 90  # the guide's one column (characters; a Chinese one counts two)
_WIDE_CHARS = 110  # a sheet whose columns are wider than this (characters) prints landscape
_LINE = Side(style="thin", color="000000")
_BORDER = Border(left=_LINE, right=_LINE, top=_LINE, bottom=_LINE)
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
# The catalog sheet's columns: code and name of each catalog, the lists' "code name" entries,
# and the fact names the 变动原因 and 合计数 sheets offer.
_CATALOG_COLUMNS = {"function": "E", "economic": "F", "facts": "G"}


@dataclass(frozen=True)
class Layout:
    """What the profile decides about the workbook."""

    profile: str | None  # written as 格式 (None: the file names none)
    money_unit: str
    vehicle_kinds: tuple[str, ...]
    project_classes: tuple[int, ...]
    catalogs: Catalogs
    profiles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # lines the guide shows after its introduction (texts to confirm)


def write(tree: dict | None, layout: Layout) -> bytes:
    """Returns the .xlsx bytes: the template when tree is None, else the workbook of tree."""
    tree = dict(tree or {})
    tree.setdefault(sheets.MONEY_UNIT_KEY, layout.money_unit)
    if layout.profile and "格式" not in tree:
        tree["格式"] = layout.profile
    book = Workbook()
    book.remove(book.active)
    writer = _Writer(book, tree, layout)
    writer.guide_sheet()
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
        # a final-accounts workbook is titled as one (决算), not as the year's budget
        final = self.final = tree.get(sheets.DOCUMENT_KEY) == sheets.FINAL_DOCUMENT
        self.title_key, self.intro_key = (("workbook_title_final", "workbook_guide_intro_final") if final
                                          else ("workbook_title", "workbook_guide_intro"))
        self.catalog_rows = {"function": len(layout.catalogs.function.entries), "economic": len(layout.catalogs.economic.entries)}
        self.fact_names = _fact_names(tree, layout.catalogs)
        self.catalog_rows["facts"] = len(self.fact_names)
        self.checks: dict[tuple, DataValidation] = {}  # this sheet's validations, one a kind of cell

    # -- hints and refusals

    def _check(self, ws, key: tuple, ref: str, kind: str, formula: str | None = None, error: str = "workbook_error_list") -> None:
        """Adds ref to the validation of its kind on ws: a hint (the kind's prompt) and, with a
        list formula, a drop-down that refuses anything else, saying so in the officer's words."""
        check = self.checks.get(key)
        if check is None:
            # which sets a row's columns hold reads differently in a final-accounts book
            worded = f"workbook_prompt_{kind}_final" if self.final and kind == "fields" else f"workbook_prompt_{kind}"
            prompt = say(worded, unit=self.unit)
            if formula:
                check = DataValidation(type="list", formula1=formula, allow_blank=True, errorStyle="stop", showErrorMessage=True,
                                       errorTitle=say("workbook_error_title"), error=say(error))
            else:
                check = DataValidation(allow_blank=True)
            check.showInputMessage, check.promptTitle, check.prompt = True, say("workbook_prompt_title"), prompt
            self.checks[key] = check
            ws.add_data_validation(check)
        for piece in ref.split():
            check.add(piece)

    def _catalog_list(self, catalog: str) -> str:
        column = _CATALOG_COLUMNS[catalog]
        return f"'{sheets.CATALOG_SHEET}'!${column}$2:${column}${self.catalog_rows[catalog] + 1}"

    def _code_shown(self, code: Any, catalog: str) -> Any:
        """A code as the list offers it, with its name ("2010504 信息事务"); a code the catalog
        does not know, as it is."""
        names = self.layout.catalogs.function if catalog == "function" else self.layout.catalogs.economic
        name = names.name(str(code)) if code is not None else None
        return f"{code} {name}" if name else code

    def _finish(self, ws, head_rows: tuple[int, int], width: int, last: int, widths: list[float]) -> None:
        """Borders, row heights, print area and page setup: the header repeats on each page,
        the columns fit the page's width, a wide sheet prints landscape."""
        for row in ws.iter_rows(min_row=head_rows[0], max_row=last, min_col=1, max_col=width):
            for cell in row:
                cell.border = _BORDER
        _fit_rows(ws, head_rows[1] + 1, last, widths)
        ws.print_title_rows = f"{head_rows[0]}:{head_rows[1]}"
        ws.print_area = f"A1:{get_column_letter(width)}{last}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if sum(widths) > _WIDE_CHARS else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        self.checks = {}

    # -- the first sheet: how to fill the book in

    def guide_sheet(self) -> None:
        ws = self.book.create_sheet(say("workbook_guide_sheet"))
        lines = [("title", say("workbook_guide_title")),
                 ("text", say(self.intro_key, unit=self.title_words["unit"], year=self.title_words["year"])),
                 *(("text", note) for note in self.layout.notes),
                 ("head", say("workbook_guide_sheets"))]
        for sheet in sheets.SHEETS:
            about = "workbook_sheet_about_fields" if isinstance(sheet, FieldsSheet) else "workbook_sheet_about_rows"
            lines.append(("item", say(about, sheet=sheet.name)))
        for key in ("amounts", "sets", "codes", "reasons", "rows", "prompts"):
            worded = f"workbook_guide_{key}_final" if self.final and key == "sets" else f"workbook_guide_{key}"
            lines.append(("text", say(worded)))
        for r, (kind, text) in enumerate(lines, start=1):
            # broken into lines here: Calc breaks a cell's Chinese text only where it has spaces
            cell = ws.cell(r, 1, "\n".join(wrap(text, _GUIDE_WIDTH / 2 - 2)))
            cell.font = _TITLE if kind == "title" else (_HEAD if kind == "head" else Font())
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=2 if kind == "item" else 0)
        ws.column_dimensions["A"].width = _GUIDE_WIDTH
        _fit_rows(ws, 1, len(lines), [_GUIDE_WIDTH])
        ws.print_area = f"A1:A{len(lines)}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    # -- cells

    def _put(self, ws, row: int, col: int, value: Any, kind: Kind, catalog: str = "function") -> None:
        if value is None:
            return
        if kind is Kind.CODE:
            value = self._code_shown(value, catalog)
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
        # Empty cells of an amount column still show two decimals when the officer types; a
        # text column wraps what the officer types.
        if kind is Kind.AMOUNT:
            for row in range(first, last + 1):
                cell = ws.cell(row, col)
                if cell.value is None:
                    cell.number_format = "#,##0.00"
        elif kind in (Kind.TEXT, Kind.TEXTS):
            for row in range(first, last + 1):
                ws.cell(row, col).alignment = _WRAP

    def _sheet(self, name: str, width: int, amounts: bool):
        ws = self.book.create_sheet(name)
        ws.cell(1, 1, say(self.title_key, sheet=name, **self.title_words) if self.title_words["unit"] else name).font = _TITLE
        if width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        if amounts:
            cell = ws.cell(2, width, sheets.UNIT_LINE_TEXT.format(unit=self.unit))
            cell.alignment = Alignment(horizontal="right")
        return ws

    def _head(self, ws, row: int, col: int, text: str) -> None:
        cell = ws.cell(row, col, text)
        cell.font, cell.fill, cell.alignment = _HEAD, _HEAD_FILL, _CENTER

    def _column_check(self, ws, kind: Kind, choices: Any, ref: str) -> None:
        """The hint and, for a list, the refusal of the cells ref: a catalog ("function",
        "economic"), the fact names ("facts"), a tuple of choices, or nothing."""
        if isinstance(choices, str):
            error = "workbook_error_fact" if choices == "facts" else "workbook_error_code"
            self._check(ws, ("list", choices), ref, "fact" if choices == "facts" else "code", self._catalog_list(choices), error)
        elif choices:
            self._check(ws, ("list",) + tuple(choices), ref, "flag" if kind is Kind.FLAG else "choice", '"' + ",".join(choices) + '"')
        else:
            self._check(ws, ("hint", kind), ref, kind.value)

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
                    label = self._code_shown(row.label, "function") if sheet.free and sheet.free_key is Kind.CODE else row.label
                    ws.cell(r, 1, label).font = _HEAD
                for i, value in enumerate(values, start=2):
                    item = (value[n] if n < len(value) else None) if isinstance(value, (list, tuple)) else (value if n == 0 else None)
                    self._put(ws, r, i, item, row.kind)
                    if row.kind is Kind.AMOUNT and ws.cell(r, i).value is None:
                        ws.cell(r, i).number_format = "#,##0.00"
                    elif row.kind in (Kind.TEXT, Kind.TEXTS):
                        ws.cell(r, i).alignment = _WRAP
                choices = self.layout.profiles if sheet is sheets.UNIT_SHEET and row.label == "格式" and self.layout.profiles else row.choices
                self._column_check(ws, row.kind, choices, f"B{r}:{get_column_letter(width)}{r}")
                r += 1
        if sheet.free:  # the labels: codes of the catalog, or the names of the facts that exist
            labels_from = "function" if sheet.free_key is Kind.CODE else ("facts" if sheet.label_header == sheets.FACT_NAME else None)
            spare = r + _SPARE_ROWS
            if labels_from:
                self._column_check(ws, Kind.CODE, labels_from, f"A{head + 1}:A{spare}")
            self._column_check(ws, sheet.free_kind, (), f"B{head + 1}:{get_column_letter(width)}{spare}")
            for row_no in range(r, spare + 1):
                for col in range(2, width + 1):
                    if sheet.free_kind is Kind.AMOUNT:
                        ws.cell(row_no, col).number_format = "#,##0.00"
                    else:
                        ws.cell(row_no, col).alignment = _WRAP
        self._check(ws, ("hint", "fields"), f"A{head}:{get_column_letter(width)}{head}", "fields" if sheet.by_set else "field")
        widths = [28 if not sheet.free else 30] + [60 if not sheet.by_set else 18] * (width - 1)
        for i, w_ in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w_
        ws.freeze_panes = ws.cell(head + 1, 2)
        self._finish(ws, (head, head), width, max(r - 1, head) + (_PRINT_SPARE if sheet.free or r == head + 1 else 0), widths)

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
            ws.column_dimensions[get_column_letter(i)].width = _width(c)
        for group, cols in grouped.items():
            self._head(ws, top, cols[0], group)
            self._check(ws, ("hint", "group"), f"{get_column_letter(cols[0])}{top}", "group")
            if len(cols) > 1:
                ws.merge_cells(start_row=top, start_column=cols[0], end_row=top, end_column=cols[-1])
        catalog = "economic" if sheet is sheets.ECONOMIC_SHEET else "function"
        r = bottom + 1
        for set_name in (sheets.SETS if sheet.by_set else (sheets.THIS_YEAR,)):
            for row in self._items(sheet, set_name):
                for i, c in enumerate(columns, start=1):
                    value = set_name if c.name == sheets.SET_COLUMN and c.group is None and sheet.by_set else row.get(c.header)
                    self._put(ws, r, i, value, c.kind, catalog)
                r += 1
        last = max(r, bottom + 1) + _SPARE_ROWS
        for i, c in enumerate(columns, start=1):
            self._format_column(ws, i, c.kind, bottom + 1, last)
            letter = get_column_letter(i)
            head_ref = f"{letter}{bottom}" if c.group else f"{letter}{top}"
            choices = c.choices or (catalog if c.kind is Kind.CODE else ())
            self._column_check(ws, c.kind, choices, f"{head_ref} {letter}{bottom + 1}:{letter}{last}")
        ws.freeze_panes = ws.cell(bottom + 1, 1)
        self._finish(ws, (top, bottom), width, max(r - 1, bottom) + (_PRINT_SPARE if r == bottom + 1 else 0), [_width(c) for c in columns])

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
        """The codes and names the lists offer, visible for looking codes up (it prints too)."""
        ws = self.book.create_sheet(sheets.CATALOG_SHEET)
        for col, catalog in ((1, self.layout.catalogs.function), (3, self.layout.catalogs.economic)):
            ws.cell(1, col, sheets.CODE).font = _HEAD
            ws.cell(1, col + 1, sheets.NAME).font = _HEAD
            for r, entry in enumerate(catalog.entries.values(), start=2):
                ws.cell(r, col, entry.code).data_type = "s"
                ws.cell(r, col + 1, entry.name)
        for key, catalog in (("function", self.layout.catalogs.function), ("economic", self.layout.catalogs.economic)):
            column = _CATALOG_COLUMNS[key]
            for r, entry in enumerate(catalog.entries.values(), start=2):
                ws[f"{column}{r}"] = f"{entry.code} {entry.name}"
        for r, name in enumerate(self.fact_names, start=2):
            ws[f"{_CATALOG_COLUMNS['facts']}{r}"] = name
        for letter, width in zip("ABCDEFG", (10, 36, 10, 30, 0, 0, 0)):
            ws.column_dimensions[letter].width = width or 2
            ws.column_dimensions[letter].hidden = not width  # the lists' own columns
        rows = max(self.catalog_rows["function"], self.catalog_rows["economic"]) + 1
        ws.print_area = f"A1:D{rows}"
        ws.print_title_rows = "1:1"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.freeze_panes = "A2"


def _width(column: Column) -> int:
    """A column's width (characters); a code column shows its names too ("2010504 信息事务")."""
    return max(column.width, 30) if column.kind is Kind.CODE else column.width


def _fit_rows(ws, first: int, last: int, widths: list[float]) -> None:
    """Sets the height of each row whose wrapped texts take more than one line: Calc and Excel
    keep a row's height when they open a file, so a long text would show one line of itself."""
    for r in range(first, last + 1):
        lines = 1
        for col, width in enumerate(widths, start=1):
            value = ws.cell(r, col).value
            if isinstance(value, str) and width:
                # a column's width counts narrow characters; a Chinese one takes two
                lines = max(lines, sum(max(1, math.ceil(sum(2 if ord(ch) > 0xFF else 1 for ch in part) / (width - 1)))
                                       for part in value.split("\n")))
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines


def _fact_names(tree: dict, catalogs: Catalogs) -> list[str]:
    """The names of the facts a reason or a typed total may name: every fixed one (income by
    source among them), and the general budget of each function code the input spends on (with
    its 类 and 款), else of every code of the catalog."""
    codes: set[str] = set()
    for set_path in sheets.SETS.values():
        for line in _get(tree, set_path + (sheets.EXPENSES,)) or ():
            code = str(line.get(sheets.CODE, "")) if isinstance(line, dict) else ""
            codes.update(code[:n] for n in (3, 5, 7) if len(code) >= n)
    codes = codes or set(catalogs.function.entries)
    return list(dict.fromkeys([*facts.FIXED, *(facts.general_line(c) for c in sorted(codes))]))
