"""Fiscal carry-over by function line (决算.财政拨款结转和结余明细): entered once per line and budget,
the budget's totals computed from the lines (a typed total checked), every line held to
年初 + 本年收入 − 本年支出 = 年末, and the fund tables (政府性基金预算财政拨款收入支出决算表) printing
the balances line by line; the workbook carries the lines too."""

from __future__ import annotations

import io
from pathlib import Path
from textwrap import dedent

import docx
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app

HEAD = """\
    格式: sh-unit-final
    公开类型: 决算
    单位: {名称: 测试中心, 年度: 2024, 内设机构: [办公室]}
    支出:
      - {科目: 2010601, 一般公共预算: {人员经费: 80.00, 公用经费: 20.00}}
      - {科目: 2120399, 政府性基金: {项目支出: 50.00}}
    基本支出经济分类:
      - {科目: 30101, 金额: 80.00}
      - {科目: 30201, 金额: 20.00}
    主要用途: {2010601: 机关运转, 2120399: 公共设施维护}
    决算:
      收入:
        - {科目: 2010601, 一般公共预算: 100.00}
        - {科目: 2120399, 政府性基金: 40.00}
    """
# A government-fund line that carried 30.00 into the year, took in 40.00, spent 50.00 and carries
# 20.00 out; the general budget's 2.00 carried through unchanged.
LINES = """\
  结转结余: {年初结转和结余: 32.00, 年末结转和结余: 22.00}
  财政拨款结转和结余明细:
    - {科目: 2010601, 一般公共预算: {年初结转和结余: 2.00, 年末结转和结余: 2.00}}
    - {科目: 2120399, 政府性基金: {年初结转和结余: 30.00, 年末结转和结余: 20.00}}  # <- line
"""


