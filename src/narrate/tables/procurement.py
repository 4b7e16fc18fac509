"""The procurement table (`kind: procurement`): the items of 政府采购 (model.ProcurementItem)
grouped as the profile's `levels` say, a row per group with its amount, under a total row.

A level is a list of item fields; its rows group the items of the row above by those fields, in
the order the officer listed them (categories in their own order: 货物, 工程, 服务). Each row
shows its level's fields in their columns and the group's amount; a label repeating the one
above it within the same group prints blank, as the merged cells of a published table read.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from narrate import compute, model
from narrate.blocks import Cell
from narrate.model import ProcurementItem, ProcurementKind
from narrate.money import total
from narrate.profile.schema import MoneyFormat
from narrate.rules.context import Context
from narrate.tables.values import amount_cell, short_id, text_cell

_F = model.ProcurementItem.model_fields
KIND, PROJECT, ECON, ITEM, METHOD, AMOUNT = (_F[n].alias for n in ("kind", "project", "econ", "item", "method", "amount"))
ECON_CODE = model.ECON_CODE_COLUMN
# What a column or a level may name: the item's fields (经济科目 by name, or its code), then the amount.
FIELDS = (KIND, PROJECT, ECON, ECON_CODE, ITEM, METHOD)
COLUMNS = FIELDS + (AMOUNT,)
CATEGORIES = tuple(k.value for k in ProcurementKind)

Rows = list[tuple[str, tuple[Cell, ...]]]


def _key(item: ProcurementItem, name: str) -> str:
    """Returns what an item groups by under field name (the text as given, the code as a code)."""
    if name == KIND:
        return item.kind.value
    if name == ECON_CODE:
        return item.econ_code or ""
    value = {PROJECT: item.project, ECON: item.econ, ITEM: item.item, METHOD: item.method}[name]
    return value or ""


def _label(ctx: Context, spec, name: str, value: str) -> str:
    """Returns how a field's value prints: a category by the profile's label, an economic code
    by its name in the catalog (the code itself when the catalog lacks it), a text as given."""
    if not value:
        return ""
    if name == KIND:
        return spec.categories.get(value, value)
    if name == ECON_CODE:
        return value
    if name == ECON and value.isdigit():
        return ctx.catalogs.economic.name(value) or value
    return ctx.text(value)


def _groups(items: Sequence[ProcurementItem], fields: tuple[str, ...]) -> list[tuple[tuple[str, ...], list[ProcurementItem]]]:
    """Returns the items grouped by the fields' values, groups in the order first met."""
    out: dict[tuple[str, ...], list[ProcurementItem]] = {}
    for item in items:
        out.setdefault(tuple(_key(item, f) for f in fields), []).append(item)
    return list(out.items())


def table(ctx: Context, tid: str, spec, shown: MoneyFormat) -> tuple[Rows, Decimal]:
    procurement = ctx.budget.procurement
    grand = compute.procurement_total(ctx.budget)
    width = len(spec.columns)
    where = {name: i for i, name in enumerate(spec.columns)}
    rows: Rows = []

    def row(rid: str, labels: dict[str, str], amount: Decimal, first: Cell | None = None) -> tuple[str, tuple[Cell, ...]]:
        cells = [text_cell("")] * width
        for name, text in labels.items():
            cells[where[name]] = text_cell(text)
        if first is not None:  # the total's label: the first column (bind keeps the amount out of it)
            cells[0] = first
        cells[where[AMOUNT]] = amount_cell(f"{rid}_0", amount, shown)
        return rid, tuple(cells)

    def level(depth: int, items: Sequence[ProcurementItem], above: tuple[str, ...]) -> None:
        if depth == len(spec.levels):
            return
        fields = spec.levels[depth]
        if fields == (KIND,):
            groups = [((kind.value,), [i for i in items if i.kind == kind], procurement.amount(kind)) for kind in ProcurementKind]
            groups = [g for g in groups if g[1] or g[2] or spec.empty_categories == "keep"]
        else:
            groups = [(key, members, total(i.amount for i in members)) for key, members in _groups(items, fields)]
        previous: tuple[str, ...] = ()
        for key, members, amount in groups:
            labels, same = {}, True
            for k, (name, value) in enumerate(zip(fields, key)):
                same = same and k < len(previous) and previous[k] == value
                labels[name] = "" if same and spec.repeated == "blank" else _label(ctx, spec, name, value)
            previous = key
            path = above + key
            rows.append(row(f"{tid}_{depth}{short_id(chr(31).join(path))}", labels, amount))
            level(depth + 1, members, path)

    level(0, procurement.items, ())
    if spec.total:
        rows.insert(0 if spec.total_row == "first" else len(rows), row(f"{tid}_total", {}, grand, text_cell(spec.total, "center")))
    return rows, grand
