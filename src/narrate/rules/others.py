"""Sections 八 to 十一 of part three: government funds, state capital, the “三公” expenses and
last year's carry-over. An unused budget gets its empty-table note."""

from __future__ import annotations

from narrate import compute
from narrate import facts as F
from narrate.blocks import Block
from narrate.model import CARRY, CARRY_FISCAL, CARRY_OTHER, GOV_FUND, SOE_BUDGET
from narrate.rules.context import Context, Said, body, clause, heading, reason

# “三公” items in the order the reference names them, with their paragraph-figure prefixes.
THREE_PUBLIC = (("因公出国境", "abroad"), ("公务用车购置", "car_buy"), ("公务用车运行", "car_run"), ("公务接待", "reception"))


def _budget(ctx: Context, n: int, section: str, sources) -> list[Block]:
    split = compute.by_sources(ctx.budget, sources)
    out: list[Block] = [heading(ctx, f"s3_{section}_h", f"s{section}.heading", n)]
    if split.amount == 0:
        return out + [body(ctx, f"s3_{section}_empty", f"s{section}.empty", "empty_table")]
    return out + [body(ctx, f"s3_{section}_present", f"s{section}.present", "budget_present",
                       amount=split.amount, basic=split.basic, project=split.project)]


def fund(ctx: Context, n: int) -> list[Block]:
    """八: government-fund appropriations, or the empty-table note."""
    return _budget(ctx, n, "08", GOV_FUND)


def soe(ctx: Context, n: int) -> list[Block]:
    """九: state-capital appropriations, or the empty-table note."""
    return _budget(ctx, n, "09", SOE_BUDGET)


def carryover(ctx: Context, n: int) -> list[Block]:
    """十一: spending of last year's carry-over, or the empty-table note."""
    total = compute.by_sources(ctx.budget, CARRY).amount
    out: list[Block] = [heading(ctx, "s3_11_h", "s11.heading", n)]
    if total == 0:
        return out + [body(ctx, "s3_11_empty", "s11.empty", "empty_table")]
    return out + [body(ctx, "s3_11_present", "s11.present", "carryover_present", total=total,
                       fiscal=compute.by_sources(ctx.budget, CARRY_FISCAL).amount,
                       other=compute.by_sources(ctx.budget, CARRY_OTHER).amount)]


def _three_public_item(ctx: Context, key: str, prefix: str) -> Said:
    label = ctx.label("three_public", key)
    change = ctx.change(F.three_public(key))
    said = clause(ctx, change, prefix + "_", "change_short")
    if change is not None and change.trend is compute.Trend.NONE and F.three_public(key) not in ctx.words.reasons:
        why = Said(ctx.say("reason.both_unarranged", label=label), ("reason_both_unarranged",))
        return Said(ctx.say("s10.item_none", reason=why.text), ("three_public_item_none",) + why.rules)
    why = reason(ctx, F.three_public(key), change)
    rendered = ctx.say("s10.item", label=label, change=said.text, reason=why.text)
    return Said(rendered, ("three_public_item",) + said.rules + why.rules)


def three_public(ctx: Context, n: int) -> list[Block]:
    """十: the “三公” amounts, then their change item by item (both years 0 → 均未安排)."""
    items = [{"key": prefix, "label": ctx.label("three_public", key), "amount": ctx.fact(F.three_public(key))}
             for key, prefix in THREE_PUBLIC]
    out: list[Block] = [
        heading(ctx, "s3_10_h", "s10.heading", n),
        body(ctx, "s3_10_amounts", "s10.amounts", "three_public_amounts", total=ctx.fact(F.THREE_PUBLIC_TOTAL), items=items),
    ]
    change = ctx.change(F.THREE_PUBLIC_TOTAL)
    if change is None:
        return out
    parts = [_three_public_item(ctx, key, prefix) for key, prefix in THREE_PUBLIC]
    items = [p.text for p in parts]
    if change.trend is compute.Trend.NONE:
        out.append(body(ctx, "s3_10_changes", "s10.changes_none", "three_public_none", *parts, items=items))
    else:
        said = clause(ctx, change, "total_")
        out.append(body(ctx, "s3_10_changes", "s10.changes", "three_public_changes", said, *parts,
                        change=said.text, items=items))
    return out


def three_public_items(ctx: Context, n: int) -> list[Block]:
    """“三公” item by item, a paragraph each (上海): the total and its change, then 因公出国（境）,
    公务用车购置及运行 with its two parts, 公务接待, each with its change and reason."""
    change = ctx.change(F.THREE_PUBLIC_TOTAL)
    said = clause(ctx, change, "total_")
    out: list[Block] = [
        heading(ctx, "s3_tp_h", "tp.heading", n),
        body(ctx, "s3_tp_total", "tp.total", "three_public_total", said, total=ctx.fact(F.THREE_PUBLIC_TOTAL), change=said.text),
    ]

    def item(key: str, prefix: str) -> tuple[dict, tuple[str, ...]]:
        change = ctx.change(key)
        said, why = clause(ctx, change, prefix + "_"), reason(ctx, key, change)
        return {"amount": ctx.fact(key), "change": said.text, "reason": why.text}, said.rules + why.rules

    for i, (key, prefix, kind) in enumerate(((F.ABROAD, "abroad", "item"), (F.VEHICLES, "cars", "vehicles"),
                                             (F.RECEPTION, "reception", "item")), 1):
        values, rules = item(key, prefix)
        if kind == "vehicles":
            purchase, more = item(F.VEHICLE_PURCHASE, "car_buy")
            running, most = item(F.VEHICLE_RUNNING, "car_run")
            out.append(body(ctx, f"s3_tp_{prefix}", "tp.vehicles", "three_public_vehicles", Said("", rules + more + most),
                            n=i, purchase=purchase, running=running, **values))
        else:
            label = ctx.label("three_public", key.split(".", 1)[1])
            out.append(body(ctx, f"s3_tp_{prefix}", "tp.item", "three_public_paragraph", Said("", rules), n=i, label=label, **values))
    return out
