"""Sections 五 to 七 of part three: the general budget's appropriation (scale, structure, lines),
its basic expenditure (人员经费/公用经费) and its projects."""

from __future__ import annotations

import hashlib

from narrate import compute
from narrate import facts as F
from narrate.blocks import Block
from narrate.model import GENERAL_BUDGET, Budget
from narrate.rules.context import Context, Said, body, clause, heading, reason, share


def _leaves(budget: Budget | None) -> set[str]:
    if budget is None:
        return set()
    return {line.code for line in budget.expenses for s, _ in line.cells() if s in GENERAL_BUDGET}


def _levels(ctx: Context, code: str) -> list[dict]:
    return [{"name": ctx.catalogs.function.name(code[:k]) or code[:k], "depth": d}
            for d, k in enumerate((3, 5, 7), 1) if k <= len(code)]


def appropriation(ctx: Context, n: int) -> list[Block]:
    """五: (一) basic and project against last year, (二) share of each class, (三) each line's change."""
    total = ctx.fact(F.GENERAL_TOTAL)
    out: list[Block] = [heading(ctx, "s3_05_h", "s05.heading", n), heading(ctx, "s3_05_1_h", "s05.sub1.heading", 1, "heading2")]
    for part, pid, phrase, rule in (("基本支出", "s3_05_basic", "s05.basic", "general_basic"),
                                    ("项目支出", "s3_05_project", "s05.project", "general_project")):
        key = F.general_line(part)
        change = ctx.change(key)
        said, why = clause(ctx, change), reason(ctx, key, change)
        values = {"amount": ctx.fact(key), "change": said.text, "reason": why.text}
        if part == "基本支出":
            values["total"] = total
        out.append(body(ctx, pid, phrase, rule, said, why, **values))
    out.append(heading(ctx, "s3_05_2_h", "s05.sub2.heading", 2, "heading2"))
    rows = [r for r in compute.function_rows(ctx.budget, ctx.catalogs, GENERAL_BUDGET) if r.level == 1]
    for i, row in enumerate(rows, 1):
        amount = row.split(GENERAL_BUDGET).amount
        out.append(body(ctx, f"s3_05_2_{row.code}", "s05.class", "general_class_share",
                        n=i, name=row.name, amount=amount, share=share(amount, total)))
    out.append(heading(ctx, "s3_05_3_h", "s05.sub3.heading", 3, "heading2"))
    codes = sorted(_leaves(ctx.budget) | _leaves(ctx.unit.prior))
    for i, code in enumerate(codes, 1):
        key = F.general_line(code)
        change = ctx.change(key)
        said, why = clause(ctx, change), reason(ctx, key, change)
        out.append(body(ctx, f"s3_05_3_{code}", "s05.line", "general_line", said, why, n=i,
                        levels=_levels(ctx, code), amount=ctx.fact(key), change=said.text, reason=why.text))
    return out


def _items(ctx: Context, personnel: bool) -> list[str]:
    """Returns the economic items with an amount, in catalog order (人员经费: classes 301 and 303)."""
    rows = compute.econ_rows(ctx.budget, ctx.catalogs)
    return [r.name for r in rows if r.level == 2 and r.amount != 0 and (r.code[:3] in compute.PERSONNEL_CLASSES) == personnel]


def basic(ctx: Context, n: int) -> list[Block]:
    """六: general-budget basic expenditure, split 人员经费/公用经费 with the items each includes."""
    split = compute.econ_split(ctx.budget) if ctx.budget.economic else compute.by_sources(ctx.budget, GENERAL_BUDGET)
    items_rule = Said("", ("items_from_economic",)) if ctx.budget.economic else Said("", ("no_economic_items",))
    return [
        heading(ctx, "s3_06_h", "s06.heading", n),
        body(ctx, "s3_06_lead", "s06.lead", "basic_total", total=ctx.fact(F.GENERAL_BASIC)),
        body(ctx, "s3_06_personnel", "s06.personnel", "basic_items", items_rule,
             amount=split.personnel, items=_items(ctx, True)),
        body(ctx, "s3_06_public", "s06.public", "basic_items", items_rule,
             amount=split.public, items=_items(ctx, False)),
    ]


def _pid(name: str) -> str:
    # Ids follow the project's name, not its place, so reordering the list keeps them.
    return "s3_07_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def _text(ctx: Context, given: str | None, fallback: str | None = None, rule: str = "") -> Said:
    if given:
        return Said(ctx.text(given))
    if fallback is not None:
        return Said(fallback, (rule,))
    return Said(ctx.say("text.missing"), ("text_missing",))


def projects(ctx: Context, n: int) -> list[Block]:
    """七: each general-budget project: name, basis, amount, executor, allocation, period."""
    out: list[Block] = [heading(ctx, "s3_07_h", "s07.heading", n)]
    listed = [p for p in ctx.budget.projects if p.source in GENERAL_BUDGET]
    if not listed:
        return out + [body(ctx, "s3_07_none", "s07.none", "no_projects")]
    for i, project in enumerate(listed, 1):
        pid = _pid(project.name)
        out.append(body(ctx, f"{pid}_name", "s07.name", "project_item", n=i, name=ctx.text(project.name)))
        for field, phrase, said in (
            ("basis", "s07.basis", _text(ctx, project.basis)),
            ("amount", "s07.amount", None),
            ("executor", "s07.executor", _text(ctx, project.executor, ctx.globals["unit"], "project_executor_default")),
            ("allocation", "s07.allocation", _text(ctx, project.allocation)),
            ("period", "s07.period", _text(ctx, project.period, ctx.say("s07.period_default"), "project_period_default")),
        ):
            if said is None:
                out.append(body(ctx, f"{pid}_{field}", phrase, "project_item", amount=project.amount))
            else:
                out.append(body(ctx, f"{pid}_{field}", phrase, "project_item", said, text=said.text))
    return out
