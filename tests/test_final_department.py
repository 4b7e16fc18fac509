"""A department's final accounts from its members' (成员单位 with their own 决算 inputs): the
members' balance lines added code by code into the department's fund tables, and whatever the
department types itself (spending lines, income lines, balances by line, 三公 counts) checked
line by line against its members' sum, each mismatch named with both numbers and the line's
code and name at the department file's line."""

from __future__ import annotations

import io
from pathlib import Path
from textwrap import dedent

import docx
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app


def member(name: str, amount: str, fund_balances: str = "") -> str:
    """A unit: general-budget spending of `amount`, a government-fund line that took in 8.00 and
    spent 10.00 out of the 5.00 it carried into the year, two receptions."""
    return dedent(f"""\
        格式: sh-unit-final
        公开类型: 决算
        单位: {{名称: 中心{name}, 年度: 2024}}
        支出:
          - {{科目: 2010601, 一般公共预算: {{人员经费: {amount}}}}}
          - {{科目: 2120399, 政府性基金: {{项目支出: 10.00}}}}
        基本支出经济分类: [{{科目: 30101, 金额: {amount}}}]
        三公经费: {{公务接待: 1.00}}
        决算:
          收入: [{{科目: 2010601, 一般公共预算: {amount}}}, {{科目: 2120399, 政府性基金: 8.00}}]
          结转结余: {{年初结转和结余: 5.00, 年末结转和结余: 3.00}}
          三公经费数量: {{国内公务接待批次: 2, 国内公务接待人次: 10}}
        """) + (fund_balances or
                "  财政拨款结转和结余明细: [{科目: 2120399, 政府性基金: {年初结转和结余: 5.00, 年末结转和结余: 3.00}}]\n")


DEPARTMENT = """\
格式: sh-dept-final
公开类型: 决算
单位:
  名称: 测试局
  年度: 2024
  类型: 部门
  成员单位: [{名称: 中心a, 本部: true, 文件: a.yaml}, {名称: 中心b, 文件: b.yaml}]
"""


