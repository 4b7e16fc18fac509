"""The standard tables as blocks, each shaped by its entry in the profile (`tables`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from narrate import compute
from narrate.blocks import Block, Cell, HeaderCell, Para, Run, Table
from narrate.money import ZERO, total
from narrate.profile.schema import MoneyFormat
from narrate.rules.context import Context, para
from narrate.tables import final as final_tables
from narrate.tables import procurement as procurement_table
from narrate.tables.values import amount_cell, measure, parse, short_id, sources, text_cell

Rows = list[tuple[str, tuple[Cell, ...]]]  # (row id, cells)


def header(spec, render=str) -> tuple[tuple[HeaderCell, ...], ...]:
    """Returns the profile's header rows as HeaderCells (text, or {t, c, r}); `render` fills a
    cell's global names ("{{ year }}年“三公”经费预算数"), as it does the title."""
    def text(value: Any) -> str:
        return render(str(value)) if "{" in str(value) else str(value)

    def cell(item: Any) -> HeaderCell:
        if isinstance(item, dict):
            return HeaderCell(text(item["t"]), int(item.get("c", 1)), int(item.get("r", 1)))
        return HeaderCell(text(item))

    return tuple(tuple(cell(item) for item in row) for row in spec.header)


def captions(ctx: Context, tid: str, number: int, title: str, shown: MoneyFormat) -> tuple[Para, ...]:
    """Returns the lines above a table: its number, the title, 编制单位 and the money unit (a
    phrase the profile leaves empty gives no line)."""
    out = [
        para(f"{tid}_num", "table_number", ctx.say("caption.number", n=number), "table_number"),
        Para(f"{tid}_title", "table_title", (Run(title),)),
        para(f"{tid}_org", "table_meta", ctx.say("caption.unit_line"), "table_unit_line"),
        para(f"{tid}_money", "table_unit", ctx.say("caption.money_unit", scale=ctx.label_or("money_units", shown.unit)), "table_money_unit"),
    ]
    return tuple(p for p in out if p is not None)


def empty_note(ctx: Context, tid: str, spec, title: str) -> Para | None:
    text = ctx.say("caption.empty_note", what=spec.empty_what, table=spec.empty_table or title)
    return para(f"{tid}_note", "note", text, "empty_table")


def code_parts(code: str) -> tuple[str, str, str]:
    """Returns a function code as its 类, 款 and 项 columns: 2010504 -> 201, 05, 04."""
    return code[:3], code[3:5], code[5:7]


def code_cells(code: str, spec, levels: int = 3) -> list[Cell]:
    """Returns a code's cells as the table prints codes: one column each level (split), or the
    whole code in one (joined: 2010504)."""
    if getattr(spec, "codes", "split") == "joined":
        return [text_cell(code, "center")]
    return [text_cell(p, "center") for p in code_parts(code)[:levels]]


def _split_value(splits: Callable[[tuple], compute.Split], expr: str) -> Decimal:
    what, group = parse(expr)
    return measure(splits(sources(group)), what)


# -- kinds -------------------------------------------------------------------------------------


