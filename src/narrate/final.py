"""Final accounts (决算): the figures they add to a year's, and what is true of an actual
against its budget.

A final-accounts unit is an ordinary unit whose this-year figures are the actuals (决算数); its
budgets (年初预算, 全年预算) and last year's actuals (上年决算) are comparison sets. What only
final accounts have (income by kind, which differs from spending; the carry-over balances; the
grand totals of the two balance tables) is computed here and joins the year's facts, so phrases,
tables and checks read them by key like any other figure.

Python decides what is true: a completion rate only on a non-zero budget, over / under / equal
from the figures; the profile's phrases decide what is said.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel

from narrate import facts as F
from narrate.model import (GENERAL_BUDGET, GOV_FUND, SOE_BUDGET, Budget, DocKind, FinalAccounts, FinalIncomeLine,
                           FiscalBalance, FiscalBalanceLine, LineBalance, Source, Unit)
from narrate.money import ZERO, Ratio, difference, percent, total

# The kinds of income a final-accounts income line carries, with the source each counts as.
INCOME_KINDS = (
    ("general", Source.GENERAL), ("fund", Source.FUND), ("soe", Source.SOE),
    ("superior", Source.UNIT_SUPERIOR), ("business", Source.UNIT_BUSINESS),
    ("operating", Source.UNIT_OPERATING), ("affiliated", Source.UNIT_AFFILIATED), ("other", Source.UNIT_OTHER),
)
FISCAL_KINDS = ("general", "fund", "soe")
# The sources whose spending each fiscal budget's tables count (a transfer from above is the budget's too).
FISCAL_SOURCES = {"general": GENERAL_BUDGET, "fund": GOV_FUND, "soe": SOE_BUDGET}


def line_income(line: FinalIncomeLine) -> Decimal:
    return total(getattr(line, field) for field, _ in INCOME_KINDS)


def line_fiscal(line: FinalIncomeLine) -> Decimal:
    return total(getattr(line, field) for field in FISCAL_KINDS)


def income_by(final: FinalAccounts, field: str) -> Decimal:
    return total(getattr(line, field) for line in final.income)


def lined(final: FinalAccounts) -> tuple[str, ...]:
    """Returns the fiscal budgets (FISCAL_KINDS) that some line of 财政拨款结转和结余明细 carries:
    their balances are the lines', and their totals are computed from them."""
    return tuple(k for k in FISCAL_KINDS if any(getattr(line, k) is not None for line in final.balance_lines))


def line_balances(final: FinalAccounts, kind: str) -> dict[str, tuple[Decimal, Decimal]]:
    """Returns code -> (opening, closing) of one fiscal budget over its balance lines (a code
    given twice adds up; the check final-balance-lines names the repeat)."""
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for line in final.balance_lines:
        half = getattr(line, kind)
        if half is not None:
            opening, closing = out.get(line.code, (ZERO, ZERO))
            out[line.code] = (opening + half.opening, closing + half.closing)
    return out


def fiscal_balances(final: FinalAccounts) -> tuple[FiscalBalance, FiscalBalance]:
    """Returns the fiscal carry-over by budget (年初, 年末): a budget some balance line carries
    has the sum of its lines, any other the totals typed under 结转结余."""
    b = final.balances
    opening, closing = {}, {}
    for kind in lined(final):
        lines = line_balances(final, kind).values()
        opening[kind] = total(x[0] for x in lines)
        closing[kind] = total(x[1] for x in lines)
    return b.fiscal_opening.model_copy(update=opening), b.fiscal_closing.model_copy(update=closing)


@dataclass(frozen=True)
class FundLine:
    """One function line of a fiscal budget as its 收入支出决算表 prints it: 年初结转和结余, 本年收入,
    本年支出 (basic, project; the whole also takes in the format's own buckets), 年末结转和结余."""

    opening: Decimal = ZERO
    income: Decimal = ZERO
    spent: Decimal = ZERO
    basic: Decimal = ZERO
    project: Decimal = ZERO
    closing: Decimal = ZERO

    @property
    def expected_closing(self) -> Decimal:
        """年初 + 本年收入 − 本年支出: what the year leaves when nothing else moves the balance."""
        return self.opening + self.income - self.spent


def fund_lines(final: FinalAccounts, budget: Budget, kind: str) -> dict[str, FundLine]:
    """Returns code -> the line of one fiscal budget (FISCAL_KINDS): its income lines, its
    spending from the year's expense lines, its balances where balance lines give them."""
    out: dict[str, FundLine] = {}

    def add(code: str, **amounts: Decimal) -> None:
        line = out.get(code, FundLine())
        out[code] = FundLine(**{f: getattr(line, f) + amounts.get(f, ZERO) for f in FundLine.__dataclass_fields__})

    for code, (opening, closing) in line_balances(final, kind).items():
        add(code, opening=opening, closing=closing)
    for line in final.income:
        if getattr(line, kind):
            add(line.code, income=getattr(line, kind))
    sources = FISCAL_SOURCES[kind]
    for line in budget.expenses:
        cells = [cell for source, cell in line.cells() if source in sources]
        if cells:
            add(line.code, spent=total(c.amount for c in cells), basic=total(c.basic for c in cells),
                project=total(c.project for c in cells))
    return out


