"""Final accounts (决算公开): the 上海市普陀区财政局 2024 部门决算 against its published part three,
every alternative sentence of the Shanghai template on a small input that calls for it, and the
checks that run before anything is written (balances, reasons for differences from the budget).

The expected sentences are tests/data/sh_final_expected.txt: the published part three, with the
published slips corrected and each named there (# 更正)."""

from __future__ import annotations

import re
from pathlib import Path
from textwrap import dedent

import pytest
from typer.testing import CliRunner

from narrate import pipeline
from narrate.cli import app
from narrate.resources import data_dir

DATA = Path(__file__).parent / "data"
SAMPLE = data_dir("inputs") / "putuo-finance-2024-final.yaml"
_FOLD = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def normal(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FOLD)


def sentences(lines) -> list[str]:
    return [normal(s) for line in lines for s in line.split("。") if normal(s)]


def preview(path: Path) -> str:
    result = CliRunner().invoke(app, ["preview", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def expected() -> list[str]:
    lines = (DATA / "sh_final_expected.txt").read_text(encoding="utf-8").splitlines()
    return sentences(line for line in lines if line.strip() and not line.startswith("#"))


def test_the_sample_checks_clean():
    checked = pipeline.check(SAMPLE)
    assert checked.ok and checked.problems == [], [str(p) for p in checked.problems]
    result = CliRunner().invoke(app, ["check", str(SAMPLE)])
    assert result.exit_code == 0
    assert ("决算：收入支出总计 2995.39 万元（本年收入 2946.25 + 年初结转和结余 49.14；本年支出 2940.05 + 年末结转和结余 55.34）；"
            "一般公共预算财政拨款支出完成年初预算的 98.20%") in result.output


def test_every_sentence_of_part_three_is_generated_in_the_published_order():
    got = sentences(preview(SAMPLE).splitlines())
    want = expected()
    missing = [s for s in want if s not in got]
    assert missing == [], f"{len(missing)} of {len(want)} sentences not generated"
    start = got.index(want[0])
    assert got[start:start + len(want)] == want  # nothing between, nothing reordered
    assert len(want) > 90


def test_the_published_slips_are_corrected_not_copied():
    text = normal(preview(SAMPLE))
    for slip in ("财政拨款收入支出总计0.3万元", "占71.73%", "326.72万元", "个人农业生产补贴", "完成预算的0%；",
                 "占20.51%；四"):
        assert normal(slip) not in text, slip


# -- the template's alternatives, each on an input that calls for it ---------------------------

def unit(tmp_path: Path, body: str, budget: str = "", prior: str = "", final: str = "") -> Path:
    """A small final-accounts unit: one 项 of general-budget spending, its budget and last year's
    actuals as given, and the 决算 section (income equal to spending unless given)."""
    text = dedent("""\
        格式: sh-unit-final
        公开类型: 决算
        单位: {名称: 测试中心, 年度: 2024, 内设机构: [办公室]}
        """) + dedent(body) + dedent(budget) + dedent(prior) + dedent(final)
    path = tmp_path / "final.yaml"
    path.write_text(text, encoding="utf-8")
    return path


ONE_LINE = """\
    支出:
      - {科目: 2010601, 一般公共预算: {人员经费: 80.00, 公用经费: 20.00}}
    基本支出经济分类:
      - {科目: 30101, 金额: 80.00}
      - {科目: 30201, 金额: 20.00}
    主要用途: {2010601: 机关运转}
    """
INCOME = """\
    决算:
      收入: [{科目: 2010601, 一般公共预算: 100.00}]
    """


def text_of(path: Path) -> str:
    return normal(preview(path))


def test_equal_to_the_budget_and_to_last_year_says_flat_and_asks_no_reason(tmp_path):
    path = unit(tmp_path, ONE_LINE,
                "年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 100.00}}]\n",
                "上年决算:\n  合计数: {收入支出总计: 100.00, 财政拨款收入支出总计: 100.00, 一般公共预算.合计: 100.00}\n",
                INCOME)
    text = text_of(path)
    assert normal("与2023年度相比，收入支出总计持平。") in text
    assert normal("完成年初预算的100.00%。决算数与预算数基本持平。其中：") in text
    assert normal("年初预算为100.00万元，支出决算为100.00万元。决算数与预算数基本持平。") in text
    assert "主要原因" not in text.split(normal("三、支出决算情况说明"))[0]
    assert [p for p in pipeline.check(path).problems if p.rule.startswith("final")] == []


def test_a_zero_budget_gives_no_completion_rate_and_says_why(tmp_path):
    path = unit(tmp_path, ONE_LINE, "年初预算:\n  三公经费: {公务接待: 0}\n", "", INCOME)
    text = text_of(path)
    assert normal("年初预算为0.00万元，支出决算为100.00万元，年初预算为零，不计算完成率。") in text
    assert "0.00%。决算数" not in text and "完成年初预算的" not in text
    # over a zero budget it is 大于, and the reason is asked for (a placeholder, listed by check)
    assert normal("决算数大于预算数的主要原因：【请说明决算数与预算数的差异原因】") in text
    problems = pipeline.check(path).problems
    assert {p.rule for p in problems if p.rule == "final-reason"} == {"final-reason"}
    assert any("一般公共预算.2010601" in str(p) and "大于" in str(p) for p in problems)


def test_growth_on_a_zero_base_is_not_a_percentage(tmp_path):
    path = unit(tmp_path, ONE_LINE, "", "上年决算:\n  合计数: {收入支出总计: 0}\n", INCOME)
    text = text_of(path)
    assert normal("收入支出总计增加100.00万元（上年为零，不计算增长率）") in text
    assert "增长100.00%" not in text


def test_kinds_of_income_and_spending_not_involved_are_not_listed(tmp_path):
    body = """\
        支出:
          - {科目: 2010601, 一般公共预算: {人员经费: 80.00, 公用经费: 10.00}, 事业收入: {项目支出: 10.00}}
        基本支出经济分类:
          - {科目: 30101, 金额: 80.00}
          - {科目: 30201, 金额: 10.00}
        """
    path = unit(tmp_path, body, "", "", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 90.00, 事业收入: 10.00}]
        """)
    text = text_of(path)
    assert normal("本年收入合计100万元，其中：财政拨款收入90万元，占90.00%；事业收入10万元，占10.00%。") in text
    assert normal("本年支出合计100.00万元，其中：基本支出90.00万元，占90.00%；项目支出10.00万元，占10.00%。") in text
    part = text.split(normal("四、"))[0]
    assert "经营收入" not in part and "经营支出" not in part and "上级补助收入" not in part


def test_none_of_a_kind_gives_the_templates_none_sentences(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "", "", INCOME))
    for sentence in ("测试中心2024年度无“三公”经费财政拨款支出。",
                     "测试中心2024年度无政府性基金预算财政拨款收入和支出。",
                     "测试中心2024年度无国有资本经营预算财政拨款收入和支出。"):
        assert normal(sentence) in text


def test_no_running_costs_says_so(tmp_path):
    body = ONE_LINE + "机关运行经费: 0\n"
    text = text_of(unit(tmp_path, body, "", "", INCOME))
    assert normal("测试中心2024年度无机关运行经费支出。") in text


def test_a_fund_with_spending_lists_its_items_against_the_budget(tmp_path):
    body = ONE_LINE.replace("    基本支出", "      - {科目: 2120399, 政府性基金: {项目支出: 50.00}}\n    基本支出", 1)
    path = unit(tmp_path, body, "年初预算:\n  支出: [{科目: 2120399, 政府性基金: {项目支出: 40.00}}]\n", "", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}, {科目: 2120399, 政府性基金: 50.00}]
        """)
    text = text_of(path)
    assert normal("政府性基金预算财政拨款收入50.00万元，支出50.00万元，支出具体情况如下：") in text
    assert normal("年初预算为40.00万元，支出决算为50.00万元。决算数大于预算数的主要原因：") in text


