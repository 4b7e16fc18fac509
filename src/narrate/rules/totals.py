"""Sections 一 to 四 of part three: the overall picture, income by source, expenditure by kind,
and the fiscal appropriations."""

from __future__ import annotations

from decimal import Decimal

from narrate import compute
from narrate import facts as F
from narrate.blocks import Block
from narrate.model import GENERAL_BUDGET, GOV_FUND, SOE_BUDGET, Source
from narrate.rules.context import NOTHING, Context, Said, body, clause, heading, reason, share

# Sources section 二 always names, arranged or not (the reference's order); the others appear
# only when either year has them.
ALWAYS_LISTED = (
    Source.GENERAL,
    Source.GENERAL_TRANSFER,
    Source.FUND,
    Source.FUND_TRANSFER,
    Source.SOE,
    Source.SOE_TRANSFER,
    Source.UNIT,
)

# The three fiscal budgets, named by their first source; each with the sources it covers.
BUDGETS = ((Source.GENERAL, GENERAL_BUDGET), (Source.FUND, GOV_FUND), (Source.SOE, SOE_BUDGET))


def _source_listed(ctx: Context, source: Source) -> bool:
    change = ctx.change(F.income(source))
    arranged = ctx.fact(F.income(source)) != 0 or (change is not None and change.prior != 0)
    return arranged or source in ALWAYS_LISTED


def _classes(ctx: Context, sources) -> tuple[compute.FunctionRow, ...]:
    return tuple(r for r in compute.function_rows(ctx.budget, ctx.catalogs, sources) if r.level == 1)


def overview(ctx: Context, n: int) -> list[Block]:
    """一: all income and expenditure in one budget; the sources and classes it holds."""
    sources = [s for s in Source if ctx.fact(F.income(s)) != 0]
    return [
        heading(ctx, "s3_01_h", "s01.heading", n),
        body(ctx, "s3_01_total", "s01.total", "overview_total", total=ctx.fact(F.INCOME_TOTAL)),
        body(ctx, "s3_01_income", "s01.income", "overview_sources",
             labels=[ctx.label("income", s.value) for s in sources]),
        body(ctx, "s3_01_expense", "s01.expense", "overview_classes",
             labels=[r.name for r in _classes(ctx, tuple(Source))]),
    ]


def income(ctx: Context, n: int) -> list[Block]:
    """二: income by source, with share of all income and change; unarranged sources said so."""
    total = ctx.fact(F.INCOME_TOTAL)
    out: list[Block] = [
        heading(ctx, "s3_02_h", "s02.heading", n),
        body(ctx, "s3_02_lead", "s02.lead", "income_total", total=total),
    ]
    for source in Source:
        if not _source_listed(ctx, source):
            continue
        key = F.income(source)
        change = ctx.change(key)
        pid = f"s3_02_{source.name.lower()}"
        label = ctx.label("income", source.value)
        if ctx.fact(key) == 0 and (change is None or change.prior == 0):
            out.append(body(ctx, pid, "s02.source_none", "source_unarranged", label=label))
            continue
        said, why = clause(ctx, change), reason(ctx, key, change)
        out.append(body(ctx, pid, "s02.source", "source_arranged", said, why, label=label, amount=ctx.fact(key),
                        share=share(ctx.fact(key), total), change=said.text, reason=why.text))
    return out


def expense(ctx: Context, n: int) -> list[Block]:
    """三: basic and project expenditure of all funds, with share and change."""
    total = ctx.fact(F.EXPENSE_TOTAL)
    out: list[Block] = [
        heading(ctx, "s3_03_h", "s03.heading", n),
        body(ctx, "s3_03_lead", "s03.lead", "expense_total", total=total),
    ]
    for part, key, pid in (("基本支出", F.EXPENSE_BASIC, "s3_03_basic"), ("项目支出", F.EXPENSE_PROJECT, "s3_03_project")):
        change = ctx.change(key)
        said, why = clause(ctx, change), reason(ctx, key, change)
        out.append(body(ctx, pid, "s03.part", "expense_part", said, why, label=ctx.label("parts", part),
                        amount=ctx.fact(key), share=share(ctx.fact(key), total), change=said.text, reason=why.text))
    return out


def _budget_amount(ctx: Context, sources) -> Decimal:
    return compute.by_sources(ctx.budget, sources).amount


def fiscal(ctx: Context, n: int) -> list[Block]:
    """四: fiscal appropriations: total, which budgets pay (one only → 收入全部为…), what each class is for."""
    present = [(s, srcs) for s, srcs in BUDGETS if _budget_amount(ctx, srcs) != 0]
    absent = [s for s, srcs in BUDGETS if _budget_amount(ctx, srcs) == 0]
    out: list[Block] = [
        heading(ctx, "s3_04_h", "s04.heading", n),
        body(ctx, "s3_04_total", "s04.total", "fiscal_total", total=ctx.fact("财政拨款.合计")),
    ]
    if len(present) == 1:
        out.append(body(ctx, "s3_04_sources", "s04.single_source", "single_source",
                        present=ctx.label("fiscal", present[0][0].value),
                        absent=[ctx.label("fiscal_absent", s.value) for s in absent]))
    elif present:
        out.append(body(ctx, "s3_04_sources", "s04.sources", "several_sources",
                        present=[ctx.label("fiscal", s.value) for s, _ in present]))
    if present:
        sources = [{"key": s.name.lower(), "label": ctx.label("fiscal", s.value), "amount": _budget_amount(ctx, srcs)}
                   for s, srcs in present]
        out.append(body(ctx, "s3_04_income", "s04.income", "fiscal_income", sources=sources))
    for source, srcs in present:
        out.append(_uses(ctx, source, srcs))
    return out


def _uses(ctx: Context, source: Source, sources) -> Block:
    classes, missing = [], NOTHING
    for row in _classes(ctx, sources):
        uses = ctx.text(ctx.words.uses.get(row.code) or "")
        if not uses:
            uses, missing = ctx.say("uses.missing"), Said("", ("uses_missing",))
        classes.append({"code": row.code, "name": row.name, "amount": row.split(sources).amount, "uses": uses})
    pid = f"s3_04_uses_{source.name.lower()}"
    return body(ctx, pid, "s04.uses", "fiscal_uses", missing, label=ctx.label("budgets", source.value), classes=classes)
