"""Roll-ups, totals and changes: every number the document shows that the officer did not type.

No wording here: shares and phrases are chosen in rules.py. Fact keys are the Chinese names the
officer uses in 变动原因, so a reason attaches to exactly the figure it explains.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from narrate.catalog import Catalogs
from narrate import facts as F
from narrate import final
from narrate.model import (
    CARRY,
    FISCAL,
    GENERAL_BUDGET,
    GOV_FUND,
    PRIOR_BUDGET,
    SOE_BUDGET,
    VEHICLES_TOTAL,
    Assets,
    Budget,
    Cell,
    EconLine,
    ExpenseLine,
    Holding,
    Income,
    Procurement,
    ProcurementKind,
    ProjectNote,
    Source,
    Staffing,
    TargetedProjects,
    ThreePublic,
    Unit,
)
from narrate.money import ZERO, difference, percent, total

PERSONNEL_CLASSES = ("301", "303")  # 工资福利支出 and 对个人和家庭的补助 are 人员经费; the rest 公用经费


@dataclass(frozen=True)
class Split:
    """An amount split the way the tables split it."""

    personnel: Decimal = ZERO
    public: Decimal = ZERO
    basic: Decimal = ZERO
    project: Decimal = ZERO
    own: Decimal = ZERO  # the format's own buckets beside basic and project (单位预留机动经费)

    @property
    def amount(self) -> Decimal:
        return self.basic + self.project + self.own

    def __add__(self, other: Split) -> Split:
        return Split(
            self.personnel + other.personnel,
            self.public + other.public,
            self.basic + other.basic,
            self.project + other.project,
            self.own + other.own,
        )


NOTHING = Split()


def of_cell(cell: Cell) -> Split:
    return Split(cell.personnel or ZERO, cell.public or ZERO, cell.basic, cell.project, cell.own_total)


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
    """Returns 机关运行经费: as typed, else the general budget's basic public funds (from the
    economic classification where the lines leave basic expenditure unsplit, split: optional)."""
    if budget.operating_typed is not None:
        return budget.operating_typed
    general = by_sources(budget, GENERAL_BUDGET)
    if budget.economic and general.personnel + general.public != general.basic:
        return econ_split(budget).public
    return general.public


def procurement_total(budget: Budget) -> Decimal:
    p = budget.procurement
    return p.goods + p.works + p.services


def vehicle_kinds(budget: Budget) -> dict[str, Holding]:
    """Returns the vehicles by kind, without the typed total."""
    return {k: h for k, h in budget.assets.vehicles.items() if k != VEHICLES_TOTAL}


def vehicles_held(budget: Budget) -> Holding:
    """Returns all vehicles held: their count and value."""
    kinds = vehicle_kinds(budget).values()
    return Holding(数量=sum(h.count for h in kinds), 价值=total(h.value for h in kinds))


def note_amount(note: ProjectNote) -> Decimal:
    """Returns a project note's budget: the sum of its items, else its typed amount."""
    return total(i.amount for i in note.items) if note.items else (note.amount_typed or ZERO)


