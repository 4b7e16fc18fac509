"""The rules: from a unit's computed facts, which phrase each paragraph of the explanations gets,
with what numbers. Each Para records the rules that chose it (Para.rule).

Sections are registered by name; a profile's `explanations` parts list them in the order the
region writes them, and a section is numbered by its place in that list.
"""

from __future__ import annotations

from collections.abc import Callable

from narrate import blocks
from narrate.rules import final, general, glossary, lists, matters, notes, others, summary, totals
from narrate.rules.context import Context, para
from narrate.rules.uses import CUSTOM, CUSTOM_RULE, is_custom

Section = Callable[[Context, int], list]

SECTIONS: dict[str, Section] = {
    # 新疆 part three, 一 … 十二
    "overview": totals.overview,
    "income": totals.income,
    "expense": totals.expense,
    "fiscal": totals.fiscal,
    "appropriation": general.appropriation,
    "basic": general.basic,
    "projects": general.projects,
    "fund": others.fund,
    "soe": others.soe,
    "three_public": others.three_public,
    "carryover": others.carryover,
    "matters": matters.matters,
    # the parts of 其他重要事项, each also a section of its own (上海: 其他相关情况说明)
    "operating": matters.operating,
    "procurement": matters.procurement,
    "assets": matters.assets,
    "performance": matters.performance,
    "other_matters": matters.other,
    "three_public_items": others.three_public_items,
    # 上海 编制说明
    "summary": summary.summary,
    # 决算情况说明 (final accounts), 一 … 十一
    "final_overview": final.overview,
    "final_income": final.income,
    "final_expense": final.expense,
    "final_fiscal": final.fiscal,
    "final_general": final.general,
    "final_basic": final.basic,
    "final_three_public": final.three_public,
    "final_fund": final.fund,
    "final_soe": final.soe,
    "final_performance": final.performance,
    "final_matters": final.matters,
}


def section_blocks(ctx: Context, names: tuple) -> tuple[blocks.Block, ...]:
    """Returns the named sections in order, numbered 1, 2 … by their place; a phrase a profile
    left empty gives no paragraph."""
    out: list[blocks.Block] = []
    for n, name in enumerate(names, 1):
        if not isinstance(name, str):
            made = lists.section(ctx, name, n)
        else:
            made = [custom(ctx, name)] if is_custom(name) else SECTIONS[name](ctx, n)
        out.extend(b for b in made if b is not None)
    return tuple(out)


def custom(ctx: Context, phrase: str) -> blocks.Para | None:
    """Returns a paragraph of the profile's own phrase (custom.<name>)."""
    return para("c_" + phrase[len(CUSTOM):].replace(".", "_")[:28], "body", ctx.say(phrase), CUSTOM_RULE)


def glossary_blocks(ctx: Context) -> tuple[blocks.Block, ...]:
    return tuple(b for b in glossary.glossary(ctx) if b is not None)
