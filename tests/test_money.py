"""The laws money obeys: Decimal end to end, changes and shares exact, rounding half-up for display."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate import compute, money
from narrate.load.validate import to_model
from narrate.load.yaml_file import read
from narrate.rules.context import share
from unitfile import BASE, unit_yaml

# Amounts as officers type them: 万元 with up to 6 decimals (元 precision is 4), 0 included.
amounts = st.decimals(min_value=0, max_value=Decimal("99999999.999999"), places=6, allow_nan=False, allow_infinity=False)
positive = amounts.filter(lambda a: a > 0)


@given(current=amounts, prior=amounts)
def test_change_is_current_minus_prior(current, prior):
    change = compute.Change(current, prior)
    assert change.amount == current - prior
    assert isinstance(change.amount, Decimal)


@given(current=amounts, prior=amounts)
def test_there_is_no_rate_exactly_when_last_year_was_0(current, prior):
    change = compute.Change(current, prior)
    assert (change.rate is None) == (prior == 0)


@given(current=amounts, prior=positive)
def test_the_rate_is_the_change_over_last_year(current, prior):
    rate = compute.Change(current, prior).rate
    assert isinstance(rate, Decimal)
    # Decimal division keeps 28 significant digits; the product misses by at most that.
    assert abs(rate * prior / 100 - (current - prior)) <= abs(current - prior) * Decimal("1e-26") + Decimal("1e-20")


@given(prior=positive)
def test_a_line_gone_this_year_falls_by_100_percent(prior):
    change = compute.Change(Decimal(0), prior)
    assert change.rate == -100
    assert change.trend is compute.Trend.GONE


@pytest.mark.parametrize(
    "current, prior, trend",
    [("0", "0", "none"), ("5", "0", "new"), ("0", "5", "gone"), ("5", "5", "flat"), ("6", "5", "up"), ("4", "5", "down")],
)
def test_each_case_of_a_change_is_named(current, prior, trend):
    assert compute.Change(Decimal(current), Decimal(prior)).trend == trend


@given(parts=st.lists(amounts, min_size=1, max_size=12).filter(lambda xs: sum(xs) > 0))
def test_shares_of_a_complete_breakdown_add_to_100_before_rounding(parts):
    # share() is what the explanations print as 占X%.
    shares = [share(part, sum(parts)) for part in parts]
    assert all(isinstance(s, Decimal) and 0 <= s <= 100 for s in shares)
    # Each share carries 28 significant digits, so their sum is 100 to far below a cent.
    assert abs(sum(shares) - 100) <= Decimal("1e-24") * len(parts)
    assert money.round2(sum(shares)) == Decimal("100.00")


def test_a_share_of_nothing_has_no_rate():
    assert money.percent(Decimal(0), Decimal(0)) is None


@pytest.mark.parametrize(
    "value, shown",
    [
        ("0.125", "0.13"),
        ("2.675", "2.68"),  # a binary float would show 2.67
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("-1.045", "-1.05"),  # half away from zero, as 四舍五入
        ("473.87", "473.87"),
        ("100", "100.00"),
    ],
)
def test_display_rounds_half_up_to_two_places(value, shown):
    assert money.fmt(Decimal(value)) == shown


@given(cents=st.integers(min_value=-10**9, max_value=10**9))
def test_rounding_half_up_at_every_half_cent(cents):
    half = Decimal(cents) / 100 + Decimal("0.005")
    expected = (Decimal(cents) + (1 if half > 0 else 0)) / 100
    assert money.round2(half) == expected


@given(value=amounts)
def test_formatting_then_parsing_gives_the_rounded_value(value):
    assert Decimal(money.fmt(value)) == money.round2(value)


def test_rounding_is_for_display_only():
    change = compute.Change(Decimal("0.125"), Decimal("0.120"))
    assert change.amount == Decimal("0.005")


def _leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_amounts_read_from_yaml_are_decimals_as_typed(tmp_path: Path):
    path = tmp_path / "unit.yaml"
    path.write_text(unit_yaml("政府采购: {货物: 2.675, 服务: 0.1}\n"), encoding="utf-8")
    file, findings = to_model(read(path).tree)
    assert findings == []
    goods = file.procurement.goods
    assert type(goods) is Decimal and goods == Decimal("2.675") and str(goods) == "2.675"
    assert file.procurement.services + Decimal("0.2") == Decimal("0.3")  # 0.1 + 0.2 in floats is not
    assert money.fmt(goods) == "2.68"


def test_no_float_anywhere_in_the_model(tmp_path: Path):
    path = tmp_path / "unit.yaml"
    path.write_text(BASE, encoding="utf-8")
    tree = read(path).tree
    assert not any(isinstance(v, float) for v in _leaves(tree))
    file, _ = to_model(tree)
    assert not any(isinstance(v, float) for v in _leaves(file.model_dump()))
    facts = compute.facts(file)
    assert facts and all(type(v) is Decimal for v in facts.values())


def test_number_styles_group_from_a_threshold_and_trim_zeros():
    # Real documents in one section: 24,169.74 but 2214.39; 4335.3万元; whole 万元 grouped.
    assert money.show(Decimal("24169.7449"), grouping=True, group_from=5) == "24,169.74"
    assert money.show(Decimal("2214.39"), grouping=True, group_from=5) == "2214.39"
    assert money.show(Decimal("4335.30"), trim_zeros=True) == "4335.3"
    assert money.show(Decimal("100.004"), trim_zeros=True) == "100"
    assert money.show(Decimal("17191.6"), decimals=0, grouping=True) == "17,192"
    assert money.show(Decimal("0.001"), trim_zeros=True, zero="0") == "0"


def test_a_change_may_be_shown_from_its_rounded_parts():
    # 12,345.675 and 8,990.0249 万元: exact difference 3,355.6501 -> 3,355.65; rounded parts
    # 12,345.68 - 8,990.02 = 3,355.66, as a document that subtracts its printed totals says.
    from narrate.profile.schema import Money, MoneyFormat, PercentFormat

    change = compute.Change(Decimal("12345.675"), Decimal("8990.0249"))
    exact = MoneyFormat(grouping=True)
    parts = MoneyFormat(grouping=True, basis="rounded")
    assert exact.show(money.magnitude(change.amount)) == "3,355.65"
    assert parts.show(money.magnitude(change.amount)) == "3,355.66"
    styles = Money(styles={"parts": parts}, percent_styles={"one": PercentFormat(decimals=1, trim_zeros=True, parts="parts")})
    # the rate of the rounded figures: 3355.66 / 8990.02 = 37.3265…%
    assert styles.show_percent(money.magnitude(change.rate), "one") == "37.3%"
    assert styles.show_percent(Decimal("67.10")) == "67.10%"
    assert styles.show_percent(Decimal("67.10"), "one") == "67.1%"


def test_derived_amounts_survive_pickling_and_arithmetic():
    import pickle

    change = compute.Change(Decimal("3"), Decimal("1"))
    assert pickle.loads(pickle.dumps(change.amount)).parts == change.amount.parts
    assert pickle.loads(pickle.dumps(change.rate)) == Decimal(200)
    assert type(change.amount + 1) is Decimal and change.amount == 2
