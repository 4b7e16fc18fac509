"""A department rolled up from its member units: their own files (and figures written in the
department's file for a member that publishes no budget) summed code by code and source by
source give the same document as the summed figures typed by hand."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app

HEAD = """
单位:
  名称: 某某区数据局
  年度: 2024
  日期: 2024-02-25
  类型: 部门
  主要职能: [统筹全区数据工作]
"""

# 本部: general budget, two lines, one project, 三公.
UNIT_A = """
单位: {名称: 某某区数据局本部, 年度: 2024}
人员: {编制数: 20, 在职: 18, 退休: 2}
支出:
  - 科目: 2010350
    一般公共预算: {人员经费: 120.00, 公用经费: 20.00}
  - 科目: 2010399
    一般公共预算: {项目支出: 30.00}
基本支出经济分类:
  - {科目: 30101, 金额: 120.00}
  - {科目: 30201, 金额: 20.00}
项目:
  - {名称: 数据平台运维, 科目: 2010399, 经济分类: {302: 30.00}}
三公经费: {公务接待: 1.50}
政府采购: {货物: 10.00}
变动原因: {}
上年:
  支出:
    - 科目: 2010350
      一般公共预算: {基本支出: 130.00}
"""

# A member with other codes and another source (单位资金).
UNIT_B = """
单位: {名称: 某某区大数据中心, 年度: 2024, 类型: 单位}
支出:
  - 科目: 2010350
    一般公共预算: {人员经费: 40.00, 公用经费: 5.00}
  - 科目: 2080505
    一般公共预算: {人员经费: 8.00}
    单位资金: {项目支出: 6.00}
基本支出经济分类:
  - {科目: 30101, 金额: 40.00}
  - {科目: 30108, 金额: 8.00}
  - {科目: 30201, 金额: 5.00}
项目:
  - {名称: 数据普查, 科目: 2080505, 资金来源: 单位资金, 经济分类: {302: 6.00}}
三公经费: {公务用车运行: 2.00}
上年:
  支出:
    - 科目: 2010350
      一般公共预算: {基本支出: 40.00}
"""

MEMBERS = """
  成员单位:
    - {名称: 某某区数据局本部, 性质: 行政, 本部: true, 文件: a.yaml}
    - {名称: 某某区大数据中心, 性质: 事业, 文件: b.yaml}
    - 名称: 某某区数据服务站
      性质: 事业
      单列预算: false
      预算:
        支出:
          - 科目: 2010350
            一般公共预算: {人员经费: 10.00}
        基本支出经济分类:
          - {科目: 30101, 金额: 10.00}
        上年:
"""

# What a finance officer would type by adding the three up by hand.
SUMMED = """
  成员单位:
    - {名称: 某某区数据局本部, 性质: 行政, 本部: true}
    - {名称: 某某区大数据中心, 性质: 事业}
    - {名称: 某某区数据服务站, 性质: 事业, 单列预算: false}
人员: {编制数: 20, 在职: 18, 退休: 2}
支出:
  - 科目: 2010350
    一般公共预算: {人员经费: 170.00, 公用经费: 25.00}
  - 科目: 2010399
    一般公共预算: {项目支出: 30.00}
  - 科目: 2080505
    一般公共预算: {人员经费: 8.00}
    单位资金: {项目支出: 6.00}
基本支出经济分类:
  - {科目: 30101, 金额: 170.00}
  - {科目: 30108, 金额: 8.00}
  - {科目: 30201, 金额: 25.00}
项目:
  - {名称: 数据平台运维, 科目: 2010399, 经济分类: {302: 30.00}}
  - {名称: 数据普查, 科目: 2080505, 资金来源: 单位资金, 经济分类: {302: 6.00}}
