"""Each rule of the explanations, as a specification: a small unit in which it fires and one in
which it does not. Every case replaces sections of the minimal valid unit (unitfile.BASE), written
out beside the expectation; `rule` must be (or must not be) among the rules its paragraph records,
`says` must be in the paragraph's text and `absent` must not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate import blocks, build, phrasebook, pipeline
from narrate.compute import Change
from narrate.phrasebook import _series_filter
from narrate.rules.context import Context, clause
from unitfile import unit_yaml

BOOK = phrasebook.load()


def explain(tmp_path: Path, *sections: str, drop: tuple[str, ...] = ()) -> dict[str, blocks.Para]:
    path = tmp_path / "unit.yaml"
    path.write_text(unit_yaml(*sections, drop=drop), encoding="utf-8")
    checked = pipeline.check(path)
    assert checked.unit is not None, [str(p) for p in checked.problems]
    return {b.id: b for b in build.explanations(checked.unit, checked.catalogs, checked.profile, BOOK) if isinstance(b, blocks.Para)}


def prior(line: str, three_public: str = "{公务接待: 1.00, 公务用车运行: 2.00}", operating: str = "10.00") -> str:
    """Returns a 上年 section whose only line is `line` (the 2010504 general-budget cell)."""
    return f"""\
    上年:
      收入: {{}}
      支出:
        - 科目: 2010504
          一般公共预算: {line}
      三公经费: {three_public}
      机关运行经费: {operating}
    """


SAME = "{人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}"
REASONS = "变动原因: {一般公共预算.基本支出: 人员增加}"
FUND = """\
支出:
  - 科目: 2010504
    一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
    政府性基金: {项目支出: 5.00}
