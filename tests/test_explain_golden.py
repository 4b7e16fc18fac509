"""Parts three and four of the embedded sample, against the reference disclosure.

The expected sentences live in tests/data/expected_part3_4.txt (one a line, with the reference's
contradictions and typos corrected and marked). A sentence matches when it equals a sentence of
the preview once whitespace is dropped and half-width punctuation folded to full width.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate import blocks, build, phrasebook, pipeline, render_text
from narrate.cli import app
from narrate.resources import sample_input

DATA = Path(__file__).parent / "data"
_FOLD = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FOLD)


def sentences(text: str) -> list[str]:
    """Returns the normalised sentences of text, split at '。' and line ends."""
    return [normal(s) for line in text.splitlines() for s in line.split("。") if normal(s)]


def expected() -> list[str]:
    lines = (DATA / "expected_part3_4.txt").read_text(encoding="utf-8").splitlines()
    return [normal(line) for line in lines if line.strip() and not line.startswith("#")]


def preview(path: Path | None = None, *args: str) -> str:
    result = CliRunner().invoke(app, ["preview", *([str(path)] if path else []), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_reference_sentence_is_in_the_preview_of_the_sample():
    got = set(sentences(preview()))
    missing = [s for s in expected() if s not in got]
    assert missing == [], f"{len(missing)} of {len(expected())} reference sentences not generated"


def test_the_expected_file_holds_both_parts():
    sents = expected()
    assert sents[0] == normal("第三部分 2024 年单位预算情况说明")
    assert normal("第四部分 名词解释") in sents and len(sents) > 90


def explain_sample(text: str | None = None, tmp_path: Path | None = None) -> tuple[blocks.Block, ...]:
    path = sample_input()
    if text is not None:
        path = tmp_path / "unit.yaml"
        path.write_text(text, encoding="utf-8")
    checked = pipeline.check(path)
    assert checked.ok, [str(p) for p in checked.problems]
    return build.explanations(checked.unit, checked.catalogs, checked.profile, phrasebook.load(profile=checked.profile))


def paras(items) -> dict[str, str]:
    return {b.id: b.text for b in items if isinstance(b, blocks.Para)}


def test_one_changed_figure_changes_every_dependent_sentence_and_no_other(tmp_path):
    text = sample_input().read_text(encoding="utf-8")
    changed = (
        text.replace("{科目: 30201, 金额: 8.40}", "{科目: 30201, 金额: 9.40}")
        .replace("公用经费: 13.09", "公用经费: 14.09")
        .replace("  一般公共预算: 473.87", "  一般公共预算: 474.87")
    )
    assert changed.count("金额: 9.40}") == 1 and "14.09" in changed and "474.87" in changed
    before, after = paras(explain_sample()), paras(explain_sample(changed, tmp_path))
    assert before.keys() == after.keys()
    differ = {pid for pid in before if before[pid] != after[pid]}
    assert differ == {
        "s3_01_total",  # 收支总预算
        "s3_02_lead", "s3_02_general",  # income total; general budget amount, change, rate
        "s3_03_lead", "s3_03_basic", "s3_03_project",  # total; basic amount/change; both shares
        "s3_04_total", "s3_04_income", "s3_04_uses_general",  # fiscal total, income, class 201
        "s3_05_basic",  # appropriation total, basic amount and change
        "s3_05_2_201", "s3_05_2_208",  # class amounts and shares of the general budget
        "s3_05_3_2010504",  # the line's amount, change and rate
        "s3_06_lead", "s3_06_public",  # basic expenditure; 公用经费
        "s3_12_operating",  # 机关运行经费 derives from 公用经费
        "s3_12_performance",  # 涉及金额 = all funds
    }
    assert after["s3_06_public"].startswith("公用经费14.09万元")
    assert "机关运行经费财政拨款预算14.09万元，比上年预算增加0.43万元，增长3.15%" in after["s3_12_operating"]


@pytest.mark.parametrize("text", ["{{ 7*7 }} 与 {% if true %}x{% endif %}", "<w:t>&amp; A&B </w:t>"])
def test_user_text_appears_literally(tmp_path, text):
    source = sample_input().read_text(encoding="utf-8")
    source = source.replace("收入.单位资金: 本年未安排业务经费", f"收入.单位资金: '{text}'")
    source = source.replace("资金分配: 州县市门户网站网管费12万元，网站运行维护费6万元", f"资金分配: '{text}'")
    source = source.replace("208: 基本养老保险缴费支出和单位退休人员经费支出", f"208: '{text}'")
    out = preview(_write(tmp_path, source))
    assert f"主要原因是{text.strip()}。" in out
    assert f"资金分配情况：{text.strip()}\n" in out
    assert f"主要用于{text.strip()}。" in out
    assert "49" not in out.split("资金分配情况：")[2].split("\n")[0]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "unit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_paragraph_has_a_short_ascii_id_and_its_rule():
    items = explain_sample()
    ids = [b.id for b in items if isinstance(b, blocks.Para)]
    assert len(ids) == len(set(ids))
    for b in items:
        if isinstance(b, blocks.Para):
            assert re.fullmatch(r"[A-Za-z0-9_]{1,30}", b.id) and b.rule, b
            figures = [r.figure for r in b.runs if r.figure]
            assert len(figures) == len(set(figures)), b.id
    assert not [b for b in items if isinstance(b, blocks.Slot)]  # the performance tables fill their slot
    tables = [b.id for b in items if isinstance(b, blocks.Table)]
    assert tables[:2] == ["perf_unit", "perf_unit_ind"] and len(tables) == 4 * 2  # form, indicators


def test_figures_and_direction_words_are_marked():
    by_id = {b.id: b for b in explain_sample() if isinstance(b, blocks.Para)}
    runs = {r.figure: r.text for r in by_id["s3_02_general"].runs if r.figure}
    assert runs == {"amt": "473.87", "share": "100.00%", "dir": "减少", "chg": "5.02", "trend": "下降", "rate": "1.05%"}


def test_parts_and_headings_have_their_styles():
    items = [b for b in explain_sample() if isinstance(b, blocks.Para)]
    styles = {b.id: b.style for b in items}
    assert styles["explanations_h"] == styles["glossary_h"] == "part"
    assert styles["s3_12_h"] == "heading1" and styles["s3_12_4_h"] == "heading2"
    assert {b.style for b in items} == {"part", "heading1", "heading2", "body", "perf_title", "table_subtitle"}


def test_check_lists_every_placeholder(tmp_path):
    source = sample_input().read_text(encoding="utf-8").replace("  收入.单位资金: 本年未安排业务经费\n", "")
    source = source.replace("  208: 基本养老保险缴费支出和单位退休人员经费支出\n", "")
    result = CliRunner().invoke(app, ["check", str(_write(tmp_path, source))])
    assert result.exit_code == 0, result.output
    assert "文中尚有 2 处占位符待填写：" in result.output
    # one line a paragraph: its opening words (to find it in Word), the placeholders, its id
    assert "  「单位资金0.00万元，占0.00%，比上年预算减…」 【请说明变动原因】  [s3_02_unit]" in result.output
    assert "【请说明主要用途】  [s3_04_uses_general]" in result.output


def test_check_of_the_sample_lists_no_placeholder():
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0 and "占位符" not in result.output


def test_preview_of_a_bad_input_fails_with_its_problems(tmp_path):
    result = CliRunner().invoke(app, ["preview", str(_write(tmp_path, "单位: {名称: x}\n"))])
    assert result.exit_code == 1


def test_text_lines_show_a_slot_without_a_filler():
    assert render_text.lines([blocks.Slot("performance_tables")]) == ["[performance_tables]"]
