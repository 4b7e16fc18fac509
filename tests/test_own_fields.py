"""Fields of a format's own: a profile declares amounts, counts and texts narrate has no name
for; the input gives them by name (YAML and workbook); checks, facts, tables and phrases see
them like built-in ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app
from unitfile import unit_yaml

PROFILE = """\
name: own
extends: xj-unit
fields:
  单位预留机动经费: {kind: amount, adds_to: [支出.合计], description: 与基本支出、项目支出并列}
  会议费: {kind: amount, sets: [上年预算]}
  预算单位数: {kind: count, required: true}
  简称: {kind: text}
parts:
  - {kind: explanations, heading: part3.title, sections: [custom.own]}
  - {kind: tables, tables: [costs]}
tables:
  costs:
    kind: facts
    title: 会议费表
    header: [[项目, 本年]]
    rows:
      - [会议费, {fact: 会议费}]
      - [单位预留机动经费, {fact: 单位预留机动经费, style: yuan}]
money:
  styles:
    yuan: {unit: 元, decimals: 0, grouping: true}
"""

PHRASES = """\
custom.own: "{{ f.text('简称') }}支出{{ f['支出.合计']|money('total') }}万元（含单位预留机动经费{{ f['单位预留机动经费']|money('reserve') }}万元，比上年{% if f['单位预留机动经费'].change.up %}增加{% else %}减少{% endif %}{{ f['单位预留机动经费'].change.amount|money('chg') }}万元），会议费{{ f['会议费']|money('meet') }}万元（{{ f['会议费'].trend }}），预算单位{{ f['预算单位数']|num('units') }}个。"
"""

INPUT = unit_yaml("""\
    格式金额: {单位预留机动经费: 5.00, 会议费: 1.50}
    """, """\
    格式数量: {预算单位数: 3}
    """, """\
    格式文字: {简称: 测试中心本级}
    """, """\
    上年:
      人员: {在职: 8, 退休: 1}
      收入: {一般公共预算: 120.00}
      支出:
        - 科目: 2010504
          一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
      三公经费: {公务接待: 1.00, 公务用车运行: 2.00}
      机关运行经费: 10.00
      格式金额: {单位预留机动经费: 3.00, 会议费: 2.00}
    """)


def _setup(tmp_path: Path, text: str = INPUT, profile: str = PROFILE, phrases: str = PHRASES) -> tuple[Path, Path]:
    folder = tmp_path / "fmt"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(profile, encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(phrases, encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    return folder, tmp_path / "unit.yaml"


def test_a_formats_own_fields_are_facts_in_sums_tables_and_phrases(tmp_path):
    folder, path = _setup(tmp_path)
    checked = pipeline.check(path, profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    # the reserve is part of 支出.合计 (120 + 5), compared with last year's 3; 会议费 fell from 2
    assert "测试中心本级支出125.00万元（含单位预留机动经费5.00万元，比上年增加2.00万元），会议费1.50万元（down），预算单位3个。" in texts
    table = next(b for b in doc.blocks if getattr(b, "id", "") == "costs")
    # a cell may name its own number style
    assert [[c.text for c in row] for row in table.rows] == [["会议费", "1.50"], ["单位预留机动经费", "50,000"]]


def test_a_field_the_comparison_set_does_not_carry_has_no_change(tmp_path):
    profile = PROFILE.replace("会议费: {kind: amount, sets: [上年预算]}", "会议费: {kind: amount, sets: [上年预算执行数]}")
    folder, path = _setup(tmp_path, profile=profile)
    checked = pipeline.check(path, profile=folder)
    texts = [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]
    assert any("会议费1.50万元（none）" in t for t in texts)


@pytest.mark.parametrize("change, message", [
    (("格式数量: {预算单位数: 3}", "格式数量: {预算单位: 3}"), "格式数量.预算单位: 格式没有名为“预算单位”的字段；是否应为“预算单位数”？"),
    (("格式数量: {预算单位数: 3}", "格式数量: {简称: 3}"), "格式数量.简称: “简称”应写在 格式文字 下"),
    (("格式数量: {预算单位数: 3}", "格式数量: {}"), "格式数量: 格式要求填写“预算单位数”（写在 格式数量 下）"),
    (("格式金额: {单位预留机动经费: 5.00, 会议费: 1.50}", "格式金额: {单位预留机动经费: 五元}"), "格式金额.单位预留机动经费"),
])
def test_a_field_given_wrong_is_refused_at_its_line(tmp_path, change, message):
    folder, path = _setup(tmp_path, INPUT.replace(*change))
    result = CliRunner().invoke(app, ["check", str(path), "--profile", str(folder)])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("change, message", [
    (("  简称: {kind: text}\n", "  收入.合计: {kind: amount}\n"), "字段名称“收入.合计”已是 narrate 的数字名称"),
    (("adds_to: [支出.合计]", "adds_to: [支出.总计]"), "fields.单位预留机动经费.adds_to[1]: 没有名为“支出.总计”的数字"),
    (("sets: [上年预算]", "sets: [下年决算]"), "fields.会议费.sets[1]: 比较数“下年决算”不存在"),
    (("{fact: 会议费}", "{fact: 会务费}"), "tables.costs.rows[1][2].fact: 没有名为“会务费”的数字"),
])
def test_a_bad_field_declaration_is_refused_at_its_line(tmp_path, change, message):
    folder, path = _setup(tmp_path, profile=PROFILE.replace(*change))
    result = CliRunner().invoke(app, ["check", str(path), "--profile", str(folder)])
    assert result.exit_code == 1 and message in result.output, result.output


def test_the_fields_go_through_a_workbook_and_back(tmp_path):
    folder, path = _setup(tmp_path)
    book = tmp_path / "unit.xlsx"
    result = CliRunner().invoke(app, ["convert", str(path), str(book), "--profile", str(folder)])
    assert result.exit_code == 0, result.output
    checked = pipeline.check(book, profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    texts = [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]
    assert "测试中心本级支出125.00万元（含单位预留机动经费5.00万元，比上年增加2.00万元），会议费1.50万元（down），预算单位3个。" in texts


def test_a_format_says_whether_the_per_line_split_is_required(tmp_path):
    text = unit_yaml("""\
        支出:
          - 科目: 2010504
            一般公共预算: {基本支出: 90.00, 项目支出: 30.00}
        """, """\
        国有资产:
          车辆:
            其他用车: {数量: 1, 价值: 20.00}
            合计: {数量: 1, 价值: 20.00}
        """)
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    strict = pipeline.check(path, profile="xj-unit")
    assert [p.rule for p in strict.problems if p.severity.value == "error"] == ["split-missing", "vehicles"]
    lenient = pipeline.check(path, profile="sh-unit")  # split: optional; the economic table gives 80 + 10
    assert lenient.ok, [str(p) for p in lenient.problems]
    path.write_text(text.replace("{科目: 30201, 金额: 10.00}", "{科目: 30201, 金额: 11.00}"), encoding="utf-8")
    wrong = pipeline.check(path, profile="sh-unit")
    assert any("基本支出经济分类合计 91.00 万元，与支出表一般公共预算基本支出 90.00 万元不符" in str(p) for p in wrong.problems)


BUCKET_PROFILE = """\
name: bucket
extends: xj-unit
fields:
  单位预留机动经费: {kind: bucket}
