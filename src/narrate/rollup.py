"""A department from its members: each member's figures (its own checked input file, or written
in the department's file for a member that publishes no budget of its own) summed code by code
and source by source (compute.add), then checked against whatever the department typed itself.

Part of the validate stage: pipeline.check calls it once the department's own file is valid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from narrate import compute, final
from narrate import facts as F
from narrate.checks import shown_pair
from narrate.messages import listing
from narrate.money import fmt
from narrate.model import (MONEY_UNITS, Balances, Budget, FinalAccounts, FinalIncomeLine, FinalOtherSpending,
                           FiscalBalance, FiscalBalanceLine, LineBalance, Source, Unit, UnitFile)
from narrate.problems import Finding

_THREE_PUBLIC = {F.THREE_PUBLIC_TOTAL, F.VEHICLES} | {F.three_public(i) for i in F.THREE_PUBLIC_ITEMS}
_PROCUREMENT = {F.PROCUREMENT_TOTAL, F.PROCUREMENT_GOODS, F.PROCUREMENT_WORKS, F.PROCUREMENT_SERVICES,
                F.PROCUREMENT_SME, F.PROCUREMENT_SMALL}

# What a department may type beside its members' figures, and the facts each must agree on.
_COMPARED: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("expenses", lambda k: k not in _THREE_PUBLIC and k not in _PROCUREMENT and k != F.OPERATING),
    ("three_public", lambda k: k in _THREE_PUBLIC),
    ("procurement", lambda k: k in _PROCUREMENT),
    ("operating_typed", lambda k: k == F.OPERATING),
)
# Parts that are the department's own when it types them (its key projects, its targets).
_OWN = ("project_notes", "performance", "targeted")


@dataclass(frozen=True)
class Member:
    """One member's contribution: its budget and comparison sets, and where they came from."""

    index: int
    budget: Budget
    comparisons: dict[str, Budget]
    checked: object | None = None  # pipeline.Checked of the member's own file


def has_members(file: UnitFile) -> bool:
    return any(m.file or m.figures is not None for m in file.unit.members)


def member_path(department: Path, file: str, outside: bool = False) -> Path:
    """Returns a member's file, beside the department's (paths.py: inside its folder tree unless
    outside is allowed; raises paths.Outside)."""
    from narrate import paths

    return paths.named(department.parent, file, outside)


def combine(file: UnitFile, unit: Unit, members: list[Member], catalogs=None) -> tuple[Unit, list[Finding]]:
    """Returns the department's unit (its budget the sum of its members', its comparison sets
    its own or else its members' summed) and findings where its own typed figures disagree;
    catalogs name the lines in those findings."""
    total = compute.add(*(m.budget for m in members))
    typed = file.budget()
    given = file.model_fields_set
    t = _Typed(file, catalogs)
    now, summed = compute.facts(typed), compute.facts(total)
    # A line's figure (一般公共预算.2010601, 经济分类.30101) is checked at the department's line of
    # that code (at the list, for a line of the members' the department left out). Totals and
    # 类/款 figures add those lines up: they are said only when every line agrees, so one slip
    # is one message, not one per total it runs into.
    lines: dict[str, dict[str, tuple[int, str | None]]] = {"expenses": {}, "economic": {}}
    for field, index in lines.items():
        for i, line in enumerate(getattr(typed, field)):
            index.setdefault(line.code, (i, getattr(line, "name", None)))
    theirs = {"expenses": {x.code for x in total.expenses}, "economic": {x.code for x in total.economic}}
    totals = _Typed(file, catalogs)

    def differs(field: str, path: tuple, key: str, value: Decimal) -> None:
        split = F.split_line(key) if field == "expenses" else None
        if split is not None:
            code = split[1]
            line_field = "economic" if split[0] == F.ECONOMIC else "expenses"
            at = lines[line_field].get(code)
            alias = Budget.model_fields[line_field].alias
            if at is not None or code in theirs[line_field]:
                t.amount((alias, at[0]) if at is not None else (alias,), key, value, summed.get(key, Decimal(0)),
                         (code, t.name(code, at[1] if at is not None else None, line_field == "economic")))
                return
        (totals if field == "expenses" else t).amount(path, key, value, summed.get(key, Decimal(0)))

    for field, wanted in _COMPARED:
        if field in given:
            before = len(t.out)
            for key in sorted(k for k in set(now) | set(summed) if wanted(k)):
                differs(field, (Budget.model_fields[field].alias,), key, now.get(key, Decimal(0)))
            if field == "expenses" and len(t.out) == before:
                t.out += totals.out
    if "income" in given:
        for source_key, value in ((F.income(s), file.income.typed(s)) for s in Source):
            if value is not None:
                differs("income", (Budget.model_fields["income"].alias, source_key[len(F.INCOME) + 1:]), source_key, value)
    findings = t.out
    own = {field: getattr(typed, field) for field in _OWN if field in given}
    budget = total.model_copy(update=own) if own else total
    sets = dict(unit.comparisons)
    for name in sorted({n for m in members for n in m.comparisons}):
        if name not in sets and all(name in m.comparisons for m in members):
            sets[name] = compute.add(*(m.comparisons[name] for m in members))
    # final accounts: the members' 决算 (income by line, balances, counts) added, the words the department's
    finals = [m.checked.unit.final for m in members
              if m.checked is not None and m.checked.unit is not None and m.checked.unit.final is not None]
    update = {"budget": budget, "comparisons": sets}
    if finals:
        update["final"] = final.add(unit.final, finals)
        findings += _final_typed(file, update["final"], catalogs)
    return unit.model_copy(update=update), findings



