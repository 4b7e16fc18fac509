"""Checks of final accounts (决算), before anything is written: the two balance tables balance,
the income lines add up, each fiscal budget's balances line by line (财政拨款结转和结余明细), and
every difference from the budget the format asks about has its reason (预决算差异原因). Registered
in checks.RULES; a budget input has none of these."""

from __future__ import annotations

import difflib
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from narrate import facts as F
from narrate import final
from narrate.model import Balances, FinalAccounts, FiscalBalance, LineBalance, UnitFile
from narrate.money import HUNDRED, fmt, fmt_abs
from narrate.problems import Finding

if TYPE_CHECKING:
    from narrate.checks import Subject
    from narrate.compute import Figures

_FINAL = UnitFile.model_fields["final"].alias
_BALANCES = FinalAccounts.model_fields["balances"].alias
_INCOME = FinalAccounts.model_fields["income"].alias
_REASONS = FinalAccounts.model_fields["budget_reasons"].alias
_LINES = FinalAccounts.model_fields["balance_lines"].alias
_HALVES = {"opening": Balances.model_fields["fiscal_opening"].alias, "closing": Balances.model_fields["fiscal_closing"].alias}
_BUDGET = {kind: FiscalBalance.model_fields[kind].alias for kind in final.FISCAL_KINDS}  # 一般公共预算 …
_CLOSING = LineBalance.model_fields["closing"].alias  # where a line that does not carry over is shown


def _shown(value: Decimal, s: Subject) -> str:
    return f"{fmt(value * s.scale)}"


def _of_members(s: Subject) -> bool:
    """Tells whether the file is a department whose figures are its members': each member
    balances in its own file, and what the department types itself is held to their sum
    (rollup, department-sum), so its own file is not balanced by itself."""
    from narrate.rollup import has_members  # not at the top: rollup imports the checks

    return has_members(s.file)


def balance(s: Subject, figures: Figures) -> list[Finding]:
    """收入 + 使用非财政拨款结余 + 年初结转和结余 = 支出 + 结余分配 + 年末结转和结余 (the 总表), and
    财政拨款收入 + 年初 = 财政拨款支出 + 年末 (the 财政拨款 总表); each names both sides."""
    if s.file.final is None or not (s.file.expenses or s.file.final.income) or _of_members(s):
        return []
    whole, fiscal = final.sides(final.facts(s.file.final, figures.now))
    out = []
    for (income, spent), key in ((whole, "final_balance"), (fiscal, "final_fiscal_balance")):
        if income != spent:
            out.append(Finding("final-balance", (_FINAL, _BALANCES), key,
                               {"income": _shown(income, s), "spent": _shown(spent, s), "unit": s.file.money_unit}))
    return out


def income_lines(s: Subject) -> list[Finding]:
    """Income lines name 项 (or the deepest level the unit reports) once each."""
    if s.file.final is None:
        return []
    seen: set[str] = set()
    out = []
    for i, line in enumerate(s.file.final.income):
        if line.code in seen:
            out.append(Finding("final-income", (_FINAL, _INCOME, i, "科目"), "final_income_repeated", {"code": line.code}))
        seen.add(line.code)
    return out


