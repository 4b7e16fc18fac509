"""Figures in from Excel: the workbook narrate template makes, read back by check/build, and the
bad workbooks an officer may hand over.

The shipped samples exist as workbooks only here: each test makes them with the template
command, so they can never drift from what `narrate template` writes.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pydantic import BaseModel
from typer.testing import CliRunner

from narrate import build, model, pipeline, render_text, sheets
from narrate.cli import app
from narrate.load import read_doc
from narrate.load.validate import canonical, to_model
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"
SAMPLES = ("kizilsu-egov-2024.yaml", "putuo-commerce-2025-unit.yaml", "putuo-commerce-2025-dept.yaml")
EVERY = DATA / "every-field.yaml"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def template(tmp_path: Path, source: Path | None = None, name: str = "book.xlsx") -> Path:
    out = tmp_path / name
    result = run("template", *([str(source)] if source else []), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def edited(book: Path, change, name: str = "edited.xlsx") -> Path:
    """Returns a copy of book changed by change(workbook), saved as an officer's program would."""
    wb = load_workbook(book)
    change(wb)
    out = book.with_name(name)
    wb.save(out)
    return out


def model_of(path: Path) -> model.UnitFile:
    record, findings = to_model(read_doc(path).tree)
    assert findings == [], findings
    return record


def as_typed(path: Path) -> dict:
    """Returns the file's values in its own money unit, defaults left out."""
    record = model.UnitFile.model_validate(canonical(read_doc(path).tree), context={model.MONEY_SCALE: Decimal(1)})
    return record.model_dump(exclude_defaults=True)


INPUT = "  [错误 input]"


def errors(path: Path, *args: str) -> list[str]:
    result = run("check", str(path), *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stderr.splitlines() if not line.startswith(("检查未通过", "check failed"))]


def kizilsu(tmp_path: Path) -> Path:
    return template(tmp_path, data_dir("inputs") / SAMPLES[0], "k.xlsx")


# -- the samples, both ways -------------------------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES)
def test_each_sample_as_a_workbook_builds_the_same_document(tmp_path, sample):
    yaml_path = data_dir("inputs") / sample
    book = template(tmp_path, yaml_path, Path(sample).with_suffix(".xlsx").name)
    from_yaml, from_book = pipeline.check(yaml_path), pipeline.check(book)
    assert from_yaml.ok and from_book.ok
    assert [(p.rule, p.field, p.message) for p in from_book.problems] == [(p.rule, p.field, p.message) for p in from_yaml.problems]
    texts = [render_text.lines(build.document(c.unit, c.catalogs, c.profile).blocks) for c in (from_yaml, from_book)]
    assert texts[0] == texts[1] and len(texts[0]) > 50
    assert build.render(from_book.unit, from_book.catalogs, from_book.profile) == build.render(
        from_yaml.unit, from_yaml.catalogs, from_yaml.profile)


@pytest.mark.parametrize("source", [data_dir("inputs") / s for s in SAMPLES] + [EVERY], ids=lambda p: p.name)
def test_yaml_to_workbook_to_yaml_keeps_every_figure_and_text(tmp_path, source):
    book, back = tmp_path / "book.xlsx", tmp_path / "back.yaml"
    assert run("convert", str(source), str(book)).exit_code == 0
    assert run("convert", str(book), str(back)).exit_code == 0
    first = model_of(source)
    assert model_of(book) == first
    assert model_of(back) == first
    # and the figures as typed, in the file's own unit (元 stays 元)
    assert as_typed(back) == as_typed(source)


def test_the_every_field_input_sets_every_key_of_the_model():
    unset: set[str] = set()
    seen: set[tuple[type, str]] = set()

    def walk(value):
        if isinstance(value, BaseModel):
            seen.update((type(value), f) for f in value.model_fields_set)
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)

    walk(model_of(EVERY))
    for cls in {c for c, _ in seen}:
        unset.update(f"{cls.__name__}.{f}" for f in cls.model_fields if (cls, f) not in seen)
    # A member's figures written in the department's file have no place in a workbook: they are
    # refused there (test_a_member_with_figures_inline_is_refused_as_a_workbook).
    unset.discard("Member.figures")
    # Nor has a line's bucket of the format's own (格式金额 in a cell) yet: refused likewise
    # (test_own_fields.test_a_bucket_beside_basic_and_project_is_part_of_every_sum).
    unset.discard("Cell.own")
    records = {cls for cls in vars(model).values() if isinstance(cls, type) and issubclass(cls, model.Record)}
    never = {cls.__name__ for cls in records - {c for c, _ in seen}} - {"Unit", "Words", "Record", "_BySource"}
    assert unset == set() and never == set()