parts:
  - {kind: explanations, heading: part3.title, sections: [custom.uses]}
  - {kind: tables, tables: [lines]}
tables:
  lines:
    kind: function
    title: 支出表
    codes: joined
    rows_sources: all
    header: [[科目编码, 科目名称, 合计, 基本支出, 项目支出, 单位预留机动经费]]
    values: ["amount:all", "basic:all", "project:all", "own:all"]
    total: 合计
"""

BUCKET_PHRASES = """\
custom.uses: "支出{{ f['支出.合计']|money('t') }}万元：基本支出{{ f['支出.基本支出']|money('b') }}万元，项目支出{{ f['支出.项目支出']|money('p') }}万元，单位预留机动经费{{ f['支出.单位预留机动经费']|money('r') }}万元，占{{ f['支出.单位预留机动经费'].share_of('支出.合计')|pct('s') }}。"
"""

BUCKET_INPUT = unit_yaml("""\
    收入:
      一般公共预算: 125.00
      合计: 125.00
    """, """\
    支出:
      - 科目: 2010504
        一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00, 格式金额: {单位预留机动经费: 5.00}}
    """)


def test_a_bucket_beside_basic_and_project_is_part_of_every_sum(tmp_path):
    folder, path = _setup(tmp_path, BUCKET_INPUT, BUCKET_PROFILE, BUCKET_PHRASES)
    checked = pipeline.check(path, profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]  # 收入 125 = the line's 80 + 10 + 30 + 5
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    assert "支出125.00万元：基本支出90.00万元，项目支出30.00万元，单位预留机动经费5.00万元，占4.00%。" in texts
    table = next(b for b in doc.blocks if getattr(b, "id", "") == "lines")
    rows = [[c.text for c in row] for row in table.rows]
    assert rows[0] == ["201", "一般公共服务支出", "125.00", "90.00", "30.00", "5.00"]
    assert rows[-1] == ["合计", "125.00", "90.00", "30.00", "5.00"]
    # a workbook holds it in a column 格式金额 › 单位预留机动经费 of the 支出 sheet: converted and
    # read back, the document is the same
    result = CliRunner().invoke(app, ["convert", str(path), str(tmp_path / "u.xlsx"), "--profile", str(folder)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "u.xlsx")
    sheet = book["支出"]
    heads = [[c.value for c in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    col = heads[1].index("单位预留机动经费")
    assert heads[0][col] == "格式金额"
    assert [r[col].value for r in sheet.iter_rows(min_row=5, max_row=5)] == [5]
    again = pipeline.check(tmp_path / "u.xlsx", profile=folder)
    assert again.ok, [str(p) for p in again.problems]
    redone = build.document(again.unit, again.catalogs, again.profile)
    assert [b.text for b in redone.blocks if hasattr(b, "text")] == texts
    # a bucket name the profile does not declare is refused at its cell
    sheet.cell(4, col + 1).value = "预留经费"
    book.save(tmp_path / "v.xlsx")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "v.xlsx"), "--profile", str(folder)])
    assert result.exit_code == 1 and "格式没有名为“预留经费”的字段" in result.output, result.output


def test_a_bucket_the_profile_does_not_declare_is_refused_at_its_line(tmp_path):
    folder, path = _setup(tmp_path, BUCKET_INPUT.replace("单位预留机动经费: 5.00", "预留经费: 5.00"), BUCKET_PROFILE, BUCKET_PHRASES)
    result = CliRunner().invoke(app, ["check", str(path), "--profile", str(folder)])
    line = next(n for n, row in enumerate(BUCKET_INPUT.splitlines(), 1) if "单位预留机动经费" in row)
    assert result.exit_code == 1
    assert f"unit.yaml:{line}: 支出[1].一般公共预算.格式金额.预留经费: 格式没有名为“预留经费”的字段；是否应为“单位预留机动经费”？" in result.output, result.output
