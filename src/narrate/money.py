"""Money arithmetic: Decimal only, rounded half-up (四舍五入) for display only."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Returns value rounded half-up to 2 places (0.125 -> 0.13, 2.675 -> 2.68)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal, scale: Decimal = Decimal(1), decimals: int = 2) -> Decimal:
    """Returns value (万元) rounded half-up as a display in that unit rounds it, back in 万元."""
    return (value * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) / scale


def show(value: Decimal, scale: Decimal = Decimal(1), decimals: int = 2, grouping: bool = False,
         zero: str | None = None, trim_whole: bool = False, trim_zeros: bool = False, group_from: int = 4) -> str:
    """Returns value (万元) as displayed: times scale (10000 shows 元), rounded half-up to
    `decimals` places, with thousands separators when grouping and the whole part has at least
    `group_from` digits (5: 24,169.74 but 2214.39); `zero` replaces a zero, trim_whole drops the
    decimals of a whole number (100 rather than 100.00), trim_zeros every trailing zero (4335.3)."""
    shown = (value * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if shown == 0 and zero is not None:
        return zero
    if (trim_whole or trim_zeros) and shown == shown.to_integral_value():
        shown = shown.quantize(Decimal(1))
    elif trim_zeros:
        shown = shown.normalize()
    digits = len(str(abs(shown.to_integral_value(rounding=ROUND_DOWN))))
    return f"{shown:,f}" if grouping and digits >= group_from else f"{shown:f}"


class Derived(Decimal):
    """A computed amount that remembers the amounts it is the signed sum of (a change: this
    year minus last), so that a number style whose basis is `rounded` can show it as published
    tables do: from the parts each rounded first (3,355.65 where the exact figures give 3,355.64).
    Arithmetic on it gives plain Decimals."""

    parts: tuple[tuple[int, Decimal], ...]
    absolute: bool

    def __new__(cls, parts: tuple[tuple[int, Decimal], ...], absolute: bool = False) -> Derived:
        exact = total(sign * part for sign, part in parts)
        self = super().__new__(cls, abs(exact) if absolute else exact)
        self.parts, self.absolute = tuple(parts), absolute
        return self

    def __reduce__(self):
        return Derived, (self.parts, self.absolute)

    def magnitude(self) -> Derived:
        return Derived(self.parts, True)

    def from_rounded(self, scale: Decimal, decimals: int) -> Decimal:
        value = total(sign * rounded(part, scale, decimals) for sign, part in self.parts)
        return abs(value) if self.absolute else value


def difference(current: Decimal, prior: Decimal) -> Derived:
    return Derived(((1, current), (-1, prior)))


class Ratio(Decimal):
    """A percentage that remembers its numerator and denominator (either may be Derived), so a
    percent style may take them rounded as a money style rounds them before dividing."""

    numerator: Decimal
    denominator: Decimal
    absolute: bool

    def __new__(cls, numerator: Decimal, denominator: Decimal, absolute: bool = False) -> Ratio:
        exact = numerator * HUNDRED / denominator
        self = super().__new__(cls, abs(exact) if absolute else exact)
        self.numerator, self.denominator, self.absolute = numerator, denominator, absolute
        return self

    def __reduce__(self):
        return Ratio, (self.numerator, self.denominator, self.absolute)

    def magnitude(self) -> Ratio:
        return Ratio(self.numerator, self.denominator, True)

    def from_rounded(self, scale: Decimal, decimals: int) -> Decimal:
        """Returns the percentage of the parts rounded as (scale, decimals) rounds them."""
        num = self.numerator
        num = num.from_rounded(scale, decimals) if isinstance(num, Derived) else rounded(num, scale, decimals)
        den = rounded(self.denominator, scale, decimals)
        if den == 0:
            return Decimal(self)
        value = num * HUNDRED / den
        return abs(value) if self.absolute else value


def magnitude(value: Decimal | None) -> Decimal | None:
    """Returns |value|, keeping what a Derived or Ratio remembers (sentences carry the sign in words)."""
    if value is None:
        return None
    return value.magnitude() if isinstance(value, (Derived, Ratio)) else abs(value)


def fmt(value: Decimal) -> str:
    """Returns the display form of an amount or percentage: two decimals, no grouping."""
    return f"{round2(value):f}"


def fmt_plain(value: Decimal) -> str:
    """Returns value without trailing zeros, as prose and scores write it: 62.40 -> '62.4', 90 -> '90'."""
    return f"{value.normalize():f}"


def fmt_abs(value: Decimal) -> str:
    """Returns the display form of |value|: sentences carry the sign in words (增加/减少)."""
    return fmt(abs(value))


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """Returns part / whole as a percentage (unrounded), or None when whole is 0."""
    if whole == 0:
        return None
    return Ratio(part, whole)


def total(values) -> Decimal:
    """Returns the sum of an iterable of Decimals (0 for none)."""
    return sum(values, ZERO)
