"""Profiles: a region's layout as data. A profile written in a folder of its own changes the
document without touching Python; a bad one is refused at file:line."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from narrate import pipeline, profile as profiles
from narrate.cli import app
from narrate.resources import data_dir, sample_input

STYLE = "{name: %s, font: 宋体, size: 12}"

# A profile from nothing: its own page, styles, parts, one table and its own sentence.
FROM_SCRATCH = textwrap.dedent(
    """
    name: tiny
    description: 最小的格式
    money:
      text: {unit: 万元, decimals: 1, grouping: true}
      table: {unit: 元, decimals: 0, grouping: true, zero: "-"}
    page:
      size_mm: [210, 297]
      margins_mm: {top: 25, bottom: 25, left: 25, right: 25}
      landscape_margins_mm: {top: 25, bottom: 25, left: 25, right: 25}
    styles:
      body: %(body)s
      list: %(list)s
      part: {name: heading 1, font: 黑体, size: 16, outline: 0}
      heading1: {name: heading 2, font: 黑体, size: 14, outline: 1}
      heading2: {name: heading 3, font: 黑体, size: 12, outline: 2}
      title: %(title)s
      toc_title: %(toc_title)s
      table_title: %(table_title)s
      table_meta: %(table_meta)s
      table_unit: %(table_unit)s
      table_number: %(table_number)s
      table_head: %(table_head)s
      table_text: %(table_text)s
      table_center: %(table_center)s
      table_amount: %(table_amount)s
      note: %(note)s
      footer: %(footer)s
      toc1: %(toc1)s
      toc2: %(toc2)s
    parts:
      - {kind: title_page, items: [{style: title, phrase: title.unit}]}
      - {kind: text, items: [{style: body, phrase: custom.contact}]}
      - {kind: explanations, heading: part3.title, sections: [expense, income]}
      - {kind: tables, heading: part2.title, tables: [money]}
    tables:
      money:
        kind: function
        title: "{{ unit }}支出表"
        rows_sources: all
        header: [[{t: 科目, c: 4}, 合计]]
        values: ["amount:all"]
        total: 合计
    """
) % {key: STYLE % key.replace("_", " ").title() for key in (
    "body", "list", "title", "toc_title", "table_title", "table_meta", "table_unit", "table_number", "table_head",
    "table_text", "table_center", "table_amount", "note", "footer", "toc1", "toc2")}


def _profile(tmp_path: Path, text: str, phrases: str = "") -> Path:
    folder = tmp_path / "myprofile"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(text, encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(phrases, encoding="utf-8")
    return folder


def _build(tmp_path: Path, folder: Path, *args: str) -> docx.document.Document:
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(app, ["build", str(sample_input()), "--profile", str(folder), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def test_a_profile_written_from_scratch_builds_without_python(tmp_path):
    folder = _profile(tmp_path, FROM_SCRATCH, 'custom.contact: "联系方式见{{ unit }}网站。"\n')
    document = _build(tmp_path, folder)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "克孜勒苏柯尔克孜自治州电子政务服务中心"
    assert texts[1] == "联系方式见克孜勒苏柯尔克孜自治州电子政务服务中心网站。"  # the phrase it adds
    # its own order: 支出 (三) before 收入 (二), numbered by their place
    spending = texts.index("一、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年支出预算情况说明")
    assert texts[spending + 1] == "克孜勒苏柯尔克孜自治州电子政务服务中心2024年支出预算473.9万元，其中："
    assert texts.index("二、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年收入预算情况说明") > spending
    assert len(document.tables) == 1  # one table, in whole 元 with separators, zero as "-"
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[1][:5] == ["201", "", "", "一般公共服务支出", "4,307,400"]
    assert rows[-1][-1] == "4,738,700"
    assert "单位：元" in texts


def test_a_profile_that_extends_a_builtin_changes_only_what_differs(tmp_path):
    text = textwrap.dedent(
        """
        name: xj-yuan
        extends: xj-unit
        money:
          table: {unit: 元, decimals: 2, grouping: true, zero: ""}
        parts:
          - {kind: title_page, items: [{style: title, phrase: title.unit}]}
          - kind: tables
            heading: part2.title
            tables: [t1, t2, t3, t4, t5, t6, t7, t8, t9, t10]
          - kind: explanations
            heading: part3.title
            sections: [income, overview, custom.note]
        """
    )
    folder = _profile(tmp_path, text, 'custom.note: "以上数字以元为单位列表。"\n')
    document = _build(tmp_path, folder)
    texts = [p.text for p in document.paragraphs]
    assert len(document.tables) == 10  # 表11 dropped
    assert "上年结转结余情况明细表" not in texts
    assert texts[-1] == "以上数字以元为单位列表。"
    assert texts.index("一、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年收入预算情况说明") < texts.index(
        "二、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年收支预算情况的总体说明")
    first = [c.text for c in document.tables[0].rows[2].cells]
    assert "4,738,700.00" in first  # 一、本年收入, in 元
    assert "单位：元" in texts


@pytest.mark.parametrize(
    "change, where, message",
    [
        ("parts:\n  - {kind: nonsense}\n", "profile.yaml:4: parts[1].kind", "未知的部分类型“nonsense”"),
        ("parts:\n  - {kind: tables, tables: [t1, t99]}\n", "profile.yaml:4: parts[1].tables[2]", "tables 中没有表“t99”"),
        ("money:\n  table: {unit: 千元}\n", "profile.yaml:4: money.table.unit", "应为“万元”、“元”之一，实际为“千元”"),
        ("compare:\n  - {facts: '*', set: 下年预算}\n", "profile.yaml:4: compare[1].set", "比较数“下年预算”不存在"),
        ("parts:\n  - {kind: explanations, sections: [incom]}\n", "profile.yaml:4: parts[1].sections[1]", "未知的说明节“incom”"),
        ("tables:\n  t1: {title: '{{ yeer }}年'}\n", "profile.yaml:4: tables.t1.title", "模板中的名称“yeer”未定义"),
    ],
)
def test_a_bad_profile_is_refused_at_its_line(tmp_path, change, where, message):
    folder = _profile(tmp_path, "name: bad\nextends: xj-unit\n" + change)
    result = CliRunner().invoke(app, ["check", str(sample_input()), "--profile", str(folder)])
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "profile.yaml" in line)
    assert where in line and message in line, result.output
    assert "Traceback" not in result.output


def test_an_unknown_profile_name_lists_the_builtin_ones():
    result = CliRunner().invoke(app, ["check", "--profile", "xj-unitt"])
    assert result.exit_code == 1
    assert "没有名为“xj-unitt”的格式" in result.output and "sh-unit" in result.output


def test_narrate_profiles_lists_the_builtin_ones():
    result = CliRunner().invoke(app, ["profiles"])
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.output.splitlines()]
    assert names == ["js-dept", "sh-dept", "sh-dept-final", "sh-dept-final-en", "sh-unit", "sh-unit-final",
                     "sh-unit-final-en", "xj-dept", "xj-unit", "xj-unit-en"]


def test_an_input_names_its_profile_and_narrate_toml_can_too(tmp_path):
    assert pipeline.check(data_dir("inputs") / "putuo-commerce-2025-unit.yaml").profile.name == "sh-unit"
    assert pipeline.check().profile.name == "xj-unit"
    source = sample_input().read_text(encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(source, encoding="utf-8")
    (tmp_path / "narrate.toml").write_text('profile = "xj-dept"\n', encoding="utf-8")
    assert pipeline.check(tmp_path / "unit.yaml").profile.name == "xj-dept"
    # the command line wins over both
    assert pipeline.check(tmp_path / "unit.yaml", profile="sh-unit").profile.name == "sh-unit"


def test_a_department_input_gets_the_department_profile_by_default(tmp_path):
    source = sample_input().read_text(encoding="utf-8").replace("类型: 单位", "类型: 部门")
    (tmp_path / "dept.yaml").write_text(source, encoding="utf-8")
    assert pipeline.check(tmp_path / "dept.yaml").profile.name == "xj-dept"


def test_the_snapshot_records_the_profile(tmp_path):
    from narrate import docx as writer

    out = tmp_path / "x.docx"
    result = CliRunner().invoke(app, ["build", str(data_dir("inputs") / "putuo-commerce-2025-unit.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert writer.read_snapshot(out.read_bytes())["profile"] == "sh-unit"


def test_every_builtin_profile_loads_and_names_its_kind():
    for name in profiles.builtin_names():
        spec = profiles.load(name).spec
        assert spec.name == name and spec.kind == ("部门" if "-dept" in name else "单位")


def test_a_profile_that_extends_itself_is_refused(tmp_path):
    folder = _profile(tmp_path, "name: loop\nextends: ./\n")
    with pytest.raises(profiles.ProfileError, match="extends"):
        profiles.load(str(folder))


def test_the_date_form_is_the_profiles(tmp_path):
    # The phrasebook writes 2024年2月25日 (official documents pad no zeros); a profile that
    # wants 2024年02月25日 says so in its own date.text.
    padded = "date.text: \"{{ '%04d' % y }}年{{ '%02d' % m }}月{{ '%02d' % d }}日\"\n"
    for name, phrases, shown in [("padded", padded, "2024年02月25日"), ("plain", "", "2024年2月25日")]:
        (tmp_path / name).mkdir()
        texts = [p.text for p in _build(tmp_path / name, _profile(tmp_path / name, f"name: {name}\nextends: xj-unit\n", phrases)).paragraphs]
        assert texts[-1] == shown


# A format no built-in resembles, written from docs/profiles.md's keys alone: 类-level lists
# through the profile's own phrases, joined codes, two number styles (whole 万元 grouped from five
# digits, trimmed two decimals) and a percent style.
NEW_FORMAT = FROM_SCRATCH.replace("name: tiny", "name: another")
for _old, _new in (
    ("  - {kind: explanations, heading: part3.title, sections: [expense, income]}\n",
     "  - kind: explanations\n    heading: part3.title\n    sections:\n      - custom.totals\n"
     "      - {list: 支出, level: 类, only: [nonzero], item: custom.class, heading: custom.classes}\n"),
    ("    rows_sources: all\n    header: [[{t: 科目, c: 4}, 合计]]\n",
     "    rows_sources: all\n    codes: joined\n    money: whole\n    header: [[科目编码, 科目名称, 合计]]\n"),
    ('  table: {unit: 元, decimals: 0, grouping: true, zero: "-"}\n',
     '  table: {unit: 元, decimals: 0, grouping: true, zero: "-"}\n  styles:\n'
     "    whole: {unit: 元, decimals: 0, grouping: true, group_from: 5}\n"
     "    short: {unit: 万元, decimals: 2, trim_zeros: true}\n"
     "  percent_styles:\n    one: {decimals: 1, trim_zeros: true}\n"),
):
    assert _old in NEW_FORMAT, _old
    NEW_FORMAT = NEW_FORMAT.replace(_old, _new)

NEW_PHRASES = """\
custom.contact: "联系方式见{{ unit }}网站。"
custom.totals: "{{ year }}年支出{{ f['支出.合计']|money('total', 'short') }}万元，其中基本支出{{ f['支出.基本支出']|money('basic', 'short') }}万元，占{{ f['支出.基本支出'].share_of('支出.合计')|pct('share', 'one') }}。"
custom.classes: "{{ n|cn }}、支出按功能分类（{{ count }}类）"
custom.class: "{{ n }}．{{ line.name }}（类）{{ line|money('amt', 'short') }}万元{% if line.change and line.change.trend == 'up' %}，比上年增加{{ line.change.amount|money('chg', 'short') }}万元{% endif %}。"
"""


def test_a_new_format_from_the_docs_alone_lists_by_class_with_its_own_number_styles(tmp_path):
    folder = _profile(tmp_path, NEW_FORMAT, NEW_PHRASES)
    document = _build(tmp_path, folder)
    texts = [p.text for p in document.paragraphs]
    assert "2024年支出473.87万元，其中基本支出380.47万元，占80.3%。" in texts
    start = texts.index("二、支出按功能分类（2类）")
    # 201 fell (119.40 of 2010599 gone, 2010504 up 111.64): no clause; 208 rose by 0.72 + 2.02, the
    # two 项 changes section 五 of the shipped document states
    assert texts[start + 1:start + 3] == ["1．一般公共服务支出（类）430.74万元。", "2．社会保障和就业支出（类）43.13万元，比上年增加2.74万元。"]
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["科目编码", "科目名称", "合计"]
    assert rows[1] == ["201", "一般公共服务支出", "4,307,400"]  # whole 元, grouped (seven digits)
    assert rows[3] == ["2010504", "信息事务", "4,307,400"]  # a 项 line, its code whole in one column
    assert rows[-1] == ["合计", "合计", "4,738,700"]  # the total spans code and name
