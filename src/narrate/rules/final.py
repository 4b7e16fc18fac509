"""Part three of final accounts (决算情况说明), section by section as the Shanghai template
orders them: the year's actuals against last year's (the profile's `compare` rules name the set,
上年决算) and against the budget (`final.budget_set`: 年初预算 or 全年预算).

What is true is decided here: a completion rate only on a non-zero budget, 大于 / 小于 / 持平
from the figures, a reason from 预决算差异原因 for a 项 that differs and none for one that does
not, a kind of income or spending left out when it is zero (不涉及的不列), the "none" sentence of a
fund that has nothing. Every word is a phrase (phrasebook explain/20_final.yaml).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from narrate import compute
from narrate import facts as F
from narrate import final
from narrate.blocks import Block
from narrate.compute import Change, Trend
from narrate.model import GENERAL_BUDGET, GOV_FUND, SOE_BUDGET, START_BUDGET, FinalAccounts, Source
from narrate.money import ZERO, magnitude
from narrate.rules.context import Context, Said, body, heading, para, reason, share

_INCOME_KINDS = (  # (fact key, label key in data/labels.yaml final_income), in the 总表's order
    (F.INCOME_FISCAL, "财政拨款"),
    (F.income(Source.UNIT_SUPERIOR), Source.UNIT_SUPERIOR.value),
    (F.income(Source.UNIT_BUSINESS), Source.UNIT_BUSINESS.value),
    (F.income(Source.UNIT_OPERATING), Source.UNIT_OPERATING.value),
    (F.income(Source.UNIT_AFFILIATED), Source.UNIT_AFFILIATED.value),
    (F.income(Source.UNIT_OTHER), Source.UNIT_OTHER.value),
)
_EXPENSE_KINDS = (F.EXPENSE_BASIC, F.EXPENSE_PROJECT, F.EXPENSE_TO_SUPERIOR, F.EXPENSE_OPERATING, F.EXPENSE_TO_AFFILIATED)
# The three items the template names, each with the fact it reads.
_THREE_PUBLIC = ((F.ABROAD, "abroad"), (F.VEHICLES, "vehicles"), (F.RECEPTION, "reception"))


def _final(ctx: Context) -> FinalAccounts:
    return ctx.unit.final or FinalAccounts()


def _basis(ctx: Context) -> str:
    spec = ctx.profile.spec.final
    return spec.budget_set if spec is not None else START_BUDGET


def _change(ctx: Context, change: Change | None, p: str = "") -> Said:
    """The change against last year's actuals (增加…增长… / 持平); a zero base gives no rate."""
    if change is None:  # last year's actuals not given: nothing is known to compare with
        return Said(ctx.say("final.change.missing", p=p), ("no_prior",))
    c = {"amount": magnitude(change.amount), "rate": magnitude(change.rate)}
    trend = change.trend
    return Said(ctx.say(f"final.change.{trend.value}", c=c, p=p), (f"final_change_{trend.value}",))


def _flat(change: Change | None) -> bool:
    return change is None or change.trend in (Trend.FLAT, Trend.NONE)


def _rate(ctx: Context, a: final.Against, p: str = "", short: bool = False) -> Said:
    """The completion rate, or what is said instead on a zero budget (short: the budget set
    already named, as the “三公” items are)."""
    if short:
        if a.rate is None:
            return Said(ctx.say("final.rate_short_none"), ("completion_no_budget",))
        return Said(ctx.say("final.rate_short", rate=a.rate, p=p), ("completion_rate",))
    basis = ctx.label("comparison_sets", a.basis)
    if a.rate is None:
        return Said(ctx.say("final.rate_none", basis=basis), ("completion_no_budget",))
    return Said(ctx.say("final.rate", basis=basis, rate=a.rate, p=p), ("completion_rate",))