def test_three_public_spending_is_told_item_by_item_with_counts(tmp_path):
    body = ONE_LINE + "三公经费: {因公出国境: 2.00, 公务用车运行: 3.00, 公务接待: 1.00}\n"
    path = unit(tmp_path, body, "年初预算:\n  三公经费: {因公出国境: 2.00, 公务用车运行: 4.00, 公务接待: 1.00}\n",
                "上年决算:\n  三公经费: {因公出国境: 1.00, 公务用车运行: 3.00, 公务接待: 1.00}\n", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}]
          三公经费数量: {因公出国团组: 1, 因公出国人次: 3, 公务用车保有量: 2, 国内公务接待批次: 4, 国内公务接待人次: 20}
          三公经费用途: {因公出国境: 赴外交流, 公务用车运行: 车辆燃料与维修, 公务接待: 业务交流}
        """)
    text = text_of(path)
    assert normal("“三公”经费财政拨款支出年初预算为7.00万元，支出决算为6.00万元，完成预算的85.71%") in text
    assert normal("因公出国（境）费决算为2.00万元，完成预算的100.00%") in text
    assert normal("比2023年度增加1.00万元，增长20.00%，其中：因公出国（境）费支出决算增加1.00万元，增长100.00%；"
                  "公务用车购置及运行维护费支出决算持平；公务接待费支出决算持平。") in text
    assert normal("因公出国（境）费支出增加的主要原因是【请说明变动原因】") in text
    assert normal("1、因公出国（境）费支出2.00万元。全年安排因公出国（境）团组1个、累计3人次。开支内容包括：赴外交流。") in text
    assert normal("2023年，测试中心") not in text
    assert normal("2024年，测试中心所属各预算单位开支财政拨款的公务用车保有量为2辆。") in text


def test_the_unit_variant_has_its_structure_and_the_department_its_members(tmp_path):
    text = text_of(unit(tmp_path, ONE_LINE, "", "", INCOME))
    assert normal("二、机构设置") in text and normal("测试中心设1个内设机构，包括：办公室。") in text
    # 部门/单位 from the unit's kind, never a 部门 document that says 单位 or the other way round
    assert normal("第三部分 测试中心2024年度单位决算情况说明") in text and normal("2024年度本单位面向中小企业") in text
    part3 = text[text.index(normal("第三部分")):text.index(normal("第四部分"))]
    assert "部门" not in part3 and "本单位" in part3
    assert normal("本单位建立了如下预算绩效管理制度") not in text  # none given: a placeholder, not invented
    assert normal("【请填写预算绩效管理情况】") in text
    dept = text_of(SAMPLE)
    assert normal("二、部门决算单位构成") in dept and normal("2024年度本部门面向中小企业") in dept


# -- checks before writing ----------------------------------------------------------------------

def test_a_final_account_that_does_not_balance_names_both_sides(tmp_path):
    path = unit(tmp_path, ONE_LINE, "", "", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}]
          结转结余: {年初结转和结余: 5.00, 年末结转和结余: 4.00}
        """)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert "收入方（本年收入 + 使用非财政拨款结余 + 年初结转和结余）105.00 万元，支出方（本年支出 + 结余分配 + 年末结转和结余）104.00 万元" in result.output
    assert re.search(r"final\.yaml:\d+: ", result.output)


