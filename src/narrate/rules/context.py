"""What every rule reads (the unit, its facts and changes, the phrasebook) and the small choices
they share: which change clause, which reason, and how a rendered phrase becomes a Para."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property

from narrate import blocks
from narrate.catalog import Catalogs
from narrate.compute import Change, Figures, Trend
from narrate.model import Budget, Unit, UnitInfo, Words
from narrate.money import ZERO, magnitude, percent
from narrate.phrasebook import Phrasebook
from narrate.profile import Profile
from narrate.rules.uses import FACTS, OPTIONS, USES, is_custom

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
    """What every rule reads: the unit, its figures (computed once), the phrasebook, the profile."""

    unit: Unit
    catalogs: Catalogs
    book: Phrasebook
    profile: Profile
    figures: Figures

    @property
    def budget(self) -> Budget:
        return self.unit.budget

    @property
    def info(self) -> UnitInfo:
        return self.unit.info

    @property
    def words(self) -> Words:
        return self.unit.words

    @cached_property
    def globals(self) -> dict[str, object]:
        from narrate.rules.factbook import FactBook

        return {**globals_of(self.unit, self.profile), FACTS: FactBook(self)}

    def say(self, phrase: str, **values: object) -> str:
        """Returns phrase rendered with the unit's globals and values (exactly the names its use
        declares; a profile's own phrase reads the globals only, wherever it stands)."""
        if is_custom(phrase):
            return self.book.render(phrase, **self.globals, **values)
        declared = _DECLARED.get(phrase)
        if declared is None or set(values) != declared:
            raise ValueError(f"phrase {phrase}: rules give {sorted(values)}, uses.py declares {sorted(declared or ())}")
        return self.book.render(phrase, **self.globals, **values)

    def label(self, table: str, key: str) -> str:
        return self.book.data("labels")[table][key]

    def label_or(self, table: str, key: str) -> str:
        """Returns key's label in an optional table of data/labels.yaml, else key itself."""
        return self.book.data("labels").get(table, {}).get(key, key)

    def text(self, value: str) -> str:
        """Returns an officer's text as the document prints it: in the profile's language when
        the input translates it (英文译文), else as typed."""
        return translated(self.unit, self.profile, value)

    def texts(self, values) -> list[str]:
        return [self.text(v) for v in values]

    def fact(self, key: str) -> Decimal:
        return self.figures.fact(key)

    def change(self, key: str) -> Change | None:
        """Returns key's change against its comparison set, or None when that set is not given."""
        return self.figures.change(key)


def translated(unit: Unit, profile: Profile, value: str) -> str:
    """Returns an officer's text in the profile's language: its translation where the input
    gives one, else the text as typed (a Chinese document prints every text as typed)."""
    if profile.spec.language == "zh" or not value:
        return value
    return unit.translations.get(value, value)


def unit_name(unit: Unit, profile: Profile) -> str:
    """Returns the unit's name in the profile's language (英文名称 in English, where given)."""
    if profile.spec.language == "en" and unit.info.name_en:
        return unit.info.name_en
    return translated(unit, profile, unit.info.name)


def globals_of(unit: Unit, profile: Profile) -> dict[str, object]:
    """Returns the names every phrase may read (rules/uses.GLOBALS)."""
    year = unit.info.year
    return {"unit": unit_name(unit, profile), "year": year, "prior_year": year - 1, "kind": unit.info.kind.value,
            "region": translated(unit, profile, unit.info.region), "money_unit": profile.spec.money.text.unit,
            OPTIONS: dict(profile.options)}


def share(part: Decimal, whole: Decimal) -> Decimal:
    return percent(part, whole) or ZERO


def clause(ctx: Context, change: Change | None, prefix: str = "", family: str = "change") -> Said:
    """Returns the change clause for its trend (比上年预算增加…/与上年持平/…), or nothing without a prior year."""
    if change is None:
        return Said("", ("no_prior",))
    trend = change.trend
    c = {"amount": magnitude(change.amount), "rate": magnitude(change.rate),
         "basis": ctx.label("comparison_sets", change.basis)}
    return Said(ctx.say(f"{family}.{trend.value}", c=c, p=prefix), (f"change_{trend.value}",))


def reason(ctx: Context, key: str, change: Change | None) -> Said:
    """Returns the reason for key's change: the officer's (whenever given: their words are never
    dropped), else for a figure that moved a default that fits, else a placeholder."""
    given = ctx.words.reasons.get(key)
    if given:
        return Said(ctx.text(given), ("reason_user",))
    if change is None or change.trend not in MOVED:
        return NOTHING
    default = ctx.book.data("reasons").get(key, {}).get(change.trend.value)
    if default:
        return Said(default, ("reason_default",))
    return Said(ctx.say("reason.missing"), ("reason_missing",))


def para(pid: str, style: str, rendered: str, *rules: str) -> blocks.Para | None:
    """Returns a Para of the rendered phrase, or None when the phrase says nothing (a profile
    blanked it); ids are checked (ASCII, short, figures unique)."""
    if not rendered.strip():
        return None
    if not _ID.match(pid):
        raise ValueError(f"bad paragraph id {pid!r}")
    return blocks.Para(pid, style, distinct(blocks.runs(rendered)), "+".join(dict.fromkeys(r for r in rules if r)))


def distinct(runs: tuple[blocks.Run, ...]) -> tuple[blocks.Run, ...]:
    """Returns runs with every figure id usable and told apart: a phrase may state one figure
    twice (the total in the lead and again in the close) and a profile's phrase may build an id
    from its names, so a repeated id gets _2, _3 … in order and an id narrate cannot mark (not
    ASCII, too long) a short digest of itself: the same phrase gives the same ids every build,
    and `update` keeps each statement's figure apart."""
    used: set[str] = set()
    out = []
    for run in runs:
        if run.figure is not None:
            base = run.figure if _ID.match(run.figure) else "x" + hashlib.sha1(run.figure.encode("utf-8")).hexdigest()[:10]
            fid, k = base, 1
            while fid in used:
                k += 1
                fid = f"{base[:26]}_{k}"
            used.add(fid)
            run = replace(run, figure=fid)
        out.append(run)
    return tuple(out)


def heading(ctx: Context, pid: str, phrase: str, n: int, style: str = "heading1") -> blocks.Para | None:
    rule = "section_heading" if style == "heading1" else "sub_heading"
    return para(pid, style, ctx.say(phrase, n=n), rule)


def body(ctx: Context, pid: str, phrase: str, rule: str, *parts: Said, **values: object) -> blocks.Para | None:
    """Returns a body Para of phrase; parts are the Said pieces passed among values (their rules recorded)."""
    rules = (rule,) + tuple(r for s in parts for r in s.rules)
    return para(pid, "body", ctx.say(phrase, **values), *rules)