def test_the_workbook_has_the_officers_tables_and_the_same_input_makes_the_same_bytes(tmp_path):
    first = kizilsu(tmp_path)
    time.sleep(1.1)  # a second later: no clock in the bytes
    again = template(tmp_path, data_dir("inputs") / SAMPLES[0], "again.xlsx")
    assert first.read_bytes() == again.read_bytes()
    wb = load_workbook(first)
    assert wb.sheetnames == ["填表说明"] + [s.name for s in sheets.SHEETS] + [sheets.CATALOG_SHEET]
    assert wb[sheets.CATALOG_SHEET].sheet_state == "visible"  # to look codes up
    ws = wb[sheets.EXPENSES]
    assert ws.freeze_panes == "A5" and ws["H2"].value == "单位：万元"
    assert [ws.cell(3, c).value for c in range(1, 9)] == ["口径", "科目", "名称", "资金来源", "人员经费", "公用经费", "基本支出", "项目支出"]
    # a code shows its name, as the list offers it; reading takes the code (the round trips above)
    assert [ws.cell(5, c).value for c in (1, 2, 4, 5, 6, 8)] == ["本年", "2010504 信息事务", "一般公共预算", 324.25, 13.09, 93.4]
    assert ws["E5"].number_format == "#,##0.00"
    lists = {str(v.sqref): v.formula1 for v in ws.data_validations.dataValidation if v.type == "list"}
    assert lists["B3 B5:B213"].startswith("'科目目录'!$E$2:$E$") and lists["D3 D5:D213"].startswith('"一般公共预算,')
    assert wb[sheets.VEHICLES]["B5"].value == "一般公务用车"  # the profile's vehicle kinds, ready to fill


def test_convert_keeps_a_file_it_would_replace(tmp_path):
    target = tmp_path / "unit.yaml"
    target.write_text("# 我的文件\n", encoding="utf-8")
    result = run("convert", str(kizilsu(tmp_path)), str(target))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "unit.yaml.bak").read_text(encoding="utf-8") == "# 我的文件\n"
    assert target.read_text(encoding="utf-8").splitlines()[:3] == [
        "# narrate 输入文件，由 narrate convert 从 k.xlsx 转换而来。格式说明见 docs/input-format.md。", "金额单位: 万元", "单位:"]
    assert run("convert", str(target), str(tmp_path / "unit.txt")).stderr.strip() == \
        "无法转换为“.txt”文件：输出文件应以 .yaml、.yml 或 .xlsx 结尾"


def test_template_names_its_book_and_refuses_a_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("template").exit_code == 0 and (tmp_path / "预算数字.xlsx").is_file()
    bad = tmp_path / "bad.yaml"
    bad.write_text("单位:\n  名称: 某某中心\n  年度: 二〇二四\n", encoding="utf-8")
    result = run("template", str(bad))
    assert result.exit_code == 1 and not (tmp_path / "bad.xlsx").exists()
    assert result.stderr.splitlines() == [f"{bad}:3: 单位.年度: 应为整数，实际为“二〇二四”"]


def test_the_empty_template_asks_for_the_unit_at_its_cells(tmp_path):
    book = template(tmp_path)
    assert errors(book) == [
        f"{book}:单位信息!B6: 单位.名称: 缺少必填字段" + INPUT,
        f"{book}:单位信息!B7: 单位.年度: 缺少必填字段" + INPUT,
    ]


# -- cells ---------------------------------------------------------------------------------------------


