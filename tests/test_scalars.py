"""One policy for scalars, everywhere (docs/input-format.md, 基本规则):

- a number is an unquoted YAML number in ASCII digits: true is not 1, 0x10 is not 16, "24" in
  quotes is text, full-width ２４ and ３.２１ are refused alike for amounts, counts and codes;
- amounts and counts have a plausible range;
- nothing after the colon, or a text that cleaning empties, is "not given": an optional field
  takes its default, a required one (or a list item) is reported empty.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from narrate import pipeline
from narrate.money import fmt
from unitfile import check, line_of, unit_yaml

STAFF = "人员:\n  编制数: {}  # <-\n  实有人数: 9\n  在职: 8\n  退休: 1\n"
RUNNING = "机关运行经费: {}  # <-\n"
NAME = "单位:\n  名称: {}  # <-\n  年度: 2024\n"
YEAR = "单位:\n  名称: 测试中心\n  年度: {}  # <-\n"
DATE = "单位:\n  名称: 测试中心\n  年度: 2024\n  日期: {}  # <-\n"
PROJECT = """\
项目:
  - 名称: {}  # <-
    科目: 2010504
    经济分类: {{302: 30.00}}
    绩效目标:
      指标:
        - {{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 维护系统数, 指标值: "=3个", 分值: 90}}
"""
CODE = "基本支出经济分类:\n  - {{科目: {}, 金额: 80.00}}  # <-\n  - {{科目: 30201, 金额: 10.00}}\n"

REFUSED = {
    "a boolean count": (STAFF, "true", "人员.编制数: 应为整数，实际为“true”"),
    "a hexadecimal count": (STAFF, "0x10", "人员.编制数: 应为整数，实际为“0x10”"),
    "an octal count": (STAFF, "0o17", "人员.编制数: 应为整数，实际为“0o17”"),
    "a quoted count": (STAFF, '"24"', "人员.编制数: 数字不要加引号：“24”是文字"),
    "a full-width count": (STAFF, "２４", "人员.编制数: 数字应使用半角字符：“２４”应写作 24"),
    "a count written as a decimal": (STAFF, "8.0", "人员.编制数: 应为整数，实际为“8.0”"),
    "a count of 1e309": (STAFF, "1e309", "人员.编制数: 应为整数，实际为“1E+309”"),
    "a count over the limit": (STAFF, "1000000001", "人员.编制数: 数量过大：最多 1000000000，实际为 1000000001"),
    "a boolean amount": (RUNNING, "true", "机关运行经费: 应为金额（数字），实际为“true”"),
    "a hexadecimal amount": (RUNNING, "0x10", "机关运行经费: 应为金额（数字），实际为“0x10”"),
    "a quoted amount": (RUNNING, '"10.00"', "机关运行经费: 数字不要加引号：“10.00”是文字"),
    "a full-width amount": (RUNNING, "３.２１", "机关运行经费: 数字应使用半角字符：“３.２１”应写作 3.21"),
    "a full-width amount with a full-width point": (RUNNING, "１０．００", "应写作 10.00"),
    "an amount of 1e26": (RUNNING, "1e26", "机关运行经费: 金额过大：最多 1000000000000 万元，实际为 1E+26"),
    "an amount a cent over the limit": (RUNNING, "1000000000000.01", "金额过大：最多 1000000000000 万元"),
    "an infinite amount": (RUNNING, ".inf", "机关运行经费: 应为金额（数字），实际为“.inf”"),
    "an amount finer than a fen": (RUNNING, "0.0000001", "机关运行经费: 金额最多 6 位小数（0.000001 万元即 1 分），实际为 1E-7"),
    "an amount of 1e-27": (RUNNING, "1e-27", "金额最多 6 位小数"),
    "a boolean year": (YEAR, "true", "单位.年度: 应为整数，实际为“true”"),
    "a quoted year": (YEAR, '"2024"', "单位.年度: 数字不要加引号：“2024”是文字"),
    "a year before 2000": (YEAR, "1999", "单位.年度: 年度不合理：1999"),
    "a date given as a number": (DATE, "20240225", "单位.日期: 应为日期（如 2024-02-25），实际为“20240225”"),
    "a NUL for a name": (NAME, '"\\0"', "单位.名称: 不能为空"),
    "spaces and a bell for a name": (NAME, '"  \\a "', "单位.名称: 不能为空"),
    "nothing after 名称:": (NAME, "", "单位.名称: 不能为空"),
    "an empty project name": (PROJECT, '""', "项目[1].名称: 不能为空"),
    "a full-width code": (CODE, "３０１０１", "基本支出经济分类[1].科目: 数字应使用半角字符：“３０１０１”应写作 30101"),
}


@pytest.mark.parametrize(("section", "value", "says"), REFUSED.values(), ids=REFUSED.keys())
def test_a_scalar_outside_the_policy_is_refused_at_its_line(section, value, says, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = unit_yaml(section.format(value))
    at = f"unit.yaml:{line_of(text, '# <-')}: "
    errors = [message for severity, _, message in check(tmp_path, text) if severity == "error"]
    assert any(message.startswith(at) and says in message for message in errors), errors


def loaded(tmp_path: Path, text: str):
    """Returns the file's figures (this year's budget) with its unit's information as .unit."""
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    checked = pipeline.check(tmp_path / "unit.yaml")
    assert checked.unit is not None, [str(p) for p in checked.problems]
    budget = checked.unit.budget
    return SimpleNamespace(**{name: getattr(budget, name) for name in type(budget).model_fields}, unit=checked.unit.info)


