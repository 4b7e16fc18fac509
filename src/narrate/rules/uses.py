"""Which rule uses which phrase, and the names each phrase may read: the contract between the
rules and the phrasebook, checked when a phrasebook loads and listed by `narrate phrases`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Use:
    phrase: str
    rule: str
    variables: tuple[str, ...] = ()


# Every phrase may read these; the rules fill them from the unit's profile.
GLOBALS = ("unit", "year", "prior_year", "kind")

_CHANGE = ("c", "p")
_ITEM = ("label", "amount", "share", "change", "reason")

USES: tuple[Use, ...] = (
    # structure
    Use("part3.title", "part_title"),
    Use("part4.title", "part_title"),
    *(Use(f"s{n:02d}.heading", "section_heading", ("n",)) for n in range(1, 13)),
    *(Use(f"s05.sub{n}.heading", "sub_heading", ("n",)) for n in range(1, 4)),
    *(Use(f"s12.sub{n}.heading", "sub_heading", ("n",)) for n in range(1, 6)),
    # changes: which clause follows the trend
    *(Use(f"{family}.{trend}", f"change_{trend}", _CHANGE)
      for family in ("change", "change_short")
      for trend in ("up", "down", "flat", "new", "gone", "none")),
    # reasons
    Use("reason.missing", "reason_missing"),
    Use("reason.both_unarranged", "reason_both_unarranged", ("label",)),
    Use("uses.missing", "uses_missing"),
    Use("text.missing", "text_missing"),
    # 一 总体说明
    Use("s01.total", "overview_total", ("total",)),
    Use("s01.income", "overview_sources", ("labels",)),
    Use("s01.expense", "overview_classes", ("labels",)),
    # 二 收入
    Use("s02.lead", "income_total", ("total",)),
    Use("s02.source", "source_arranged", _ITEM),
    Use("s02.source_none", "source_unarranged", ("label",)),
    # 三 支出
    Use("s03.lead", "expense_total", ("total",)),
    Use("s03.part", "expense_part", _ITEM),
    # 四 财政拨款
    Use("s04.total", "fiscal_total", ("total",)),
    Use("s04.single_source", "single_source", ("present", "absent")),
    Use("s04.sources", "several_sources", ("present",)),
    Use("s04.income", "fiscal_income", ("sources",)),
    Use("s04.uses", "fiscal_uses", ("label", "classes")),
    # 五 一般公共预算当年拨款
    Use("s05.basic", "general_basic", ("total", "amount", "change", "reason")),
    Use("s05.project", "general_project", ("amount", "change", "reason")),
    Use("s05.class", "general_class_share", ("n", "name", "amount", "share")),
    Use("s05.line", "general_line", ("n", "levels", "amount", "change", "reason")),
    # 六 基本支出
    Use("s06.lead", "basic_total", ("total",)),
    Use("s06.personnel", "basic_items", ("amount", "items")),
    Use("s06.public", "basic_items", ("amount", "items")),
    # 七 项目
    Use("s07.name", "project_item", ("n", "name")),
    Use("s07.basis", "project_item", ("text",)),
    Use("s07.amount", "project_item", ("amount",)),
    Use("s07.executor", "project_item", ("text",)),
    Use("s07.allocation", "project_item", ("text",)),
    Use("s07.period", "project_item", ("text",)),
    Use("s07.period_default", "project_period_default"),
    Use("s07.none", "no_projects"),
    # 八 九 十一 other budgets
    Use("s08.empty", "empty_table"),
    Use("s08.present", "budget_present", ("amount", "basic", "project")),
    Use("s09.empty", "empty_table"),
    Use("s09.present", "budget_present", ("amount", "basic", "project")),
    Use("s11.empty", "empty_table"),
    Use("s11.present", "carryover_present", ("total", "fiscal", "other")),
    # 十 三公
    Use("s10.amounts", "three_public_amounts", ("total", "items")),
    Use("s10.changes", "three_public_changes", ("change", "items")),
    Use("s10.changes_none", "three_public_none", ("items",)),
    Use("s10.item", "three_public_item", ("label", "change", "reason")),
    Use("s10.item_none", "three_public_item_none", ("reason",)),
    # 十二 其他重要事项
    Use("s12.operating", "operating_cost", ("amount", "change", "reason")),
    Use("s12.procurement", "procurement", ("total", "goods", "works", "services")),
    Use("s12.procurement_none", "procurement_none"),
    Use("s12.sme", "procurement_sme", ("sme", "small")),
    Use("s12.assets_lead", "assets"),
    Use("s12.assets_building", "assets", ("area", "value")),
    Use("s12.assets_vehicles", "assets", ("count", "value", "kinds")),
    Use("s12.assets_furniture", "assets", ("value",)),
    Use("s12.assets_other", "assets", ("value",)),
    Use("s12.assets_equipment", "assets", ("e50", "e100")),
    Use("s12.assets_buy", "assets_no_vehicles", ("e50", "e100")),
    Use("s12.assets_buy_vehicles", "assets_vehicles", ("vehicles", "e50", "e100")),
    Use("s12.performance", "performance", ("goals", "total", "fiscal_count", "fiscal_amount", "other_count", "other_amount")),
    Use("s12.other", "other_matters", ("text",)),
    Use("s12.other_none", "no_other_matters"),
    # 第四部分
    Use("s4.item", "glossary", ("n", "term", "text")),
)

# Wording data the rules read, and the keys they need in each file.
DATA: dict[str, tuple[str, ...]] = {
    "labels": ("income", "parts", "fiscal", "fiscal_absent", "budgets", "three_public", "vehicles"),
    "reasons": (),
    "glossary": ("terms",),
}


def rules_of(phrase: str) -> tuple[str, ...]:
    """Returns the rules that use phrase, in table order."""
    return tuple(dict.fromkeys(u.rule for u in USES if u.phrase == phrase))