def test_a_difference_from_the_budget_without_its_reason_is_listed_by_check(tmp_path):
    path = unit(tmp_path, ONE_LINE, "年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 110.00}}]\n", "", INCOME)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert "一般公共预算.2010601 决算数 100.00 万元小于年初预算 110.00 万元" in result.output
    assert "一般公共预算.合计 决算数 100.00 万元小于年初预算 110.00 万元" in result.output
    given = unit(tmp_path, ONE_LINE, "年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 110.00}}]\n", "",
                 INCOME + "  预决算差异原因: {一般公共预算.2010601: 人员减少, 一般公共预算.合计: 人员减少}\n")
    assert "预决算差异原因" not in CliRunner().invoke(app, ["check", str(given)]).output
    assert normal("决算数小于预算数的主要原因：人员减少。") in text_of(given)


def test_the_years_budget_file_is_the_budget_set(tmp_path):
    (tmp_path / "budget.yaml").write_text(dedent("""\
        单位: {名称: 测试中心, 年度: 2024}
        收入: {一般公共预算: 120.00}
        支出: [{科目: 2010601, 一般公共预算: {基本支出: 120.00}}]
        """), encoding="utf-8")
    path = unit(tmp_path, ONE_LINE, "年初预算文件: budget.yaml\n", "", INCOME)
    assert normal("年初预算为120.00万元，支出决算为100.00万元，完成年初预算的83.33%") in text_of(path)
    wrong = unit(tmp_path, ONE_LINE, "年初预算文件: missing.yaml\n", "", INCOME)
    result = CliRunner().invoke(app, ["check", str(wrong)])
    assert result.exit_code == 1 and "年初预算文件不存在：missing.yaml" in result.output