def other_spending(final: FinalAccounts) -> tuple[Decimal, Decimal, Decimal]:
    """Returns (上缴上级支出, 经营支出, 对附属单位补助支出) over every line."""
    lines = final.other_spending
    return (total(x.to_superior for x in lines), total(x.operating for x in lines),
            total(x.to_affiliated for x in lines))


def facts(final: FinalAccounts, year: dict[str, Decimal]) -> dict[str, Decimal]:
    """Returns the facts final accounts add to (or put in place of) the year's: income is what
    came in, not what was spent; the spending total takes in spending outside basic and
    project; the balances and the grand totals of the two balance tables."""
    out: dict[str, Decimal] = {}
    for field, source in INCOME_KINDS:
        out[F.income(source)] = income_by(final, field)
    income_total = total(line_income(line) for line in final.income)
    fiscal_income = total(line_fiscal(line) for line in final.income)
    to_superior, operating, to_affiliated = other_spending(final)
    spending = year.get(F.EXPENSE_TOTAL, ZERO) + to_superior + operating + to_affiliated
    fiscal_spending = year.get(F.FISCAL_TOTAL, ZERO)
    b = final.balances
    by_opening, by_closing = fiscal_balances(final)
    fiscal_opening = total(getattr(by_opening, kind) for kind in FISCAL_KINDS)
    fiscal_closing = total(getattr(by_closing, kind) for kind in FISCAL_KINDS)
    out.update({
        F.INCOME_TOTAL: income_total,
        F.INCOME_FISCAL: fiscal_income,
        F.INCOME_UNIT_FUNDS: income_total - fiscal_income,
        F.EXPENSE_TOTAL: spending,
        F.EXPENSE_TO_SUPERIOR: to_superior,
        F.EXPENSE_OPERATING: operating,
        F.EXPENSE_TO_AFFILIATED: to_affiliated,
        F.OPENING: b.opening,
        F.CLOSING: b.closing,
        F.NON_FISCAL_USED: b.non_fiscal_used,
        F.DISTRIBUTED: b.distributed,
        F.FISCAL_OPENING: fiscal_opening,
        F.FISCAL_CLOSING: fiscal_closing,
        # 总计 of the 收入支出决算总表 and of the 财政拨款收入支出决算总表 (income side)
        F.GRAND_TOTAL: income_total + b.non_fiscal_used + b.opening,
        F.FISCAL_GRAND_TOTAL: fiscal_income + fiscal_opening,
    })
    spent_by = {Source.GENERAL: year.get(F.GENERAL_TOTAL, ZERO), Source.FUND: year.get(F.FUND_TOTAL, ZERO),
                Source.SOE: year.get(F.SOE_TOTAL, ZERO)}
    for source, field in zip(F.FISCAL_BUDGETS, FISCAL_KINDS):
        closing = getattr(by_closing, field)
        out[F.by_budget(F.FISCAL_OPENING, source)] = getattr(by_opening, field)
        out[F.by_budget(F.FISCAL_CLOSING, source)] = closing
        out[F.by_budget(F.FISCAL_GRAND_TOTAL, source)] = spent_by[source] + closing
    # The expenditure side of each table, which the balance check holds to the income side.
    out[_SPENT_SIDE] = spending + b.distributed + b.closing
    out[_FISCAL_SPENT_SIDE] = fiscal_spending + fiscal_closing
    return out


# Not fact keys: the other side of each balance table, for the balance check only.
_SPENT_SIDE = "_spent_side"
_FISCAL_SPENT_SIDE = "_fiscal_spent_side"


def sides(figures: dict[str, Decimal]) -> tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal]]:
    """Returns ((income side, expenditure side) of the 总表, the same of the 财政拨款 总表)."""
    return ((figures[F.GRAND_TOTAL], figures[_SPENT_SIDE]),
            (figures[F.FISCAL_GRAND_TOTAL], figures[_FISCAL_SPENT_SIDE]))


def year_facts(unit: Unit, year: dict[str, Decimal]) -> dict[str, Decimal]:
    """Returns the year's facts with what final accounts add (unchanged for a budget)."""
    if unit.final is None:
        return year
    added = facts(unit.final, year)
    return {**year, **{k: v for k, v in added.items() if not k.startswith("_")}}


