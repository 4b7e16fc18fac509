"""Which rule uses which phrase, and the names each phrase may read: the contract between the
rules and the phrasebook, checked when a phrasebook loads and listed by `narrate phrases`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Use:
    phrase: str
    rule: str
    variables: tuple[str, ...] = ()


# Every phrase may read these; the rules fill them from the unit and the profile. `f` is every
# fact of the document (rules/factbook.py): f['支出.基本支出'], f.lines('一般公共预算', '类').
FACTS = "f"
OPTIONS = "opt"  # the profile's options as chosen: opt['持平说法']
GLOBALS = ("unit", "year", "prior_year", "kind", "region", "money_unit", OPTIONS, FACTS)

_CHANGE = ("c", "p")
_ITEM = ("label", "amount", "share", "change", "reason")
_SECTIONS = 12  # the Xinjiang outline's sections: s01 … s12

USES: tuple[Use, ...] = (
    # the document: title page, 目录, part headings, file name
    Use("title.unit", "title_page"),
    Use("title.subtitle", "title_page"),
    Use("toc.title", "toc"),
    Use("document.title", "document_title"),
    Use("document.file", "output_name"),
    *(Use(f"part{n}.title", "part_title") for n in range(1, 5)),
    Use("other.title", "part_title"),
    *(Use(f"toc.{part}", "toc_entry", ("n",)) for part in ("functions", "structure", "glossary", "summary", "tables", "other", "notes")),
    Use("caption.toc_entry", "toc_entry", ("n", "title")),
    # 单位概况: functions, structure, staffing
    Use("functions.heading", "part_heading"),
    Use("functions.intro", "functions_intro", ("text",)),
    Use("functions.lead", "functions_lead"),
    Use("functions.item", "function_item", ("n", "text")),
    Use("functions.none", "no_functions"),
    Use("structure.heading", "part_heading"),
    Use("structure.unit", "structure_unit", ("subordinates", "departments")),
    Use("structure.department", "structure_department", ("members", "subordinate_count", "kinds", "groups")),
    Use("structure.department_kinds", "structure_department", ("kinds",)),
    Use("structure.group", "structure_group", ("n", "group")),
    Use("structure.group_item", "structure_group", ("n", "name")),
    Use("structure.member", "structure_member", ("n", "member")),
    Use("structure.budget_units", "structure_department", ("members",)),
    Use("staffing.text", "staffing", ("posts", "actual", "active", "retired", "veteran", "change")),
    Use("staffing.change", "staffing_change", ("diff", "fid")),
    # tables: captions and notes
    Use("caption.number", "table_number", ("n",)),
    Use("caption.unit_line", "table_unit_line"),
    Use("caption.money_unit", "table_money_unit", ("scale",)),
    Use("caption.empty_note", "empty_table", ("what", "table")),
    Use("performance.new", "indicator_new"),
    # closing
    Use("closing.signature", "closing"),
    Use("closing.date", "closing", ("date",)),
    Use("date.text", "date", ("y", "m", "d")),
    Use("date.none", "date_missing"),
    # explanation headings
    *(Use(f"s{n:02d}.heading", "section_heading", ("n",)) for n in range(1, _SECTIONS + 1)),
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
    # 十 三公 (in two sentences: amounts, then changes)
    Use("s10.amounts", "three_public_amounts", ("total", "items")),
    Use("s10.changes", "three_public_changes", ("change", "items")),
    Use("s10.changes_none", "three_public_none", ("items",)),
    Use("s10.item", "three_public_item", ("label", "change", "reason")),
    Use("s10.item_none", "three_public_item_none", ("reason",)),
    # 三公, item by item (one paragraph each: 上海)
    Use("tp.heading", "section_heading", ("n",)),
    Use("tp.total", "three_public_total", ("total", "change")),
    Use("tp.item", "three_public_paragraph", ("n", "label", "amount", "change", "reason")),
    Use("tp.vehicles", "three_public_vehicles", ("n", "amount", "change", "reason", "purchase", "running")),
    # 十二 其他重要事项
    Use("s12.operating", "operating_cost", ("amount", "change", "reason", "scope")),
    Use("s12.procurement", "procurement", ("total", "goods", "works", "services")),
    Use("s12.procurement_none", "procurement_none"),
    Use("s12.sme", "procurement_sme", ("sme", "small")),
    Use("s12.assets_as_of", "assets_as_of", ("y", "m", "d")),
    Use("s12.assets_as_of_default", "assets_as_of_default"),
    Use("s12.assets_lead", "assets", ("as_of",)),
    Use("s12.assets_building", "assets", ("area", "value")),
    Use("s12.assets_vehicles", "assets", ("as_of", "count", "value", "kinds", "e50", "e100")),
    Use("s12.assets_furniture", "assets", ("value",)),
    Use("s12.assets_other", "assets", ("value",)),
    Use("s12.assets_equipment", "assets", ("e50", "e100")),
    Use("s12.assets_buy", "assets_no_vehicles", ("e50", "e100", "kinds", "count")),
    Use("s12.assets_buy_vehicles", "assets_vehicles", ("vehicles", "e50", "e100", "kinds", "count")),
    Use("s12.performance", "performance",
        ("goals", "total", "fiscal_count", "fiscal_amount", "other_count", "other_amount", "targeted_count", "targeted_amount",
         "targeted_items")),
    Use("s12.other", "other_matters", ("text",)),
    Use("s12.other_none", "no_other_matters"),
    # 编制说明 (上海): income, expenditure, the reason, and what each line is for
    Use("summary.income", "summary_income", ("total", "fiscal", "fiscal_change", "business", "operating", "other")),
    Use("summary.expense", "summary_expense",
        ("total", "fiscal", "fiscal_change", "general", "general_change", "fund", "fund_change", "soe", "soe_change")),
    Use("summary.reason", "summary_reason", ("up", "reason")),
    Use("summary.lines_lead", "summary_lines"),
    Use("summary.line", "summary_line", ("n", "code", "levels", "amount", "uses")),
    # 项目经费情况说明 (a department's key projects)
    Use("notes.heading", "project_note", ("name",)),
    Use("notes.summary_heading", "project_note"),
    Use("notes.grounds_heading", "project_note"),
    Use("notes.executor_heading", "project_note"),
    Use("notes.plan_heading", "project_note"),
    Use("notes.period_heading", "project_note"),
    Use("notes.budget_heading", "project_note"),
    Use("notes.goals_heading", "project_note"),
    Use("notes.text", "project_note", ("text",)),
    Use("notes.sentence", "project_note", ("text",)),
    Use("notes.ground", "project_note", ("n", "text")),
    Use("notes.budget", "project_note_budget", ("total", "items")),
    Use("notes.goals_default", "project_note_goals_default"),
    # 名词解释
    Use("s4.item", "glossary", ("n", "term", "text")),
)


# Final accounts (决算公开), part three: the change against last year's actuals, the completion
# rate and verdict against the budget, and the eleven sections of the Shanghai template.
_FINAL_LINE = ("n", "names", "uses", "basis", "budget", "actual", "verdict", "p")
FINAL_USES: tuple[Use, ...] = (
    *(Use(f"final.change.{trend}", f"final_change_{trend}", _CHANGE)
      for trend in ("up", "down", "flat", "new", "gone", "none")),
    Use("final.change.missing", "no_prior", ("p",)),
    Use("final.rate", "completion_rate", ("basis", "rate", "p")),
    Use("final.rate_none", "completion_no_budget", ("basis",)),
    Use("final.rate_short", "completion_rate", ("rate", "p")),
    Use("final.rate_short_none", "completion_no_budget"),
    *(Use(f"final.verdict.{v}", f"budget_{v}", ("reason", "p")) for v in ("over", "under", "equal")),
    Use("final.reason_missing", "budget_reason_missing"),
    Use("final.line", "final_line", _FINAL_LINE),
    *(Use(f"f{n:02d}.heading", "section_heading", ("n",)) for n in range(1, 12)),
    Use("f01.total", "final_grand_total", ("total", "change", "reason")),
    Use("f02.lead", "final_income", ("total", "items")),
    Use("f03.lead", "final_expense", ("total", "items")),
    Use("f04.total", "final_fiscal_total", ("total", "change", "reason")),
    *(Use(f"f05.sub{n}.heading", "sub_heading") for n in range(1, 4)),
    Use("f05.total", "final_general_total", ("amount", "share", "change", "reason")),
    Use("f05.structure", "final_general_classes", ("total", "classes")),
    Use("f05.lead", "final_general_budget", ("basis", "budget", "actual", "rate", "verdict")),
    Use("f06.text", "final_basic", ("total", "personnel", "public", "personnel_items", "public_items")),
    *(Use(f"f07.sub{n}.heading", "sub_heading") for n in range(1, 3)),
    Use("f07.budget", "final_three_public_budget", ("basis", "budget", "actual", "rate", "items", "verdict")),
    Use("f07.changes", "final_three_public_changes", ("flat", "change", "items")),
    Use("f07.none", "final_three_public_none"),
    Use("f07.shares", "final_three_public_items", ("items",)),
    Use("f07.abroad", "final_three_public_items", ("amount", "groups", "travellers", "uses")),
    Use("f07.vehicles", "final_three_public_items", ("amount",)),
    Use("f07.purchase", "final_three_public_items", ("amount", "uses", "count")),
    Use("f07.running", "final_three_public_items", ("amount", "uses", "held")),
    Use("f07.reception", "final_three_public_items", ("amount",)),
    Use("f07.reception_detail", "final_three_public_items",
        ("amount", "foreign", "uses", "batches", "guests", "foreign_batches", "foreign_guests")),
    *(Use(f"f{n:02d}.none", "final_budget_none") for n in (8, 9)),
    *(Use(f"f{n:02d}.lead", "final_budget_lines", ("income", "spent")) for n in (8, 9)),
    Use("f10.text", "final_performance",
        ("rules", "mechanism", "targeted", "tracked", "evaluated", "score", "grades", "problems", "fixed", "fixing")),
    Use("f10.none", "final_performance_missing"),
    *(Use(f"f11.sub{n}.heading", "sub_heading") for n in range(1, 4)),
    Use("f11.operating", "final_operating", ("amount", "flat", "change", "reason")),
    Use("f11.operating_none", "final_operating_none"),
    Use("f11.procurement", "final_procurement", ("total", "goods", "works", "services")),
    Use("f11.sme", "final_procurement", ("sme", "small", "sme_won", "small_won", "other_won")),
    Use("f11.assets", "final_assets", ("y", "m", "d", "count", "kinds", "e100")),
)

USES = USES + FINAL_USES

# Wording data the rules read, and the keys they need in each file.
DATA: dict[str, tuple[str, ...]] = {
    "labels": ("income", "parts", "fiscal", "fiscal_absent", "budgets", "three_public", "comparison_sets"),
    "reasons": (),
    "glossary": ("terms",),
    "direction_words": ("up", "down", "flat", "none"),
}


# Tables of wording data whose keys the rules look up one by one, and the keys each must hold
# (a label for every funding source, every “三公” item, every comparison set …).
def _data_keys() -> dict[tuple[str, str], tuple[str, ...]]:
    from narrate import facts as F
    from narrate.model import COMPARISON_SETS, Source

    budgets = (Source.GENERAL.value, Source.FUND.value, Source.SOE.value)  # the three fiscal budgets, by first source
    return {
        ("labels", "income"): tuple(s.value for s in Source),
        ("labels", "parts"): tuple(k.split(".", 1)[1] for k in (F.EXPENSE_BASIC, F.EXPENSE_PROJECT)),
        ("labels", "fiscal"): budgets,
        ("labels", "fiscal_absent"): budgets,
        ("labels", "budgets"): budgets,
        ("labels", "three_public"): F.THREE_PUBLIC_ITEMS,
        ("labels", "comparison_sets"): tuple(COMPARISON_SETS),
    }


DATA_KEYS = _data_keys()


# A profile's own sentences: phrases named custom.<name> read the globals only, and stand where
# a profile puts them (a section of an explanations part, or an item of a text part).
CUSTOM = "custom."
CUSTOM_RULE = "custom_text"
# What a profile's own phrase may read besides the globals where a list section places it
# (rules/lists.py): the line, its number, its group and how many lines there are.
CUSTOM_LIST = ("n", "line", "group", "count")


def is_custom(phrase: str) -> bool:
    return phrase.startswith(CUSTOM) and len(phrase) > len(CUSTOM)


def rules_of(phrase: str) -> tuple[str, ...]:
    """Returns the rules that use phrase, in table order."""
    if is_custom(phrase):
        return (CUSTOM_RULE,)
    return tuple(dict.fromkeys(u.rule for u in USES if u.phrase == phrase))