def _verdict(ctx: Context, key: str, a: final.Against, p: str = "") -> Said:
    """大于 / 小于 with the officer's reason (a placeholder when missing), or 持平 and no reason."""
    if a.verdict is final.Verdict.EQUAL:
        return Said(ctx.say("final.verdict.equal", reason="", p=p), ("budget_equal",))
    given = _final(ctx).budget_reasons.get(key)
    why = ctx.text(given) if given else ctx.say("final.reason_missing")
    rule = "budget_reason_user" if given else "budget_reason_missing"
    return Said(ctx.say(f"final.verdict.{a.verdict.value}", reason=why, p=p), (f"budget_{a.verdict.value}", rule))


def _against(ctx: Context, key: str) -> final.Against:
    return final.against(ctx.figures, key, _basis(ctx)) or final.Against(ctx.fact(key), ZERO, _basis(ctx))


def _sub(ctx: Context, pid: str, phrase: str) -> Block | None:
    return para(pid, "heading2", ctx.say(phrase), "sub_heading")


def _grand(ctx: Context, n: int, key: str, section: str, rule: str) -> list[Block]:
    """A section stating one grand total against last year's (一 and 四)."""
    change = ctx.change(key)
    said, why = _change(ctx, change), reason(ctx, key, change)
    return [heading(ctx, f"f3_{section}_h", f"f{section}.heading", n),
            body(ctx, f"f3_{section}_total", f"f{section}.total", rule, said, why,
                 total=ctx.fact(key), change=said.text, reason="" if _flat(change) else why.text)]


def overview(ctx: Context, n: int) -> list[Block]:
    """一: the grand total of the 总表 against last year's."""
    return _grand(ctx, n, F.GRAND_TOTAL, "01", "final_grand_total")


def _items(ctx: Context, kinds, table: str, total: Decimal) -> list[dict]:
    out = []
    for i, (key, label_key) in enumerate(kinds):
        amount = ctx.fact(key)
        if amount != 0:  # 不涉及的不列
            out.append({"key": f"k{i}", "label": ctx.label_or(table, label_key), "amount": amount,
                        "share": share(amount, total)})
    return out


def income(ctx: Context, n: int) -> list[Block]:
    """二: income by kind, each with its share (kinds with nothing left out)."""
    total = ctx.fact(F.INCOME_TOTAL)
    return [heading(ctx, "f3_02_h", "f02.heading", n),
            body(ctx, "f3_02_lead", "f02.lead", "final_income", total=total,
                 items=_items(ctx, _INCOME_KINDS, "final_income", total))]


def expense(ctx: Context, n: int) -> list[Block]:
    """三: spending by kind (基本支出, 项目支出, 经营支出 …), each with its share."""
    total = ctx.fact(F.EXPENSE_TOTAL)
    items = _items(ctx, [(key, key.split(".", 1)[1]) for key in _EXPENSE_KINDS], "final_expense", total)
    return [heading(ctx, "f3_03_h", "f03.heading", n),
            body(ctx, "f3_03_lead", "f03.lead", "final_expense", total=total, items=items)]


def fiscal(ctx: Context, n: int) -> list[Block]:
    """四: the grand total of the 财政拨款 总表 against last year's."""
    return _grand(ctx, n, F.FISCAL_GRAND_TOTAL, "04", "final_fiscal_total")


def _line_amounts(budget, sources) -> dict[str, Decimal]:
    """Returns what the sources pay for each 类/款/项 code of a budget (actuals or a budget set)."""
    out: dict[str, Decimal] = {}
    for line in budget.expenses:
        for source, cell in line.cells():
            if source in sources:
                out[line.code] = out.get(line.code, ZERO) + cell.amount
    return out


def _names(ctx: Context, code: str) -> list[str]:
    return [ctx.catalogs.function.name(code[:k]) or code[:k] for k in (3, 5, 7)]