def test_numbers_become_decimals_as_excel_shows_them(tmp_path):
    def change(wb):
        wb[sheets.INCOME]["B4"] = 0.1 + 473.77000000000006  # binary residue: 473.87000000000006
        wb[sheets.EXPENSES]["E5"] = "324.25"  # a number kept as text
        wb[sheets.ECONOMIC]["D5"] = " 88.20 "
        wb[sheets.PROCUREMENT]["B4"] = "1,204.84"  # thousands separators
        wb[sheets.PERFORMANCE]["B5"] = 15909089558  # a phone number typed as a number
        wb[sheets.UNIT]["B8"] = dt.datetime(2024, 2, 25)

    tree = read_doc(edited(kizilsu(tmp_path), change)).tree
    assert 0.1 + 473.77000000000006 != 473.87
    assert str(tree["收入"]["一般公共预算"]) == "473.87"
    assert tree["支出"][0]["一般公共预算"]["人员经费"] == Decimal("324.25")
    assert str(tree["基本支出经济分类"][0]["金额"]) == "88.20"
    assert tree["政府采购"]["货物"] == Decimal("1204.84")
    assert tree["整体绩效"]["联系电话"] == "15909089558"
    assert tree["单位"]["日期"] == dt.date(2024, 2, 25)


def test_full_width_digits_and_booleans_get_the_same_verdict_as_in_yaml(tmp_path):
    def change(wb):
        wb[sheets.INCOME]["B4"] = "４７３.８７"
        wb[sheets.STAFF]["B6"] = True

    tree = read_doc(edited(kizilsu(tmp_path), change)).tree
    assert tree["收入"]["一般公共预算"] == "４７３.８７" and tree["人员"]["在职"] is True
    yaml_tree = canonical(read_doc(data_dir("inputs") / SAMPLES[0]).tree)
    yaml_tree["收入"]["一般公共预算"], yaml_tree["人员"]["在职"] = "４７３.８７", True
    book_findings = [(f.path, f.key) for f in to_model(tree)[1]]
    assert book_findings == [(f.path, f.key) for f in to_model(yaml_tree)[1]]


def test_a_title_row_the_unit_line_merged_headers_and_blank_rows_are_tolerated(tmp_path):
    wb = Workbook()
    info = wb.active
    info.title = "单位信息"
    info.append(["某某中心2024年预算数据"])
    info.append([])
    info.append(["项目", "内容"])
    info.append(["名称", "某某中心"])
    info.append([])
    info.append(["年度", 2024])
    info.append(["主要职能", "负责甲。"])
    info.append([None, "负责乙。"])
    carry = wb.create_sheet("上年结转结余")
    carry.append(["2024年上年结转结余情况明细表"])
    carry.append([None, None, None, None, None, "金额单位：元"])
    carry.append(["名称", "财政\n拨款", None, None, "非财政拨款"])
    carry.append([None, "人员经费", "公用经费", "项目支出", "项目支出"])
    carry.merge_cells("A3:A4")
    carry.merge_cells("B3:D3")
    carry.append([])
    carry.append(["结转项目", 1, 2, 3, 4.5])
    staff = wb.create_sheet("人员")
    staff.append(["人员情况"])
    staff.append([None, "单位：人"])  # above a table of counts, not a money unit
    staff.append(["项目", "本年", "上年"])
    staff.append(["在职", 8, 7])
    expenses = wb.create_sheet("支出")
    expenses.append(["科目", "资金来源", "基本支出", None, "项目支出"])
    expenses.append([None, None, "人员经费", "公用经费", None])
    expenses.merge_cells("C1:D1")
    expenses.append([2010504, "一般公共预算", 10, 2, 3])
    expenses.append([2010504, "单位资金", None, None, 4.5])
    path = tmp_path / "hand.xlsx"
    wb.save(path)
    record = model_of(path)
    assert record.money_unit == "元" and record.unit.functions == ("负责甲。", "负责乙。")
    assert (record.staffing.active, record.prior.staffing.active) == (8, 7)
    item = record.carryover[0]
    assert (item.fiscal.personnel, item.fiscal.project, item.other.project) == (Decimal("0.0001"), Decimal("0.0003"), Decimal("0.00045"))
    (line,) = record.expenses
    assert (line.general.personnel, line.general.public, line.general.project, line.unit.project) == (
        Decimal("0.001"), Decimal("0.0002"), Decimal("0.0003"), Decimal("0.00045"))


# -- where a problem is --------------------------------------------------------------------------------


def test_a_bad_value_is_placed_at_its_cell(tmp_path):
    book = edited(kizilsu(tmp_path), lambda wb: wb[sheets.EXPENSES].__setitem__("E6", "三百"))
    assert errors(book) == [f"{book}:支出!E6: 支出[2].一般公共预算.人员经费: 应为金额（数字），实际为“三百”" + INPUT]