def folder(tmp_path: Path, department: str = "", b_balances: str = "") -> Path:
    (tmp_path / "a.yaml").write_text(member("a", "60.00"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(member("b", "40.00", b_balances), encoding="utf-8")
    path = tmp_path / "dept.yaml"
    path.write_text(DEPARTMENT + dedent(department), encoding="utf-8")
    return path


def fund_table(path: Path) -> list[list[str]]:
    from narrate.docx.revisions import w

    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    document = docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    table = document.tables[titles.index("政府性基金预算财政拨款收入支出决算表")]
    return [["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.iter(w("tc"))][-6:]
            for tr in list(table._tbl.iter(w("tr")))[3:]]


def line_of(path: Path, marker: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line)


def test_the_members_balance_lines_add_up_in_the_departments_fund_table(tmp_path):
    # 合计, 212, 21203, 2120399: 10.00 carried in, 16.00 taken in, 20.00 spent, 6.00 carried out
    assert fund_table(folder(tmp_path)) == [["10.00", "16.00", "20.00", "", "20.00", "6.00"]] * 4


def test_a_member_that_types_a_budgets_balance_as_a_total_only_keeps_it_off_the_lines(tmp_path):
    b = member("b", "40.00", "  结转结余: {年初结转和结余: 5.00, 年末结转和结余: 3.00, 年初财政拨款结转和结余: {政府性基金: 5.00},\n"
                             "         年末财政拨款结转和结余: {政府性基金: 3.00}}\n")
    b = b.replace("  结转结余: {年初结转和结余: 5.00, 年末结转和结余: 3.00}\n", "", 1)
    (tmp_path / "a.yaml").write_text(member("a", "60.00"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(b, encoding="utf-8")
    (tmp_path / "dept.yaml").write_text(DEPARTMENT, encoding="utf-8")
    rows = fund_table(tmp_path / "dept.yaml")
    # the 合计 row has both members' balances; the lines have no balance (中心b's has no line)
    assert rows[0] == ["10.00", "16.00", "20.00", "", "20.00", "6.00"]
    assert rows[1:] == [["", "16.00", "20.00", "", "20.00", ""]] * 3


def test_a_department_typing_its_members_sum_checks_clean(tmp_path):
    path = folder(tmp_path, """\
        支出:
          - {科目: 2010601, 一般公共预算: {人员经费: 100.00}}
          - {科目: 2120399, 政府性基金: {项目支出: 20.00}}
        基本支出经济分类: [{科目: 30101, 金额: 100.00}]
        三公经费: {公务接待: 2.00}
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}, {科目: 2120399, 政府性基金: 16.00}]
          结转结余: {年初结转和结余: 10.00, 年末结转和结余: 6.00}
          财政拨款结转和结余明细: [{科目: 2120399, 政府性基金: {年初结转和结余: 10.00, 年末结转和结余: 6.00}}]
          三公经费数量: {国内公务接待批次: 4, 国内公务接待人次: 20}
        """)
    checked = pipeline.check(path)
    assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]


def test_each_typed_line_that_differs_from_its_members_is_named_at_its_line(tmp_path):
    path = folder(tmp_path, """\
        支出:
          - {科目: 2010601, 一般公共预算: {人员经费: 100.00}}
          - {科目: 2120399, 政府性基金: {项目支出: 21.00}}  # <- spending
        基本支出经济分类: [{科目: 30101, 金额: 100.00}]
        决算:
          收入:
            - {科目: 2010601, 一般公共预算: 100.00}
            - {科目: 2120399, 名称: 公共设施, 政府性基金: 15.00}  # <- income
          财政拨款结转和结余明细:
            - {科目: 2120399, 政府性基金: {年初结转和结余: 10.00, 年末结转和结余: 5.00}}  # <- balance
          三公经费数量: {国内公务接待批次: 3, 国内公务接待人次: 20}  # <- counts
        """)
    messages = [str(p).split(str(tmp_path) + "/", 1)[1] for p in pipeline.check(path).problems if p.rule == "department-sum"]
    at = {m: line_of(path, f"# <- {m}") for m in ("spending", "income", "balance", "counts")}
    assert messages == [
        f"dept.yaml:{at['spending']}: 支出[2]: 科目 2120399 其他城乡社区公共设施支出的支出.2120399："
        "部门填写 21.00 万元，与各成员单位相加 20.00 万元不符",
        f"dept.yaml:{at['spending']}: 支出[2]: 科目 2120399 其他城乡社区公共设施支出的政府性基金.2120399："
        "部门填写 21.00 万元，与各成员单位相加 20.00 万元不符",
        f"dept.yaml:{at['spending']}: 支出[2]: 科目 2120399 其他城乡社区公共设施支出的财政拨款.2120399："
        "部门填写 21.00 万元，与各成员单位相加 20.00 万元不符",
        f"dept.yaml:{at['income']}: 决算.收入[2].政府性基金: 科目 2120399 公共设施的政府性基金："
        "部门填写 15.00 万元，与各成员单位相加 16.00 万元不符",
        f"dept.yaml:{at['balance']}: 决算.财政拨款结转和结余明细[1].政府性基金.年末结转和结余: 科目 2120399 "
        "其他城乡社区公共设施支出的政府性基金.年末结转和结余：部门填写 5.00 万元，与各成员单位相加 6.00 万元不符",
        f"dept.yaml:{at['counts']}: 决算.三公经费数量.国内公务接待批次: 国内公务接待批次：部门填写 3，与各成员单位相加 4 不符",
    ]  # one slip, one line: the totals it runs into (支出.合计, 政府性基金.212 …) are not said again


def test_a_members_line_the_department_leaves_out_is_named(tmp_path):
    path = folder(tmp_path, """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}]
        """)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and "final-balance" not in result.output  # its figures are its members'
    assert (f"dept.yaml:{line_of(path, '收入:')}: 决算.收入: 收入：各成员单位有科目 2120399 其他城乡社区公共设施支出"
            "（政府性基金 16.00 万元），部门自己填写的各行中没有这一科目") in result.output.replace(str(tmp_path) + "/", "")


def test_typed_balance_lines_the_members_do_not_give_by_line_are_held_to_the_total(tmp_path):
    b = member("b", "40.00", "  结转结余: {年初结转和结余: 5.00, 年末结转和结余: 3.00, 年初财政拨款结转和结余: {政府性基金: 5.00},\n"
                             "         年末财政拨款结转和结余: {政府性基金: 3.00}}\n")
    b = b.replace("  结转结余: {年初结转和结余: 5.00, 年末结转和结余: 3.00}\n", "", 1)
    (tmp_path / "a.yaml").write_text(member("a", "60.00"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(b, encoding="utf-8")
    path = tmp_path / "dept.yaml"
    path.write_text(DEPARTMENT + dedent("""\
        决算:
          财政拨款结转和结余明细:  # <- lines
            - {科目: 2120399, 政府性基金: {年初结转和结余: 9.00, 年末结转和结余: 6.00}}
        """), encoding="utf-8")
    messages = [str(p).split(str(tmp_path) + "/", 1)[1] for p in pipeline.check(path).problems]
    assert messages == [f"dept.yaml:{line_of(path, '# <- lines')}: 决算.财政拨款结转和结余明细: 年初财政拨款结转和结余.政府性基金："
                        "部门填写 9.00 万元，与各成员单位相加 10.00 万元不符"]