def facts(budget: Budget, own: dict | None = None) -> dict[str, Decimal]:
    """Returns the comparable figures of one year, keyed by facts.py, with the format's own
    amounts and counts (own: the profile's `fields`) under their names, each amount added to the
    facts it is part of. Figures the set gives only as totals (合计数) stand where nothing was
    computed for them."""
    out: dict[str, Decimal] = {}
    for source in Source:
        out[F.income(source)] = by_sources(budget, (source,)).amount
    everything = by_sources(budget)
    general = by_sources(budget, GENERAL_BUDGET)
    t = budget.three_public
    p = budget.procurement
    out.update(
        {
            F.INCOME_TOTAL: everything.amount,
            F.INCOME_FISCAL: by_sources(budget, FISCAL).amount,
            F.EXPENSE_BASIC: everything.basic,
            F.EXPENSE_PROJECT: everything.project,
            F.EXPENSE_TOTAL: everything.amount,
            F.FISCAL_TOTAL: by_sources(budget, FISCAL).amount,
            F.FISCAL_BASIC: by_sources(budget, FISCAL).basic,
            F.FISCAL_PROJECT: by_sources(budget, FISCAL).project,
            F.CARRY_TOTAL: by_sources(budget, CARRY).amount,
            F.GENERAL_BASIC: general.basic,
            F.GENERAL_PROJECT: general.project,
            F.GENERAL_TOTAL: general.amount,
            F.FUND_TOTAL: by_sources(budget, GOV_FUND).amount,
            F.SOE_TOTAL: by_sources(budget, SOE_BUDGET).amount,
            F.OPERATING: operating_cost(budget),
            F.THREE_PUBLIC_TOTAL: three_public_total(budget),
            F.ABROAD: t.abroad,
            F.RECEPTION: t.reception,
            F.VEHICLE_PURCHASE: t.vehicle_purchase,
            F.VEHICLE_RUNNING: t.vehicle_running,
            F.VEHICLES: t.vehicle_purchase + t.vehicle_running,
            F.PROCUREMENT_TOTAL: procurement_total(budget),
            F.PROCUREMENT_GOODS: p.goods,
            F.PROCUREMENT_WORKS: p.works,
            F.PROCUREMENT_SERVICES: p.services,
            F.PROCUREMENT_SME: p.sme,
            F.PROCUREMENT_SMALL: p.small_micro,
        }
    )
    if _split_known(budget):
        out[F.GENERAL_PERSONNEL] = general.personnel
        out[F.GENERAL_PUBLIC] = general.public
    elif budget.economic:  # lines give only 基本支出 (split optional): the economic classification splits it
        by_class = econ_split(budget)
        out[F.GENERAL_PERSONNEL] = by_class.personnel
        out[F.GENERAL_PUBLIC] = by_class.public
    groups = {F.EXPENSE: set(Source), F.FISCAL: set(FISCAL), F.GENERAL: set(GENERAL_BUDGET), F.FUND: set(GOV_FUND),
              F.SOE: set(SOE_BUDGET)}
    for line in budget.expenses:
        for source, cell in line.cells():
            for group, sources in groups.items():
                if source in sources:
                    for code in _parents(line.code):
                        key = F.line(group, code)
                        out[key] = out.get(key, ZERO) + cell.amount
    for item in budget.economic:
        for code in dict.fromkeys((item.code[:3], item.code[:5])):
            key = F.line(F.ECONOMIC, code)
            out[key] = out.get(key, ZERO) + item.amount
    for line in budget.expenses:  # the format's own buckets, by name, as 支出 / 财政拨款 / 一般公共预算 split them
        for source, cell in line.cells():
            for name, value in cell.own.items():
                for group, sources in ((F.EXPENSE, Source), (F.FISCAL, FISCAL), (F.GENERAL, GENERAL_BUDGET)):
                    if source in sources:
                        key = f"{group}.{name}"
                        out[key] = out.get(key, ZERO) + value
    for name, spec in (own or {}).items():
        if spec.kind == "amount" and name in budget.own_amounts:
            out[name] = budget.own_amounts[name]
            for key in spec.adds_to:
                out[key] = out.get(key, ZERO) + budget.own_amounts[name]
        elif spec.kind == "count" and name in budget.own_counts:
            out[name] = Decimal(budget.own_counts[name])
    out.update(budget.totals)
    return out


def _split_known(budget: Budget) -> bool:
    return all(c.split_known or c.basic == 0 for line in budget.expenses for _, c in line.cells())


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"  # equal and non-zero
    NEW = "new"  # last year 0: no rate
    GONE = "gone"  # this year 0, last year not: rate -100%
    NONE = "none"  # both 0: not arranged


@dataclass(frozen=True)
class Change:
    """This year's figure against a comparison set's (basis: the set's name)."""

    current: Decimal
    prior: Decimal
    basis: str = PRIOR_BUDGET

    @property
    def amount(self) -> Decimal:
        """This year minus the set's (a money.Derived: a style may show it from rounded parts)."""
        return difference(self.current, self.prior)

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