class _Typed:
    """Collects the findings where what a department typed differs from its members' sum, each
    named with both numbers (in the file's unit) and, for a line, its code and name."""

    def __init__(self, file: UnitFile, catalogs=None):
        self.file, self.catalogs = file, catalogs
        self.scale = MONEY_UNITS.get(file.money_unit, Decimal(1))
        self.out: list[Finding] = []

    def name(self, code: str, typed: str | None = None, economic: bool = False) -> str:
        if typed:
            return typed
        if self.catalogs is None:
            return ""
        return (self.catalogs.economic if economic else self.catalogs.function).name(code) or ""

    def amount(self, path: tuple, key: str, typed: Decimal, computed: Decimal, line: tuple[str, str] | None = None) -> None:
        if typed == computed:
            return
        shown_typed, shown_sum = shown_pair(typed, computed, self.scale)
        params = {"key": key, "typed": shown_typed, "computed": shown_sum, "unit": self.file.money_unit}
        if line is None:
            self.out.append(Finding("department-sum", path, "department_sum", params))
        else:
            self.out.append(Finding("department-sum", path, "department_line_sum", {**params, "code": line[0], "name": line[1]}))

    def count(self, path: tuple, key: str, typed: int, computed: int) -> None:
        if typed != computed:
            self.out.append(Finding("department-sum", path, "department_count_sum",
                                    {"key": key, "typed": typed, "computed": computed}))

    def missing(self, path: tuple, what: str, code: str, name: str, amounts: dict[str, Decimal]) -> None:
        """A line the members give and the department's own lines leave out."""
        shown = listing(f"{k} {fmt(v * self.scale)} {self.file.money_unit}" for k, v in amounts.items() if v)
        self.out.append(Finding("department-sum", path, "department_line_missing",
                                {"what": what, "code": code, "name": name, "amounts": shown}))


_FINAL_KEY = UnitFile.model_fields["final"].alias
_FIELDS = FinalAccounts.model_fields
_AMOUNTS = {"income": tuple(n for n in FinalIncomeLine.model_fields if n not in ("code", "name")),
            "other_spending": tuple(n for n in FinalOtherSpending.model_fields if n != "code")}
_LINE_RECORDS = {"income": FinalIncomeLine, "other_spending": FinalOtherSpending}


