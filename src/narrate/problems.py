"""Problems found in an input: one record shape for load errors and consistency findings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    HINT = "hint"
    OFF = "off"


@dataclass(frozen=True)
class Finding:
    """What a check says, before it is placed in a file: rule, input path, message key, params."""

    rule: str
    path: tuple[str | int, ...]
    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    prior: bool = False  # the path points into last year's figures
    subject: str = ""  # the fact key (变动原因 key) the finding is about, if any


@dataclass(frozen=True)
class CellRef:
    """Where a value stands in a workbook: a sheet and a cell (None: the sheet as a whole).
    `order` sorts problems by sheet, then row, then column."""

    sheet: str
    cell: str | None = None
    order: tuple[int, ...] = ()

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


# Where a problem stands: a line of a YAML file, or a cell of a workbook.
Location = int | CellRef


def order(location: Location | None) -> tuple[int, ...]:
    """Returns a sort key for locations of one file (lines, or cells)."""
    if isinstance(location, CellRef):
        return location.order
    return (location or 0,)


@dataclass(frozen=True)
class Problem:
    """A finding placed at file:line (or file:sheet!cell) with its severity."""

    severity: Severity
    rule: str
    file: str
    line: Location | None
    field: str
    message: str
    subject: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class InputError(Exception):
    """Raised when an input cannot be read at all; carries the problems to show."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def field_name(path: tuple[str | int, ...]) -> str:
    """Returns a path as the dotted field name the officer sees: 支出[2].一般公共预算.人员经费."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# A problem repeated down a sheet (a column left blank in 40,000 rows) is shown this many times,
# then counted; and no more than MAX_SHOWN problems are shown in all.
PER_KIND = 10
MAX_SHOWN = 200


def capped(problems: list[Problem]) -> list[tuple[Problem | None, int]]:
    """Returns what to show of problems, in their order: (problem, 0) for a problem shown,
    (the last one shown of its kind, n) right after it when n more of that kind are not shown,
    and (None, n) at the end when n more problems of other kinds did not fit. A kind is the same
    message of the same rule at the same severity."""
    kinds: dict[tuple, list[Problem]] = {}
    for p in problems:
        kinds.setdefault((p.severity, p.rule, p.message), []).append(p)
    out: list[tuple[Problem | None, int]] = []
    hidden = 0
    for p in problems:
        same = kinds[(p.severity, p.rule, p.message)]
        at = same.index(p) if len(same) > PER_KIND else 0
        if at >= PER_KIND:
            continue
        if len(out) >= MAX_SHOWN:
            hidden += 1 + (len(same) - PER_KIND if at == PER_KIND - 1 else 0)
            continue
        out.append((p, 0))
        if at == PER_KIND - 1:
            out.append((p, len(same) - PER_KIND))
    if hidden:
        out.append((None, hidden))
    return out
