"""The rules: from a unit's computed facts, which phrase each paragraph of parts three and four
gets, with what numbers. Each Para records the rules that chose it (Para.rule)."""

from __future__ import annotations

from narrate import blocks
from narrate.catalog import Catalogs
from narrate.model import Unit
from narrate.phrasebook import Phrasebook
from narrate.rules import general, glossary, matters, others, totals
from narrate.rules.context import Context, para

# Part three's sections, numbered 一 … 十二 in this order.
SECTIONS = (
    totals.overview,
    totals.income,
    totals.expense,
    totals.fiscal,
    general.appropriation,
    general.basic,
    general.projects,
    others.fund,
    others.soe,
    others.three_public,
    others.carryover,
    matters.matters,
)


def explain(unit: Unit, catalogs: Catalogs, phrasebook: Phrasebook) -> tuple[blocks.Block, ...]:
    """Returns parts three (预算情况说明) and four (名词解释), part titles included."""
    ctx = Context(unit, catalogs, phrasebook)
    out: list[blocks.Block] = [para("s3_title", "part", ctx.say("part3.title"), "part_title")]
    for n, section in enumerate(SECTIONS, 1):
        out.extend(section(ctx, n))
    out.extend(glossary.glossary(ctx))
    return tuple(out)
