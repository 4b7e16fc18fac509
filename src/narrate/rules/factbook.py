"""`f`: every fact of the document, for any phrase.

A phrase reads `f['支出.基本支出']` (any key of facts.py: totals, sources, buckets, every
classification line at every level), and from a fact this year's figure, any comparison set's,
the change against the set the profile compares it with, its share of another fact, its reason
and, for a line, its code, name, level and 主要用途. `f.lines(...)` lists the lines of one group at
one level with the filters formats use. Python still decides what is true: the trend (up, down,
flat, new, gone, none), whether a line is new, which reason applies; the phrase decides the
words. Values print only through the marking filters (money, pct), so every figure a phrase
states stays marked for `narrate update`.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from narrate import compute
from narrate import facts as F
from narrate.money import ZERO, magnitude, percent

if TYPE_CHECKING:
    from narrate.rules.context import Context

FILTERS = F.LINE_FILTERS


class FactError(LookupError):
    """A fact key or list a phrase asks for that narrate does not compute."""


class Change:
    """A fact's change against its comparison set, as a phrase reads it."""

    def __init__(self, ctx: Context, change: compute.Change):
        self._change = change
        self.trend = change.trend.value  # up, down, flat, new, gone, none
        self.amount = magnitude(change.amount)  # the size; the direction is the trend's word
        self.rate = magnitude(change.rate)  # None when the set had 0
        self.prior = change.prior
        self.basis = ctx.label("comparison_sets", change.basis)
        self.set = change.basis

    @property
    def up(self) -> bool:
        return self._change.amount > 0

    @property
    def down(self) -> bool:
        return self._change.amount < 0


class Fact:
    """One fact: a figure of this year, its comparison sets, its change, reason and place."""

    def __init__(self, book: FactBook, key: str):
        self._book = book
        self._ctx = book.ctx
        self.key = key
        self.number = self._ctx.fact(key)  # what the money filter prints
        split = F.split_line(key)
        self.group, self.code = split if split else (key.split(".", 1)[0], "")
        self.level = next((lv for lv, n in F.CODE_LENGTHS.items() if n == len(self.code)), 0) if self.code else 0

    def __repr__(self) -> str:  # what {{ f['x'] }} would print unmarked: the key, never a figure
        return self.key

    __str__ = __repr__

    @property
    def now(self) -> Decimal:
        return self.number

    def set(self, name: str) -> Decimal | None:
        """Returns the figure in comparison set `name` (上年预算, 上年预算执行数), None when not given."""
        figures = self._ctx.figures.sets.get(name)
        return None if figures is None else figures.get(self.key, ZERO)

    @property
    def prior(self) -> Decimal | None:
        """The figure of the set this fact is compared with (the profile's `compare`)."""
        return self.set(self._ctx.figures.basis(self.key))

    @cached_property
    def change(self) -> Change | None:
        change = self._ctx.change(self.key)
        return Change(self._ctx, change) if change is not None else None

    @property
    def trend(self) -> str:
        return self.change.trend if self.change is not None else "none"

    def share_of(self, other: str | Fact) -> Decimal:
        """Returns this figure as a percentage of another fact (0 when that is 0)."""
        whole = other.number if isinstance(other, Fact) else self._book[other].number
        return percent(self.number, whole) or ZERO

    @cached_property
    def reason(self) -> str:
        """The reason for the change: the officer's, else a default that fits, else a placeholder
        (nothing when the figure did not move)."""
        from narrate.rules.context import reason

        return reason(self._ctx, self.key, self._ctx.change(self.key)).text

    @property
    def has_reason(self) -> bool:
        """Whether the officer wrote a reason for this fact (变动原因)."""
        return bool(self._ctx.words.reasons.get(self.key))

    @property
    def name(self) -> str:
        """A line's classification name (in the document's language); else the key's last part."""
        if not self.code:
            return self.key.split(".", 1)[-1]
        catalog = self._ctx.catalogs.economic if self.group == F.ECONOMIC else self._ctx.catalogs.function
        return catalog.name(self.code) or self.code

    @property
    def uses(self) -> str | None:
        """A function line's 主要用途 as the officer wrote it (for it, else its 款, else its 类)."""
        uses = self._ctx.words.uses
        for n in (7, 5, 3):
            if len(self.code) >= n and uses.get(self.code[:n]):
                return self._ctx.text(uses[self.code[:n]])
        return None

    @property
    def parent(self) -> Fact | None:
        """A line's line one level up (its 类 for a 款), None at the top."""
        if self.level <= 1:
            return None
        return self._book[F.line(self.group, self.code[: F.CODE_LENGTHS[self.level - 1]])]

    def lines(self, level: str | int | None = None, only: tuple[str, ...] | list[str] = ()) -> list[Fact]:
        """The lines below this one at `level` (default: one level down)."""
        level = self.level + 1 if level is None else level
        return self._book.lines(self.group, level, only, under=self.code)