def _lines(ctx: Context, sources, group: str, prefix: str) -> list[Block]:
    """Each 项 the budget or the actuals have, with its use, budget, actual and verdict; a 项
    equal to its budget needs no reason (预决算持平的不用说明变动原因)."""
    basis = _basis(ctx)
    budget_set = ctx.unit.comparisons.get(basis)
    actual = _line_amounts(ctx.budget, sources)
    budgeted = _line_amounts(budget_set, sources) if budget_set is not None else {}
    out: list[Block] = []
    codes = sorted(c for c in set(actual) | set(budgeted) if actual.get(c, ZERO) != 0 or budgeted.get(c, ZERO) != 0)
    for i, code in enumerate(codes, 1):
        a = final.Against(actual.get(code, ZERO), budgeted.get(code, ZERO), basis)
        key = F.general_line(code) if group == F.GENERAL else f"{group}.{code}"
        verdict = _verdict(ctx, key, a, "v")
        uses = ctx.text(ctx.words.uses.get(code) or "") or ctx.say("uses.missing")
        out.append(body(ctx, f"{prefix}_{code}", "final.line", "final_line", verdict, n=i, names=_names(ctx, code),
                        uses=uses, basis=ctx.label("comparison_sets", basis), budget=a.budget, actual=a.actual,
                        verdict=verdict.text, p=""))
    return out


def general(ctx: Context, n: int) -> list[Block]:
    """五: the general budget: against last year, by 类 with shares, against the budget 项 by 项."""
    amount = ctx.fact(F.GENERAL_TOTAL)
    change = ctx.change(F.GENERAL_TOTAL)
    said, why = _change(ctx, change), reason(ctx, F.GENERAL_TOTAL, change)
    classes = [{"code": r.code, "name": r.name, "amount": r.split(GENERAL_BUDGET).amount,
                "share": share(r.split(GENERAL_BUDGET).amount, amount)}
               for r in compute.function_rows(ctx.budget, ctx.catalogs, GENERAL_BUDGET) if r.level == 1]
    a = _against(ctx, F.GENERAL_TOTAL)
    rate, verdict = _rate(ctx, a), _verdict(ctx, F.GENERAL_TOTAL, a)
    return [
        heading(ctx, "f3_05_h", "f05.heading", n),
        _sub(ctx, "f3_05_s1", "f05.sub1.heading"),
        body(ctx, "f3_05_total", "f05.total", "final_general_total", said, why, amount=amount,
             share=share(amount, ctx.fact(F.EXPENSE_TOTAL)), change=said.text, reason="" if _flat(change) else why.text),
        _sub(ctx, "f3_05_s2", "f05.sub2.heading"),
        body(ctx, "f3_05_classes", "f05.structure", "final_general_classes", total=amount, classes=classes),
        _sub(ctx, "f3_05_s3", "f05.sub3.heading"),
        body(ctx, "f3_05_lead", "f05.lead", "final_general_budget", rate, verdict,
             basis=ctx.label("comparison_sets", a.basis), budget=a.budget, actual=a.actual, rate=rate.text,
             verdict=verdict.text),
        *_lines(ctx, GENERAL_BUDGET, F.GENERAL, "f3_05_l"),
    ]


def basic(ctx: Context, n: int) -> list[Block]:
    """六: general-budget basic spending, 人员经费 and 公用经费 with the items each holds."""
    rows = [r for r in compute.econ_rows(ctx.budget, ctx.catalogs) if r.level == 2 and r.amount != 0]
    personnel = [r.name for r in rows if r.personnel != 0]
    public = [r.name for r in rows if r.public != 0]
    split = compute.econ_split(ctx.budget)
    return [heading(ctx, "f3_06_h", "f06.heading", n),
            body(ctx, "f3_06_text", "f06.text", "final_basic", total=ctx.fact(F.GENERAL_BASIC),
                 personnel=split.personnel, public=split.public, personnel_items=personnel, public_items=public)]