def balance_lines(s: Subject) -> list[Finding]:
    """财政拨款结转和结余明细: each code once; a total typed under 结转结余 beside a budget's lines
    equals their sum (the lines give it, entered once); and on every line of a budget the lines
    give, 年初 + 本年收入 − 本年支出 = 年末. The Shanghai tables have no column for anything else
    that moves a balance (调整, 归集调入/调出, 上缴): the year's movements are income and
    spending, as the 财政拨款 总表 balances (final-balance). A format whose balances move
    otherwise lowers the rule in its `checks`."""
    f = s.file.final
    if f is None or not f.balance_lines:
        return []
    out: list[Finding] = []
    seen: set[str] = set()
    for i, line in enumerate(f.balance_lines):
        if line.code in seen:
            out.append(Finding("final-balance-lines", (_FINAL, _LINES, i, "科目"), "final_balance_line_repeated",
                               {"code": line.code}))
        seen.add(line.code)
    by_lines = dict(zip(("opening", "closing"), final.fiscal_balances(f)))
    own_figures_are_members = _of_members(s)
    unit = s.file.money_unit
    for kind in final.lined(f):
        for half, alias in _HALVES.items():
            typed = getattr(f.balances, f"fiscal_{half}")
            if kind in typed.model_fields_set and getattr(typed, kind) != getattr(by_lines[half], kind):
                out.append(Finding("final-balance-lines", (_FINAL, _BALANCES, alias, _BUDGET[kind]), "final_balance_total",
                                   {"key": f"{alias}.{_BUDGET[kind]}", "typed": _shown(getattr(typed, kind), s),
                                    "computed": _shown(getattr(by_lines[half], kind), s), "unit": unit}))
        if own_figures_are_members:
            continue  # each member's lines are checked in its file; the department's against their sum (rollup)
        for code, line in sorted(final.fund_lines(f, s.file, kind).items()):
            if line.expected_closing == line.closing:
                continue
            path, name = _where(s, kind, code)
            out.append(Finding("final-balance-lines", path, "final_line_balance",
                               {"code": code, "name": name, "budget": _BUDGET[kind], "opening": _shown(line.opening, s),
                                "income": _shown(line.income, s), "spent": _shown(line.spent, s),
                                "expected": _shown(line.expected_closing, s), "closing": _shown(line.closing, s),
                                "unit": unit}))
    return out


def _where(s: Subject, kind: str, code: str) -> tuple[tuple, str]:
    """Returns where a budget's line stands in the input (its balance line's 年末结转和结余, else
    its income line, else its expense line) and the line's name (as typed, else the catalog's)."""
    f = s.file.final
    budget = _BUDGET[kind]
    found: list[tuple[tuple, str | None]] = []
    found += [((_FINAL, _LINES, i, budget, _CLOSING), x.name) for i, x in enumerate(f.balance_lines)
              if x.code == code and getattr(x, kind) is not None]
    found += [((_FINAL, _INCOME, i, budget), x.name) for i, x in enumerate(f.income) if x.code == code and getattr(x, kind)]
    found += [((UnitFile.model_fields["expenses"].alias, i), x.name) for i, x in enumerate(s.file.expenses) if x.code == code]
    names = [n for _, n in found if n]
    name = names[0] if names else (s.catalogs.function.name(code) if s.catalogs is not None else None)
    return found[0][0], name or ""


def reasons(s: Subject, figures: Figures) -> list[Finding]:
    """Every figure the format's `final.reasons` names whose actual differs from its budget (by
    at least `reason_percent`, 0: by anything) needs a reason in 预决算差异原因; one equal to its
    budget needs none; a key narrate does not compute is an error."""
    spec = s.spec.final
    file = s.file
    if file.final is None:
        return []
    given = file.final.budget_reasons
    budget = figures.sets.get(spec.budget_set) if spec is not None else None
    out: list[Finding] = []
    if spec is not None and budget is not None:
        keys = list(dict.fromkeys(list(figures.now) + list(budget)))
        for key in keys:
            if not _wanted(spec.reasons, key) or not F.is_known(key):
                continue
            a = final.against(figures, key, spec.budget_set)
            if a is None or a.verdict is final.Verdict.EQUAL or key in given:
                continue
            if spec.reason_percent and a.budget and abs(a.actual - a.budget) * HUNDRED / a.budget < spec.reason_percent:
                continue
            message = "final_reason_over" if a.verdict is final.Verdict.OVER else "final_reason_under"
            out.append(Finding("final-reason", (_FINAL, _REASONS) if given else (_FINAL,), message,
                               {"key": key, "actual": fmt(a.actual), "budget": fmt(a.budget), "set": spec.budget_set,
                                "amount": fmt_abs(a.actual - a.budget)}, subject=key))
    for key in given:
        if not F.is_known(key):
            guess = difflib.get_close_matches(key, sorted(set(figures.now) | set(F.FIXED)), n=1, cutoff=0.5)
            msg = "final_reason_unknown_key" if guess else "final_reason_unknown_key_plain"
            out.append(Finding("final-reason-key", (_FINAL, _REASONS, key), msg,
                               {"key": key, "guess": guess[0] if guess else ""}))
    return out


def _wanted(patterns: tuple[str, ...], key: str) -> bool:
    wanted = any(fnmatchcase(key, p) for p in patterns if not p.startswith("!"))
    return wanted and not any(fnmatchcase(key, p[1:]) for p in patterns if p.startswith("!"))

