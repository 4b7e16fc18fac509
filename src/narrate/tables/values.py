"""What fills a table cell: the profile's value expressions, evaluated, and shown as cell text."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from narrate import model
from narrate.blocks import Cell
from narrate.compute import Split
from narrate.model import Source
from narrate.profile.schema import MoneyFormat

# Source groups a profile may name in `measure:sources`; a single source goes by its input key.
GROUPS: dict[str, tuple[Source, ...]] = {
    "all": tuple(Source),
    "this_year": model.THIS_YEAR,
    "fiscal": model.FISCAL,
    "general_budget": model.GENERAL_BUDGET,
    "gov_fund": model.GOV_FUND,
    "soe_budget": model.SOE_BUDGET,
    "special": (Source.SPECIAL,),
    "unit": model.UNIT_FUNDS,
    "carry": model.CARRY,
    "carry_fiscal": model.CARRY_FISCAL,
    "carry_other": model.CARRY_OTHER,
}

# Every name a value expression's sources may use: a group, or a single source's input key.
SOURCE_NAMES = tuple(GROUPS) + tuple(s.value for s in Source)

MEASURES = ("amount", "basic", "personnel", "public", "project", "own")  # own: the format's own buckets


def sources(name: str) -> tuple[Source, ...]:
    """Returns the sources a profile name stands for: a group, one source's input key, or
    several of either joined by + (单位资金+其他收入)."""
    out: list[Source] = []
    for part in name.split("+"):
        part = part.strip()
        for source in GROUPS[part] if part in GROUPS else (Source(part),):
            if source not in out:
                out.append(source)
    return tuple(out)


def parse(expr: str) -> tuple[str, str]:
    """Returns (measure, sources) of a value expression such as 'project:general_budget'."""
    measure, _, what = expr.partition(":")
    return measure, what


def measure(split: Split, name: str) -> Decimal:
    if name not in MEASURES:
        raise ValueError(f"unknown measure {name!r}; expected one of {', '.join(MEASURES)}")
    return getattr(split, name)


def amount_cell(fid: str, value: Decimal, shown: MoneyFormat) -> Cell:
    """Returns a right-aligned amount cell, printed as the table's money format says (the
    published tables leave 0 blank)."""
    return Cell(shown.show(value), figure=fid, align="right")


def text_cell(text: str, align: str = "left", colspan: int = 1, rowspan: int = 1, bold: bool = False) -> Cell:
    return Cell(text, align=align, colspan=colspan, rowspan=rowspan, bold=bold)


def short_id(text: str) -> str:
    """Returns a short stable id for a name (projects, carry-over items): ids must be ASCII."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