def three_public(ctx: Context, n: int) -> list[Block]:
    """七: “三公” against the budget (a rate only where an item was budgeted), against last
    year, then item by item with counts; none spent: the template's one sentence."""
    total_a = _against(ctx, F.THREE_PUBLIC_TOTAL)
    items, changes = [], []
    for key, short in _THREE_PUBLIC:
        a = _against(ctx, key)
        rate = _rate(ctx, a, f"{short}_", short=True)
        change = ctx.change(key)
        said = _change(ctx, change, f"{short}_")
        moved = not _flat(change)
        why = reason(ctx, key, change) if moved else Said("")
        direction = "" if not moved else ctx.label_or("final_direction", "up" if change.amount > 0 else "down")
        items.append({"key": short, "label": ctx.label_or("final_three_public", short), "actual": a.actual,
                      "rate": rate.text})
        changes.append({"key": short, "label": ctx.label_or("final_three_public_change", short), "change": said.text,
                        "reason": why.text, "direction": direction})
    rate = _rate(ctx, total_a, "tp_", short=True)
    verdict = _verdict(ctx, F.THREE_PUBLIC_TOTAL, total_a, "tp_")
    total_change = ctx.change(F.THREE_PUBLIC_TOTAL)
    out: list[Block] = [
        heading(ctx, "f3_07_h", "f07.heading", n),
        _sub(ctx, "f3_07_s1", "f07.sub1.heading"),
        body(ctx, "f3_07_budget", "f07.budget", "final_three_public_budget", rate, verdict,
             basis=ctx.label("comparison_sets", total_a.basis), budget=total_a.budget, actual=total_a.actual,
             rate=rate.text, items=items, verdict=verdict.text),
        body(ctx, "f3_07_changes", "f07.changes", "final_three_public_changes", flat=_flat(total_change),
             change=_change(ctx, total_change, "tp_").text, items=changes),
        _sub(ctx, "f3_07_s2", "f07.sub2.heading"),
    ]
    spent = total_a.actual
    if spent == 0:
        out.append(body(ctx, "f3_07_none", "f07.none", "final_three_public_none"))
        return out
    out += _three_public_items(ctx, spent)
    return out


def _three_public_items(ctx: Context, spent: Decimal) -> list[Block]:
    f = _final(ctx)
    c, uses = f.counts, f.three_public_uses
    t = ctx.budget.three_public

    def use(key: str) -> str:
        return ctx.text(uses.get(key, "")) or ctx.say("uses.missing")

    shares = [{"key": short, "label": ctx.label_or("final_three_public_change", short), "actual": ctx.fact(key),
               "share": share(ctx.fact(key), spent)} for key, short in _THREE_PUBLIC]
    domestic = t.reception
    return [
        body(ctx, "f3_07_shares", "f07.shares", "final_three_public_items", items=shares),
        body(ctx, "f3_07_abroad", "f07.abroad", "final_three_public_items", amount=t.abroad, groups=c.groups,
             travellers=c.travellers, uses=use("因公出国境")),
        body(ctx, "f3_07_vehicles", "f07.vehicles", "final_three_public_items", amount=ctx.fact(F.VEHICLES)),
        body(ctx, "f3_07_purchase", "f07.purchase", "final_three_public_items", amount=t.vehicle_purchase,
             uses=use("公务用车购置"), count=c.vehicles_bought),
        body(ctx, "f3_07_running", "f07.running", "final_three_public_items", amount=t.vehicle_running,
             uses=use("公务用车运行"), held=c.vehicles_held),
        body(ctx, "f3_07_reception", "f07.reception", "final_three_public_items", amount=t.reception),
        body(ctx, "f3_07_rdetail", "f07.reception_detail", "final_three_public_items", amount=domestic,
             foreign=c.foreign_amount, uses=use("公务接待"), batches=c.receptions, guests=c.guests,
             foreign_batches=c.foreign_receptions, foreign_guests=c.foreign_guests),
    ]


def _fund_section(ctx: Context, n: int, num: int, sources, group: str, field: str, total_key: str) -> list[Block]:
    income_amount = final.income_by(_final(ctx), field)
    spent = ctx.fact(total_key)
    tag = f"f{num:02d}"
    out: list[Block] = [heading(ctx, f"f3_{num:02d}_h", f"{tag}.heading", n)]
    budget_set = ctx.unit.comparisons.get(_basis(ctx))
    budgeted = budget_set is not None and any(_line_amounts(budget_set, sources).values())
    if income_amount == 0 and spent == 0 and not budgeted:
        out.append(body(ctx, f"f3_{num:02d}_none", f"{tag}.none", "final_budget_none"))
        return out
    out.append(body(ctx, f"f3_{num:02d}_lead", f"{tag}.lead", "final_budget_lines", income=income_amount, spent=spent))
    return out + _lines(ctx, sources, group, f"f3_{num:02d}_l")