def write(tmp_path: Path, text: str, name: str = "final.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, marker: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line)


def check(path: Path) -> str:
    return CliRunner().invoke(app, ["check", str(path)]).output


def tables(path: Path) -> dict[str, list[list[str]]]:
    from narrate.docx.revisions import w

    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    document = docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    return {title: [["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.iter(w("tc"))]
                    for tr in table._tbl.iter(w("tr"))]
            for title, table in zip(titles, document.tables)}


def test_the_fund_table_prints_each_lines_balances_and_the_totals_are_the_lines(tmp_path):
    path = write(tmp_path, dedent(HEAD) + LINES)
    assert pipeline.check(path).problems == []
    got = tables(path)
    fund = [row[-6:] for row in got["政府性基金预算财政拨款收入支出决算表"][3:]]
    # 合计, 212, 21203, 2120399: 年初 | 本年收入 | 本年支出 小计, 基本, 项目 | 年末
    assert fund == [["30.00", "40.00", "50.00", "", "50.00", "20.00"]] * 4
    assert [row[:4] for row in got["政府性基金预算财政拨款收入支出决算表"][4:]] == [
        ["212", "", "", "城乡社区支出"], ["212", "03", "", "城乡社区公共设施"], ["212", "03", "99", "其他城乡社区公共设施支出"]]
    # the 财政拨款 总表 takes each budget's carry-over from the lines (none of it typed as a total)
    fiscal = {row[0]: row[1:] for row in got["财政拨款收入支出决算总表"] if row[0]}
    assert fiscal["年初财政拨款结转和结余"] == ["32.00", "年末财政拨款结转和结余", "22.00", "2.00", "20.00", ""]
    assert [row[:2] for row in got["财政拨款收入支出决算总表"][-4:-1]] == [
        ["一、一般公共预算财政拨款", "2.00"], ["二、政府性基金预算财政拨款", "30.00"], ["三、国有资本经营预算财政拨款", ""]]


def test_a_typed_total_beside_the_lines_is_checked_naming_both_numbers(tmp_path):
    typed = LINES.replace("年末结转和结余: 22.00}", "年末结转和结余: 22.00,\n"
                          "             年初财政拨款结转和结余: {一般公共预算: 2.00, 政府性基金: 35.00}}  # <- total")
    path = write(tmp_path, dedent(HEAD) + typed)
    output = check(path)
    assert (f"final.yaml:{line_of(path, '# <- total')}: 决算.结转结余.年初财政拨款结转和结余.政府性基金: "
            "年初财政拨款结转和结余.政府性基金：填写 35.00 万元，财政拨款结转和结余明细各科目相加 30.00 万元，两者不符") in output
    assert "一般公共预算：填写" not in output  # the general budget's total agrees with its line
    right = write(tmp_path, dedent(HEAD) + typed.replace("35.00", "30.00"), "right.yaml")
    assert pipeline.check(right).problems == []


def test_a_line_that_does_not_carry_over_names_its_numbers_at_its_line(tmp_path):
    path = write(tmp_path, dedent(HEAD) + LINES.replace("年末结转和结余: 20.00", "年末结转和结余: 25.00")
                           .replace("年末结转和结余: 22.00", "年末结转和结余: 27.00"))
    output = check(path)
    assert (f"final.yaml:{line_of(path, '# <- line')}: 决算.财政拨款结转和结余明细[2].政府性基金.年末结转和结余: "
            "科目 2120399 其他城乡社区公共设施支出的政府性基金财政拨款：年初结转和结余 30.00 + 本年收入 40.00 − "
            "本年支出 50.00 = 20.00 万元，而年末结转和结余为 25.00 万元  [错误 final-balance-lines]") in output
    assert "科目 2010601" not in output  # its line carries over


def test_a_line_with_income_but_no_balance_line_has_none_to_carry(tmp_path):
    # the general budget is given by line, so a line of it without one carries nothing over
    head = HEAD.replace("        - {科目: 2120399, 政府性基金: 40.00}",
                        "        - {科目: 2120399, 政府性基金: 40.00}\n        - {科目: 2010602, 一般公共预算: 5.00}  # <- income")
    path = write(tmp_path, dedent(head) + LINES.replace("年末结转和结余: 22.00", "年末结转和结余: 27.00"))
    output = check(path)
    assert (f"final.yaml:{line_of(path, '# <- income')}: 决算.收入[3].一般公共预算: 科目 2010602 一般行政管理事务的一般公共预算"
            "财政拨款：年初结转和结余 0.00 + 本年收入 5.00 − 本年支出 0.00 = 5.00 万元，而年末结转和结余为 0.00 万元") in output


def test_a_code_given_twice_is_refused(tmp_path):
    twice = LINES + "    - {科目: 2120399, 政府性基金: {年初结转和结余: 1.00}}  # <- twice\n"
    path = write(tmp_path, dedent(HEAD) + twice)
    assert (f"final.yaml:{line_of(path, '# <- twice')}: 决算.财政拨款结转和结余明细[3].科目: "
            "科目 2120399 的财政拨款结转和结余已经填写过一行") in check(path)


def test_a_format_whose_balances_move_otherwise_lowers_the_rule(tmp_path):
    path = write(tmp_path, dedent(HEAD) + LINES.replace("年末结转和结余: 20.00", "年末结转和结余: 25.00")
                           .replace("年末结转和结余: 22.00", "年末结转和结余: 27.00"))
    (tmp_path / "narrate.toml").write_text('[checks]\n"final-balance-lines" = "warning"\n"final-balance" = "warning"\n',
                                           encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0 and "[警告 final-balance-lines]" in result.output


def test_the_balance_lines_go_through_a_workbook_and_back(tmp_path):
    from narrate.load import validate, yaml_file
    import openpyxl

    path = write(tmp_path, dedent(HEAD) + LINES)
    book, back = tmp_path / "final.xlsx", tmp_path / "back.yaml"
    assert CliRunner().invoke(app, ["convert", str(path), str(book)]).exit_code == 0
    assert CliRunner().invoke(app, ["convert", str(book), str(back)]).exit_code == 0
    first, _ = validate.to_model(yaml_file.read(path).tree)
    second, _ = validate.to_model(yaml_file.read(back).tree)
    assert first is not None and second == first
    sheet = openpyxl.load_workbook(book)["财政拨款结转和结余明细"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]
    assert rows[0][0] == "测试中心2024年决算：财政拨款结转和结余明细"  # a final-accounts workbook, titled as one
    assert rows[2] == ("科目", "名称", "一般公共预算", None, "政府性基金", None, "国有资本经营", None)
    assert rows[3][2:] == ("年初结转和结余", "年末结转和结余") * 3
    assert rows[5] == ("2120399 其他城乡社区公共设施支出", None, None, None, 30, 20, None, None)
    guide = "".join(c.value or "" for c in openpyxl.load_workbook(book)["填表说明"]["A"]).replace("\n", "")
    # which column holds what is said for final accounts, not for a budget
    assert "“本年”一列是本年决算数" in guide and "本年、上年、上年预算执行数：" not in guide
    person = openpyxl.load_workbook(book)["人员"]
    prompts = [v.prompt for v in person.data_validations.dataValidation if v.prompt]
    assert any("本年（决算数）、年初预算、全年预算、上年决算各填一列" in p for p in prompts)


def test_a_format_may_print_the_general_budget_by_line_with_its_balances(tmp_path):
    # the national 财政拨款收入支出决算表 kind of table: the same line kind, the general budget
    folder = tmp_path / "fmt"
    folder.mkdir()
    (folder / "profile.yaml").write_text(dedent("""\
        name: gb-lines
        extends: sh-unit-final
        description: 一般公共预算财政拨款收入支出决算表逐行印出结转和结余
        tables:
          f8: {lines: general_budget, title: 一般公共预算财政拨款收入支出决算表, empty_what: 一般公共预算财政拨款}
        """), encoding="utf-8")
    from narrate.docx.revisions import w

    checked = pipeline.check(write(tmp_path, dedent(HEAD) + LINES), profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    document = docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    table = document.tables[titles.index("一般公共预算财政拨款收入支出决算表", 5)]  # after table 5 of the same name
    rows = [["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.iter(w("tc"))]
            for tr in list(table._tbl.iter(w("tr")))[3:]]
    # 合计, 201, 20106, 2010601: 2.00 carried in and out, 100.00 taken in and spent, all of it basic
    assert [row[-6:] for row in rows] == [["2.00", "100.00", "100.00", "100.00", "", "2.00"]] * 4
    assert [row[:3] for row in rows[1:]] == [["201", "", ""], ["201", "06", ""], ["201", "06", "01"]]


def test_in_a_workbook_the_line_is_named_at_its_closing_balance_cell(tmp_path):
    path = write(tmp_path, dedent(HEAD) + LINES.replace("年末结转和结余: 20.00", "年末结转和结余: 25.00")
                 .replace("年末结转和结余: 22.00", "年末结转和结余: 27.00"))
    book = tmp_path / "final.xlsx"
    assert CliRunner().invoke(app, ["convert", str(path), str(book)]).exit_code == 0
    output = check(book)
    # row 6: title, unit line, two header rows, 2010601, 2120399; F: 政府性基金 › 年末结转和结余
    assert ("final.xlsx:财政拨款结转和结余明细!F6: 决算.财政拨款结转和结余明细[2].政府性基金.年末结转和结余: 科目 2120399 "
            "其他城乡社区公共设施支出的政府性基金财政拨款：年初结转和结余 30.00 + 本年收入 40.00 − 本年支出 50.00 = 20.00 万元，"
            "而年末结转和结余为 25.00 万元") in output
