"""Roll-ups, totals and changes: every number the document shows that the officer did not type.

No wording here: shares and phrases are chosen in rules.py. Fact keys are the Chinese names the
officer uses in 变动原因, so a reason attaches to exactly the figure it explains.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from narrate.catalog import Catalogs
from narrate.model import (
    CARRY,
    FISCAL,
    GENERAL_BUDGET,
    Budget,
    Cell,
    Source,
)
from narrate.money import ZERO, percent, total

PERSONNEL_CLASSES = ("301", "303")  # 工资福利支出 and 对个人和家庭的补助 are 人员经费; the rest 公用经费


@dataclass(frozen=True)
class Split:
    """An amount split the way the tables split it."""

    personnel: Decimal = ZERO
    public: Decimal = ZERO
    basic: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        return self.basic + self.project

    def __add__(self, other: Split) -> Split:
        return Split(
            self.personnel + other.personnel,
            self.public + other.public,
            self.basic + other.basic,
            self.project + other.project,
        )


NOTHING = Split()


def of_cell(cell: Cell) -> Split:
    return Split(cell.personnel or ZERO, cell.public or ZERO, cell.basic, cell.project)


def add_up(splits: Iterable[Split]) -> Split:
    return sum(splits, NOTHING)


def by_sources(budget: Budget, sources: Iterable[Source] = tuple(Source)) -> Split:
    """Returns what the given sources pay for, over every function line."""
    wanted = set(sources)
    return add_up(of_cell(c) for line in budget.expenses for s, c in line.cells() if s in wanted)


@dataclass(frozen=True)
class FunctionRow:
    """One row of a function-classification table: a 类, 款 or 项 and what each source pays."""

    code: str
    name: str
    level: int  # 1 类, 2 款, 3 项
    by_source: dict[Source, Split] = field(default_factory=dict)

    def split(self, sources: Iterable[Source] = tuple(Source)) -> Split:
        return add_up(self.by_source.get(s, NOTHING) for s in sources)


def _parents(code: str) -> tuple[str, ...]:
    return tuple(code[:n] for n in (3, 5, 7) if n <= len(code))


def function_rows(
    budget: Budget, catalogs: Catalogs, sources: Iterable[Source] = tuple(Source)
) -> tuple[FunctionRow, ...]:
    """Returns the 类/款/项 rows rolled up from the lines, in code order, with amounts only."""
    wanted = tuple(sources)
    sums: dict[str, dict[Source, Split]] = {}
    for line in budget.expenses:
        for source, cell in line.cells():
            if source not in wanted:
                continue
            for code in _parents(line.code):
                row = sums.setdefault(code, {})
                row[source] = row.get(source, NOTHING) + of_cell(cell)
    rows = []
    for code in sorted(sums):
        row = FunctionRow(code, catalogs.function.name(code) or "", len(code) // 2, sums[code])
        if row.split(wanted).amount != 0:
            rows.append(row)
    return tuple(rows)


@dataclass(frozen=True)
class EconRow:
    code: str
    name: str
    level: int  # 1 类, 2 款
    personnel: Decimal
    public: Decimal

    @property
    def amount(self) -> Decimal:
        return self.personnel + self.public


def econ_rows(budget: Budget, catalogs: Catalogs) -> tuple[EconRow, ...]:
    """Returns table 6's rows: each economic class with its items, split personnel/public."""
    sums: dict[str, Decimal] = {}
    for line in budget.economic:
        for code in (line.code[:3], line.code) if len(line.code) > 3 else (line.code,):
            sums[code] = sums.get(code, ZERO) + line.amount
    rows = []
    for code in sorted(sums, key=lambda c: (catalogs.economic.order(c[:3]), c)):
        personnel = code[:3] in PERSONNEL_CLASSES
        amount = sums[code]
        rows.append(
            EconRow(
                code,
                catalogs.economic.name(code) or "",
                1 if len(code) == 3 else 2,
                amount if personnel else ZERO,
                ZERO if personnel else amount,
            )
        )
    return tuple(rows)


def econ_split(budget: Budget) -> Split:
    """Returns table 6's total as a split: personnel and public basic expenditure."""
    personnel = total(x.amount for x in budget.economic if x.code[:3] in PERSONNEL_CLASSES)
    public = total(x.amount for x in budget.economic if x.code[:3] not in PERSONNEL_CLASSES)
    return Split(personnel, public, personnel + public, ZERO)


