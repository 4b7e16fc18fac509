"""The final-accounts tables by 类, 款 and 项 (`kind: final_lines`): income by kind (收入决算表),
spending by kind (支出决算表) and a fiscal budget's balances, income and spending line by line
(政府性基金 / 国有资本经营预算财政拨款收入支出决算表; the general budget's for formats that print it),
the balances from 财政拨款结转和结余明细 (final.fund_lines). The 合计 row comes first, as the Shanghai template prints it;
a row is every 类, 款 and 项 with a figure in any column."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from narrate import compute, final
from narrate.blocks import Cell
from narrate.model import FinalAccounts, FinalIncomeLine
from narrate.money import ZERO
from narrate.profile.schema import MoneyFormat
from narrate.rules.context import Context
from narrate.tables.values import amount_cell, text_cell

Rows = list[tuple[str, tuple[Cell, ...]]]
Columns = dict[str, tuple[Decimal, ...]]  # code (类/款/项) -> the row's amounts

_INCOME_COLUMNS: tuple[Callable[[FinalIncomeLine], Decimal], ...] = (
    final.line_income, final.line_fiscal, lambda x: x.superior, lambda x: x.business, lambda x: x.operating,
    lambda x: x.affiliated, lambda x: x.other,
)


def _parents(code: str) -> tuple[str, ...]:
    return tuple(code[:n] for n in (3, 5, 7) if n <= len(code))


def _add(out: Columns, code: str, amounts: tuple[Decimal, ...]) -> None:
    for parent in _parents(code):
        row = out.get(parent, (ZERO,) * len(amounts))
        out[parent] = tuple(a + b for a, b in zip(row, amounts))


def _income(ctx: Context, f: FinalAccounts) -> Columns:
    out: Columns = {}
    for line in f.income:
        _add(out, line.code, tuple(column(line) for column in _INCOME_COLUMNS))
    return out


def _expense(ctx: Context, f: FinalAccounts) -> Columns:
    out: Columns = {}
    for line in ctx.budget.expenses:
        split = compute.add_up(compute.of_cell(cell) for _, cell in line.cells())
        _add(out, line.code, (split.amount, split.basic, split.project, ZERO, ZERO, ZERO))
    for other in f.other_spending:
        amounts = (other.to_superior, other.operating, other.to_affiliated)
        _add(out, other.code, (sum(amounts, ZERO), ZERO, ZERO) + amounts)
    return out


def _fund(kind: str) -> Callable[[Context, FinalAccounts], Columns]:
    def columns(ctx: Context, f: FinalAccounts) -> Columns:
        out: Columns = {}
        for code, line in final.fund_lines(f, ctx.budget, kind).items():
            _add(out, code, (line.opening, line.income, line.spent, line.basic, line.project, line.closing))
        return out

    return columns


_LINES = {"income": _income, "expense": _expense, "general_budget": _fund("general"), "gov_fund": _fund("fund"),
          "soe_budget": _fund("soe")}
_FUNDS = {"general_budget": "general", "gov_fund": "fund", "soe_budget": "soe"}


def lines(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    from narrate.tables.standard import code_cells  # the one way codes print

    f = ctx.unit.final or FinalAccounts()
    columns = _LINES[spec.lines](ctx, f)
    width = len(next(iter(columns.values()))) if columns else (7 if spec.lines == "income" else 6)
    totals = tuple(sum((v[j] for code, v in columns.items() if len(code) == 3), ZERO) for j in range(width))
    if spec.lines in _FUNDS:
        # a budget's balances typed as totals only (no line gives them) stand in its 合计 row
        field = _FUNDS[spec.lines]
        opening, closing = final.fiscal_balances(f)
        totals = (getattr(opening, field),) + totals[1:5] + (getattr(closing, field),)
    rows: Rows = [(f"{tid}_total", (text_cell(spec.total, "center", colspan=len(code_cells("", spec)) + 1),)
                   + tuple(amount_cell(f"{tid}_total_{j}", v, shown) for j, v in enumerate(totals)))]
    for code in sorted(columns):
        amounts = columns[code]
        if not any(amounts):
            continue
        name = ctx.catalogs.function.name(code) or ""
        cells = code_cells(code, spec) + [text_cell(name)]
        cells += [amount_cell(f"{tid}_f{code}_{j}", v, shown) for j, v in enumerate(amounts)]
        rows.append((f"{tid}_f{code}", tuple(cells)))
    return rows, sum(abs(v) for v in totals)



def economic_pairs(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """Basic expenditure in two column pairs, the codes the format lists on each side (the
    template's rows, used or not), then the 人员经费 and 公用经费 totals."""
    amounts = {row.code: row.amount for row in compute.econ_rows(ctx.budget, ctx.catalogs)}
    width = 1 if spec.codes == "joined" else 2

    def side(code: str | None, j: int, i: int) -> list[Cell]:
        if code is None:
            return [text_cell("") for _ in range(width + 2)]
        codes = [text_cell(code, "center")] if width == 1 else [text_cell(code[:3], "center"), text_cell(code[3:5], "center")]
        return codes + [text_cell(ctx.catalogs.economic.name(code) or ""),
                        amount_cell(f"{tid}_e{code}_{j}", amounts.get(code, ZERO), shown)]

    rows: Rows = []
    for i in range(max(len(spec.left), len(spec.right))):
        left = spec.left[i] if i < len(spec.left) else None
        right = spec.right[i] if i < len(spec.right) else None
        rows.append((f"{tid}_r{i}", tuple(side(left, 0, i) + side(right, 1, i))))
    split = compute.econ_split(ctx.budget)
    rows.append((f"{tid}_total", (text_cell(spec.left_total, "center", colspan=width + 1),
                                  amount_cell(f"{tid}_total_0", split.personnel, shown),
                                  text_cell(spec.right_total, "center", colspan=width + 1),
                                  amount_cell(f"{tid}_total_1", split.public, shown))))
    return rows, split.basic
