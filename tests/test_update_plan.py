"""update's rules as decisions on text alone (regen/plan.py), without a document."""

from __future__ import annotations

import pytest

from narrate.regen import plan


@pytest.mark.parametrize("base, current, new, act", [
    ("收入100万元。", "收入100万元。", "收入100万元。", plan.Para.KEEP),
    ("收入100万元。", "收入100万元。", "收入120万元。", plan.Para.REGENERATE),
    ("收入100万元。", "收入100万元，主要是拨款。", "收入120万元。", plan.Para.MERGE),
    ("收入120万元。", "收入100万元。", "收入120万元。", plan.Para.MERGE),  # after reject-all
])
def test_a_paragraph_is_kept_regenerated_or_merged(base, current, new, act):
    assert plan.paragraph(base, current, new) is act


@pytest.mark.parametrize("was, target, current, act", [
    ("100", "100", "100", plan.Figure.KEEP),
    ("100", "120", "100", plan.Figure.REPLACE),
    ("100", "120", "约100", plan.Figure.REPLACE_LISTED),  # typed over, data changed
    ("120", "120", "100", plan.Figure.LIST),  # a rejected revision: never silently stale
    ("100", "100", "约100", plan.Figure.LIST),  # typed over, data unchanged: kept, listed
    ("100", "120", "120", plan.Figure.KEEP),  # the officer typed the new value already
])
def test_a_figure_is_kept_replaced_or_listed(was, target, current, act):
    assert plan.figure(was, target, current) is act