def changes(current: dict[str, Decimal], prior: dict[str, Decimal], basis: str = PRIOR_BUDGET) -> dict[str, Change]:
    """Returns a Change for every key either year has (a missing figure counts as 0)."""
    keys = list(current) + [k for k in prior if k not in current]
    return {k: Change(current.get(k, ZERO), prior.get(k, ZERO), basis) for k in keys}


@dataclass(frozen=True)
class Figures:
    """Every computed figure of one unit, computed once: this year's facts, each comparison
    set's, and which set each fact is compared with (the profile's `compare` rules)."""

    now: dict[str, Decimal]
    sets: dict[str, dict[str, Decimal]]
    compare: tuple[tuple[str, str], ...] = (("*", PRIOR_BUDGET),)
    own: dict = field(default_factory=dict)  # the format's own fields (profile `fields`)

    def fact(self, key: str) -> Decimal:
        """Returns this year's figure for key; a key narrate does not compute is an error."""
        if key in self.now:
            return self.now[key]
        if F.is_known(key, self.own):
            return ZERO
        raise KeyError(f"unknown fact key {key!r}")

    def basis(self, key: str) -> str:
        """Returns the comparison set key is compared with."""
        return next((s for pattern, s in self.compare if fnmatchcase(key, pattern)), PRIOR_BUDGET)

    def change(self, key: str) -> Change | None:
        """Returns key's change against its comparison set, or None when that set is not given."""
        basis = self.basis(key)
        prior = self.sets.get(basis)
        if prior is None:
            return None
        sets = self.own[key].sets if key in self.own else None
        if sets is not None and basis not in sets:  # a field of the format's own that set does not carry
            return None
        return Change(self.fact(key), prior.get(key, ZERO), basis)

    def changes(self, basis: str = PRIOR_BUDGET) -> dict[str, Change]:
        """Returns every fact's change against one set ({} when it is not given)."""
        prior = self.sets.get(basis)
        return changes(self.now, prior, basis) if prior is not None else {}


def figures(unit: Unit, compare: tuple[tuple[str, str], ...] = (("*", PRIOR_BUDGET),), own: dict | None = None) -> Figures:
    """Returns the unit's figures: facts of this year and of every comparison set (own: the
    profile's `fields`); final accounts add their own facts (income as it came in, balances,
    grand totals) to the year's."""
    own = dict(own or {})
    return Figures(final.year_facts(unit, facts(unit.budget, own)), {name: facts(b, own) for name, b in unit.comparisons.items()},
                   compare, own)


# -- adding budgets (a department is the sum of its units) ----------------------------------------


def _add_cells(cells: list[Cell]) -> Cell:
    project = total(c.project for c in cells)
    own = {Cell.model_fields["own"].alias: _add_maps(c.own for c in cells)} if any(c.own for c in cells) else {}
    if all(c.split_known or c.basic == 0 for c in cells):
        return Cell(人员经费=total(c.personnel or ZERO for c in cells), 公用经费=total(c.public or ZERO for c in cells), 项目支出=project, **own)
    return Cell(基本支出=total(c.basic for c in cells), 项目支出=project, **own)


def _add_lines(budgets: tuple[Budget, ...]) -> tuple[ExpenseLine, ...]:
    by_code: dict[str, dict[Source, list[Cell]]] = {}
    names: dict[str, str | None] = {}
    for budget in budgets:
        for line in budget.expenses:
            names.setdefault(line.code, line.name)
            for source, cell in line.cells():
                by_code.setdefault(line.code, {}).setdefault(source, []).append(cell)
    return tuple(
        ExpenseLine.model_construct(code=code, name=names[code], **{s.name.lower(): _add_cells(c) for s, c in cells.items()})
        for code, cells in sorted(by_code.items())
    )


