"""The performance target tables: 单位整体绩效目标表 and one 项目支出绩效目标表 per project."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from narrate import compute, model, numerals
from narrate.blocks import Block, Cell, Para, Run, Table
from narrate.model import Indicator, Project
from narrate.money import ZERO, fmt_plain
from narrate.profile.schema import MoneyFormat
from narrate.rules.context import Context
from narrate.tables.values import amount_cell, short_id, text_cell

SUPERIOR = (model.Source.GENERAL_TRANSFER, model.Source.FUND_TRANSFER, model.Source.SOE_TRANSFER)
OWN = (model.Source.GENERAL, model.Source.FUND, model.Source.SOE)


def _label(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return text_cell(text, "center", colspan=colspan, rowspan=rowspan)


def _money(fid: str, value, shown: MoneyFormat, colspan: int = 1) -> Cell:
    cell = amount_cell(fid, value, shown)  # a form, not a table of amounts: the form format
    return Cell(cell.text, cell.figure, "center", colspan)


def indicator_rows(tid: str, indicators: Sequence[Indicator], fields: Sequence[str], new: str,
                   text: Callable[[str], str] = str) -> list[tuple[str, tuple[Cell, ...]]]:
    """Returns one row per indicator, equal 一级/二级 指标 merged downwards as the forms do; text
    gives an officer's text as the document prints it (translated)."""
    def run_length(i: int, depth: int) -> int:
        key = lambda x: tuple(getattr(x, f) for f in fields[: depth + 1])  # noqa: E731
        n = 1
        while i + n < len(indicators) and key(indicators[i + n]) == key(indicators[i]):
            n += 1
        return n

    rows = []
    for i, ind in enumerate(indicators):
        cells: list[Cell] = []
        for depth in (0, 1):
            starts = i == 0 or any(getattr(indicators[i - 1], f) != getattr(ind, f) for f in fields[: depth + 1])
            if starts:
                cells.append(_label(text(getattr(ind, fields[depth])), rowspan=run_length(i, depth)))
        for f in fields[2:]:
            value = getattr(ind, f)
            if f == "last_year" and value is None:
                shown = new  # an indicator set for the first time
            else:
                shown = fmt_plain(value) if f == "weight" else text(str(value))
            cells.append(text_cell(shown, "left" if f == "level3" else "center"))
        rows.append((f"{tid}_i{i:02d}", tuple(cells)))
    return rows


def _captions(ctx: Context, tid: str, title: str) -> tuple[Para, ...]:
    year_line = ctx.profile.render(ctx.profile.spec.performance.year_line, **ctx.globals)
    return (
        Para(f"{tid}_title", "perf_title", (Run(title),), "performance_table"),
        Para(f"{tid}_year", "table_subtitle", (Run(year_line),), "performance_table"),
    )


def _table(tid: str, spec: dict[str, Any], rows: list[tuple[str, tuple[Cell, ...]]]) -> Table:
    return Table(tid, (), tuple(c for _, c in rows), tuple(float(w) for w in spec.get("widths", ())), False, tuple(r for r, _ in rows))


def unit_table(ctx: Context) -> tuple[Block, ...]:
    """Returns the unit-level performance table: who, goals, this year's funds, indicators."""
    spec = ctx.profile.spec.performance.unit
    shown = ctx.profile.spec.money.form
    tid, lab = spec["id"], spec["labels"]
    perf = ctx.budget.performance or model.UnitPerformance()
    goals = "\n".join(
        ctx.profile.render(spec["goal_item"], **ctx.globals, n=i, numeral=numerals.chinese(i), goal=ctx.text(g)) for i, g in enumerate(perf.goals, 1)
    )
    by = lambda s: compute.by_sources(ctx.budget, s).amount  # noqa: E731
    header = [_label(h) for h in spec["indicator_header"]]
    rows = [
        (f"{tid}_name", (_label(lab["name"], 2), text_cell(ctx.globals["unit"], "center", colspan=4))),
        (f"{tid}_contact", (_label(lab["contact"], 2), _label(ctx.text(perf.contact)), _label(lab["phone"]), _label(perf.phone, 2))),
        (f"{tid}_goals", (_label(lab["goals"], 2), text_cell(goals, colspan=4))),
        (f"{tid}_budget", (_label(lab["budget"], 2, 4), _label(lab["sources"], 2), _label(lab["amount"], 2))),
        (f"{tid}_superior", (_label(lab["fiscal"], 1, 2), _label(lab["superior"]), _money(f"{tid}_superior", by(SUPERIOR), shown, 2))),
        (f"{tid}_own", (_label(lab["own"]), _money(f"{tid}_own", by(OWN), shown, 2))),
        (f"{tid}_other", (_label(lab["other_funds"]), _label(lab["other"]), _money(f"{tid}_other", by((model.Source.SPECIAL,) + model.UNIT_FUNDS), shown, 2))),
        (f"{tid}_head", tuple(header)),
    ]
    rows += indicator_rows(tid, perf.indicators, spec["indicator_fields"], ctx.say("performance.new"), ctx.text)
    return _captions(ctx, tid, ctx.profile.render(spec["title"], **ctx.globals)) + (_table(tid, spec, rows),)


def project_table(ctx: Context, project: Project) -> tuple[Block, ...]:
    """Returns one project's performance table: the project, its funds and goal, indicators."""
    spec = ctx.profile.spec.performance.project
    shown = ctx.profile.spec.money.form
    tid, lab = f"{spec['id_prefix']}{short_id(project.name)}", spec["labels"]
    perf = project.performance or model.ProjectPerformance()
    amount = project.amount
    fiscal = amount if project.source in model.FISCAL else ZERO
    other = amount - fiscal
    goal = ctx.profile.render(
        spec["goal"], **ctx.globals, total=shown.plain(amount), fiscal=shown.plain(fiscal), other=shown.plain(other), goal=ctx.text(perf.goal)
    )
    rows = [
        (f"{tid}_unit", (_label(lab["unit"], 2), text_cell(ctx.text(project.executor or "") or ctx.globals["unit"], "center", colspan=7))),
        (f"{tid}_name", (_label(lab["name"], 2), _label(ctx.text(project.name), 3), _label(lab["leader"], 2),
                         _label(ctx.text(project.leader), 2))),
        (
            f"{tid}_funds",
            (
                _label(lab["funds"], 2),
                _label(lab["total"]),
                _money(f"{tid}_total", amount, shown),
                _label(lab["fiscal"]),
                _money(f"{tid}_fiscal", fiscal, shown),
                _label(lab["other"]),
                _money(f"{tid}_other", other, shown, 2),
            ),
        ),
        (f"{tid}_goal", (_label(lab["goal"], 2), Cell(goal, figure=f"{tid}_goal", colspan=7))),
        (f"{tid}_head", tuple(_label(h) for h in spec["indicator_header"])),
    ]
    rows += indicator_rows(tid, perf.indicators, spec["indicator_fields"], ctx.say("performance.new"), ctx.text)
    return _captions(ctx, tid, ctx.profile.render(spec["title"], **ctx.globals)) + (_table(tid, spec, rows),)