class Verdict(StrEnum):
    """An actual against its budget: the words 大于 / 小于 / 持平 are the profile's."""

    OVER = "over"
    UNDER = "under"
    EQUAL = "equal"


@dataclass(frozen=True)
class Against:
    """An actual against a budget figure (年初预算 or 全年预算, as the format names the set)."""

    actual: Decimal
    budget: Decimal
    basis: str

    @property
    def verdict(self) -> Verdict:
        if self.actual == self.budget:
            return Verdict.EQUAL
        return Verdict.OVER if self.actual > self.budget else Verdict.UNDER

    @property
    def rate(self) -> Ratio | None:
        """The completion rate (决算数 / 预算数, in percent), or None on a zero budget: no rate
        can be said of what was never budgeted."""
        return percent(self.actual, self.budget)

    @property
    def amount(self) -> Decimal:
        return difference(self.actual, self.budget)

    @property
    def budgeted(self) -> bool:
        return self.budget != 0


def against(figures, key: str, basis: str) -> Against | None:
    """Returns key's actual against the budget set basis, or None when that set is not given."""
    budget = figures.sets.get(basis)
    if budget is None:
        return None
    return Against(figures.fact(key), budget.get(key, ZERO), basis)


def is_final(unit: Unit) -> bool:
    return unit.final is not None or unit.document is DocKind.FINAL


# -- a department's final accounts: its members' added ------------------------------------------


def _merge_lines(lines, fields: tuple[str, ...]):
    """Returns lines with one line per code, amounts added field by field (first line's name)."""
    merged: dict[str, object] = {}
    for line in lines:
        if line.code in merged:
            old = merged[line.code]
            merged[line.code] = old.model_copy(update={f: getattr(old, f) + getattr(line, f) for f in fields})
        else:
            merged[line.code] = line
    return tuple(merged[code] for code in sorted(merged))


def _add_record(records):
    """Returns the field-by-field sum of records of one kind (amounts and counts; nested records too)."""
    first = records[0]
    update = {}
    for name in type(first).model_fields:
        values = [getattr(r, name) for r in records]
        if isinstance(values[0], (int, Decimal)):
            update[name] = sum(values[1:], values[0])
        elif isinstance(values[0], BaseModel):
            update[name] = _add_record(values)
    return first.model_copy(update=update)


def _merge_balance_lines(members: list[FinalAccounts]) -> tuple[FiscalBalanceLine, ...]:
    """Returns the members' balance lines added code by code, each budget kept only where every
    member with a balance of it gives it by line: a balance typed as a total only belongs to no
    line, and the department's lines would otherwise leave it out of the budget's totals."""
    kept = [kind for kind in FISCAL_KINDS
            if any(kind in lined(m) for m in members)
            and all(kind in lined(m) or not any(getattr(half, kind) for half in fiscal_balances(m)) for m in members)]
    merged: dict[str, dict[str, object]] = {}
    for m in members:
        for line in m.balance_lines:
            row = merged.setdefault(line.code, {"code": line.code, "name": line.name})
            for kind in kept:
                half = getattr(line, kind)
                if half is not None:
                    old = row.get(kind)
                    row[kind] = half if old is None else LineBalance.model_construct(
                        opening=old.opening + half.opening, closing=old.closing + half.closing)
    rows = [row for row in merged.values() if any(k in row for k in kept)]
    # sums of valid amounts: constructed, not validated again (a sum may pass one amount's limit)
    return tuple(FiscalBalanceLine.model_construct(**row) for row in sorted(rows, key=lambda r: r["code"]))


def add(own: FinalAccounts | None, members: list[FinalAccounts]) -> FinalAccounts | None:
    """Returns a department's final accounts from its members': income and other spending line
    by line, balances, counts and awards summed; the words (reasons, uses, performance
    management) are the department's own, as it writes them for itself."""
    if not members:
        return own
    income_fields = tuple(f for f in FinalIncomeLine.model_fields if f not in ("code", "name"))
    other_fields = ("to_superior", "operating", "to_affiliated")
    # each member's fiscal carry-over as it stands (from its lines, or typed), then added up
    effective = [m.balances.model_copy(update=dict(zip(("fiscal_opening", "fiscal_closing"), fiscal_balances(m))))
                 for m in members]
    summed = FinalAccounts(
        income=_merge_lines([x for m in members for x in m.income], income_fields),
        other_spending=_merge_lines([x for m in members for x in m.other_spending], other_fields),
        balances=_add_record(effective),
        balance_lines=_merge_balance_lines(members),
        counts=_add_record([m.counts for m in members]),
        awards=_add_record([m.awards for m in members]),
    )
    if own is None:
        return summed
    return summed.model_copy(update={"three_public_uses": own.three_public_uses, "performance": own.performance,
                                     "budget_reasons": own.budget_reasons})
