"""Other important matters: operating costs, procurement, state assets, performance and other
matters. Each is a section of its own (上海 numbers them 一、二…), and together, as sub-sections
（一）…（五）, they make 新疆's section 十二."""

from __future__ import annotations

from narrate import compute
from narrate import facts as F
from narrate.blocks import Block, Slot
from narrate.model import FISCAL, UNIT_FUNDS, Holding, Source
from narrate.money import ZERO, total
from narrate.rules.context import Context, body, clause, heading, reason

PERFORMANCE_SLOT = "performance_tables"


def _heading(ctx: Context, pid: str, sub: int, n: int, depth: int) -> Block | None:
    # A section of its own takes its heading style from depth 1; inside 十二 it is a sub-heading.
    return heading(ctx, pid, f"s12.sub{sub}.heading", n, "heading1" if depth == 1 else "heading2")


def operating(ctx: Context, n: int, depth: int = 1) -> list[Block]:
    """机关运行经费: the amount, its change and reason (and, where given, whose it is)."""
    change = ctx.change(F.OPERATING)
    said, why = clause(ctx, change), reason(ctx, F.OPERATING, change)
    return [
        _heading(ctx, "s3_12_1_h", 1, n, depth),
        body(ctx, "s3_12_operating", "s12.operating", "operating_cost", said, why,
             amount=ctx.fact(F.OPERATING), change=said.text, reason=why.text, scope=ctx.text(ctx.words.operating_scope)),
    ]


def procurement(ctx: Context, n: int, depth: int = 1) -> list[Block]:
    """政府采购: the total by kind, and what is reserved for small enterprises."""
    out: list[Block] = [_heading(ctx, "s3_12_2_h", 2, n, depth)]
    amount = ctx.fact(F.PROCUREMENT_TOTAL)
    if amount == 0 and ctx.fact(F.PROCUREMENT_SME) == 0:
        return out + [body(ctx, "s3_12_procurement", "s12.procurement_none", "procurement_none")]
    return out + [
        body(ctx, "s3_12_procurement", "s12.procurement", "procurement", total=amount,
             goods=ctx.fact(F.PROCUREMENT_GOODS), works=ctx.fact(F.PROCUREMENT_WORKS),
             services=ctx.fact(F.PROCUREMENT_SERVICES)),
        body(ctx, "s3_12_sme", "s12.sme", "procurement_sme", sme=ctx.fact(F.PROCUREMENT_SME),
             small=ctx.fact(F.PROCUREMENT_SMALL)),
    ]


def _as_of(ctx: Context) -> str:
    date = ctx.budget.assets.as_of
    if date is None:
        return ctx.say("s12.assets_as_of_default")
    return ctx.say("s12.assets_as_of", y=date.year, m=date.month, d=date.day)


def assets(ctx: Context, n: int, depth: int = 1) -> list[Block]:
    """国有资产: what is held at the date (buildings, vehicles by the profile's kinds, furniture,
    equipment) and what this year's budget buys."""
    a = ctx.budget.assets
    held = compute.vehicle_kinds(ctx.budget)
    kinds = [{"key": f"k{i}", "label": ctx.label_or("vehicles", kind), "count": held.get(kind, _NONE).count, "value": held.get(kind, _NONE).value,
              "buy": a.buy_vehicle_counts.get(kind, 0)}
             for i, kind in enumerate(ctx.profile.spec.vehicle_kinds, 1)]
    vehicles = compute.vehicles_held(ctx.budget)
    as_of = _as_of(ctx)
    bought = sum(a.buy_vehicle_counts.values())
    buy = dict(e50=a.buy_equipment_50, e100=a.buy_equipment_100, kinds=kinds, count=bought)
    if a.buy_vehicles:
        purchases = body(ctx, "s3_12_assets_buy", "s12.assets_buy_vehicles", "assets_vehicles", vehicles=a.buy_vehicles, **buy)
    else:
        purchases = body(ctx, "s3_12_assets_buy", "s12.assets_buy", "assets_no_vehicles", **buy)
    return [
        _heading(ctx, "s3_12_3_h", 3, n, depth),
        body(ctx, "s3_12_assets_lead", "s12.assets_lead", "assets", as_of=as_of),
        body(ctx, "s3_12_assets_building", "s12.assets_building", "assets", area=a.building_area, value=a.building_value),
        body(ctx, "s3_12_assets_vehicles", "s12.assets_vehicles", "assets", as_of=as_of, count=vehicles.count,
             value=vehicles.value, kinds=kinds, e50=a.equipment_50, e100=a.equipment_100),
        body(ctx, "s3_12_assets_furniture", "s12.assets_furniture", "assets", value=a.furniture),
        body(ctx, "s3_12_assets_other", "s12.assets_other", "assets", value=a.other),
        body(ctx, "s3_12_assets_equipment", "s12.assets_equipment", "assets", e50=a.equipment_50, e100=a.equipment_100),
        purchases,
    ]


_NONE = Holding()


def performance(ctx: Context, n: int, depth: int = 1) -> list[Block]:
    """预算绩效: the unit's goals and this year's projects by kind of money (carry-over money was
    appropriated in an earlier year), how many report targets, then the performance tables."""
    projects = ctx.budget.projects
    fiscal = [p for p in projects if p.source in FISCAL]
    other = [p for p in projects if p.source in (Source.SPECIAL,) + UNIT_FUNDS]
    has_goals = ctx.budget.performance is not None
    typed = ctx.budget.targeted
    targeted = [p for p in projects if p.performance is not None]
    return [
        _heading(ctx, "s3_12_4_h", 4, n, depth),
        body(ctx, "s3_12_performance", "s12.performance", "performance",
             goals=1 if has_goals else 0, total=ctx.fact(F.EXPENSE_TOTAL) if has_goals else ZERO,
             fiscal_count=len(fiscal), fiscal_amount=total(p.amount for p in fiscal),
             other_count=len(other), other_amount=total(p.amount for p in other),
             targeted_count=typed.count if typed else len(targeted),
             targeted_amount=typed.amount if typed else total(p.amount for p in targeted),
             targeted_items=[{"name": ctx.text(i.name), "amount": i.amount} for i in typed.items] if typed else []),
        Slot(PERFORMANCE_SLOT),
    ]


def other(ctx: Context, n: int, depth: int = 1) -> list[Block]:
    """其他需说明的事项: the officer's text, or that there is none."""
    out: list[Block] = [_heading(ctx, "s3_12_5_h", 5, n, depth)]
    if ctx.words.other_matters:
        return out + [body(ctx, "s3_12_other", "s12.other", "other_matters", text=ctx.text(ctx.words.other_matters))]
    return out + [body(ctx, "s3_12_other", "s12.other_none", "no_other_matters")]


def matters(ctx: Context, n: int) -> list[Block]:
    """十二: (一) operating costs (二) procurement (三) state assets (四) performance (五) other matters."""
    parts = (operating, procurement, assets, performance, other)
    return [heading(ctx, "s3_12_h", "s12.heading", n)] + [b for i, part in enumerate(parts, 1) for b in part(ctx, i, 2)]
