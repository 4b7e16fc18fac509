"""What every rule reads (the unit, its facts and changes, the phrasebook) and the small choices
they share: which change clause, which reason, and how a rendered phrase becomes a Para."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from narrate import blocks, compute
from narrate.catalog import Catalogs
from narrate.compute import Change, Trend
from narrate.model import Unit
from narrate.money import ZERO, percent
from narrate.phrasebook import Phrasebook
from narrate.rules.uses import USES

_DECLARED = {use.phrase: set(use.variables) for use in USES}
_ID = re.compile(r"^[A-Za-z0-9_]{1,30}$")

# Trends that call for a reason: something moved. Flat and never-arranged need none.
MOVED = (Trend.UP, Trend.DOWN, Trend.NEW, Trend.GONE)


@dataclass(frozen=True)
class Said:
    """A rendered piece of a phrase and the rules that chose it."""

    text: str
    rules: tuple[str, ...] = ()


NOTHING = Said("")


@dataclass(frozen=True)
class Context:
    unit: Unit
    catalogs: Catalogs
    book: Phrasebook

    @property
    def file(self):
        return self.unit.file

    @cached_property
    def now(self) -> dict[str, Decimal]:
        return compute.facts(self.file)

    @cached_property
    def changes(self) -> dict[str, Change] | None:
        if self.unit.prior is None:
            return None
        return compute.changes(self.now, compute.facts(self.unit.prior))

    @cached_property
    def globals(self) -> dict[str, object]:
        year = self.file.unit.year
        return {"unit": self.file.unit.name, "year": year, "prior_year": year - 1, "kind": self.file.unit.kind.value}

    def say(self, phrase: str, **values: object) -> str:
        """Returns phrase rendered with the unit's globals and values (exactly the names its use declares)."""
        declared = _DECLARED.get(phrase)
        if declared is None or set(values) != declared:
            raise ValueError(f"phrase {phrase}: rules give {sorted(values)}, uses.py declares {sorted(declared or ())}")
        return self.book.render(phrase, **self.globals, **values)

    def label(self, table: str, key: str) -> str:
        return self.book.data("labels")[table][key]

    def fact(self, key: str) -> Decimal:
        return self.now.get(key, ZERO)

    def change(self, key: str) -> Change | None:
        """Returns key's change against last year, or None when last year is not given."""
        if self.changes is None:
            return None
        return self.changes.get(key, Change(ZERO, ZERO))


def share(part: Decimal, whole: Decimal) -> Decimal:
    return percent(part, whole) or ZERO


def clause(ctx: Context, change: Change | None, prefix: str = "", family: str = "change") -> Said:
    """Returns the change clause for its trend (比上年预算增加…/与上年持平/…), or nothing without a prior year."""
    if change is None:
        return Said("", ("no_prior",))
    trend = change.trend
    c = {"amount": abs(change.amount), "rate": abs(change.rate) if change.rate is not None else None}
    return Said(ctx.say(f"{family}.{trend.value}", c=c, p=prefix), (f"change_{trend.value}",))


def reason(ctx: Context, key: str, change: Change | None) -> Said:
    """Returns the reason for key's change: the officer's, else a default that fits, else a placeholder."""
    if change is None or change.trend not in MOVED:
        return NOTHING
    given = ctx.file.reasons.get(key)
    if given:
        return Said(given, ("reason_user",))
    default = ctx.book.data("reasons").get(key, {}).get(change.trend.value)
    if default:
        return Said(default, ("reason_default",))
    return Said(ctx.say("reason.missing"), ("reason_missing",))


def para(pid: str, style: str, rendered: str, *rules: str) -> blocks.Para:
    """Returns a Para of the rendered phrase; ids are checked (ASCII, short, figures unique)."""
    if not _ID.match(pid):
        raise ValueError(f"bad paragraph id {pid!r}")
    runs = blocks.runs(rendered)
    figures = [r.figure for r in runs if r.figure]
    if len(figures) != len(set(figures)):
        raise ValueError(f"paragraph {pid}: figure ids repeat: {figures}")
    bad = [f for f in figures if not _ID.match(f)]
    if bad:
        raise ValueError(f"paragraph {pid}: bad figure ids {bad}")
    return blocks.Para(pid, style, runs, "+".join(dict.fromkeys(r for r in rules if r)))


def heading(ctx: Context, pid: str, phrase: str, n: int, style: str = "heading1") -> blocks.Para:
    rule = "section_heading" if style == "heading1" else "sub_heading"
    return para(pid, style, ctx.say(phrase, n=n), rule)


def body(ctx: Context, pid: str, phrase: str, rule: str, *parts: Said, **values: object) -> blocks.Para:
    """Returns a body Para of phrase; parts are the Said pieces passed among values (their rules recorded)."""
    rules = (rule,) + tuple(r for s in parts for r in s.rules)
    return para(pid, "body", ctx.say(phrase, **values), *rules)