def test_the_final_accounts_go_through_a_workbook_and_back_unchanged(tmp_path):
    from narrate.load import validate, yaml_file

    book, back = tmp_path / "final.xlsx", tmp_path / "back.yaml"
    assert CliRunner().invoke(app, ["convert", str(SAMPLE), str(book)]).exit_code == 0
    assert CliRunner().invoke(app, ["convert", str(book), str(back)]).exit_code == 0
    first, _ = validate.to_model(yaml_file.read(SAMPLE).tree)
    second, _ = validate.to_model(yaml_file.read(back).tree)
    assert first is not None and second == first
    assert preview(book) == preview(SAMPLE)


# -- the nine tables, cell by cell ------------------------------------------------------------

# Each table's amounts row by row as published; the published 326.72 of 社会保障和就业支出 (and of
# its 款) in tables 2, 3 and 5 is the sum of its rounded 项: the 元 give 326.71, which table 1,
# table 4 and every total print, so narrate prints 326.71 in every table (# 更正).
_SOCIAL = ["326.71", "326.71"]  # 更正: published 326.72, 326.72
_LINES_2 = [
    "2,946.25", "2,940.05", "6.20", "2,112.86", "2,106.66", "6.20", "2,112.86", "2,106.66", "6.20",
    "1,511.90", "1,511.89", "0.01", "16.19", "10.00", "6.19", "135.25", "135.25", "449.52", "449.52",
    *_SOCIAL, *_SOCIAL, "84.65", "84.65", "160.75", "160.75", "80.38", "80.38", "0.94", "0.94",
    "60.99", "60.99", "60.99", "60.99", "60.99", "60.99", "445.69", "445.69", "445.69", "445.69",
    "187.19", "187.19", "258.50", "258.50",
]
_LINES_3 = [
    "2,940.05", "2,336.91", "603.14", "2,106.66", "1,503.52", "603.14", "2,106.66", "1,503.52", "603.14",
    "1,511.89", "1,503.52", "8.37", "10.00", "10.00", "135.25", "135.25", "449.52", "449.52",
    *_SOCIAL, *_SOCIAL, "84.65", "84.65", "160.75", "160.75", "80.38", "80.38", "0.94", "0.94",
    "60.99", "60.99", "60.99", "60.99", "60.99", "60.99", "445.69", "445.69", "445.69", "445.69",
    "187.19", "187.19", "258.50", "258.50",
]
PUBLISHED_TABLES = [
    ["2,940.05", "2,106.66", "6.20", "326.71", "60.99", "445.69", "2,946.25", "2,940.05", "49.14", "55.34",
     "2,995.39", "2,995.39"],
    _LINES_2,
    _LINES_3,
    ["2,940.05", "2,106.66", "2,106.66", "326.71", "326.71", "60.99", "60.99", "445.69", "445.69",
     "2,940.05", "2,940.05", "2,940.05", "21.63", "21.63", "21.63", "21.63", "2,961.68", "2,961.68", "2,961.68"],
    _LINES_3[3:] + ["2,940.05", "2,336.91", "603.14"],  # table 5: the general budget, its 合计 last
    # table 6: the published two column pairs (工资福利 and 对个人和家庭的补助 left, 商品和服务 and 资本性 right), row by row
    ["2,082.85", "171.07", "262.33", "21.21", "1,238.58", "7.61", "0.09", "160.75", "80.38", "4.88", "60.99", "1.61",
     "1.20", "187.19", "2.83", "91.03", "69.41", "4.05", "69.10", "2.01", "0.31", "24.42", "42.77", "48.49", "11.53",
     "13.58", "13.58", "2,152.26", "184.65"],
    ["0.95", "0.95"],  # “三公”: the 合计 and 公务接待费 budgets; nothing spent
    [], [],  # the fund tables are kept empty, with their note
]
@pytest.fixture(scope="module")
def document():
    import io

    import docx

    from narrate import build

    checked = pipeline.check(SAMPLE)
    return docx.Document(io.BytesIO(build.render(checked.unit, checked.catalogs, checked.profile)))


