"""The bind step: a profile's mistakes are located messages before any input is read, never a
traceback or a silently shortened table; and what used to crash a build now builds."""

from __future__ import annotations

import re
import textwrap
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from narrate import bind, build, pipeline
from narrate.cli import app
from narrate.resources import sample_input
from unitfile import unit_yaml


def _profile(tmp_path: Path, text: str, phrases: str = "", data: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "fmt"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(textwrap.dedent(phrases), encoding="utf-8")
    for name, body in (data or {}).items():
        (folder / "data").mkdir(exist_ok=True)
        (folder / "data" / name).write_text(textwrap.dedent(body), encoding="utf-8")
    return folder


def _check(folder: Path, input_path: Path | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["check", str(input_path or sample_input()), "--profile", str(folder)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def _line_of(folder: Path, text: str) -> int:
    lines = (folder / "profile.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


# -- what used to be a traceback or a silent loss -----------------------------------------------


def test_an_unknown_fact_in_a_table_row_is_a_located_error(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        tables:
          t10:
            rows:
              - [合计, {fact: 三公经费.合记}, {amount: 0}, {amount: 0}, {amount: 0}]
        """)
    code, output = _check(folder)
    assert code == 1
    assert f"profile.yaml:{_line_of(folder, '合记')}: tables.t10.rows[1][2].fact: 没有名为“三公经费.合记”的数字；是否应为 三公经费.合计？" in output


def test_a_mistyped_column_source_is_a_located_error(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        tables:
          t5:
            values: ["amount:genral_budget", "personnel:general_budget", "public:general_budget",
                     "project:general_budget"]
        """)
    code, output = _check(folder)
    assert code == 1
    assert f"profile.yaml:{_line_of(folder, 'genral')}: tables.t5.values[1]: 未知的资金来源“genral_budget”" in output


def test_every_problem_of_a_profile_is_reported_in_one_pass(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        money:
          table: wan
        tables:
          t2: {values: ["amout:all"]}
          t5: {money: nonesuch}
          t10: {rows: [[合计, {fact: 三公经费.合记}]]}
        """)
    code, output = _check(folder)
    assert code == 1
    problems = [line for line in output.splitlines() if "profile.yaml" in line]
    # the schema's verdict comes first and alone (the rest cannot be read without it) ...
    assert len(problems) == 1 and "money.table" in problems[0]
    (folder / "profile.yaml").write_text((folder / "profile.yaml").read_text(encoding="utf-8").replace("  table: wan\n", "  text: {unit: 万元}\n"), encoding="utf-8")
    code, output = _check(folder)
    problems = [line for line in output.splitlines() if "profile.yaml" in line]
    # ... then every name that does not bind, each at its line, in one run
    assert any("tables.t2.values[1]: 未知的口径“amout”" in p for p in problems)
    assert any("tables.t2.header: 表头占 15 列，而表的每行有 5 列" in p for p in problems)
    assert any("tables.t5.money: 没有名为“nonesuch”的金额样式" in p for p in problems)
    assert any("tables.t10.rows[1][2].fact: 没有名为“三公经费.合记”的数字" in p for p in problems)


def test_a_header_narrower_than_the_rows_is_an_error_not_a_cut_table(tmp_path):
    # A function table with three code columns under a one-column code header: before, every row
    # was cut to the header's width (codes kept, names and amounts gone) without a word.
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        tables:
          t3:
            header: [[科目编码, 科目名称, 合计, 基本支出, 项目支出]]
            values: ["amount:all", "basic:all", "project:all"]
        """)
    code, output = _check(folder)
    assert code == 1
    assert f"profile.yaml:{_line_of(folder, 'header:')}: tables.t3.header: 表头占 5 列，而表的每行有 7 列：两者须相同" in output


def test_joined_codes_fit_a_one_column_code_header(tmp_path):
    folder = _profile(tmp_path, """\
        name: joined
        extends: xj-unit
        tables:
          t3:
            codes: joined
            header: [[科目编码, 科目名称, 合计, 基本支出, 项目支出]]
            values: ["amount:all", "basic:all", "project:all"]
        """)
    out = tmp_path / "out.docx"
    result = CliRunner().invoke(app, ["build", str(sample_input()), "--profile", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = docx.Document(str(out)).tables[2]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["科目编码", "科目名称", "合计", "基本支出", "项目支出"]
    assert rows[1] == ["201", "一般公共服务支出", "430.74", "337.34", "93.40"]
    assert rows[2] == ["20105", "统计信息事务", "430.74", "337.34", "93.40"]
    assert rows[3][0] == "2010504" and rows[3][1] == "信息事务"  # a 项 line, its code whole
    assert rows[-1] == ["合 计", "合 计", "473.87", "380.47", "93.40"]  # the total spans code and name


def test_a_figure_stated_twice_in_one_paragraph_gets_two_ids(tmp_path):
    folder = _profile(tmp_path, """\
        name: twice
        extends: xj-unit
        parts:
          - {kind: explanations, heading: part3.title, sections: [custom.twice]}
        """, """\
        custom.twice: "{{ year|fig('y') }}年预算，即{{ year|fig('y') }}年的预算，{{ unit|fig('名' ~ kind) }}。"
        """)
    checked = pipeline.check(sample_input(), profile=folder)
    assert checked.ok
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    para = next(b for b in doc.blocks if getattr(b, "id", "") == "c_twice")
    figures = [r.figure for r in para.runs if r.figure]
    assert para.text == "2024年预算，即2024年的预算，克孜勒苏柯尔克孜自治州电子政务服务中心。"
    # a repeated id is told apart in order; an id narrate cannot mark becomes a stable digest
    assert figures[:2] == ["y", "y_2"] and figures[2].startswith("x") and len(figures[2]) == 11
    assert build.document(checked.unit, checked.catalogs, checked.profile) == doc


def test_a_figure_id_narrate_cannot_mark_is_a_located_error_when_written_out(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        """, """\
        s01.total: "收支总预算{{ total|money('总额') }}万元。"
        """)
    code, output = _check(folder)
    assert code == 1
    assert "mine.yaml:1: s01.total: 数字的标记名“总额”只能用英文字母、数字和下划线" in output


def test_a_custom_phrase_may_be_a_toc_entry(tmp_path):
    folder = _profile(tmp_path, """\
        name: toc
        extends: sh-unit
        parts:
          - {kind: toc}
          - {kind: functions, heading: functions.heading, toc: custom.functions}
        """, """\
        custom.functions: "一、{{ unit }}的职能"
        """)
    checked = pipeline.check(Path("inputs/putuo-commerce-2025-unit.yaml"), profile=folder)
    assert checked.ok, checked.problems
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    entries = [e for b in doc.blocks for e in (getattr(b, "toc", None) or ())]
    assert entries[0] == (1, "一、上海市普陀区商务委员会的职能")


def test_every_funding_source_has_a_label_so_other_income_builds(tmp_path):
    # 其他收入 (and the other kinds of 单位资金) had no label: section 一 stopped with KeyError.
    text = unit_yaml("""\
        收入:
          一般公共预算: 120.00
          其他收入: 5.00
          合计: 125.00
        """, """\
        支出:
          - 科目: 2010504
            一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
            其他收入: {项目支出: 5.00}
        """)
    (tmp_path / "unit.yaml").write_text(text, encoding="utf-8")
    for profile in ("xj-unit", "xj-dept", "xj-unit-en"):
        checked = pipeline.check(tmp_path / "unit.yaml", profile=profile)
        texts = [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]
        overview = next(t for t in texts if "一般公共预算" in t or "general public budget" in t)
        assert ("其他收入" in overview) or ("other revenue" in overview), overview


def test_a_shipped_phrasebook_lacking_a_label_is_refused_by_name(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        """, data={"labels.yaml": "three_public: 公务接待费\n"})
    code, output = _check(folder)
    assert code == 1
    assert "three_public" in output and "Traceback" not in output


def test_a_data_overlay_merges_key_by_key(tmp_path):
    # Before, an overlay's `income:` holding one label replaced the whole table.
    folder = _profile(tmp_path, """\
        name: labels
        extends: xj-unit
        """, data={"labels.yaml": "income:\n  一般公共预算: 本级一般公共预算拨款\n"})
    checked = pipeline.check(sample_input(), profile=folder)
    texts = [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]
    income = "\n".join(t for t in texts if t.endswith("未安排。") or "占" in t)
    assert "本级一般公共预算拨款" in income
    assert "上级一般公共预算安排的转移支付资金" in income  # kept from the shipped labels


def test_the_profile_package_is_data_it_imports_no_rules():
    import subprocess
    import sys

    code = "import sys, narrate.profile; print(sorted(m for m in sys.modules if m.startswith('narrate.') and m.split('.')[1] in ('outline', 'rules', 'phrasebook', 'tables', 'bind')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("name", ["xj-unit", "xj-dept", "xj-unit-en", "sh-unit", "sh-dept"])
def test_every_builtin_profile_binds(name):
    assert bind.profile(name).name == name


def test_a_phrase_and_a_table_pick_number_styles_by_name(tmp_path):
    folder = _profile(tmp_path, """\
        name: styles
        extends: xj-unit
        money:
          styles:
            whole: {unit: 万元, decimals: 0, grouping: true}
            trimmed: {unit: 万元, decimals: 2, trim_zeros: true}
          percent_styles:
            short: {decimals: 1, trim_zeros: true}
        tables:
          t10: {money: whole}
        """, """\
        s01.total: "收支总预算{{ total|money('total', 'whole') }}万元（{{ total|money('exact') }}万元，{{ total|money('t2', 'trimmed') }}万元）。"
        s02.source: "{{ label }}{{ amount|money('amount', 'trimmed') }}万元，占{{ share|pct('share', 'short') }}{{ change }}{{ reason }}"
        """)
    checked = pipeline.check(sample_input(), profile=folder)
    texts = [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]
    assert "收支总预算474万元（473.87万元，473.87万元）。" in texts
    assert any(t.startswith("一般公共预算473.87万元，占100%比上年预算减少5.02万元") for t in texts)


@pytest.mark.parametrize("phrase, message", [
    ("{{ total|money('total', 'whole') }}", "mine.yaml:1: s01.total: 没有名为“whole”的样式；可用：text、table、form"),
    ("{{ total|money('total', style=kind) }}", "mine.yaml:1: s01.total: 样式名须直接写出并加引号"),
    ("{{ total|pct('total', 'short') }}", "mine.yaml:1: s01.total: 没有名为“short”的样式；可用：text"),
])
def test_an_unknown_number_style_in_a_phrase_is_a_located_error(tmp_path, phrase, message):
    folder = _profile(tmp_path, "name: bad\nextends: xj-unit\n", f's01.total: "{phrase}"\n')
    code, output = _check(folder)
    assert code == 1 and message in output, output


def _shanghai(tmp_path: Path, toml: str) -> list[str]:
    import shutil

    source = Path("inputs/putuo-commerce-2025-unit.yaml")
    shutil.copy(source, tmp_path / source.name)
    (tmp_path / "narrate.toml").write_text(textwrap.dedent(toml), encoding="utf-8")
    checked = pipeline.check(tmp_path / source.name)
    assert checked.ok, [str(p) for p in checked.problems]
    return [b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text")]


def test_options_choose_among_a_profiles_variants_in_narrate_toml(tmp_path):
    default = _shanghai(tmp_path, "")
    chosen = _shanghai(tmp_path, '[options]\n"比较口径" = "上年预算"\n"持平说法" = "比"\n')
    income = next(t for t in default if t.startswith("2025年，上海市普陀区商务委员会收入预算"))
    assert "财政拨款收入37,151.47万元，比2024年预算执行数增加24,558.18万元" in income
    income = next(t for t in chosen if t.startswith("2025年，上海市普陀区商务委员会收入预算"))
    assert "财政拨款收入37,151.47万元，比2024年预算增加" in income  # compared with 上年预算 now
    assert "（三）公务接待费1.00万元，与2024年预算持平" in "\n".join(default)
    assert "（三）公务接待费1.00万元，比2024年预算持平" in "\n".join(chosen)
    # 零的写法 (普陀区社会福利院 2024 writes 0.00万元 where 商务委 writes 0万元)
    assert "事业收入0万元" in "\n".join(default)
    zeros = _shanghai(tmp_path, '[options]\n"零的写法" = "0.00"\n')
    assert "事业收入0.00万元" in "\n".join(zeros) and "政府性基金拨款支出预算0.00万元，与2024年预算执行数持平" in "\n".join(zeros)


@pytest.mark.parametrize("toml, message", [
    ('[options]\n"比较口径" = "决算"\n', "narrate.toml:2: options.比较口径: 选项“比较口径”没有“决算”这一项；可用：按原文、上年预算、上年预算执行数"),
    ('[options]\n"口径" = "上年预算"\n', "narrate.toml:2: options.口径: 本格式没有选项“口径”；可用：比较口径、持平说法、零的写法"),
])
def test_an_option_the_profile_does_not_offer_is_refused_at_its_line(tmp_path, toml, message):
    import shutil

    shutil.copy("inputs/putuo-commerce-2025-unit.yaml", tmp_path / "unit.yaml")
    (tmp_path / "narrate.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "unit.yaml")])
    assert result.exit_code == 1 and message in result.output, result.output


def test_a_choice_that_breaks_the_profile_is_found_before_anyone_chooses_it(tmp_path):
    folder = _profile(tmp_path, """\
        name: opts
        extends: xj-unit
        options:
          口径:
            default: 预算
            choices:
              预算: {}
              决算: {compare: [{facts: "*", set: 下年决算}]}
        """)
    code, output = _check(folder)
    assert code == 1
    assert f"profile.yaml:{_line_of(folder, '决算:')}: options.口径.choices.决算.compare[1].set: 比较数“下年决算”不存在" in output


@pytest.mark.parametrize("change, message", [
    ("tables:\n  t1: {kind: nonsense}\n", "profile.yaml:4: tables.t1: 种类“nonsense”不存在；应为 balance、function、economic、projects、facts、carryover、final_lines、economic_pairs、procurement 之一"),
    ("tables:\n  tx: {title: x}\n", "profile.yaml:4: tables.tx: 缺少 kind（种类）"),
    ("tables:\n  t2: {style: 1}\n", "profile.yaml:4: tables.t2.style: 未知字段“style”"),
])
def test_the_schemas_own_verdicts_speak_the_officers_words(tmp_path, change, message):
    folder = _profile(tmp_path, "name: bad\nextends: xj-unit\n" + change)
    code, output = _check(folder)
    assert code == 1 and message in output, output
    assert "discriminator" not in output and "function.style" not in output


def test_the_table_kinds_the_loader_strips_from_paths_are_the_schemas():
    from narrate import profile as profiles
    from narrate.reference import _table_kinds

    assert profiles.TABLE_KINDS == tuple(kind for kind, _ in _table_kinds())


def test_an_input_chooses_options_too_and_wins_over_narrate_toml(tmp_path):
    import shutil

    text = Path("inputs/putuo-commerce-2025-unit.yaml").read_text(encoding="utf-8")
    (tmp_path / "unit.yaml").write_text(text + "选项: {持平说法: 比}\n", encoding="utf-8")
    (tmp_path / "narrate.toml").write_text('[options]\n"持平说法" = "与"\n"比较口径" = "上年预算"\n', encoding="utf-8")
    checked = pipeline.check(tmp_path / "unit.yaml")
    texts = "\n".join(b.text for b in build.explanations(checked.unit, checked.catalogs, checked.profile) if hasattr(b, "text"))
    assert "（三）公务接待费1.00万元，比2024年预算持平" in texts  # the input's choice
    assert "财政拨款收入37,151.47万元，比2024年预算增加" in texts  # narrate.toml's, where the input says nothing
    (tmp_path / "unit.yaml").write_text(text + "选项: {持平说法: 同}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "unit.yaml")])
    line = len(text.splitlines()) + 1
    assert result.exit_code == 1 and f"unit.yaml:{line}: 选项.持平说法: 选项“持平说法”没有“同”这一项；可用：与、比" in result.output, result.output
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)


def test_a_first_header_row_narrower_than_the_rows_below_is_an_error(tmp_path):
    # 合计 | “三公”经费 (5 of its 6 columns) | 会议费 | 培训费 over nine amounts: the second row's
    # cells were pushed past 会议费, so 会议费 headed the 公务接待费 column, without a word.
    text = """\
        name: bad
        extends: xj-unit
        tables:
          t10:
            kind: facts
            title: 三公
            header:
              - [{t: 合计, r: 3}, {t: 三公经费, c: 5}, {t: 会议费, r: 3}, {t: 培训费, r: 3}]
              - [{t: 小计, r: 2}, {t: 因公出国（境）费, r: 2}, {t: 公务用车, c: 3}, {t: 公务接待费, r: 2}]
              - [小计, 购置费, 运行费]
            rows:
              - [{fact: 三公经费.合计}, {fact: 三公经费.合计}, {fact: 三公经费.因公出国境}, {fact: 三公经费.公务用车小计},
                 {fact: 三公经费.公务用车购置}, {fact: 三公经费.公务用车运行}, {fact: 三公经费.公务接待}, {amount: 0}, {amount: 0}]
        """
    folder = _profile(tmp_path, text)
    code, output = _check(folder)
    assert code == 1
    assert f"profile.yaml:{_line_of(folder, 'header:')}: tables.t10.header: 表头占 8 列，而表的每行有 9 列：两者须相同" in output
    # spanning all six columns of its row below, it binds
    code, output = _check(_profile(tmp_path / "ok", text.replace("c: 5}", "c: 6}")))
    assert "tables.t10.header" not in output, output


def test_a_function_tables_columns_may_each_name_a_money_style(tmp_path):
    folder = _profile(tmp_path, """\
        name: styled
        extends: xj-unit
        money:
          styles:
            yuan: {unit: 元, decimals: 0, grouping: true}
        tables:
          t5: {styles: [null, yuan]}
        """)
    checked = pipeline.check(sample_input(), profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    table = next(b for b in doc.blocks if getattr(b, "id", "") == "t5")
    total = [c.text for c in table.rows[-1]]
    # 合计 in the table's 万元 with two decimals; 人员经费 in whole 元; the rest as the table says
    plain = _profile(tmp_path / "plain", "name: plain\nextends: xj-unit\n")
    again = pipeline.check(sample_input(), profile=plain)
    unstyled = next(b for b in build.document(again.unit, again.catalogs, again.profile).blocks if getattr(b, "id", "") == "t5")
    wan = [c.text for c in unstyled.rows[-1]]
    assert total[1] == wan[1] and total[3:] == wan[3:]
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", total[2]) and Decimal(total[2].replace(",", "")) == Decimal(wan[2].replace(",", "")) * 10000, (total, wan)


def test_a_style_list_longer_than_the_columns_or_naming_no_style_is_an_error(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        tables:
          t5: {styles: [null, yuan, null, null, null]}
        """)
    code, output = _check(folder)
    assert code == 1
    assert "tables.t5.styles: styles 有 5 项，而金额列（values）只有 4 列" in output
    assert "tables.t5.styles[2]: 没有名为“yuan”的金额样式" in output