def _final_typed(file: UnitFile, summed: FinalAccounts, catalogs=None) -> list[Finding]:
    """What a department typed in its own 决算 must agree with its members' sum, as its typed
    budget figures must (department-sum): income and other spending line by line and kind by
    kind, the balances (by line where both give lines), 三公 counts and procurement awards, each
    typed figure at its own place in the department's file."""
    own = file.final
    if own is None:
        return []
    t = _Typed(file, catalogs)
    given = own.model_fields_set
    base = (_FINAL_KEY,)
    for field, amounts in _AMOUNTS.items():
        if field not in given:
            continue
        alias, record = _FIELDS[field].alias, _LINE_RECORDS[field].model_fields
        theirs = {line.code: line for line in getattr(summed, field)}
        typed: dict[str, int] = {}
        for i, line in enumerate(getattr(own, field)):
            typed.setdefault(line.code, i)
            other = theirs.get(line.code)
            named = (line.code, t.name(line.code, getattr(line, "name", None)))
            for name in amounts:
                computed = getattr(other, name) if other is not None else Decimal(0)
                t.amount(base + (alias, i, record[name].alias), record[name].alias, getattr(line, name), computed, named)
        for code, other in theirs.items():
            if code not in typed and any(getattr(other, n) for n in amounts):
                t.missing(base + (alias,), alias, code, t.name(code, getattr(other, "name", None)),
                          {record[n].alias: getattr(other, n) for n in amounts})
    if "balances" in given or "balance_lines" in given:
        _typed_balances(t, own, summed, base)
    if "balance_lines" in given:
        _typed_balance_lines(t, own, summed, base)
    for field in ("counts", "awards"):
        if field not in given:
            continue
        mine, theirs = getattr(own, field), getattr(summed, field)
        alias, record = _FIELDS[field].alias, type(mine).model_fields
        for name in record:
            if name in mine.model_fields_set:
                typed_value, computed = getattr(mine, name), getattr(theirs, name)
                check = t.amount if isinstance(typed_value, Decimal) else t.count
                check(base + (alias, record[name].alias), record[name].alias, typed_value, computed)
    return t.out


def _typed_balances(t: _Typed, own: FinalAccounts, summed: FinalAccounts, base: tuple) -> None:
    """The balance totals the department typed; a fiscal budget's by its total, unless both the
    department and its members give it by line (then _typed_balance_lines compares the lines)."""
    path = base + (_FIELDS["balances"].alias,)
    fields = Balances.model_fields
    for name in ("opening", "non_fiscal_used", "distributed", "closing"):
        if name in own.balances.model_fields_set:
            t.amount(path, fields[name].alias, getattr(own.balances, name), getattr(summed.balances, name))
    mine, theirs = final.fiscal_balances(own), final.fiscal_balances(summed)
    for half, m, s in zip(("fiscal_opening", "fiscal_closing"), mine, theirs):
        typed = getattr(own.balances, half).model_fields_set
        for kind in final.FISCAL_KINDS:
            by_line = kind in final.lined(own)
            if by_line and kind in final.lined(summed) or not (by_line or kind in typed):
                continue
            where = path + (fields[half].alias, FiscalBalance.model_fields[kind].alias) if not by_line \
                else base + (_FIELDS["balance_lines"].alias,)
            t.amount(where, f"{fields[half].alias}.{FiscalBalance.model_fields[kind].alias}", getattr(m, kind), getattr(s, kind))


def _typed_balance_lines(t: _Typed, own: FinalAccounts, summed: FinalAccounts, base: tuple) -> None:
    """The department's 财政拨款结转和结余明细, line by line, for each budget its members give by line."""
    alias = _FIELDS["balance_lines"].alias
    halves = LineBalance.model_fields
    for kind in final.FISCAL_KINDS:
        if kind not in final.lined(own) or kind not in final.lined(summed):
            continue
        budget = FiscalBalanceLine.model_fields[kind].alias
        theirs = final.line_balances(summed, kind)
        typed: set[str] = set()
        for i, line in enumerate(own.balance_lines):
            mine = getattr(line, kind)
            if mine is None:
                continue
            typed.add(line.code)
            other = theirs.get(line.code, (Decimal(0), Decimal(0)))
            named = (line.code, t.name(line.code, line.name))
            for j, name in enumerate(("opening", "closing")):
                t.amount(base + (alias, i, budget, halves[name].alias), f"{budget}.{halves[name].alias}",
                         getattr(mine, name), other[j], named)
        for code, (opening, closing) in theirs.items():
            if code not in typed and (opening or closing):
                t.missing(base + (alias,), alias, code, t.name(code),
                          {f"{budget}.{halves[n].alias}": v for n, v in (("opening", opening), ("closing", closing))})