ACCEPTED = {
    "a count": (STAFF, "24", lambda f: f.staffing.posts, 24),
    "a count of zero": (STAFF, "0", lambda f: f.staffing.posts, 0),
    "the largest count": (STAFF, "1000000000", lambda f: f.staffing.posts, 10**9),
    "an amount as written": (RUNNING, "10.00", lambda f: str(f.operating_typed), "10.00"),
    "a whole amount": (RUNNING, "10", lambda f: f.operating_typed, Decimal(10)),
    "the largest amount": (RUNNING, "1000000000000", lambda f: f.operating_typed, Decimal(10) ** 12),
    "minus zero, shown as 0.00": (RUNNING, "-0.00", lambda f: fmt(f.operating_typed), "0.00"),
    "one fen": (RUNNING, "0.000001", lambda f: f.operating_typed, Decimal("0.000001")),
    "trailing zeros past the sixth decimal": (RUNNING, "10.0000000", lambda f: f.operating_typed, Decimal(10)),
    "nothing after an optional amount": (RUNNING, "", lambda f: f.operating_typed, None),
    "a name cleaned of a control character": (NAME, '"测试\\a中心"', lambda f: f.unit.name, "测试中心"),
}


@pytest.mark.parametrize(("section", "value", "read", "expected"), ACCEPTED.values(), ids=ACCEPTED.keys())
def test_a_scalar_inside_the_policy_is_read_as_written(section, value, read, expected, tmp_path):
    assert read(loaded(tmp_path, unit_yaml(section.format(value)))) == expected


@pytest.mark.parametrize("blank", ["", '""', '"\\0"', '"   "'])
def test_a_blank_optional_text_takes_its_default(blank, tmp_path):
    text = unit_yaml(PROJECT.format("运维项目").replace("    科目: 2010504\n", f"    科目: 2010504\n    承担单位: {blank}\n"
                                                                             f"    政策依据: {blank}\n"))
    project = loaded(tmp_path, text).projects[0]
    assert (project.executor, project.basis) == (None, "")


def test_a_blank_amount_among_the_three_public_means_none(tmp_path):
    text = unit_yaml("三公经费: {公务接待: 1.00, 公务用车购置: , 公务用车运行: 2.00, 公务用车小计: 2.00, 合计: 3.00}\n")
    assert loaded(tmp_path, text).three_public.vehicle_purchase == Decimal(0)


def test_the_extremes_of_the_range_still_build(tmp_path, monkeypatch):
    """The largest amount against one fen last year: a change rate of 10^20 %, which money.round2
    must still be able to round (1e-27 against 10 could not: decimal.InvalidOperation)."""
    from typer.testing import CliRunner

    from narrate.cli import app

    monkeypatch.chdir(tmp_path)
    text = unit_yaml(
        "三公经费: {公务接待: 1000000000000}\n",
        "上年:\n  人员: {在职: 8, 退休: 1}\n  三公经费: {公务接待: 0.000001}\n",
    )
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["build", "unit.yaml", "-o", "out.docx"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.docx").is_file()
    shown = CliRunner().invoke(app, ["preview", "unit.yaml"]).output
    assert "公务接待费增加1000000000000.00万元，增长99999999999999999900.00%" in shown