def test_a_check_is_placed_at_the_cell_of_its_figure(tmp_path):
    book = edited(kizilsu(tmp_path), lambda wb: wb[sheets.INCOME].__setitem__("B4", 500))
    assert errors(book)[0] == (
        f"{book}:收入!B4: 收入.一般公共预算: 收入表“一般公共预算”填写 500.00 万元，与支出中该来源合计 473.87 万元不符  [错误 balance]")


def test_a_last_year_figure_is_placed_in_the_row_of_last_year(tmp_path):
    book = edited(kizilsu(tmp_path), lambda wb: wb[sheets.EXPENSES].__setitem__("G8", -1))
    assert errors(book) == [f"{book}:支出!G8: 上年.支出[1].一般公共预算.基本支出: 不能为负数（实际为 -1）" + INPUT]


# -- bad workbooks: one line, exit 1 -----------------------------------------------------------------


def test_a_file_that_is_not_a_workbook(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("预算数字", encoding="utf-8")
    other_zip = tmp_path / "draft.xlsx"
    with __import__("zipfile").ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert errors(text) == [f"{text}: 不是 Excel 工作簿（.xlsx），无法读取" + INPUT]
    assert errors(other_zip) == [f"{other_zip}: 不是 Excel 工作簿（.xlsx），无法读取" + INPUT]


@needs_libreoffice
def test_an_old_xls_says_how_to_convert_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NARRATE_LANG", "zh")  # --lang en below sets it for the process
    book = kizilsu(tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(book)], check=True, capture_output=True, timeout=120)
    old = tmp_path / "k.xls"
    renamed = tmp_path / "disguised.xlsx"
    renamed.write_bytes(old.read_bytes())
    says = "这是旧版 Excel 文件（.xls），narrate 只读 .xlsx：请用 Excel 或 WPS 打开，另存为 .xlsx 后再试" + INPUT
    assert errors(old) == [f"{old}: {says}"]
    assert errors(renamed) == [f"{renamed}: {says}"]
    result = run("--lang", "en", "check", str(old))
    assert result.exit_code == 1 and result.stderr.splitlines()[0] == (
        f"{old}: this is an old Excel file (.xls) and narrate reads .xlsx: open it in Excel or WPS and save it as .xlsx "
        "(用 Excel 或 WPS 另存为 .xlsx), then try again  [error input]")


