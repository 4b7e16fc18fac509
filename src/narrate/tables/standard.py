"""The standard tables (表1 … 表11) as blocks, each shaped by its entry in the profile."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from narrate import compute
from narrate.blocks import Block, Cell, HeaderCell, Para, Run, Table
from narrate.catalog import Catalogs
from narrate.layout import Layout
from narrate.model import Unit
from narrate.money import ZERO, total
from narrate.tables.values import amount_cell, measure, parse, short_id, sources, text_cell

Spec = dict[str, Any]
Rows = list[tuple[str, tuple[Cell, ...]]]  # (row id, cells)


def header(spec: Spec) -> tuple[tuple[HeaderCell, ...], ...]:
    """Returns the profile's header rows as HeaderCells (text, or {t, c, r})."""
    def cell(item: Any) -> HeaderCell:
        if isinstance(item, dict):
            return HeaderCell(str(item["t"]), int(item.get("c", 1)), int(item.get("r", 1)))
        return HeaderCell(str(item))

    return tuple(tuple(cell(item) for item in row) for row in spec["header"])


def captions(layout: Layout, unit: Unit, tid: str, number: int | None, title: str) -> tuple[Para, ...]:
    """Returns the lines above a table: 表 n, the title, 编制单位 and 单位：万元."""
    words = layout.profile["captions"]
    name = unit.file.unit.name
    out = []
    if number is not None:
        out.append(Para(f"{tid}_num", "table_number", (Run(layout.render(words["number"], n=number)),)))
    out += [
        Para(f"{tid}_title", "table_title", (Run(title),)),
        Para(f"{tid}_org", "table_meta", (Run(layout.render(words["unit_line"], unit=name)),)),
        Para(f"{tid}_money", "table_unit", (Run(words["money_unit"]),)),
    ]
    return tuple(out)


def empty_note(layout: Layout, unit: Unit, spec: Spec) -> Para:
    text = layout.render(
        layout.profile["captions"]["empty_note"],
        unit=unit.file.unit.name,
        year=unit.file.unit.year,
        what=spec["empty_what"],
        table=spec.get("empty_table", spec["title"]),
    )
    return Para(f"{spec['id']}_note", "note", (Run(text),))


def code_parts(code: str) -> tuple[str, str, str]:
    """Returns a function code as its 类, 款 and 项 columns: 2010504 -> 201, 05, 04."""
    return code[:3], code[3:5], code[5:7]


def _split_value(splits: Callable[[tuple], compute.Split], expr: str) -> Decimal:
    what, group = parse(expr)
    return measure(splits(sources(group)), what)


# -- kinds -------------------------------------------------------------------------------------