def three_public_total(budget: Budget) -> Decimal:
    t = budget.three_public
    return t.abroad + t.reception + t.vehicle_purchase + t.vehicle_running


def operating_cost(budget: Budget) -> Decimal:
    """Returns 机关运行经费: as typed, else the general budget's basic public funds."""
    if budget.operating_typed is not None:
        return budget.operating_typed
    return by_sources(budget, GENERAL_BUDGET).public


def facts(budget: Budget) -> dict[str, Decimal]:
    """Returns the comparable figures of one year, keyed as 变动原因 names them."""
    out: dict[str, Decimal] = {}
    for source in Source:
        out[f"收入.{source.value}"] = by_sources(budget, (source,)).amount
    everything = by_sources(budget)
    general = by_sources(budget, GENERAL_BUDGET)
    out.update(
        {
            "收入.合计": everything.amount,
            "支出.基本支出": everything.basic,
            "支出.项目支出": everything.project,
            "支出.合计": everything.amount,
            "财政拨款.合计": by_sources(budget, FISCAL).amount,
            "上年结转结余.合计": by_sources(budget, CARRY).amount,
            "一般公共预算.基本支出": general.basic,
            "一般公共预算.项目支出": general.project,
            "一般公共预算.合计": general.amount,
            "机关运行经费": operating_cost(budget),
            "三公经费.合计": three_public_total(budget),
            "三公经费.因公出国境": budget.three_public.abroad,
            "三公经费.公务接待": budget.three_public.reception,
            "三公经费.公务用车购置": budget.three_public.vehicle_purchase,
            "三公经费.公务用车运行": budget.three_public.vehicle_running,
            "三公经费.公务用车小计": budget.three_public.vehicle_purchase
            + budget.three_public.vehicle_running,
        }
    )
    if _split_known(budget):
        out["一般公共预算.人员经费"] = general.personnel
        out["一般公共预算.公用经费"] = general.public
    for line in budget.expenses:
        for source, cell in line.cells():
            if source in GENERAL_BUDGET:
                for code in _parents(line.code):
                    key = f"一般公共预算.{code}"
                    out[key] = out.get(key, ZERO) + cell.amount
    return out


def _split_known(budget: Budget) -> bool:
    return all(c.split_known or c.basic == 0 for line in budget.expenses for _, c in line.cells())


def reasoned(keys) -> tuple[str, ...]:
    """Returns the fact keys whose change the explanations narrate with a reason."""
    fixed = ("支出.基本支出", "支出.项目支出", "一般公共预算.基本支出", "一般公共预算.项目支出", "机关运行经费")
    return tuple(
        k
        for k in keys
        if k in fixed
        or (k.startswith("收入.") and k != "收入.合计")
        or (k.startswith("一般公共预算.") and k.split(".")[1].isdigit() and len(k.split(".")[1]) == 7)
        or (k.startswith("三公经费.") and k not in ("三公经费.合计", "三公经费.公务用车小计"))
    )


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"  # equal and non-zero
    NEW = "new"  # last year 0: no rate
    GONE = "gone"  # this year 0, last year not: rate -100%
    NONE = "none"  # both 0: not arranged


@dataclass(frozen=True)
class Change:
    """This year's figure against last year's."""

    current: Decimal
    prior: Decimal

    @property
    def amount(self) -> Decimal:
        return self.current - self.prior

    @property
    def rate(self) -> Decimal | None:
        """Returns the change in percent (unrounded), or None when last year was 0."""
        return percent(self.amount, self.prior)

    @property
    def trend(self) -> Trend:
        if self.prior == 0:
            return Trend.NONE if self.current == 0 else Trend.NEW
        if self.current == 0:
            return Trend.GONE
        if self.amount == 0:
            return Trend.FLAT
        return Trend.UP if self.amount > 0 else Trend.DOWN


def changes(current: dict[str, Decimal], prior: dict[str, Decimal]) -> dict[str, Change]:
    """Returns a Change for every key either year has (a missing figure counts as 0)."""
    keys = list(current) + [k for k in prior if k not in current]
    return {k: Change(current.get(k, ZERO), prior.get(k, ZERO)) for k in keys}