class FactBook:
    """The `f` every phrase may read: `f['KEY']` and `f.lines(group, level, only)`."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self._facts: dict[str, Fact] = {}

    def __getitem__(self, key: str) -> Fact:
        if key not in self._facts:
            if not F.is_known(str(key), self.ctx.profile.spec.fields):
                raise FactError(key)
            self._facts[key] = Fact(self, key)
        return self._facts[key]

    def __contains__(self, key: str) -> bool:
        return F.is_known(str(key), self.ctx.profile.spec.fields)

    def text(self, name: str) -> str:
        """Returns a text field of the format's own (profile `fields`, kind text) as the input
        gives it under 格式文字, in the document's language; a placeholder when it is not given."""
        spec = self.ctx.profile.spec.fields.get(name)
        if spec is None or spec.kind != "text":
            raise FactError(name)
        given = self.ctx.words.own_texts.get(name)
        return self.ctx.text(given) if given else self.ctx.say("text.missing")

    def get(self, key: str) -> Fact:
        return self[key]

    def lines(self, group: str = F.GENERAL, level: str | int = 3, only: tuple[str, ...] | list[str] = (),
              under: str = "") -> list[Fact]:
        """Returns the classification lines of `group` (支出, 财政拨款, 一般公共预算, 政府性基金,
        国有资本经营, 经济分类) at `level` (类/款/项 or 1-3), under a code when given, in code
        order, this year's and the compared set's together, kept by every filter of `only`:
        nonzero (this year not 0), arranged (this year or the set not 0), changed (moved),
        reasoned (the officer gave a reason), leaves (nothing below it this year)."""
        depth = F.LEVELS.get(level, level) if isinstance(level, str) else level
        if group not in F.LINE_GROUPS + (F.ECONOMIC,) or depth not in F.CODE_LENGTHS:
            raise FactError(f"{group}/{level}")
        unknown = [o for o in only if o not in FILTERS]
        if unknown:
            raise FactError(", ".join(unknown))
        length = F.CODE_LENGTHS[depth]
        prefix = f"{group}."
        keys: set[str] = set()
        figures = self.ctx.figures
        for source in (figures.now, *figures.sets.values()):
            keys.update(k for k in source if k.startswith(prefix) and F.split_line(k) and len(k) - len(prefix) == length)
        chosen = []
        for key in sorted(keys):
            fact = self[key]
            if under and not fact.code.startswith(under):
                continue
            if all(self._keeps(fact, o) for o in only):
                chosen.append(fact)
        return chosen

    def _keeps(self, fact: Fact, name: str) -> bool:
        if name == "nonzero":
            return fact.number != 0
        if name == "arranged":
            return fact.number != 0 or bool(fact.prior)
        if name == "changed":
            return fact.trend in ("up", "down", "new", "gone")
        if name == "reasoned":
            return fact.has_reason
        if name == "leaves":
            below = F.CODE_LENGTHS.get(fact.level + 1)
            return below is None or not any(
                k.startswith(f"{fact.group}.{fact.code}") and len(k) - len(fact.group) - 1 == below and v != 0
                for k, v in self.ctx.figures.now.items())
        return False