三公经费: {公务接待: 1.50, 公务用车运行: 2.00}
政府采购: {货物: 10.00}
"""


def _folder(tmp_path: Path, unit_b: str = UNIT_B) -> Path:
    (tmp_path / "a.yaml").write_text(textwrap.dedent(UNIT_A), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(textwrap.dedent(unit_b), encoding="utf-8")
    (tmp_path / "dept.yaml").write_text(HEAD + MEMBERS.replace("        上年:\n", ""), encoding="utf-8")
    (tmp_path / "typed.yaml").write_text(HEAD + SUMMED, encoding="utf-8")
    return tmp_path


def _text(checked: pipeline.Checked) -> list[str]:
    document = docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))
    rows = [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return [p.text for p in document.paragraphs] + rows


def test_a_department_of_its_members_reads_like_the_sum_typed_by_hand(tmp_path):
    folder = _folder(tmp_path)
    rolled, typed = pipeline.check(folder / "dept.yaml"), pipeline.check(folder / "typed.yaml")
    assert rolled.ok, [str(p) for p in rolled.problems]
    assert typed.ok, [str(p) for p in typed.problems]
    assert [m.unit.info.name for m in rolled.members] == ["某某区数据局本部", "某某区大数据中心"]
    # The members' last year is summed too where every member with figures gives it; the
    # hand-typed department has none, so compare this year's document without it.
    assert "上年预算" not in rolled.unit.comparisons  # 数据服务站 gives no 上年
    assert _text(rolled) == _text(typed)


def test_the_departments_own_figures_must_equal_its_members_sum(tmp_path):
    folder = _folder(tmp_path)
    text = HEAD + MEMBERS.replace("        上年:\n", "") + "三公经费: {公务接待: 1.50, 公务用车运行: 3.00}\n"
    (folder / "dept.yaml").write_text(text, encoding="utf-8")
    checked = pipeline.check(folder / "dept.yaml")
    assert not checked.ok
    messages = [str(p) for p in checked.problems if p.rule == "department-sum"]
    where = f"{folder / 'dept.yaml'}:21: 三公经费: "
    assert messages == [
        where + "三公经费.公务用车小计：部门填写 3.00 万元，与各成员单位相加 2.00 万元不符",
        where + "三公经费.公务用车运行：部门填写 3.00 万元，与各成员单位相加 2.00 万元不符",
        where + "三公经费.合计：部门填写 4.50 万元，与各成员单位相加 3.50 万元不符",
    ]


def test_a_member_with_an_error_fails_the_department_with_its_message(tmp_path):
    folder = _folder(tmp_path, UNIT_B.replace("公用经费: 5.00}", "公用经费: 五}"))
    result = CliRunner().invoke(app, ["build", str(folder / "dept.yaml"), "-o", str(folder / "out.docx")])
    assert result.exit_code == 1
    assert f"{folder / 'b.yaml'}:5: 支出[1].一般公共预算.公用经费: 应为金额（数字），实际为“五”" in result.output
    assert f"{folder / 'dept.yaml'}:11: 单位.成员单位[2].文件: 成员单位的文件 b.yaml 有错误" in result.output
    assert not (folder / "out.docx").exists()


@pytest.mark.parametrize("members, message", [
    ("    - {名称: x, 文件: nowhere.yaml}\n", "找不到成员单位的文件：nowhere.yaml"),
    ("    - {名称: x, 文件: dept.yaml}\n", "成员单位的文件 dept.yaml 就是本部门"),
])
def test_a_member_file_that_is_missing_or_the_department_itself_is_named(tmp_path, members, message):
    (tmp_path / "dept.yaml").write_text(HEAD + "  成员单位:\n" + members, encoding="utf-8")
    checked = pipeline.check(tmp_path / "dept.yaml")
    assert not checked.ok and any(message in str(p) for p in checked.problems), [str(p) for p in checked.problems]


def test_units_also_writes_each_members_own_document(tmp_path):
    folder = _folder(tmp_path)
    result = CliRunner().invoke(app, ["build", str(folder / "dept.yaml"), "-o", str(folder / "dept.docx"), "--units"])
    assert result.exit_code == 0, result.output
    # the members' documents go beside the department's
    assert sorted(p.name for p in folder.glob("*.docx")) == [
        "dept.docx", "某某区大数据中心-2024-预算公开.docx", "某某区数据局本部-2024-预算公开.docx"]


# -- a roll-up that would count wrong or write over itself: refused before anything is summed ----


def _members(tmp_path: Path, members: str, unit_b: str = UNIT_B) -> pipeline.Checked:
    _folder(tmp_path, unit_b)
    (tmp_path / "dept.yaml").write_text(HEAD + "  成员单位:\n" + members, encoding="utf-8")
    return pipeline.check(tmp_path / "dept.yaml")


def _errors(checked: pipeline.Checked) -> list[str]:
    return [str(p) for p in checked.problems if p.severity.value == "error"]


def test_a_member_listed_twice_is_refused_not_counted_twice(tmp_path):
    checked = _members(tmp_path, "    - {名称: 某某区数据局本部, 文件: a.yaml}\n    - {名称: 某某区大数据中心, 文件: b.yaml}\n"
                                 "    - {名称: 某某区数据局本部, 文件: a.yaml}\n")
    assert checked.unit is None
    assert _errors(checked) == [f"{tmp_path / 'dept.yaml'}:11: 单位.成员单位[3].名称: 成员单位“某某区数据局本部”列了两次（另见第 1 个成员单位）；"
                                "每个成员单位只列一次，否则它的数字会算两遍"]


def test_one_file_under_two_names_is_refused(tmp_path):
    checked = _members(tmp_path, "    - {名称: 甲, 文件: a.yaml}\n    - {名称: 乙, 文件: ./a.yaml}\n")
    assert checked.unit is None
    assert _errors(checked) == [f"{tmp_path / 'dept.yaml'}:10: 单位.成员单位[2].文件: 成员单位的文件 ./a.yaml 已由第 1 个成员单位列出；"
                                "同一文件只能列一次，否则它的数字会算两遍"]


def test_a_member_of_another_year_is_refused_not_summed(tmp_path):
    checked = _members(tmp_path, "    - {名称: 甲, 文件: a.yaml}\n    - {名称: 乙, 文件: b.yaml}\n",
                       UNIT_B.replace("年度: 2024", "年度: 2023"))
    assert checked.unit is None
    assert _errors(checked) == [f"{tmp_path / 'dept.yaml'}:10: 单位.成员单位[2].文件: 成员单位的文件 b.yaml 是 2023 年的，本部门是 2024 年的；"
                                "部门预算只能由同一年度的成员单位相加"]


def test_two_member_files_of_one_unit_name_are_refused(tmp_path):
    checked = _members(tmp_path, "    - {名称: 甲, 文件: a.yaml}\n    - {名称: 乙, 文件: b.yaml}\n",
                       UNIT_B.replace("某某区大数据中心", "某某区数据局本部"))
    assert checked.unit is None
    assert len(_errors(checked)) == 1 and "与第 1 个成员单位的相同" in _errors(checked)[0]


def test_units_refuses_two_documents_of_one_file_name_and_writes_nothing(tmp_path):
    # 某某区数据局本部 and 某某区数据局/本部 make one safe file name; before, the second
    # overwrote the first's document, with no backup and no message.
    _folder(tmp_path, UNIT_B.replace("某某区大数据中心", "某某区数据局/本部"))
    (tmp_path / "a.yaml").write_text(textwrap.dedent(UNIT_A).replace("某某区数据局本部", "某某区数据局_本部"), encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "dept.yaml"), "-o", str(tmp_path / "dept.docx"), "--units"])
    assert result.exit_code == 1, result.output
    assert "成员单位“某某区数据局_本部”与“某某区数据局/本部”的文档会写到同一个文件" in result.stderr
    assert list(tmp_path.glob("*.docx")) == []


def test_units_keeps_an_edited_member_document_as_a_backup(tmp_path):
    folder = _folder(tmp_path)
    args = ["build", str(folder / "dept.yaml"), "-o", str(folder / "dept.docx"), "--units"]
    assert CliRunner().invoke(app, args).exit_code == 0
    member = folder / "某某区大数据中心-2024-预算公开.docx"
    document = docx.Document(str(member))
    document.add_paragraph("科长加的一句话。")  # the officer's edit
    document.save(str(member))
    edited = member.read_bytes()
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (folder / (member.name + ".bak")).read_bytes() == edited


def test_a_member_that_is_a_department_is_summed_from_its_own_members(tmp_path):
    # Nested roll-up is supported: the member department is the sum of its members first.
    folder = _folder(tmp_path)
    (folder / "sub").mkdir()
    (folder / "sub" / "b.yaml").write_text(textwrap.dedent(UNIT_B), encoding="utf-8")
    (folder / "sub" / "mid.yaml").write_text(
        HEAD.replace("某某区数据局", "某某区数据中心组") + "  成员单位:\n    - {名称: 某某区大数据中心, 文件: b.yaml}\n", encoding="utf-8")
    (folder / "top.yaml").write_text(
        HEAD + "  成员单位:\n    - {名称: 某某区数据局本部, 文件: a.yaml}\n    - {名称: 某某区数据中心组, 文件: sub/mid.yaml}\n",
        encoding="utf-8")
    flat, nested = pipeline.check(folder / "dept.yaml"), pipeline.check(folder / "top.yaml")
    assert nested.ok, [str(p) for p in nested.problems]
    a, b = pipeline.check(folder / "a.yaml"), pipeline.check(folder / "b.yaml")
    from narrate import compute

    assert compute.facts(nested.unit.budget) == compute.facts(compute.add(a.unit.budget, b.unit.budget))
    assert flat.ok


def test_departments_naming_each_other_are_a_cycle(tmp_path):
    (tmp_path / "x.yaml").write_text(HEAD + "  成员单位:\n    - {名称: 乙, 文件: y.yaml}\n", encoding="utf-8")
    (tmp_path / "y.yaml").write_text(HEAD.replace("某某区数据局", "乙") + "  成员单位:\n    - {名称: 甲, 文件: x.yaml}\n",
                                     encoding="utf-8")
    checked = pipeline.check(tmp_path / "x.yaml")
    assert not checked.ok and any("成员单位的文件 x.yaml 就是本部门（或包含本部门）的文件" in str(p) for p in checked.problems)