def add(*budgets: Budget) -> Budget:
    """Returns the sum of budgets: expense lines added code by code and source by source, economic
    items by code, lists joined, every other amount and count summed. Typed totals (checked in
    each part already) are not carried over, except 合计数, which are summed key by key."""
    econ: dict[str, Decimal] = {}
    for budget in budgets:
        for item in budget.economic:
            econ[item.code] = econ.get(item.code, ZERO) + item.amount
    vehicles: dict[str, Holding] = {}
    bought: dict[str, int] = {}
    for budget in budgets:
        for kind, held in vehicle_kinds(budget).items():
            was = vehicles.get(kind, Holding())
            vehicles[kind] = Holding(数量=was.count + held.count, 价值=was.value + held.value)
        for kind, n in budget.assets.buy_vehicle_counts.items():
            bought[kind] = bought.get(kind, 0) + n
    totals: dict[str, Decimal] = {}
    for budget in budgets:
        for key, value in budget.totals.items():
            totals[key] = totals.get(key, ZERO) + value
    assets = [b.assets for b in budgets]
    targeted = [b.targeted for b in budgets if b.targeted is not None]
    operating_typed = any(b.operating_typed is not None for b in budgets)
    return Budget.model_construct(
        staffing=Staffing.model_construct(
            posts=sum(b.staffing.posts for b in budgets), actual_typed=None,
            active=sum(b.staffing.active for b in budgets), retired=sum(b.staffing.retired for b in budgets),
            veteran=sum(b.staffing.veteran for b in budgets)),
        income=Income(),
        expenses=_add_lines(budgets),
        economic=tuple(EconLine(科目=code, 金额=amount) for code, amount in sorted(econ.items())),
        projects=tuple(p for b in budgets for p in b.projects),
        project_notes=tuple(n for b in budgets for n in b.project_notes),
        three_public=ThreePublic(**{f.alias: total(getattr(b.three_public, name) for b in budgets)
                                    for name, f in ThreePublic.model_fields.items() if not name.endswith("_typed")}),
        operating_typed=total(operating_cost(b) for b in budgets) if operating_typed else None,
        procurement=_add_procurement([b.procurement for b in budgets]),
        assets=Assets.model_construct(
            as_of=next((a.as_of for a in assets if a.as_of is not None), None),
            building_area=total(a.building_area for a in assets), building_value=total(a.building_value for a in assets),
            vehicles=vehicles, furniture=total(a.furniture for a in assets), other=total(a.other for a in assets),
            equipment_50=sum(a.equipment_50 for a in assets), equipment_100=sum(a.equipment_100 for a in assets),
            buy_vehicles=total(a.buy_vehicles for a in assets), buy_vehicle_counts=bought,
            buy_equipment_50=sum(a.buy_equipment_50 for a in assets), buy_equipment_100=sum(a.buy_equipment_100 for a in assets)),
        carryover=tuple(c for b in budgets for c in b.carryover),
        performance=None,
        targeted=TargetedProjects.model_construct(count=sum(t.count for t in targeted), amount=total(t.amount for t in targeted)) if targeted else None,
        totals=totals,
        own_amounts=_add_maps(b.own_amounts for b in budgets),
        own_counts=_add_maps(b.own_counts for b in budgets),
    )


def _add_procurement(parts: list[Procurement]) -> Procurement:
    """Returns the procurement of several budgets: their items one after the other when every
    budget that procures lists its items, else the category amounts summed (a table of items
    cannot show the items of a member that gave only totals)."""
    sums = {"sme": total(p.sme for p in parts), "small_micro": total(p.small_micro for p in parts)}
    buying = [p for p in parts if p.items or any(p.amount(k) for k in ProcurementKind)]
    if buying and all(p.items for p in buying):
        return Procurement.model_construct(items=tuple(i for p in buying for i in p.items), **sums)
    typed = {Procurement.typed_field(k): total(p.amount(k) for p in parts) for k in ProcurementKind}
    return Procurement.model_construct(**typed, **sums)


def _add_maps(maps) -> dict:
    """Returns the maps summed key by key (a department's own fields: its members' sum)."""
    out: dict = {}
    for m in maps:
        for key, value in m.items():
            out[key] = out.get(key, 0) + value
    return out
