"""`f` and list sections: a format's phrases name any fact (totals, sources, buckets, every
classification line at every level, its change, share, reason and 主要用途) and list lines at the
level the format chooses, numbered per group under sub-headings; Python decides what is true."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app
from narrate.resources import sample_input

PROFILE = """\
name: lists
extends: xj-unit
money:
  styles:
    j: {unit: 万元, decimals: 2, trim_zeros: true}
parts:
  - kind: explanations
    heading: part3.title
    sections:
      - custom.total
      - {list: 一般公共预算, level: 项, group_by: 类, only: [arranged], heading: custom.lines_h, group_heading: custom.group,
         item: custom.line}
      - {list: 支出, level: 类, item: custom.class, heading: custom.class_h}
      - custom.total
"""

PHRASES = """\
custom.total: "收入预算总计{{ f['收入.合计']|money('in', 'j') }}万元，比{{ f['收入.合计'].change.basis }}{{ f['收入.合计'].change.amount|money('chg', 'j') }}万元（{{ f['收入.合计'].change.trend }}）；基本支出{{ f['支出.基本支出']|money('basic') }}万元，占{{ f['支出.基本支出'].share_of('支出.合计')|pct('sh') }}。"
custom.lines_h: "{{ n|cn }}、一般公共预算支出（共{{ count }}项）"
custom.group: "（{{ n|cn }}）{{ group.name }}（类）"
custom.line: "{{ n }}. {{ line.parent.name }}（款）{{ line.name }}（项）支出{{ line|money('amt', 'j') }}万元{% if line.change %}，{% if line.change.trend in ('up', 'new') %}增加{% elif line.change.trend in ('down', 'gone') %}减少{% endif %}{{ line.change.amount|money('chg', 'j') }}万元{% endif %}。{{ line.reason }}"
custom.class_h: "{{ n|cn }}、支出按类"
custom.class: "{{ n }}．{{ line.name }}（类）支出{{ line|money('amt', 'j') }}万元，主要用于{{ line.uses or '（未填）' }}。"
"""


def _folder(tmp_path: Path, profile: str = PROFILE, phrases: str = PHRASES) -> Path:
    folder = tmp_path / "fmt"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(textwrap.dedent(profile), encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(textwrap.dedent(phrases), encoding="utf-8")
    return folder


def _paras(folder: Path):
    checked = pipeline.check(sample_input(), profile=folder)
    assert checked.ok, checked.problems
    return [b for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "runs")]


def test_phrases_name_any_fact_and_lists_group_lines_at_the_chosen_level(tmp_path):
    paras = _paras(_folder(tmp_path))
    texts = [p.text for p in paras]
    # the built-in sample's own figures (section 五 of the shipped document states the same changes)
    assert texts[1] == "收入预算总计473.87万元，比上年预算9.14万元（down）；基本支出380.47万元，占80.29%。"
    assert texts[2:9] == [
        "二、一般公共预算支出（共4项）",
        "（一）一般公共服务支出（类）",
        "1. 政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务支出（项）支出0万元，减少119.4万元。"
        "本年未安排自治州电子政务服务中心密码应用评估费、电子政务外网链路费",
        "2. 统计信息事务（款）信息事务（项）支出430.74万元，增加111.64万元。在职人员工资调增，相关人员经费增加",
        "（二）社会保障和就业支出（类）",  # numbering restarts under each 类
        "1. 行政事业单位养老支出（款）行政单位离退休（项）支出4.93万元，增加0.72万元。本年退休人员基础绩效奖金增加",
        "2. 行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）支出38.2万元，增加2.02万元。"
        "人员工资基数调增，养老缴费基数上涨，相应支出增加",
    ]
    assert texts[10:12] == [
        "1．一般公共服务支出（类）支出430.74万元，主要用于在职人员工资福利支出、单位基本公用支出、职工基本医疗保险缴费支出和医疗补助支出、在职人员住房公积金缴费支出。",
        "2．社会保障和就业支出（类）支出43.13万元，主要用于基本养老保险缴费支出和单位退休人员经费支出。",
    ]
    # the same statement in two sections: two paragraphs, each with figures of its own to update
    assert texts[-1] == texts[1]
    assert paras[1].id != paras[-1].id
    assert [r.figure for r in paras[1].runs if r.figure] == ["in", "chg", "basic", "sh"]


def test_the_figures_stay_marked_and_the_ids_are_stable(tmp_path):
    folder = _folder(tmp_path)
    first, again = _paras(folder), _paras(folder)
    assert first == again
    line = next(p for p in first if p.text.startswith("2. 统计信息事务"))
    assert line.id.endswith("_2010504")
    assert {r.figure: r.text for r in line.runs if r.figure} == {"amt": "430.74", "chg": "111.64"}


@pytest.mark.parametrize("phrase, message", [
    ("{{ f['收入.合记']|money('x') }}", "mine.yaml:1: custom.total: 没有名为“收入.合记”的数字；是否应为 收入.合计？"),
    ("{% for l in f.lines('一般公共预算', '目') %}{{ l.name }}{% endfor %}", "mine.yaml:1: custom.total: f.lines 的级次“目”不存在"),
    ("{% for l in f.lines('一般公共预算', '类', ['big']) %}{{ l.name }}{% endfor %}", "mine.yaml:1: custom.total: f.lines 的筛选“big”不存在"),
])
def test_an_unknown_fact_or_list_in_a_phrase_is_a_located_error(tmp_path, phrase, message):
    folder = _folder(tmp_path, PROFILE, f'custom.total: "{phrase}"\n' + PHRASES.split("\n", 1)[1])
    result = CliRunner().invoke(app, ["build", str(sample_input()), "--profile", str(folder), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "o.docx").exists()


def test_a_fact_key_made_at_render_time_that_does_not_exist_is_a_message(tmp_path):
    folder = _folder(tmp_path, PROFILE, "custom.total: \"{{ f['收入.' ~ unit]|money('x') }}\"\n" + PHRASES.split("\n", 1)[1])
    result = CliRunner().invoke(app, ["build", str(sample_input()), "--profile", str(folder), "-o", str(tmp_path / "o.docx")])
    assert result.exit_code == 1, result.output
    assert "mine.yaml:1: custom.total: 无法生成这句话" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "o.docx").exists()


@pytest.mark.parametrize("change, where, message", [
    ("level: 项", "level: 目", "parts[1].sections[2].level: 没有级次“目”"),
    ("group_by: 类", "group_by: 项", "parts[1].sections[2].group_by: 分组的级次“项”应在所列级次“项”之上"),
    ("only: [arranged]", "only: [big]", "parts[1].sections[2].only[1]: 没有筛选“big”"),
    ("item: custom.line}", "item: s05.line}", "parts[1].sections[2].item: 列表中的句子应为自己的短语"),
    ("list: 一般公共预算", "list: 一般预算", "parts[1].sections[2].list: 没有科目组“一般预算”"),
])
def test_a_bad_list_section_is_a_located_error(tmp_path, change, where, message):
    text = PROFILE.replace(change, where)
    folder = _folder(tmp_path, text)
    result = CliRunner().invoke(app, ["check", str(sample_input()), "--profile", str(folder)])
    line = next(n for n, row in enumerate(text.splitlines(), 1) if where in row)
    assert result.exit_code == 1 and f"profile.yaml:{line}: {message}" in result.output, result.output


@pytest.mark.parametrize("command", ["check", "preview"])
def test_a_phrase_that_cannot_be_written_is_a_message_in_every_command(tmp_path, command):
    folder = _folder(tmp_path, PROFILE, "custom.total: \"{{ f['收入.' ~ unit]|money('x') }}\"\n" + PHRASES.split("\n", 1)[1])
    result = CliRunner().invoke(app, [command, str(sample_input()), "--profile", str(folder)])
    assert result.exit_code == 1, result.output
    assert "mine.yaml:1: custom.total: 无法生成这句话" in result.output and "Traceback" not in result.output