def _cells(table) -> list[list[str]]:
    from narrate.docx.revisions import w

    return [["".join(t.text or "" for t in tc.iter(w("t"))) for tc in tr.iter(w("tc"))] for tr in table._tbl.iter(w("tr"))]


AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")


def test_every_table_cell_is_the_published_one(document):
    assert len(document.tables) == 9
    for n, (table, want) in enumerate(zip(document.tables, PUBLISHED_TABLES), 1):
        if want is None:
            continue
        got = [c for row in _cells(table) for c in row if AMOUNT.fullmatch(c)]
        assert got == want, f"table {n}"


def test_the_basic_expenditure_table_lists_the_templates_rows_used_or_not(document):
    rows = _cells(document.tables[5])
    assert rows[2][:3] == ["301", "", "工资福利支出"] and rows[2][4:7] == ["302", "", "商品和服务支出"]
    assert ["301", "03", "奖金", ""] == rows[5][:4]  # nothing spent on it: the row stays, its amount blank
    assert rows[-1] == ["人员经费合计", "2,152.26", "公用经费合计", "184.65"]


def test_the_empty_fund_tables_are_kept_with_their_note(document):
    texts = [p.text for p in document.paragraphs]
    for what in ("政府性基金预算财政拨款", "国有资本经营预算财政拨款"):
        assert f"注：上海市普陀区财政局无{what}支出，故本表无数据。" in texts
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    assert titles == ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
                      "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表",
                      "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款收入支出决算表"]


def test_building_the_final_accounts_twice_gives_the_same_bytes():
    from narrate import build

    checked = pipeline.check(SAMPLE)
    assert build.render(checked.unit, checked.catalogs, checked.profile) == build.render(checked.unit, checked.catalogs,
                                                                                         checked.profile)


