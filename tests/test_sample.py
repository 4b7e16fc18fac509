"""The embedded sample reproduces the figures its reference disclosure publishes.

Expected values are copied from the reference (克孜勒苏柯尔克孜自治州电子政务服务中心 2024 年单位预算公开,
shared/seeds/000_57e93c320c776aff.txt); narrate computes them from the sample's line items.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from typer.testing import CliRunner

from narrate import checks, compute, pipeline
from narrate.cli import app
from narrate.model import GENERAL_BUDGET
from narrate.money import fmt
from narrate.rules.context import share


@pytest.fixture(scope="module")
def sample():
    checked = pipeline.check()
    assert checked.ok and checked.problems == []
    return checked


def test_check_without_an_input_checks_the_sample_and_prints_its_totals():
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 0, result.output
    assert "kizilsu-egov-2024.yaml" in result.stdout
    for total in ("473.87", "380.47", "93.40"):
        assert f"{total} 万元" in result.stdout
    assert "0 个错误，0 个警告，0 个提示" in result.stdout


# 第三部分 二、三、五、十、十二: (fact key, this year, change, rate or None when shown without one)
CHANGES = [
    ("收入.一般公共预算", "473.87", "-5.02", "-1.05"),
    ("收入.单位资金", "0.00", "-4.12", "-100.00"),
    ("支出.基本支出", "380.47", "20.98", "5.84"),
    ("支出.项目支出", "93.40", "-30.12", "-24.38"),
    ("一般公共预算.基本支出", "380.47", "20.98", "5.84"),
    ("一般公共预算.项目支出", "93.40", "-26.00", "-21.78"),
    ("一般公共预算.2010399", "0.00", "-119.40", "-100.00"),
    ("一般公共预算.2010504", "430.74", "111.64", "34.99"),
    ("一般公共预算.2080501", "4.93", "0.72", "17.10"),
    ("一般公共预算.2080505", "38.20", "2.02", "5.58"),
    ("机关运行经费", "13.09", "-0.57", "-4.17"),
    ("三公经费.合计", "0.00", "0.00", None),
    ("三公经费.因公出国境", "0.00", "0.00", None),
]


@pytest.mark.parametrize("key, current, amount, rate", CHANGES, ids=[c[0] for c in CHANGES])
def test_changes_against_last_year_match_the_reference(sample, key, current, amount, rate):
    changes = compute.changes(compute.facts(sample.unit.budget), compute.facts(sample.unit.prior))
    change = changes[key]
    assert fmt(change.current) == current
    assert fmt(change.amount) == amount
    assert (None if change.rate is None else fmt(change.rate)) == rate


def test_every_change_the_reference_explains_has_its_reason(sample):
    explained = {key for key, _, amount, _ in CHANGES if Decimal(amount) != 0}
    assert all(checks.needs_reason(sample.profile.spec.reasons, key) for key in explained)
    assert explained <= set(sample.unit.words.reasons)


# 第三部分 三 and 五（二）: shares of expenditure and of the general budget's 类.
@pytest.mark.parametrize(
    "parts, expected",
    [
        (("基本支出", "项目支出"), ("80.29", "19.71")),
        (("201", "208"), ("90.90", "9.10")),
    ],
)
def test_shares_match_the_reference(sample, parts, expected):
    facts = compute.facts(sample.unit.budget)
    prefix = "支出." if parts[0] == "基本支出" else "一般公共预算."
    whole = sum(facts[prefix + p] for p in parts)
    assert tuple(fmt(share(facts[prefix + p], whole)) for p in parts) == expected


# 表2: the function classification rolled up 项 -> 款 -> 类.
def test_function_rows_roll_up_like_table_2(sample):
    rows = compute.function_rows(sample.unit.budget, sample.catalogs, GENERAL_BUDGET)
    assert [(r.code, r.name, fmt(r.split(GENERAL_BUDGET).amount)) for r in rows] == [
        ("201", "一般公共服务支出", "430.74"),
        ("20105", "统计信息事务", "430.74"),
        ("2010504", "信息事务", "430.74"),
        ("208", "社会保障和就业支出", "43.13"),
        ("20805", "行政事业单位养老支出", "43.13"),
        ("2080501", "行政单位离退休", "4.93"),
        ("2080505", "机关事业单位基本养老保险缴费支出", "38.20"),
    ]


# 表6: basic expenditure by economic class, personnel and public funds.
def test_economic_rows_match_table_6(sample):
    rows = {r.code: r for r in compute.econ_rows(sample.unit.budget, sample.catalogs)}
    assert (rows["302"].name, fmt(rows["302"].public), fmt(rows["302"].personnel)) == ("商品和服务支出", "13.09", "0.00")
    assert (rows["303"].name, fmt(rows["303"].personnel)) == ("对个人和家庭的补助", "4.69")
    assert (rows["30309"].name, fmt(rows["30309"].amount)) == ("奖励金", "0.01")
    split = compute.econ_split(sample.unit.budget)
    assert (fmt(split.amount), fmt(split.personnel), fmt(split.public)) == ("380.47", "367.38", "13.09")


def test_profile_figures_match_part_one(sample):
    budget = sample.unit.budget
    assert (budget.staffing.posts, budget.staffing.actual, budget.staffing.active, budget.staffing.retired) == (30, 24, 21, 3)
    assert budget.staffing.active - sample.unit.prior.staffing.active == -1  # 在职 21 人，减少 1 人
    assert len(sample.unit.info.departments) == 8


def test_other_matters_match_part_three_twelve(sample):
    file = sample.unit.budget
    assert fmt(file.procurement.goods + file.procurement.works + file.procurement.services) == "4.84"
    assert fmt(file.procurement.small_micro) == "4.84"
    assert (fmt(file.assets.furniture), fmt(file.assets.other)) == ("3.21", "308.20")
    assert [fmt(p.amount) for p in file.projects] == ["62.40", "18.00", "13.00"]
    assert fmt(compute.by_sources(file).amount) == "473.87"  # 整体绩效 涉及金额