"""
INCOME_FUND = "收入: {一般公共预算: 120.00, 政府性基金: 5.00}"


@dataclass(frozen=True)
class Case:
    name: str
    sections: tuple[str, ...]
    pid: str
    rule: str
    fires: bool
    says: str = ""  # must be in the paragraph
    absent: str = ""  # must not be in it
    drop: tuple[str, ...] = ()


CASES = [
    # 增加/增长, 减少/下降, 持平, new, gone, none
    Case("up", (prior("{人员经费: 70.00, 公用经费: 10.00, 项目支出: 30.00}"), REASONS), "s3_05_basic", "change_up", True,
         "基本支出90.00万元，比上年预算增加10.00万元，增长12.50%。主要原因是：人员增加。"),
    Case("not up", (prior(SAME),), "s3_05_basic", "change_up", False, absent="增加"),
    Case("down", (prior("{人员经费: 90.00, 公用经费: 10.00, 项目支出: 30.00}"),), "s3_05_basic", "change_down", True,
         "比上年预算减少10.00万元，下降10.00%"),
    Case("not down", (prior(SAME),), "s3_05_basic", "change_down", False, absent="减少"),
    Case("flat", (prior(SAME),), "s3_05_project", "change_flat", True, "项目支出30.00万元，与上年持平。"),
    Case("not flat", (prior("{人员经费: 80.00, 公用经费: 10.00, 项目支出: 20.00}"),), "s3_05_project", "change_flat", False, absent="持平"),
    Case("new: no rate", (prior("{人员经费: 80.00, 公用经费: 10.00}"),), "s3_05_project", "change_new", True,
         "项目支出30.00万元，比上年预算增加30.00万元（上年未安排）。主要原因是：【请说明变动原因】。"),
    Case("not new", (prior(SAME),), "s3_05_project", "change_new", False, absent="上年未安排"),
    Case("gone: still narrated", (prior("{人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}"),
                                  "支出:\n  - 科目: 2010504\n    一般公共预算: {人员经费: 80.00, 公用经费: 10.00}\n",
                                  "收入: {一般公共预算: 90.00}", "项目: []"),
         "s3_05_project", "change_gone", True, "项目支出0.00万元，比上年预算减少30.00万元，下降100.00%"),
    Case("not gone", (prior(SAME),), "s3_05_project", "change_gone", False, absent="100.00%"),
    Case("both years 0: 未安排", (prior(SAME),), "s3_02_fund", "source_unarranged", True, "政府性基金预算未安排。"),
    Case("fund arranged", (prior(SAME), FUND, INCOME_FUND), "s3_02_fund", "source_unarranged", False, "政府性基金预算5.00万元，占4.00%", absent="预算未安排。"),
    Case("三公 both 0: reason from the data", (prior(SAME),), "s3_10_changes", "reason_both_unarranged", True,
         "其中：2023年与2024年均未安排因公出国（境）费；"),
    Case("三公 arranged: no such reason",
         (prior(SAME, "{因公出国境: 1.00, 公务用车购置: 1.00, 公务接待: 1.00, 公务用车运行: 2.00}"),),
         "s3_10_changes", "reason_both_unarranged", False, "因公出国（境）费减少1.00万元，下降100.00%，主要原因是【请说明变动原因】"),
    Case("三公 all 0", (prior(SAME, "{}"), "三公经费: {}"), "s3_10_changes", "three_public_none", True,
         "2023年与2024年均未安排财政拨款“三公”经费，其中："),
    Case("三公 not all 0", (prior(SAME),), "s3_10_changes", "three_public_none", False, absent="均未安排财政拨款"),
    # sources
    Case("optional source absent: not listed", (prior(SAME),), "s3_02_special", "source_arranged", False),
    Case("one source only", (prior(SAME),), "s3_04_sources", "single_source", True,
         "收入全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算。"),
    Case("two sources", (prior(SAME), FUND, INCOME_FUND), "s3_04_sources", "single_source", False, absent="收入全部为"),
    Case("two sources: natural list", (prior(SAME), FUND, INCOME_FUND), "s3_04_sources", "several_sources", True,
         "收入包括一般公共预算拨款和政府性基金预算拨款。"),
    # shares: all funds in 三, the general budget in 五
    Case("share of all funds", (prior(SAME), FUND, INCOME_FUND), "s3_03_project", "expense_part", True, "项目支出35.00万元，占28.00%"),
    Case("share of the general budget", (prior(SAME), FUND, INCOME_FUND), "s3_05_2_201", "general_class_share", True,
         "1、一般公共服务支出（类）120.00万元，占100.00%。"),
    # reasons: the officer's, a default, else a placeholder
    Case("user reason", (prior("{人员经费: 70.00, 公用经费: 10.00, 项目支出: 30.00}"), REASONS), "s3_05_basic", "reason_user", True, "人员增加"),
    Case("no user reason", (prior("{人员经费: 70.00, 公用经费: 10.00, 项目支出: 30.00}"),), "s3_05_basic", "reason_user", False),
    Case("placeholder", (prior("{人员经费: 70.00, 公用经费: 10.00, 项目支出: 30.00}"),), "s3_05_basic", "reason_missing", True, "【请说明变动原因】"),
    Case("default reason: operating cost down", (prior(SAME, operating="12.00"),), "s3_12_operating", "reason_default", True,
         "比上年预算减少2.00万元，下降16.67%。主要原因是严格执行中央八项规定，厉行节约，减少不必要支出，预算减少。"),
    Case("no default reason: operating cost up", (prior(SAME, operating="8.00"),), "s3_12_operating", "reason_default", False,
         "【请说明变动原因】"),
    # 人员经费/公用经费 items from the economic classification, catalog order, with amounts only
    Case("items in catalog order", (prior(SAME), """\
        基本支出经济分类:
          - {科目: 30201, 金额: 6.00}
          - {科目: 30113, 金额: 30.00}
          - {科目: 30101, 金额: 50.00}
          - {科目: 30102, 金额: 0}
          - {科目: 30228, 金额: 4.00}
        """), "s3_06_personnel", "items_from_economic", True, "人员经费80.00万元，主要包括：基本工资、住房公积金。"),
    Case("no economic items", (prior(SAME),), "s3_06_public", "items_from_economic", False, absent="主要包括", drop=("基本支出经济分类",)),
    # 主要用途
    Case("uses missing", (prior(SAME),), "s3_04_uses_general", "uses_missing", True, "主要用于【请说明主要用途】", drop=("主要用途",)),
    Case("uses given", (prior(SAME),), "s3_04_uses_general", "uses_missing", False, "主要用于人员工资和系统运维"),
    # other budgets, carry-over, procurement, assets, other matters
    Case("empty table", (prior(SAME),), "s3_08_empty", "empty_table", True, "政府性基金预算支出情况表为空表。"),
    Case("fund present", (prior(SAME), FUND, INCOME_FUND), "s3_08_present", "budget_present", True,
         "政府性基金预算拨款安排的支出5.00万元，其中：基本支出0.00万元，项目支出5.00万元。"),
    Case("no procurement", (prior(SAME), "政府采购: {}"), "s3_12_procurement", "procurement_none", True, "测试中心未安排政府采购预算。"),
    Case("procurement", (prior(SAME),), "s3_12_procurement", "procurement_none", False, absent="未安排"),
    Case("vehicle purchase", (prior(SAME), "国有资产: {本年购置车辆经费: 25.00}"), "s3_12_assets_buy", "assets_vehicles", True,
         "2024年单位预算安排购置车辆经费25.00万元"),
    Case("no vehicle purchase", (prior(SAME),), "s3_12_assets_buy", "assets_vehicles", False, "未安排购置车辆经费"),
    Case("other matters", (prior(SAME), "其他事项: 本年无重大变化。"), "s3_12_other", "other_matters", True, "本年无重大变化。"),
    Case("no other matters", (prior(SAME),), "s3_12_other", "no_other_matters", True, "我单位无其他需说明事项。"),
    # without last year: no comparison at all
    Case("no prior", (), "s3_05_basic", "no_prior", True, "基本支出90.00万元。", drop=("上年",)),
    Case("with prior", (prior(SAME),), "s3_05_basic", "no_prior", False),
    # projects: defaults derived from the data, placeholders for what only the officer knows
    Case("executor defaults to the unit", (prior(SAME),), "s3_07_5c438aee_executor", "project_executor_default", True, "项目承担单位：测试中心"),
    Case("period defaults to the year", (prior(SAME),), "s3_07_5c438aee_period", "project_period_default", True,
         "资金执行时间：2024年1月1日-2024年12月31日"),
    Case("basis missing", (prior(SAME),), "s3_07_5c438aee_basis", "text_missing", True, "设立的政策依据：【请补充】"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule(tmp_path, case: Case):
    got = explain(tmp_path, *case.sections, drop=case.drop)
    if case.pid not in got:
        assert not case.fires, f"{case.pid} not generated"
        return
    para = got[case.pid]
    assert (case.rule in para.rule.split("+")) is case.fires, para.rule
    assert case.says in para.text, para.text
    assert not case.absent or case.absent not in para.text, para.text


def test_numbering_uses_chinese_numerals(tmp_path):
    got = explain(tmp_path, prior(SAME))
    headings = [p.text.split("、")[0] for p in got.values() if p.style == "heading1"]
    assert headings == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    subs = [p.text[:3] for p in got.values() if p.style == "heading2" and p.id.startswith("s3_12")]
    assert subs == ["（一）", "（二）", "（三）", "（四）", "（五）"]


@pytest.mark.parametrize(
    "items, last, joined",
    [([], "和", ""), (["A"], "和", "A"), (["A", "B"], "和", "A和B"), (["A", "B", "C"], "和", "A、B和C"), (["A", "B", "C"], "、", "A、B、C")],
)
def test_lists_read_naturally(items, last, joined):
    assert _series_filter("、")(items, last) == joined


# -- laws of the change clause, over any pair of amounts ----------------------------------------

_SAMPLE = pipeline.check()
CTX = build.context(_SAMPLE.unit, _SAMPLE.catalogs, _SAMPLE.profile, BOOK)
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, amounts)
def test_the_change_clause_follows_the_numbers(current: Decimal, prior_amount: Decimal):
    said = clause(CTX, Change(current, prior_amount))
    runs = {r.figure: r.text for r in blocks.runs(said.text) if r.figure}
    if prior_amount == 0:
        assert "rate" not in runs  # no rate without last year
    if current > prior_amount:
        assert runs["dir"] == "增加" and Decimal(runs["chg"]) == (current - prior_amount).quantize(Decimal("0.01"))
        assert prior_amount == 0 or runs["trend"] == "增长"
    elif current < prior_amount:
        assert runs["dir"] == "减少" and runs["trend"] == "下降"
        assert current != 0 or runs["rate"] == "100.00%"
    else:
        assert "chg" not in runs and runs["dir"] in ("与上年持平", "上年与本年均未安排")


# 十二（四）: the counts and amounts are this year's appropriations; carry-over money is neither.
MIXED_PROJECTS = (
    """\
    收入: {一般公共预算: 120.00, 单位资金: 4.00, 上年结转一般公共预算: 2.00}
    """,
    """\
    支出:
      - 科目: 2010504
        一般公共预算: {人员经费: 80.00, 公用经费: 10.00, 项目支出: 30.00}
        单位资金: {项目支出: 4.00}
        上年结转一般公共预算: {项目支出: 2.00}
    """,
    """\
    项目:
      - {名称: 运维项目, 科目: 2010504, 经济分类: {302: 30.00}, 绩效目标: {指标: [{一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 系统数, 指标值: "=3个", 分值: 90}]}}
      - {名称: 业务经费, 科目: 2010504, 资金来源: 单位资金, 经济分类: {302: 4.00}}
      - {名称: 结转项目, 科目: 2010504, 资金来源: 上年结转一般公共预算, 经济分类: {302: 2.00}}
    """,
)


def test_performance_counts_this_years_fiscal_and_non_fiscal_projects(tmp_path):
    text = explain(tmp_path, *MIXED_PROJECTS, prior(SAME))["s3_12_performance"].text
    assert "整体预算绩效目标1个，涉及金额126.00万元" in text
    assert "当年财政拨款项目1个，涉及预算金额30.00万元" in text
    assert "当年非财政拨款项目1个，涉及预算金额4.00万元" in text


def test_without_a_unit_level_table_no_amount_is_claimed_for_it(tmp_path):
    text = explain(tmp_path, prior(SAME), drop=("整体绩效",))["s3_12_performance"].text
    assert "整体预算绩效目标0个，涉及金额0.00万元" in text
