"""编制说明 (上海): income and expenditure in two paragraphs, fiscal money compared with its
comparison sets, the reason for the fiscal change, and what each function line is for."""

from __future__ import annotations

from narrate import compute
from narrate import facts as F
from narrate.blocks import Block
from narrate.compute import Trend
from narrate.model import FISCAL, Source
from narrate.rules.context import NOTHING, Context, Said, body, clause, reason

# Income the way 上海's tables group it: 财政拨款收入, 事业收入, 事业单位经营收入, and the rest as 其他收入.
OTHER_INCOME = (Source.SPECIAL, Source.UNIT, Source.UNIT_SUPERIOR, Source.UNIT_AFFILIATED, Source.UNIT_OTHER)


def _compared(ctx: Context, key: str, prefix: str) -> tuple[object, Said]:
    said = clause(ctx, ctx.change(key), prefix + "_")
    return ctx.fact(key), said


def _levels(ctx: Context, code: str) -> list[dict]:
    return [{"name": ctx.catalogs.function.name(code[:k]) or code[:k], "depth": d}
            for d, k in enumerate((3, 5, 7), 1) if k <= len(code)]


def summary(ctx: Context, n: int) -> list[Block]:
    """The whole 编制说明: income, expenditure, the reason for the change of fiscal money, and
    the fiscal lines with their 主要用途 (by 项, else by 款 or 类)."""
    by = lambda sources: compute.by_sources(ctx.budget, sources).amount  # noqa: E731
    fiscal_in, fiscal_in_said = _compared(ctx, F.INCOME_FISCAL, "in_fiscal")
    out: list[Block | None] = [
        body(ctx, "s3_sum_income", "summary.income", "summary_income", fiscal_in_said,
             total=ctx.fact(F.INCOME_TOTAL), fiscal=fiscal_in, fiscal_change=fiscal_in_said.text,
             business=by((Source.UNIT_BUSINESS,)), operating=by((Source.UNIT_OPERATING,)), other=by(OTHER_INCOME)),
    ]
    values: dict[str, object] = {"total": ctx.fact(F.EXPENSE_TOTAL)}
    saids: list[Said] = []
    for name, key in (("fiscal", F.FISCAL_TOTAL), ("general", F.GENERAL_TOTAL), ("fund", F.FUND_TOTAL), ("soe", F.SOE_TOTAL)):
        amount, said = _compared(ctx, key, name)
        values.update({name: amount, f"{name}_change": said.text})
        saids.append(said)
    out.append(body(ctx, "s3_sum_expense", "summary.expense", "summary_expense", *saids, **values))
    change = ctx.change(F.FISCAL_TOTAL)
    why = reason(ctx, F.FISCAL_TOTAL, change)
    if change is not None and change.trend in (Trend.UP, Trend.DOWN, Trend.NEW, Trend.GONE) and why is not NOTHING:
        out.append(body(ctx, "s3_sum_reason", "summary.reason", "summary_reason", why,
                        up=change.amount > 0, reason=why.text))
    out.append(body(ctx, "s3_sum_lines", "summary.lines_lead", "summary_lines"))
    rows = [r for r in compute.function_rows(ctx.budget, ctx.catalogs, FISCAL) if not _has_children(r.code, ctx)]
    for i, row in enumerate(rows, 1):
        uses = ctx.words.uses.get(row.code) or ctx.words.uses.get(row.code[:5]) or ctx.words.uses.get(row.code[:3])
        missing = () if uses else ("uses_missing",)
        out.append(body(ctx, f"s3_sum_l{row.code}", "summary.line", "summary_line", Said("", missing), n=i,
                        code=row.code, levels=_levels(ctx, row.code), amount=row.split(FISCAL).amount, uses=uses or ctx.say("uses.missing")))
    return out


def _has_children(code: str, ctx: Context) -> bool:
    """Tells whether a function row is a 类 or 款 with lines below it (only the lines are listed)."""
    return any(line.code != code and line.code.startswith(code) for line in ctx.budget.expenses)