def balance(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """Income items on the left, the function classes (类) on the right (表1, 表4)."""
    budget = ctx.budget
    by = lambda srcs: compute.by_sources(budget, srcs)  # noqa: E731
    left = [(item["label"], _left_value(ctx, item["value"])) for item in spec.left]
    right_sources = tuple(s for e in spec.right_values for s in sources(parse(e)[1]))
    classes = {row.code: row for row in compute.function_rows(budget, ctx.catalogs, right_sources) if row.level == 1}
    listed = {str(c) for c in ctx.profile.spec.function_classes} if spec.classes == "all" else set()
    codes = sorted(listed | set(classes))
    names = {str(k): v for k, v in spec.class_names.items()}
    rows: Rows = []
    for i in range(max(len(left), len(codes))):
        cells: list[Cell] = []
        if i < len(left):
            cells += [text_cell(left[i][0]), amount_cell(f"{tid}_in{i}", left[i][1], shown)]
        else:
            cells += [text_cell(""), text_cell("")]
        if i < len(codes):
            code = codes[i]
            row = classes.get(code)
            name = names.get(code) or ctx.catalogs.function.name(code) or ""
            cells.append(text_cell(ctx.profile.render(spec.class_label, **ctx.globals, n=i + 1, code=code, name=name).strip()))
            for j, expr in enumerate(spec.right_values):
                what, group = parse(expr)
                value = measure(row.split(sources(group)), what) if row else ZERO
                cells.append(amount_cell(f"{tid}_c{code}_{j}", value, shown))
        else:
            cells += [text_cell("")] * (1 + len(spec.right_values))
        rows.append((f"{tid}_r{i:02d}", tuple(cells)))
    grand = _left_value(ctx, spec.left_total["value"])
    totals = [text_cell(spec.left_total["label"], "center"), amount_cell(f"{tid}_in_total", grand, shown)]
    totals.append(text_cell(spec.right_total, "center"))
    totals += [amount_cell(f"{tid}_total_{j}", _split_value(by, e), shown) for j, e in enumerate(spec.right_values)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, grand


def _left_value(ctx: Context, expr: str) -> Decimal:
    what, key = parse(expr)
    if what == "unit_funds":
        detail = ctx.budget.income.unit_detail
        return getattr(detail, key) if detail else ZERO
    return measure(compute.by_sources(ctx.budget, sources(key)), what)


def function(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """One row per 类, 款 and 项 the sources pay for, amounts by value column."""
    budget = ctx.budget
    wanted = sources(spec.rows_sources)
    rows: Rows = []
    named = list(spec.styles) + [None] * (len(spec.values) - len(spec.styles))
    styles = [ctx.profile.spec.money.style(n) if n else shown for n in named]  # a column's own, else the table's
    for row in compute.function_rows(budget, ctx.catalogs, wanted):
        cells = code_cells(row.code, spec) + [text_cell(row.name)]
        cells += [amount_cell(f"{tid}_f{row.code}_{j}", _split_value(row.split, e), styles[j]) for j, e in enumerate(spec.values)]
        rows.append((f"{tid}_f{row.code}", tuple(cells)))
    by = lambda srcs: compute.by_sources(budget, srcs)  # noqa: E731
    amounts = [_split_value(by, e) for e in spec.values]
    totals = [text_cell(spec.total, "center", colspan=len(code_cells("", spec)) + 1)]
    totals += [amount_cell(f"{tid}_total_{j}", v, styles[j]) for j, v in enumerate(amounts)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, amounts[0]


def economic(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """General-budget basic expenditure by economic class and item, in the columns the profile
    names (amount, personnel, public); a row none of those columns covers is left out."""
    rows: Rows = []
    for row in compute.econ_rows(ctx.budget, ctx.catalogs):
        amounts = [getattr(row, what) for what in spec.values]
        if not any(amounts):
            continue
        cells = (
            *code_cells(row.code, spec, levels=2),
            text_cell(row.name),
            *(amount_cell(f"{tid}_e{row.code}_{j}", v, shown) for j, v in enumerate(amounts)),
        )
        rows.append((f"{tid}_e{row.code}", cells))
    split = compute.econ_split(ctx.budget)
    by_name = {"amount": split.basic, "personnel": split.personnel, "public": split.public}
    sums = [by_name[what] for what in spec.values]
    totals = [text_cell(spec.total, "center", colspan=len(code_cells("", spec, levels=2)) + 1)]
    totals += [amount_cell(f"{tid}_total_{j}", v, shown) for j, v in enumerate(sums)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, sums[0] if sums else split.basic


def projects(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """Each project under its 类 and 款, amounts by economic class."""
    wanted = set(sources(spec.rows_sources))
    chosen = sorted((p for p in ctx.budget.projects if p.source in wanted), key=lambda p: p.code)
    classes = [str(c) for c in ctx.profile.spec.project_econ_classes]

    def amounts(group) -> tuple[Decimal, ...]:
        per_class = tuple(total(p.by_class.get(c, ZERO) for p in group) for c in classes)
        return (total(p.amount for p in group),) + per_class

    def cells(rid: str, code: str, name: str, project: str, values) -> tuple[str, tuple[Cell, ...]]:
        head = code_cells(code, spec) + [text_cell(name), text_cell(project)]
        return rid, tuple(head + [amount_cell(f"{rid}_{j}", v, shown) for j, v in enumerate(values)])

    rows: Rows = []
    seen: set[str] = set()
    for project in chosen:
        for code in (project.code[:n] for n in (3, 5) if n < len(project.code)):
            if code not in seen:
                seen.add(code)
                group = [p for p in chosen if p.code.startswith(code)]
                rows.append(cells(f"{tid}_f{code}", code, ctx.catalogs.function.name(code) or "", "", amounts(group)))
        name = ctx.catalogs.function.name(project.code) or ""
        rows.append(cells(f"{tid}_p{short_id(project.name)}", project.code, name, ctx.text(project.name), amounts([project])))
    grand = amounts(chosen)
    totals = [text_cell("", colspan=len(code_cells("", spec)) + 1), text_cell(spec.total, "center")]
    totals += [amount_cell(f"{tid}_total_{j}", v, shown) for j, v in enumerate(grand)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, grand[0]


def facts(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """Rows of named figures: a cell is a label, {fact: KEY}, {sum: [KEY, ...]} or {amount: 0}."""
    rows: Rows = []
    grand = ZERO
    for i, row in enumerate(spec.rows):
        cells: list[Cell] = []
        for j, item in enumerate(row):
            if isinstance(item, dict):
                value = _fact_cell(ctx, item)
                grand += value
                style = ctx.profile.spec.money.style(item["style"]) if "style" in item else shown
                cells.append(amount_cell(f"{tid}_r{i}_{j}", value, style))
            else:
                cells.append(text_cell(str(item)))
        rows.append((f"{tid}_r{i}", tuple(cells)))
    return rows, grand


def _fact_cell(ctx: Context, item: dict) -> Decimal:
    """A facts table's figure: a fact (or the sum of several) of this year, or of the comparison
    set `set` names (年初预算 beside 决算数 in a final-accounts table), or a fixed amount."""
    if "sum" in item:
        one = {k: v for k, v in item.items() if k != "sum"}
        return total(_fact_cell(ctx, {**one, "fact": key}) for key in item["sum"])
    if "fact" not in item:
        return Decimal(str(item.get("amount", 0)))
    if "set" in item:
        return ctx.figures.sets.get(str(item["set"]), {}).get(str(item["fact"]), ZERO)
    return ctx.fact(item["fact"])


def carryover(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    """Last year's carry-over spent this year, item by item, fiscal and non-fiscal."""

    def figures(items) -> tuple[Decimal, ...]:
        f = [sum((getattr(i.fiscal, k) for i in items), ZERO) for k in ("personnel", "public", "project")]
        o = [sum((getattr(i.other, k) for i in items), ZERO) for k in ("personnel", "public", "project")]
        return (total(f) + total(o), total(f), *f, total(o), *o)

    rows: Rows = []
    for item in ctx.budget.carryover:
        rid = f"{tid}_c{short_id(item.name)}"
        rows.append((rid, (text_cell(ctx.text(item.name)),) + tuple(amount_cell(f"{rid}_{j}", v, shown) for j, v in enumerate(figures([item])))))
    grand = figures(ctx.budget.carryover)
    rows.append((f"{tid}_total", (text_cell(spec.total, "center"),) + tuple(amount_cell(f"{tid}_total_{j}", v, shown) for j, v in enumerate(grand))))
    return rows, grand[0]


KINDS = {
    "final_lines": final_tables.lines,
    "economic_pairs": final_tables.economic_pairs,
    "balance": balance,
    "function": function,
    "economic": economic,
    "projects": projects,
    "facts": facts,
    "carryover": carryover,
    "procurement": procurement_table.table,
}


def table(ctx: Context, tid: str, number: int) -> tuple[Block, ...]:
    """Returns one standard table with its captions, and the empty-table note when it is empty."""
    spec = ctx.profile.spec.tables[tid]
    shown = ctx.profile.table_format(tid)
    rows, grand = KINDS[spec.kind](ctx, tid, spec, shown)
    title = ctx.profile.render(spec.title, **ctx.globals)
    body = Table(tid, header(spec, lambda t: ctx.profile.render(t, **ctx.globals)), tuple(cells for _, cells in rows), tuple(float(w) for w in spec.widths),
                 spec.landscape, tuple(rid for rid, _ in rows))
    out = captions(ctx, tid, number, title, shown) + (body,)
    if grand == 0 and spec.empty_what:
        note = empty_note(ctx, tid, spec, title)
        out += (note,) if note is not None else ()
    return out
