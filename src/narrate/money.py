"""Money arithmetic: Decimal only, rounded half-up (四舍五入) for display only."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def round2(value: Decimal) -> Decimal:
    """Returns value rounded half-up to 2 places (0.125 -> 0.13, 2.675 -> 2.68)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def show(value: Decimal, scale: Decimal = Decimal(1), decimals: int = 2, grouping: bool = False,
         zero: str | None = None, trim_whole: bool = False) -> str:
    """Returns value (万元) as displayed: times scale (10000 shows 元), rounded half-up to
    `decimals` places, with thousands separators when grouping; `zero` replaces a zero, and
    trim_whole drops the decimals of a whole number (100 rather than 100.00)."""
    shown = (value * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if shown == 0 and zero is not None:
        return zero
    if trim_whole and shown == shown.to_integral_value():
        shown = shown.quantize(Decimal(1))
    return f"{shown:,f}" if grouping else f"{shown:f}"


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
    return part * HUNDRED / whole


def total(values) -> Decimal:
    """Returns the sum of an iterable of Decimals (0 for none)."""
    return sum(values, ZERO)
