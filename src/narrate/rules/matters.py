"""Section 十二 of part three: operating costs, procurement, state assets, performance and other
matters."""

from __future__ import annotations

from narrate.blocks import Block, Slot
from narrate.model import FISCAL, Source
from narrate.money import ZERO, total
from narrate.rules.context import Context, body, clause, heading, reason

PERFORMANCE_SLOT = "performance_tables"


def _operating(ctx: Context) -> list[Block]:
    change = ctx.change("机关运行经费")
    said, why = clause(ctx, change), reason(ctx, "机关运行经费", change)
    return [
        heading(ctx, "s3_12_1_h", "s12.sub1.heading", 1, "heading2"),
        body(ctx, "s3_12_operating", "s12.operating", "operating_cost", said, why,
             amount=ctx.fact("机关运行经费"), change=said.text, reason=why.text),
    ]


def _procurement(ctx: Context) -> list[Block]:
    p = ctx.file.procurement
    amount = p.goods + p.works + p.services
    out: list[Block] = [heading(ctx, "s3_12_2_h", "s12.sub2.heading", 2, "heading2")]
    if amount == 0 and p.sme == 0:
        return out + [body(ctx, "s3_12_procurement", "s12.procurement_none", "procurement_none")]
    return out + [
        body(ctx, "s3_12_procurement", "s12.procurement", "procurement",
             total=amount, goods=p.goods, works=p.works, services=p.services),
        body(ctx, "s3_12_sme", "s12.sme", "procurement_sme", sme=p.sme, small=p.small_micro),
    ]


def _assets(ctx: Context) -> list[Block]:
    a = ctx.file.assets
    v = a.vehicles
    kinds = [{"key": key, "label": ctx.label("vehicles", key), "count": h.count, "value": h.value}
             for key, h in (("general", v.general), ("enforcement", v.enforcement), ("other", v.other))]
    if a.buy_vehicles:
        buy = body(ctx, "s3_12_assets_buy", "s12.assets_buy_vehicles", "assets_vehicles",
                   vehicles=a.buy_vehicles, e50=a.buy_equipment_50, e100=a.buy_equipment_100)
    else:
        buy = body(ctx, "s3_12_assets_buy", "s12.assets_buy", "assets_no_vehicles",
                   e50=a.buy_equipment_50, e100=a.buy_equipment_100)
    return [
        heading(ctx, "s3_12_3_h", "s12.sub3.heading", 3, "heading2"),
        body(ctx, "s3_12_assets_lead", "s12.assets_lead", "assets"),
        body(ctx, "s3_12_assets_building", "s12.assets_building", "assets", area=a.building_area, value=a.building_value),
        body(ctx, "s3_12_assets_vehicles", "s12.assets_vehicles", "assets",
             count=sum(k["count"] for k in kinds), value=total(k["value"] for k in kinds), kinds=kinds),
        body(ctx, "s3_12_assets_furniture", "s12.assets_furniture", "assets", value=a.furniture),
        body(ctx, "s3_12_assets_other", "s12.assets_other", "assets", value=a.other),
        body(ctx, "s3_12_assets_equipment", "s12.assets_equipment", "assets", e50=a.equipment_50, e100=a.equipment_100),
        buy,
    ]


def _performance(ctx: Context) -> list[Block]:
    # 当年 projects only: carry-over money (上年结转结余) was appropriated in an earlier year.
    fiscal = [p for p in ctx.file.projects if p.source in FISCAL]
    other = [p for p in ctx.file.projects if p.source in (Source.SPECIAL, Source.UNIT)]
    has_goals = ctx.file.performance is not None
    return [
        heading(ctx, "s3_12_4_h", "s12.sub4.heading", 4, "heading2"),
        body(ctx, "s3_12_performance", "s12.performance", "performance",
             goals=1 if has_goals else 0, total=ctx.fact("支出.合计") if has_goals else ZERO,
             fiscal_count=len(fiscal), fiscal_amount=total(p.amount for p in fiscal),
             other_count=len(other), other_amount=total(p.amount for p in other)),
        Slot(PERFORMANCE_SLOT),
    ]


def _other(ctx: Context) -> list[Block]:
    out: list[Block] = [heading(ctx, "s3_12_5_h", "s12.sub5.heading", 5, "heading2")]
    if ctx.file.other_matters:
        return out + [body(ctx, "s3_12_other", "s12.other", "other_matters", text=ctx.file.other_matters)]
    return out + [body(ctx, "s3_12_other", "s12.other_none", "no_other_matters")]


def matters(ctx: Context, n: int) -> list[Block]:
    """十二: (一) operating costs (二) procurement (三) state assets (四) performance (五) other matters."""
    return [heading(ctx, "s3_12_h", "s12.heading", n), *_operating(ctx), *_procurement(ctx),
            *_assets(ctx), *_performance(ctx), *_other(ctx)]
