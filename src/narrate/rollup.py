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
from narrate.model import MONEY_UNITS, Budget, Source, Unit, UnitFile
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


def combine(file: UnitFile, unit: Unit, members: list[Member]) -> tuple[Unit, list[Finding]]:
    """Returns the department's unit (its budget the sum of its members', its comparison sets
    its own or else its members' summed) and findings where its own typed figures disagree."""
    total = compute.add(*(m.budget for m in members))
    typed = file.budget()
    given = file.model_fields_set
    findings: list[Finding] = []
    now, summed = compute.facts(typed), compute.facts(total)

    def differs(path: tuple, key: str, value: Decimal) -> None:
        computed = summed.get(key, Decimal(0))
        if value != computed:
            shown_typed, shown_sum = shown_pair(value, computed, MONEY_UNITS.get(file.money_unit, Decimal(1)))
            findings.append(Finding("department-sum", path, "department_sum",
                                    {"key": key, "typed": shown_typed, "computed": shown_sum, "unit": file.money_unit}))

    for field, wanted in _COMPARED:
        if field in given:
            for key in sorted(k for k in set(now) | set(summed) if wanted(k)):
                differs((Budget.model_fields[field].alias,), key, now.get(key, Decimal(0)))
    if "income" in given:
        for source_key, value in ((F.income(s), file.income.typed(s)) for s in Source):
            if value is not None:
                differs((Budget.model_fields["income"].alias, source_key[len(F.INCOME) + 1:]), source_key, value)
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
        findings += _final_typed(file, update["final"])
    return unit.model_copy(update=update), findings



def _final_typed(file: UnitFile, summed) -> list[Finding]:
    """What a department typed in its own 决算 (income lines, balances) must agree with its
    members' sum, figure by figure, as its typed budget figures must (department-sum)."""
    own = file.final
    if own is None:
        return []
    fields, given = type(own).model_fields, own.model_fields_set
    base = (UnitFile.model_fields["final"].alias,)
    keys: list[tuple[tuple, str]] = []
    if "income" in given:
        keys += [(base + (fields["income"].alias,), k) for k in (F.INCOME_TOTAL, F.INCOME_FISCAL)]
    if "balances" in given:
        keys += [(base + (fields["balances"].alias,), k)
                 for k in (F.OPENING, F.CLOSING, F.NON_FISCAL_USED, F.DISTRIBUTED, F.FISCAL_OPENING, F.FISCAL_CLOSING)]
    mine, theirs = final.facts(own, {}), final.facts(summed, {})
    scale = MONEY_UNITS.get(file.money_unit, Decimal(1))
    out = []
    for path, key in keys:
        if mine[key] != theirs[key]:
            typed, computed = shown_pair(mine[key], theirs[key], scale)
            out.append(Finding("department-sum", path, "department_sum",
                               {"key": key, "typed": typed, "computed": computed, "unit": file.money_unit}))
    return out
