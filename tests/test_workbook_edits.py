"""What officers really do to the workbook `narrate template` gives them, and what narrate makes of it.

Each edit either reads as the officer meant it (the document is byte for byte the YAML input's)
or is refused with one located line saying what to do (docs/input-format.md, 工作簿的常见改动).
The books are made by `narrate convert` from the shipped inputs and changed with openpyxl; the
Calc cases are saved by LibreOffice itself.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from narrate import build, pipeline, render_text, sheets
from narrate.resources import data_dir
from test_excel import EVERY, INPUT, errors, model_of, needs_libreoffice, run

KIZILSU = data_dir("inputs") / "kizilsu-egov-2024.yaml"
FINAL = data_dir("inputs") / "putuo-finance-2024-final.yaml"


def converted(source: Path, folder: Path, name: str) -> Path:
    out = folder / name
    result = run("convert", str(source), str(out))
    assert result.exit_code == 0, result.output
    return out


def changed(book: Path, change, name: str) -> Path:
    wb = load_workbook(book)
    change(wb)
    out = book.with_name(name)
    wb.save(out)
    return out


def document_of(path: Path) -> bytes:
    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.render(checked.unit, checked.catalogs, checked.profile)


def rows_of(ws, first: int, last: int) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=last)]


def put_rows(ws, first: int, rows: list[list]) -> None:
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            ws.cell(first + i, 1 + j).value = value


# -- edits that read as the officer meant -------------------------------------------------------------
# The kizilsu book: 支出 rows 5-12 (本年 5-7, 上年 8-12), columns A 口径 … H 项目支出; 收入 B4 is
# 一般公共预算 本年 (473.87 万元); 单位信息 B5 is 金额单位 (万元).


def blank_rows(wb):
    wb[sheets.EXPENSES].insert_rows(6, 2)  # between two lines of this year
    wb[sheets.EXPENSES].insert_rows(12)


def remark_columns(wb):
    ws = wb[sheets.EXPENSES]
    ws["I3"], ws["I5"], ws["I9"], ws["I20"] = "备注", "含专项 93.4", 12, "只有备注的一行"
    ws["J3"], ws["J6"] = "备注2", "核对"
    wb[sheets.INCOME]["H3"], wb[sheets.INCOME]["H4"] = "备注", "财政局下达"
    wb[sheets.UNIT]["C3"], wb[sheets.UNIT]["C6"] = " 备 注", "全称"
    ws = wb[sheets.THREE_PUBLIC]  # a row of notes, continued on the row below, in a sheet of labels
    ws.insert_rows(5, 2)
    ws["A5"], ws["B5"], ws["C5"], ws["B6"] = "备注", "本年不安排出国", 0, "接待按标准压减"


def sorted_by_amount(wb):
    ws = wb[sheets.EXPENSES]
    rows = rows_of(ws, 5, 12)
    rows.sort(key=lambda r: -(r[4] or r[6] or r[7] or 0))
    put_rows(ws, 5, rows)


def sorted_by_code_descending(wb):
    ws = wb[sheets.EXPENSES]
    put_rows(ws, 5, sorted(rows_of(ws, 5, 12), key=lambda r: r[1], reverse=True))


def columns_moved(wb):
    ws = wb[sheets.EXPENSES]  # 人员经费 and 公用经费 change places, header and figures
    for r in (3, *range(5, 13)):  # row 4 is the header's merged lower half
        ws.cell(r, 5).value, ws.cell(r, 6).value = ws.cell(r, 6).value, ws.cell(r, 5).value
    ws = wb[sheets.INCOME]  # and the rows of a sheet of labels
    put_rows(ws, 4, sorted(rows_of(ws, 4, 30), key=lambda r: (r[0] is None, str(r[0]))))


def merged_code_and_source(wb):
    ws = wb[sheets.EXPENSES]
    ws.merge_cells("B9:B10")  # 上年 2010399, two sources: the code written once over both rows
    ws.merge_cells("D5:D7")  # 一般公共预算 over this year's three lines


def hidden(wb):
    ws = wb[sheets.EXPENSES]
    ws.row_dimensions[6].hidden = True  # a hidden row is read: Excel's own SUM counts it too
    ws.column_dimensions["C"].hidden = True
    wb[sheets.INCOME].column_dimensions["C"].hidden = True
    wb[sheets.THREE_PUBLIC].sheet_state = "hidden"  # a hidden sheet likewise


def title_merged_again(wb):
    ws = wb[sheets.EXPENSES]
    ws.unmerge_cells("A1:H1")
    ws.merge_cells("A1:K2")  # wider, and over the unit line (the unit is 单位信息's)
    wb[sheets.INCOME].unmerge_cells("A1:G1")
    wb[sheets.INCOME].merge_cells("A1:C1")


def pasted_values(wb):
    ws = wb[sheets.EXPENSES]
    ws["E5"], ws["F5"], ws["H5"] = "324.25  ", "\u300013.09\u00a0", "93.40万元"  # trailing spaces; the book's unit
    ws["E6"] = " 4.93 万元"
    wb[sheets.INCOME]["B4"] = "473.87"
    wb[sheets.INCOME]["C4"] = "478.890"


def headers_renamed_slightly(wb):
    ws = wb[sheets.EXPENSES]
    ws["E3"], ws["F3"] = " 人员 经费 ", "公用经费（万元）"  # spaces; the unit in full-width parentheses
    ws["H3"] = "项目支出(单位:万元)"
    wb[sheets.INCOME]["B3"] = "本年（万元）"
    wb[sheets.INCOME]["A3"] = "项　目"  # an ideographic space


def sheets_deleted(wb):
    for name in (sheets.PROCUREMENT_ITEMS_SHEET.name, sheets.MEMBERS, sheets.CARRYOVER, sheets.TRANSLATIONS, sheets.OPTIONS,
                 *(s.name for s in sheets.FINAL_SHEETS), "填表说明", sheets.CATALOG_SHEET):
        wb.remove(wb[name])


def own_sheets(wb):
    mine = wb.create_sheet("汇总", 0)
    mine["A1"], mine["B1"] = "科目", 999  # not read: a sheet of the officer's own
    copy = wb.copy_worksheet(wb[sheets.EXPENSES])
    copy.title = "支出 (2)"  # Excel's name for a copy: the officer's backup, beside the real 支出
    copy["E5"] = 1
    wb[sheets.INCOME].title = "收入 "  # a stray space: still the 收入 sheet


READ_AS_MEANT = (blank_rows, remark_columns, sorted_by_amount, sorted_by_code_descending, columns_moved, merged_code_and_source, hidden, title_merged_again,
                 pasted_values, headers_renamed_slightly, sheets_deleted, own_sheets)


@pytest.fixture(scope="module")
def kizilsu(tmp_path_factory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("kizilsu")
    return converted(KIZILSU, folder, "k.xlsx"), document_of(KIZILSU)


@pytest.mark.parametrize("change", READ_AS_MEANT, ids=lambda f: f.__name__)
def test_an_edit_the_officer_means_builds_the_yaml_inputs_document(kizilsu, change):
    book, expected = kizilsu
    edited = changed(book, change, f"{change.__name__}.xlsx")
    assert document_of(edited) == expected


def test_sorted_projects_are_told_in_the_order_of_the_sheet(kizilsu):
    # The order of 项目 is the officer's (the document lists them as the sheet does); lines of
    # 支出 are ordered by code whatever the order of their rows (sorted_by_amount above).
    book, _ = kizilsu

    def reverse(wb):
        ws = wb[sheets.PROJECTS]
        put_rows(ws, 5, list(reversed(rows_of(ws, 5, 7))))

    names = ["电子政务外网专项运行维护费", "克州人民政府门户网站运行维护费", "克州电子政务内外网运行维护费"]
    for path, order in ((book, names), (changed(book, reverse, "sorted.xlsx"), names[::-1])):
        checked = pipeline.check(path)
        assert checked.ok
        text = "\n".join(render_text.lines(build.document(checked.unit, checked.catalogs, checked.profile).blocks))
        assert [p.name for p in checked.unit.budget.projects] == order
        assert sorted(names, key=text.index) == order


# -- edits refused: one located line saying what to do ------------------------------------------------


def note_row(wb):
    ws = wb[sheets.EXPENSES]
    ws.insert_rows(8)
    ws["C8"] = "以下为上年数"


def note_in_the_set_column(wb):
    ws = wb[sheets.EXPENSES]
    ws.insert_rows(8)
    ws["A8"] = "以下为上年数"  # may mean the rows below: never passed over


def note_in_a_sheet_of_labels(wb):
    ws = wb[sheets.INCOME]
    ws.insert_rows(5)
    ws["B5"] = "以上为财政拨款"


def amount_merged_over_rows(wb):
    wb[sheets.EXPENSES].merge_cells("H9:H10")  # whose is 119.4: 一般公共预算's or 单位资金's?


def amount_as_a_date(wb):
    wb[sheets.EXPENSES]["E5"] = __import__("datetime").datetime(2024, 3, 4)  # "3-4" typed, taken for a date


def a_row_of_their_own(wb):
    ws = wb[sheets.INCOME]
    ws.insert_rows(5)
    ws["A5"], ws["B5"] = "小计", 473.87  # narrate sums; a row it does not know is never passed over


def amount_in_another_unit(wb):
    wb[sheets.EXPENSES]["E5"] = "3,242,500元"


def header_unit_disagrees(wb):
    wb[sheets.EXPENSES]["E3"] = "人员经费（元）"


def unit_after_a_text_header(wb):
    wb[sheets.EXPENSES]["C3"] = "名称（万元）"


def sheet_renamed(wb):
    wb[sheets.PROJECTS].title = "项目表"


def sheet_twice(wb):
    wb.copy_worksheet(wb[sheets.INCOME]).title = "收入 "


def figure_without_header(wb):
    wb[sheets.EXPENSES]["J20"] = 12.5  # far from the table: no row of it, no header


def formula_never_calculated(wb):
    wb[sheets.INCOME]["B4"] = "=SUM(支出!E5:H7)"  # openpyxl keeps no value for a formula


REFUSED = {
    note_row: "支出!B8: 这一行没有填写“科目”，narrate 不知道它属于哪一项；说明文字请写在表右侧的“备注”列（narrate 不读该列），或删除这一行",
    note_in_the_set_column: "支出!A8: 这一行没有填写“科目”，narrate 不知道它属于哪一项；说明文字请写在表右侧的“备注”列（narrate 不读该列），或删除这一行",
    note_in_a_sheet_of_labels: "收入!A5: 这一行没有填写“项目”，narrate 不知道它属于哪一项；说明文字请写在表右侧的“备注”列（narrate 不读该列），或删除这一行",
    amount_merged_over_rows: "支出!H9: 这个金额所在的单元格向下合并了几行，无法确定它属于哪一行：请取消合并，每行填写各自的金额",
    amount_as_a_date: "支出!E5: 支出[1].一般公共预算.人员经费: 应为金额（数字），实际为“2024-03-04”",
    a_row_of_their_own: "收入!B5: 收入.小计: 未知字段“小计”，是否应为“合计”？",
    amount_in_another_unit: "支出!E5: 这一格写的是“3,242,500元”，而本工作簿的金额单位是“万元”（单位信息!B5）：请按万元填写数字，不必写单位",
    header_unit_disagrees: "支出!E3: 金额单位“元”与 单位信息!B5 的“万元”不一致；一个工作簿只能用一种金额单位",
    unit_after_a_text_header: "支出!C3: 未知的列“名称（万元）”，是否应为“名称”？",
    sheet_renamed: "项目表: narrate 不读名为“项目表”的表，而工作簿中没有“项目”表：如果这就是“项目”表，请把表名改回“项目”；"
                   "如果是您自己的表，请改用不含“项目”的名称",
    sheet_twice: "收入 : 工作表“收入”和这张表都是“收入”表（表名只差空格或全角、半角）；请删除其中一张，或把不要读的那张改用其他名称",
    figure_without_header: "支出!J20: 这一格所在的列没有表头，无法知道填的是什么；请补上列名（见 narrate template 生成的“支出”表）",
    formula_never_calculated: "收入!B4: 单元格 收入!B4 的公式没有计算结果（保存它的程序不计算公式）：请用 Excel 或 WPS 打开后保存，或把公式改为数字",
}


@pytest.mark.parametrize("change", list(REFUSED), ids=lambda f: f.__name__)
def test_an_edit_that_cannot_be_read_as_meant_is_refused_at_its_cell(kizilsu, change):
    book, _ = kizilsu
    edited = changed(book, change, f"{change.__name__}.xlsx")
    assert errors(edited) == [f"{edited}:{REFUSED[change]}" + INPUT]


# -- saved by LibreOffice Calc -------------------------------------------------------------------------


@needs_libreoffice
def test_books_saved_by_calc_with_formulas_read_as_the_officer_meant(tmp_path):
    folder = tmp_path / "books"
    shutil.copytree(data_dir("inputs") / "jiangsu", folder / "jiangsu")  # its narrate.toml and 2019 codes
    budget = converted(KIZILSU, folder, "k.xlsx")
    final = converted(FINAL, folder, "f.xlsx")
    court = converted(folder / "jiangsu" / "js-high-court-2019.yaml", folder / "jiangsu", "court.xlsx")

    def budget_formulas(wb):
        ws = wb[sheets.EXPENSES]
        ws["E5"] = "=300+24.25"
        ws["I3"], ws["I5"], ws["J5"], ws["H5"] = "备注", 90, 3.4, "=SUM(I5:J5)"  # parts kept under a merged 备注
        ws.merge_cells("I3:J3")
        wb[sheets.INCOME]["B4"] = "=SUM(支出!E5:H7)"  # 324.25 + 13.09 + 93.4 + 4.93 + 38.2: binary residue in Calc

    def final_edits(wb):
        # typed with the book's unit (元) and separators, a note column, the budget's sheets gone
        wb[sheets.THREE_PUBLIC]["B10"] = "1,846,500元"
        wb[sheets.THREE_PUBLIC]["H3"] = "备注"
        for name in (sheets.PROJECTS, sheets.INDICATORS, sheets.NOTES, sheets.CARRYOVER, sheets.TARGETED_ITEMS_SHEET.name):
            wb.remove(wb[name])

    def court_formula(wb):
        ws = wb[sheets.INCOME]
        ws["B4"] = f"={ws['B4'].value}-0.34+0.34"

    books = [changed(budget, budget_formulas, "k-calc.xlsx"), changed(final, final_edits, "f-calc.xlsx"),
             changed(court, court_formula, "court-calc.xlsx"),
             changed(budget, lambda wb: wb[sheets.EXPENSES].__setitem__("E5", "=1/0"), "div0.xlsx"),
             converted(EVERY, folder, "every.xlsx")]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(tmp_path / "calc"), *map(str, books)], check=True, capture_output=True, timeout=300)
    saved = {p.name: p for p in (tmp_path / "calc").iterdir()}
    # LibreOffice wrote them: their cached formula values are Calc's
    assert "LibreOffice" in __import__("zipfile").ZipFile(saved["k-calc.xlsx"]).read("docProps/app.xml").decode()
    (folder / "jiangsu" / "court-calc.xlsx").write_bytes(saved["court-calc.xlsx"].read_bytes())
    assert document_of(saved["k-calc.xlsx"]) == document_of(KIZILSU)
    assert document_of(saved["f-calc.xlsx"]) == document_of(FINAL)
    assert document_of(folder / "jiangsu" / "court-calc.xlsx") == document_of(folder / "jiangsu" / "js-high-court-2019.yaml")
    assert model_of(saved["every.xlsx"]) == model_of(EVERY)  # every key of the model, through Calc
    div0 = saved["div0.xlsx"]
    assert errors(div0) == [f"{div0}:支出!E5: 单元格 支出!E5 的公式出错（#DIV/0!），没有可读的数字：请在 Excel 或 WPS 中改正公式，或改为数字" + INPUT]


# -- the final-accounts workbook `narrate template --final` makes -----------------------------------


def test_template_final_makes_a_workbook_that_reads_as_its_yaml_with_the_texts_to_confirm(tmp_path):
    # -o book.xlsx wrote YAML text into the .xlsx (then refused as "not a workbook")
    budget = tmp_path / "k.yaml"
    budget.write_bytes(KIZILSU.read_bytes())
    book, text = tmp_path / "k-final.xlsx", tmp_path / "k-final.yaml"
    for out in (book, text):
        result = run("template", "--final", str(budget), "-o", str(out))
        assert result.exit_code == 0, result.output
    assert book.read_bytes()[:2] == b"PK"
    assert document_of(book) == document_of(text)
    guide = [c.value for c in load_workbook(book)["填表说明"]["A"]]
    hints = [line for line in text.read_text(encoding="utf-8").splitlines() if line.startswith("#   ")]
    assert len(hints) == 13
    assert all(any(h[4:].split(": ", 1)[1][:20] in "".join(g.split("\n")) for g in guide) for h in hints)

    def filled(wb):  # an officer types this year's actuals of one line
        ws = wb[sheets.EXPENSES]
        row = next(r for r in range(5, 40) if ws.cell(r, 1).value in (None, "本年") and ws.cell(r, 2).value is None)
        ws.cell(row, 1).value, ws.cell(row, 2).value, ws.cell(row, 4).value, ws.cell(row, 5).value = "本年", 2010504, "一般公共预算", 300.5

    checked = pipeline.check(changed(book, filled, "k-final-filled.xlsx"))
    assert checked.unit is not None and checked.unit.budget.expenses[0].general.personnel == Decimal("300.5")


def test_a_jiangsu_book_with_the_officers_edits_builds_its_yaml_document(tmp_path):
    # js-dept: the 支出 sheet has a column of the format's own (格式金额 › 单位预留机动经费)
    folder = tmp_path / "jiangsu"
    shutil.copytree(data_dir("inputs") / "jiangsu", folder)
    book = converted(folder / "js-high-court-2019.yaml", folder, "court.xlsx")

    def edits(wb):
        ws = wb[sheets.EXPENSES]
        last = max(r for r in range(5, 60) if ws.cell(r, 2).value)
        put_rows(ws, 5, sorted(rows_of(ws, 5, last), key=lambda r: (r[0], -(r[6] or r[7] or r[8] or 0))))
        ws["I4"] = " 单位预留 机动经费（万元）"  # spaces, and the book's unit said again
        ws["J3"], ws["J5"] = "备注", "含机动经费"
        ws.insert_rows(7)  # a blank row
        wb[sheets.INCOME].title = "收入　"  # an ideographic space

    assert document_of(changed(book, edits, "court-edited.xlsx")) == document_of(folder / "js-high-court-2019.yaml")


def test_a_book_is_not_written_where_its_inputs_settings_would_not_apply(tmp_path):
    # `narrate convert inputs/jiangsu/js-high-court-2019.yaml x.xlsx` wrote x.xlsx beside no
    # narrate.toml: without js-dept and the 2019 codes, every line of 支出 was an unknown code.
    folder = tmp_path / "jiangsu"
    shutil.copytree(data_dir("inputs") / "jiangsu", folder)
    source, away = folder / "js-high-court-2019.yaml", tmp_path / "x.xlsx"
    says = (f"{folder / 'narrate.toml'} 只对同一文件夹中的输入起作用，对 {away} 不起作用（格式、自定义科目目录等设置会丢失，"
            f"检查时会出错）：请把 {away} 写在 {folder} 中，或把 narrate.toml 及其提到的文件一起复制过去")
    for args in (("convert", str(source), str(away)), ("template", str(source), "-o", str(away)),
                 ("template", "--final", str(source), "-o", str(away))):
        result = run(*args)
        assert (result.exit_code, result.stderr.strip()) == (1, says) and not away.exists()
    assert run("convert", str(source), str(away), "--config", str(folder / "narrate.toml")).exit_code == 0  # said outright
    assert document_of(converted(source, folder, "x.xlsx")) == document_of(source)