def fund(ctx: Context, n: int) -> list[Block]:
    """八: government funds: income, spending and each 项, or the sentence for none."""
    return _fund_section(ctx, n, 8, GOV_FUND, Source.FUND.value, "fund", F.FUND_TOTAL)


def soe(ctx: Context, n: int) -> list[Block]:
    """九: state capital operations, as 八."""
    return _fund_section(ctx, n, 9, SOE_BUDGET, Source.SOE.value, "soe", F.SOE_TOTAL)


def performance(ctx: Context, n: int) -> list[Block]:
    """十: 预算绩效管理, or a placeholder where the input says nothing of it."""
    out: list[Block] = [heading(ctx, "f3_10_h", "f10.heading", n)]
    pm = _final(ctx).performance
    if pm is None:
        out.append(body(ctx, "f3_10_none", "f10.none", "final_performance_missing"))
        return out
    group = lambda g: {"count": g.count, "amount": g.amount}  # noqa: E731
    out.append(body(ctx, "f3_10_text", "f10.text", "final_performance", rules=ctx.texts(pm.rules),
                    mechanism=ctx.text(pm.mechanism), targeted=group(pm.targeted), tracked=group(pm.tracked),
                    evaluated=group(pm.evaluated), score=f"{pm.score.normalize():f}", grades=pm.grades,
                    problems=pm.problems, fixed=pm.fixed, fixing=pm.fixing))
    return out


def matters(ctx: Context, n: int) -> list[Block]:
    """十一: 机关运行经费 against last year, 政府采购 with the SME awards, 国有资产 at year end."""
    out: list[Block] = [heading(ctx, "f3_11_h", "f11.heading", n), _sub(ctx, "f3_11_s1", "f11.sub1.heading")]
    amount = ctx.fact(F.OPERATING)
    change = ctx.change(F.OPERATING)
    if amount == 0:
        out.append(body(ctx, "f3_11_operating", "f11.operating_none", "final_operating_none"))
    else:
        said, why = _change(ctx, change), reason(ctx, F.OPERATING, change)
        out.append(body(ctx, "f3_11_operating", "f11.operating", "final_operating", said, why, amount=amount,
                        flat=_flat(change), change=said.text, reason="" if _flat(change) else why.text))
    p, awards = ctx.budget.procurement, _final(ctx).awards
    out += [
        _sub(ctx, "f3_11_s2", "f11.sub2.heading"),
        body(ctx, "f3_11_procurement", "f11.procurement", "final_procurement", total=ctx.fact(F.PROCUREMENT_TOTAL),
             goods=p.goods, works=p.works, services=p.services),
        body(ctx, "f3_11_sme", "f11.sme", "final_procurement", sme=p.sme, small=p.small_micro, sme_won=awards.sme,
             small_won=awards.small_micro, other_won=awards.other_sme),
        _sub(ctx, "f3_11_s3", "f11.sub3.heading"),
    ]
    assets = ctx.budget.assets
    as_of = assets.as_of or dt.date(ctx.info.year, 12, 31)
    held = compute.vehicle_kinds(ctx.budget)
    kinds = [{"key": f"k{i}", "label": ctx.label_or("vehicles", kind), "count": held[kind].count if kind in held else 0}
             for i, kind in enumerate(ctx.profile.spec.vehicle_kinds)]
    out.append(body(ctx, "f3_11_assets", "f11.assets", "final_assets", y=as_of.year, m=as_of.month, d=as_of.day,
                    count=compute.vehicles_held(ctx.budget).count, kinds=kinds, e100=assets.equipment_100))
    return out