def balance(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表1/表4: income items on the left, every function class (类) on the right."""
    tid, budget = spec["id"], unit.file
    by = lambda srcs: compute.by_sources(budget, srcs)  # noqa: E731
    left = [(item["label"], _left_value(unit, item["value"])) for item in spec["left"]]
    classes = {row.code: row for row in compute.function_rows(budget, catalogs) if row.level == 1}
    codes = sorted({str(c) for c in layout.profile["function_classes"]} | set(classes))
    names = {str(k): v for k, v in (spec.get("class_names") or {}).items()}
    rows: Rows = []
    for i in range(max(len(left), len(codes))):
        cells: list[Cell] = []
        if i < len(left):
            cells += [text_cell(left[i][0]), amount_cell(f"{tid}_in{i}", left[i][1])]
        else:
            cells += [text_cell(""), text_cell("")]
        if i < len(codes):
            code = codes[i]
            row = classes.get(code)
            label = f"{code} {names.get(code) or catalogs.function.name(code) or ''}".strip()
            cells.append(text_cell(label))
            for j, expr in enumerate(spec["right_values"]):
                what, group = parse(expr)
                value = measure(row.split(sources(group)), what) if row else ZERO
                cells.append(amount_cell(f"{tid}_c{code}_{j}", value))
        else:
            cells += [text_cell("")] * (1 + len(spec["right_values"]))
        rows.append((f"{tid}_r{i:02d}", tuple(cells)))
    grand = _left_value(unit, spec["left_total"]["value"])
    totals = [text_cell(spec["left_total"]["label"], "center"), amount_cell(f"{tid}_in_total", grand)]
    totals.append(text_cell(spec["right_total"], "center"))
    totals += [amount_cell(f"{tid}_total_{j}", _split_value(by, e)) for j, e in enumerate(spec["right_values"])]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, grand


def _left_value(unit: Unit, expr: str) -> Decimal:
    what, key = parse(expr)
    if what == "unit_funds":
        detail = unit.file.income.unit_detail
        return getattr(detail, key) if detail else ZERO
    return measure(compute.by_sources(unit.file, sources(key)), what)


def function(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表2/3/5/8/9: one row per 类, 款 and 项 the sources pay for, amounts by value column."""
    tid, budget = spec["id"], unit.file
    wanted = sources(spec["rows_sources"])
    rows: Rows = []
    for row in compute.function_rows(budget, catalogs, wanted):
        cells = [text_cell(p, "center") for p in code_parts(row.code)] + [text_cell(row.name)]
        cells += [
            amount_cell(f"{tid}_f{row.code}_{j}", _split_value(row.split, e)) for j, e in enumerate(spec["values"])
        ]
        rows.append((f"{tid}_f{row.code}", tuple(cells)))
    by = lambda srcs: compute.by_sources(budget, srcs)  # noqa: E731
    amounts = [_split_value(by, e) for e in spec["values"]]
    totals = [text_cell(spec["total"], "center", colspan=4)]
    totals += [amount_cell(f"{tid}_total_{j}", v) for j, v in enumerate(amounts)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, amounts[0]


def economic(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表6: general-budget basic expenditure by economic class and item, personnel / public."""
    tid = spec["id"]
    rows: Rows = []
    for row in compute.econ_rows(unit.file, catalogs):
        cells = (
            text_cell(row.code[:3], "center"),
            text_cell(row.code[3:5], "center"),
            text_cell(row.name),
            amount_cell(f"{tid}_e{row.code}_0", row.amount),
            amount_cell(f"{tid}_e{row.code}_1", row.personnel),
            amount_cell(f"{tid}_e{row.code}_2", row.public),
        )
        rows.append((f"{tid}_e{row.code}", cells))
    split = compute.econ_split(unit.file)
    totals = [text_cell(spec["total"], "center", colspan=3)]
    totals += [amount_cell(f"{tid}_total_{j}", v) for j, v in enumerate((split.basic, split.personnel, split.public))]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, split.basic


def projects(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表7: each project under its 类 and 款, amounts by economic class."""
    tid = spec["id"]
    wanted = set(sources(spec["rows_sources"]))
    chosen = sorted((p for p in unit.file.projects if p.source in wanted), key=lambda p: p.code)
    classes = [str(c) for c in layout.profile["project_econ_classes"]]

    def amounts(prefix: str, group) -> tuple[Decimal, ...]:
        per_class = tuple(total(p.by_class.get(c, ZERO) for p in group) for c in classes)
        return (total(p.amount for p in group),) + per_class

    def cells(rid: str, code: str, name: str, project: str, values) -> tuple[str, tuple[Cell, ...]]:
        head = [text_cell(x, "center") for x in code_parts(code)] + [text_cell(name), text_cell(project)]
        return rid, tuple(head + [amount_cell(f"{rid}_{j}", v) for j, v in enumerate(values)])

    rows: Rows = []
    seen: set[str] = set()
    for project in chosen:
        for code in (project.code[:n] for n in (3, 5) if n < len(project.code)):
            if code not in seen:
                seen.add(code)
                group = [p for p in chosen if p.code.startswith(code)]
                rows.append(cells(f"{tid}_f{code}", code, catalogs.function.name(code) or "", "", amounts(code, group)))
        name = catalogs.function.name(project.code) or ""
        rows.append(cells(f"{tid}_p{short_id(project.name)}", project.code, name, project.name, amounts("", [project])))
    grand = amounts("", chosen)
    totals = [text_cell("", colspan=4), text_cell(spec["total"], "center")]
    totals += [amount_cell(f"{tid}_total_{j}", v) for j, v in enumerate(grand)]
    rows.append((f"{tid}_total", tuple(totals)))
    return rows, grand[0]


def three_public(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表10: “三公” expenses; all of them are general-budget money in the input."""
    tid, t = spec["id"], unit.file.three_public
    values = {
        "total": compute.three_public_total(unit.file),
        "abroad": t.abroad,
        "reception": t.reception,
        "vehicles": t.vehicle_purchase + t.vehicle_running,
        "vehicle_purchase": t.vehicle_purchase,
        "vehicle_running": t.vehicle_running,
    }
    rows: Rows = []
    for item in spec["items"]:
        v, key = values[item["value"]], item["value"]
        rid = f"{tid}_{key}"
        by_source = (v, v, ZERO, ZERO)  # 合计, 一般公共预算, 政府性基金, 国有资本经营预算
        rows.append((rid, (text_cell(item["label"]),) + tuple(amount_cell(f"{rid}_{j}", x) for j, x in enumerate(by_source))))
    return rows, values["total"]


def carryover(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Rows, Decimal]:
    """表11: last year's carry-over spent this year, item by item, fiscal and non-fiscal."""
    tid = spec["id"]

    def figures(items) -> tuple[Decimal, ...]:
        f = [sum((getattr(i.fiscal, k) for i in items), ZERO) for k in ("personnel", "public", "project")]
        o = [sum((getattr(i.other, k) for i in items), ZERO) for k in ("personnel", "public", "project")]
        return (total(f) + total(o), total(f), *f, total(o), *o)

    rows: Rows = []
    for item in unit.file.carryover:
        rid = f"{tid}_c{short_id(item.name)}"
        rows.append((rid, (text_cell(item.name),) + tuple(amount_cell(f"{rid}_{j}", v) for j, v in enumerate(figures([item])))))
    grand = figures(unit.file.carryover)
    rows.append((f"{tid}_total", (text_cell(spec["total"], "center"),) + tuple(amount_cell(f"{tid}_total_{j}", v) for j, v in enumerate(grand))))
    return rows, grand[0]


KINDS = {
    "balance": balance,
    "function": function,
    "economic": economic,
    "projects": projects,
    "three_public": three_public,
    "carryover": carryover,
}


def table(spec: Spec, unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Block, ...]:
    """Returns one standard table with its captions, and the 备注 line when it is empty."""
    rows, grand = KINDS[spec["kind"]](spec, unit, catalogs, layout)
    body = Table(
        spec["id"],
        header(spec),
        tuple(cells for _, cells in rows),
        tuple(float(w) for w in spec.get("widths", ())),
        bool(spec.get("landscape", False)),
        tuple(rid for rid, _ in rows),
    )
    out = captions(layout, unit, spec["id"], spec["n"], spec["title"]) + (body,)
    if grand == 0 and spec.get("empty_what"):
        out += (empty_note(layout, unit, spec),)
    return out