def test_libreoffice_opens_the_final_accounts_and_its_pdf_reads_them(tmp_path):
    import os
    import shutil
    import subprocess

    from narrate import build, pdf

    if pdf.soffice() is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            raise RuntimeError("CI must have LibreOffice and poppler-utils (see .ci/run)")
        pytest.skip("LibreOffice or poppler-utils not installed")
    checked = pipeline.check(SAMPLE)
    path = tmp_path / "final.docx"
    build.write(checked.unit, checked.catalogs, path, checked.profile)
    text = "".join(subprocess.run(["pdftotext", str(pdf.convert(path)), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "收入支出总计2995.39万元" in text and "财政拨款“三公”经费支出决算表" in text
    assert "注：上海市普陀区财政局无国有资本经营预算财政拨款支出，故本表无数据。" in text


def test_a_department_adds_up_its_members_final_accounts(tmp_path):
    def member(name: str, amount: str, budget: str, opening: str) -> str:
        return dedent(f"""\
            格式: sh-unit-final
            公开类型: 决算
            单位: {{名称: {name}, 年度: 2024}}
            支出: [{{科目: 2010601, 一般公共预算: {{人员经费: {amount}}}}}]
            基本支出经济分类: [{{科目: 30101, 金额: {amount}}}]
            年初预算:
              支出: [{{科目: 2010601, 一般公共预算: {{基本支出: {budget}}}}}]
            决算:
              收入: [{{科目: 2010601, 一般公共预算: {amount}}}]
              结转结余: {{年初结转和结余: {opening}, 年末结转和结余: {opening}}}
              预决算差异原因: {{一般公共预算.合计: 人员变化, 一般公共预算.2010601: 人员变化}}
            """)

    (tmp_path / "a.yaml").write_text(member("甲中心", "60.00", "70.00", "1.00"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(member("乙中心", "40.00", "50.00", "2.00"), encoding="utf-8")
    (tmp_path / "dept.yaml").write_text(dedent("""\
        格式: sh-dept-final
        公开类型: 决算
        单位:
          名称: 测试局
          年度: 2024
          类型: 部门
          成员单位:
            - {名称: 甲中心, 本部: true, 文件: a.yaml}
            - {名称: 乙中心, 文件: b.yaml}
        决算:
          预决算差异原因: {一般公共预算.合计: 两家单位人员变化, 一般公共预算.2010601: 两家单位人员变化}
        """), encoding="utf-8")
    checked = pipeline.check(tmp_path / "dept.yaml")
    assert checked.ok, [str(p) for p in checked.problems]
    text = text_of(tmp_path / "dept.yaml")
    assert normal("测试局2024年度收入支出总计103.00万元") in text  # 100.00 income + 3.00 opening balances
    assert normal("本年收入合计100万元，其中：财政拨款收入100万元，占100.00%。") in text
    assert normal("一般公共预算财政拨款支出年初预算为120.00万元，支出决算为100.00万元，完成年初预算的83.33%。"
                  "决算数小于预算数的主要原因：两家单位人员变化。") in text


def test_the_format_names_the_budget_each_completion_rate_divides_by(tmp_path):
    sets = ("年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 125.00}}]\n"
            "全年预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 110.00}}]\n")
    start = text_of(unit(tmp_path, ONE_LINE, sets, "", INCOME))
    assert normal("一般公共预算财政拨款支出年初预算为125.00万元，支出决算为100.00万元，完成年初预算的80.00%") in start
    full = text_of(unit(tmp_path, ONE_LINE + "选项: {完成率口径: 全年预算}\n", sets, "", INCOME))
    assert normal("一般公共预算财政拨款支出全年预算为110.00万元，支出决算为100.00万元，完成全年预算的90.91%") in full
    assert normal("全年预算为110.00万元，支出决算为100.00万元。决算数小于预算数的主要原因：") in full


def test_a_departments_own_final_figures_must_agree_with_its_members(tmp_path):
    for name, amount in (("a", "60.00"), ("b", "40.00")):
        (tmp_path / f"{name}.yaml").write_text(dedent(f"""\
            格式: sh-unit-final
            公开类型: 决算
            单位: {{名称: 中心{name}, 年度: 2024}}
            支出: [{{科目: 2010601, 一般公共预算: {{人员经费: {amount}}}}}]
            基本支出经济分类: [{{科目: 30101, 金额: {amount}}}]
            决算:
              收入: [{{科目: 2010601, 一般公共预算: {amount}}}]
              结转结余: {{年初结转和结余: 1.00, 年末结转和结余: 1.00}}
            """), encoding="utf-8")
    (tmp_path / "dept.yaml").write_text(dedent("""\
        格式: sh-dept-final
        公开类型: 决算
        单位:
          名称: 测试局
          年度: 2024
          类型: 部门
          成员单位: [{名称: 中心a, 本部: true, 文件: a.yaml}, {名称: 中心b, 文件: b.yaml}]
        决算:
          结转结余: {年初结转和结余: 3.00, 年末结转和结余: 2.00}
        """), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "dept.yaml")])
    assert result.exit_code == 1
    assert "决算.结转结余: 年初结转和结余：部门填写 3.00 万元，与各成员单位相加 2.00 万元不符" in result.output
    assert "final-balance" not in result.output  # its own figures are its members': nothing of its own to balance


def test_a_bad_final_accounts_input_is_refused_at_its_line(tmp_path):
    path = unit(tmp_path, ONE_LINE, "", "", """\
        决算:
          收入: [{科目: 2010601, 一般公共预算: 100.00}]
          三公经费数量: {因公出国团组: 1.5}
          结转结余: {年初结存: 1.00}
        """)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {n: i for i, line in enumerate(lines, 1) for n in ("三公经费数量", "结转结余") if n in line}
    assert f"final.yaml:{at['三公经费数量']}: 决算.三公经费数量.因公出国团组" in result.output
    assert f"final.yaml:{at['结转结余']}: 决算.结转结余.年初结存" in result.output


def test_the_contents_are_the_published_ones_with_its_one_slip_corrected(tmp_path):
    import docx

    path = tmp_path / "final.docx"
    result = CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(path)])
    assert result.exit_code == 0, result.output
    got = [normal(p.text) for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("toc ")]
    lines = (DATA / "sh_final_toc.txt").read_text(encoding="utf-8").splitlines()
    want = [normal(line) for line in lines if line.strip() and not line.startswith("#")]
    assert got == want


def test_a_line_only_a_budget_set_has_is_checked_and_prints_by_the_name_typed_beside_it(tmp_path):
    start = ("年初预算:\n  支出:\n    - {科目: 2010601, 一般公共预算: {基本支出: 100.00}}\n"
             "    - {科目: 2010698, 名称: 某某财政事务, 一般公共预算: {项目支出: 5.00}}\n")
    path = unit(tmp_path, ONE_LINE, start, "上年决算:\n  支出: [{科目: 2010697, 一般公共预算: {基本支出: 1.00}}]\n",
                INCOME + "  预决算差异原因: {一般公共预算.合计: 人员减少, 一般公共预算.2010698: 未实施}\n")
    problems = {(p.rule, p.line, p.field) for p in pipeline.check(path).problems}
    lines = path.read_text(encoding="utf-8").splitlines()
    typed = lines.index("    - {科目: 2010698, 名称: 某某财政事务, 一般公共预算: {项目支出: 5.00}}") + 1
    assert ("code-unlisted", typed, "年初预算.支出[2].科目") in problems
    # a code in last year's actuals is checked too: unknown and unnamed, it is refused at its line
    prior = lines.index("  支出: [{科目: 2010697, 一般公共预算: {基本支出: 1.00}}]") + 1
    assert ("code-unknown", prior, "上年决算.支出[1].科目") in problems
    fixed = path.read_text(encoding="utf-8").replace("{科目: 2010697, 一般公共预算", "{科目: 2010601, 一般公共预算")
    path.write_text(fixed, encoding="utf-8")
    # before, the line printed as 2010698（项）: names typed in a budget set never reached the catalog
    assert "财政事务（款）某某财政事务（项）。主要用于：【请说明主要用途】。年初预算为5.00万元，支出决算为0.00万元" in text_of(path)


def test_without_last_years_actuals_nothing_is_called_unchanged_and_check_says_so(tmp_path):
    # No 上年决算: nothing is known to compare with, so no sentence may say 持平 (it did).
    path = unit(tmp_path, ONE_LINE, "年初预算:\n  支出: [{科目: 2010601, 一般公共预算: {基本支出: 100.00}}]\n", "", INCOME)
    text = text_of(path)
    assert "与2023年度相比，收入支出总计【请填写上年决算数】" in text
    assert re.findall(r"2023年度[^。]*持平", text) == []  # 持平 against the budget stays
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0 and "未提供上年决算数（“上年决算”）" in result.output