def test_a_password_protected_workbook(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    book = kizilsu(tmp_path)
    locked = tmp_path / "locked.xlsx"
    with book.open("rb") as plain, locked.open("wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    assert locked.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and msoffcrypto
    assert errors(locked) == [f"{locked}: 工作簿设有打开密码（已加密），narrate 无法读取：请在 Excel 或 WPS 中取消密码后另存为 .xlsx" + INPUT]


def test_a_formula_never_calculated_is_named(tmp_path):
    book = edited(kizilsu(tmp_path), lambda wb: wb[sheets.EXPENSES].__setitem__("E5", "=300+24.25"))
    assert errors(book) == [
        f"{book}:支出!E5: 单元格 支出!E5 的公式没有计算结果（保存它的程序不计算公式）：请用 Excel 或 WPS 打开后保存，或把公式改为数字" + INPUT]


def test_a_missing_sheet_is_named_with_the_template_that_has_it(tmp_path):
    book = edited(kizilsu(tmp_path), lambda wb: wb.remove(wb[sheets.UNIT]))
    assert errors(book) == [f"{book}: 缺少工作表“单位信息”；narrate template 生成的工作簿中有这张表" + INPUT]


def test_a_missing_column_is_named_with_the_template_that_has_it(tmp_path):
    def change(wb):
        ws = wb[sheets.PROJECTS]
        ws.unmerge_cells("C3:C4")
        for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
            row[0].value = None

    book = edited(kizilsu(tmp_path), change)
    assert errors(book) == [f"{book}:项目!B4: 工作表“项目”缺少“科目”列；narrate template 生成的工作簿中有这一列" + INPUT]


def test_an_unknown_column_an_unknown_budget_and_a_unit_that_disagrees(tmp_path):
    book = kizilsu(tmp_path)
    column = edited(book, lambda wb: wb[sheets.EXPENSES].__setitem__("E3", "人员经费（含社保）"), "column.xlsx")
    budget = edited(book, lambda wb: wb[sheets.EXPENSES].__setitem__("A6", "今年"), "budget.xlsx")
    unit = edited(book, lambda wb: wb[sheets.EXPENSES].__setitem__("H2", "单位：元"), "unit.xlsx")
    link = edited(book, lambda wb: wb[sheets.INDICATORS].__setitem__("B5", "没有这个项目"), "link.xlsx")
    assert errors(column) == [f"{column}:支出!E3: 未知的列“人员经费（含社保）”，是否应为“人员经费”？" + INPUT]
    assert errors(budget) == [f"{budget}:支出!A6: 应为“本年”、“上年”、“上年预算执行数”、“年初预算”、“全年预算”、“上年决算”之一，实际为“今年”" + INPUT]
    assert errors(unit) == [f"{unit}:支出!H2: 金额单位“元”与 单位信息!B5 的“万元”不一致；一个工作簿只能用一种金额单位" + INPUT]
    assert errors(link) == [f"{link}:绩效目标!B5: “项目”表中没有名为“没有这个项目”的项目（单位整体绩效的指标写“整体绩效”）" + INPUT]


# -- LibreOffice ----------------------------------------------------------------------------------------


@needs_libreoffice
def test_libreoffice_opens_the_template_and_its_saved_workbook_reads_the_same(tmp_path):
    empty, filled = template(tmp_path, name="empty.xlsx"), kizilsu(tmp_path)
    book = edited(filled, lambda wb: wb[sheets.EXPENSES].__setitem__("E5", "=300+24.25"), "formula.xlsx")
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path / "csv"), str(empty)], check=True, capture_output=True, timeout=120)
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo_saved"), str(book)],
                   check=True, capture_output=True, timeout=120)
    rows = (tmp_path / "csv" / "empty.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "填表说明" and "单位信息：每行一个项目，按行标签填写。" in rows  # the book opens on its guide
    saved = tmp_path / "lo_saved" / "formula.xlsx"
    assert model_of(saved) == model_of(data_dir("inputs") / SAMPLES[0])  # the formula's value, 324.25


def test_the_input_format_guide_describes_every_sheet_and_shows_one():
    guide = (Path(__file__).parents[1] / "docs" / "input-format.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Excel 工作簿"):guide.index("## 完整示例")]
    assert [s.name for s in sheets.SHEETS if f"`{s.name}`" not in section] == []
    picture = section.split("](", 1)[1].split(")", 1)[0]
    assert (Path(__file__).parents[1] / "docs" / picture).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_template_follows_the_profile_it_is_made_for(tmp_path):
    book = tmp_path / "sh.xlsx"
    assert run("template", "--profile", "sh-unit", "-o", str(book)).exit_code == 0
    wb = load_workbook(book)
    info = {wb[sheets.UNIT].cell(r, 1).value: wb[sheets.UNIT].cell(r, 2).value for r in range(4, 8)}
    assert info["格式"] == "sh-unit" and info["金额单位"] == "元" and wb[sheets.EXPENSES]["H2"].value == "单位：元"
    kinds = [wb[sheets.VEHICLES].cell(r, 2).value for r in range(5, 13)]
    assert kinds == ["部级领导干部用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车"]
    classes = [wb[sheets.PROJECTS].cell(4, c).value for c in range(6, 16)]
    assert classes[:2] == ["301 工资福利支出", "302 商品和服务支出"] and wb[sheets.PROJECTS]["F3"].value == "经济分类"


def test_a_member_with_figures_inline_is_refused_as_a_workbook(tmp_path):
    source = tmp_path / "dept.yaml"
    source.write_text("单位:\n  名称: 某部门\n  年度: 2024\n  类型: 部门\n  成员单位:\n    - 名称: 某站\n"
                      "      预算: {支出: [{科目: 2010350, 一般公共预算: {人员经费: 1.00}}]}\n", encoding="utf-8")
    result = run("convert", str(source), str(tmp_path / "dept.xlsx"))
    assert result.exit_code == 1 and "成员单位“某站”的预算直接写在部门文件中，工作簿无法容纳" in result.output
    assert not (tmp_path / "dept.xlsx").exists()
