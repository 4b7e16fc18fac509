"""The workbook as the officer's tool: a 填表说明 sheet first, a hint on every header, drop-down
lists that refuse what is not in them (in Chinese), codes offered and shown with their names,
the names of existing facts for reasons and typed totals, print setup; and Calc prints the blank
book on few pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from typer.testing import CliRunner

from narrate import sheets
from narrate.cli import app
from narrate.load.excel import value_of
from narrate.resources import data_dir


def template(folder: Path, source: str | None = None, name: str = "book.xlsx") -> Path:
    out = folder / name
    args = ["template", *([str(data_dir("inputs") / source)] if source else []), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    return template(tmp_path_factory.mktemp("wb"), "kizilsu-egov-2024.yaml")


def covered(ws, row: int, col: int) -> list:
    """The data validations of ws that apply to the cell (row, col)."""
    out = []
    for check in ws.data_validations.dataValidation:
        for rng in str(check.sqref).split():
            c0, r0, c1, r1 = range_boundaries(rng)
            if c0 <= col <= c1 and r0 <= row <= r1:
                out.append(check)
    return out


def catalog_values(book, formula: str) -> set[str]:
    sheet, rng = formula.split("!")
    ws = book[sheet.strip("'")]
    c0, r0, c1, r1 = range_boundaries(rng.replace("$", ""))
    return {str(ws.cell(r, c0).value) for r in range(r0, r1 + 1)}


def test_the_guide_comes_first_and_names_every_sheet(filled):
    book = load_workbook(filled)
    assert book.sheetnames[0] == "填表说明"
    text = "".join(str(c.value or "") for c in book["填表说明"]["A"]).replace("\n", "")
    assert all(f"{s.name}：" in text for s in sheets.SHEETS)
    assert "金额单位" in text and "narrate codes" in text and "变动原因" in text


def test_every_header_shows_a_hint(filled):
    book = load_workbook(filled)
    for sheet in sheets.SHEETS:
        ws = book[sheet.name]
        heads = [(3, c) for c in range(1, ws.max_column + 1) if ws.cell(3, c).value]
        heads += [(4, c) for c in range(1, ws.max_column + 1) if isinstance(sheet, sheets.RowsSheet) and ws.cell(4, c).value]
        assert heads, sheet.name
        for r, c in heads:
            hints = [v for v in covered(ws, r, c) if v.showInputMessage and v.prompt]
            assert hints, (sheet.name, ws.cell(r, c).value)


def test_a_wrong_code_is_refused_and_the_list_offers_codes_with_names(filled):
    book = load_workbook(filled)
    ws = book[sheets.EXPENSES]
    assert ws["B5"].value == "2010504 信息事务"  # the code shown with its name
    (check,) = [v for v in covered(ws, 6, 2) if v.type == "list"]
    assert check.errorStyle == "stop" and check.showErrorMessage and "科目目录" in check.error
    offered = catalog_values(book, check.formula1)
    assert "2010504 信息事务" in offered and "2080505 机关事业单位基本养老保险缴费支出" in offered
    assert not any(x.startswith("9999999") for x in offered)  # what Calc and Excel then refuse
    assert len(offered) == 154  # the whole catalog, not the codes of one input
    econ = [v for v in covered(book[sheets.ECONOMIC], 6, 2) if v.type == "list"][0]
    assert "30101 基本工资" in catalog_values(book, econ.formula1)
    # what the list puts in a cell reads as the code
    assert value_of("2010504 信息事务", sheets.Kind.CODE) == "2010504" and value_of("2010504", sheets.Kind.CODE) == "2010504"


def test_choices_refuse_anything_else_in_chinese(filled):
    ws = load_workbook(filled)[sheets.EXPENSES]
    (check,) = [v for v in covered(ws, 6, 4) if v.type == "list"]  # 资金来源
    assert check.formula1.startswith('"一般公共预算,') and check.errorStyle == "stop" and check.showErrorMessage
    assert re.search(r"[\u4e00-\u9fff]", check.error) and re.search(r"[\u4e00-\u9fff]", check.errorTitle)


def test_reasons_and_totals_name_existing_facts_from_a_list(filled):
    book = load_workbook(filled)
    for name in (sheets.REASONS, sheets.TOTALS):
        ws = book[name]
        (check,) = [v for v in covered(ws, 4, 1) if v.type == "list"]
        names = catalog_values(book, check.formula1)
        assert {"收入.一般公共预算", "支出.基本支出", "一般公共预算.2010504", "三公经费.公务接待"} <= names
        assert "一般公共预算.2130101" not in names  # a code the input does not spend on
        assert check.errorStyle == "stop"
    # the sample's own reasons are in the list, so the officer's words read back as written
    ws = book[sheets.REASONS]
    keys = {ws.cell(r, 1).value for r in range(4, ws.max_row + 1)} - {None}
    assert keys and keys <= catalog_values(book, [v for v in covered(ws, 4, 1) if v.type == "list"][0].formula1)


def test_every_sheet_prints_its_rows_fitted_to_the_width_with_its_header_repeated(filled):
    book = load_workbook(filled)
    for sheet in sheets.SHEETS:
        ws = book[sheet.name]
        assert ws.print_area and ws.print_title_rows, sheet.name
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, sheet.name
        assert ws.cell(3, 1).border.left.style == "thin"
    assert book[sheets.PROJECTS].page_setup.orientation == "landscape"
    assert book[sheets.UNIT].page_setup.orientation == "portrait"
    # a long text wraps, in a row tall enough to show it
    ws = book[sheets.PROJECTS]
    goal = next(c for c in ws[5] if isinstance(c.value, str) and len(c.value) > 40)
    assert goal.alignment.wrap_text and ws.row_dimensions[5].height and ws.row_dimensions[5].height > 15


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None, reason="LibreOffice or poppler not installed")
def test_calc_prints_the_blank_book_on_few_pages(tmp_path):
    blank = template(tmp_path, None, "blank.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(blank)], check=True, capture_output=True, timeout=180)
    info = subprocess.run(["pdfinfo", str(tmp_path / "blank.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    # a page a sheet (the guide and 20 sheets), and the catalog's codes on a few more; it was 51
    assert pages <= len(sheets.SHEETS) + 1 + 4, pages
