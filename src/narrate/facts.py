"""Fact keys: the name of every comparable figure narrate computes.

The keys are the officer's words (`收入.一般公共预算`, `一般公共预算.2010504`, `三公经费.公务接待`):
`变动原因` attaches a reason to a key, `合计数` types a figure known only as a total, the profile
says which comparison set a key is compared with, and checks, rules and the review list all speak
of the same thing. Every key is built here; `is_known` tells a real key from a misspelt one.
"""

from __future__ import annotations

import re

from narrate.model import Source

INCOME = "收入"
GENERAL = "一般公共预算"

INCOME_TOTAL = "收入.合计"
INCOME_FISCAL = "收入.财政拨款"
INCOME_UNIT_FUNDS = "收入.单位资金合计"
EXPENSE_BASIC = "支出.基本支出"
EXPENSE_PROJECT = "支出.项目支出"
EXPENSE_TOTAL = "支出.合计"
FISCAL_TOTAL = "财政拨款.合计"
FISCAL_BASIC = "财政拨款.基本支出"
FISCAL_PROJECT = "财政拨款.项目支出"
CARRY_TOTAL = "上年结转结余.合计"
GENERAL_BASIC = "一般公共预算.基本支出"
GENERAL_PROJECT = "一般公共预算.项目支出"
GENERAL_TOTAL = "一般公共预算.合计"
GENERAL_PERSONNEL = "一般公共预算.人员经费"
GENERAL_PUBLIC = "一般公共预算.公用经费"
FUND_TOTAL = "政府性基金.合计"
SOE_TOTAL = "国有资本经营.合计"
OPERATING = "机关运行经费"
THREE_PUBLIC_TOTAL = "三公经费.合计"
ABROAD = "三公经费.因公出国境"
RECEPTION = "三公经费.公务接待"
VEHICLE_PURCHASE = "三公经费.公务用车购置"
VEHICLE_RUNNING = "三公经费.公务用车运行"
VEHICLES = "三公经费.公务用车小计"
PROCUREMENT_TOTAL = "政府采购.合计"
PROCUREMENT_GOODS = "政府采购.货物"
PROCUREMENT_WORKS = "政府采购.工程"
PROCUREMENT_SERVICES = "政府采购.服务"
PROCUREMENT_SME = "政府采购.面向中小企业预留"
PROCUREMENT_SMALL = "政府采购.其中小微企业预留"

# Final accounts (决算): the grand totals of the two balance tables, the balances, and spending
# outside basic and project expenditure.
GRAND_TOTAL = "收入支出总计"
FISCAL_GRAND_TOTAL = "财政拨款收入支出总计"
OPENING = "年初结转和结余"
CLOSING = "年末结转和结余"
NON_FISCAL_USED = "使用非财政拨款结余"
DISTRIBUTED = "结余分配"
FISCAL_OPENING = "年初财政拨款结转和结余"
FISCAL_CLOSING = "年末财政拨款结转和结余"
EXPENSE_TO_SUPERIOR = "支出.上缴上级支出"
EXPENSE_OPERATING = "支出.经营支出"
EXPENSE_TO_AFFILIATED = "支出.对附属单位补助支出"
# The fiscal balances and the fiscal grand total's expenditure side, budget by budget
# (年末财政拨款结转和结余.一般公共预算), as the 财政拨款 总表 prints them in its columns.
FISCAL_BUDGETS = (Source.GENERAL, Source.FUND, Source.SOE)


def by_budget(key: str, source: Source) -> str:
    return f"{key}.{source.value}"


FINAL_KEYS = (GRAND_TOTAL, FISCAL_GRAND_TOTAL, OPENING, CLOSING, NON_FISCAL_USED, DISTRIBUTED, FISCAL_OPENING,
              FISCAL_CLOSING, EXPENSE_TO_SUPERIOR, EXPENSE_OPERATING, EXPENSE_TO_AFFILIATED) + tuple(
    by_budget(k, s) for k in (FISCAL_OPENING, FISCAL_CLOSING, FISCAL_GRAND_TOTAL) for s in FISCAL_BUDGETS)

# “三公” items as the input names them (三公经费.<item>), in the order most documents list them.
THREE_PUBLIC_ITEMS = ("因公出国境", "公务用车购置", "公务用车运行", "公务接待")


# Classification lines: every 类, 款 and 项 as paid by a group of sources (支出.2010504: all
# funds; 一般公共预算.201: the general budget), and general-budget basic expenditure by economic
# 类 and 款 (经济分类.30101).
EXPENSE = "支出"
FISCAL = "财政拨款"
FUND = "政府性基金"
SOE = "国有资本经营"
ECONOMIC = "经济分类"
LINE_GROUPS = (EXPENSE, FISCAL, GENERAL, FUND, SOE)
# What a list of lines may keep (f.lines(..., only=[...])), each decided in rules/factbook.py.
LINE_FILTERS = ("nonzero", "arranged", "changed", "reasoned", "leaves")
# A classification's levels, as formats name them, and the code length of each.
LEVELS = {"类": 1, "款": 2, "项": 3}
CODE_LENGTHS = {1: 3, 2: 5, 3: 7}


def line(group: str, code: str) -> str:
    """The key of one classification line: 支出.2010504, 经济分类.302."""
    return f"{group}.{code}"


def income(source: Source) -> str:
    return f"{INCOME}.{source.value}"


def general_line(code: str) -> str:
    """The general budget's spending on one function code (类, 款 or 项)."""
    return f"{GENERAL}.{code}"


def three_public(item: str) -> str:
    return f"三公经费.{item}"


FIXED = (
    INCOME_TOTAL, INCOME_FISCAL, INCOME_UNIT_FUNDS, EXPENSE_BASIC, EXPENSE_PROJECT, EXPENSE_TOTAL,
    FISCAL_TOTAL, FISCAL_BASIC, FISCAL_PROJECT, CARRY_TOTAL, GENERAL_BASIC, GENERAL_PROJECT, GENERAL_TOTAL, GENERAL_PERSONNEL,
    GENERAL_PUBLIC, FUND_TOTAL, SOE_TOTAL, OPERATING, THREE_PUBLIC_TOTAL, ABROAD, RECEPTION,
    VEHICLE_PURCHASE, VEHICLE_RUNNING, VEHICLES, PROCUREMENT_TOTAL, PROCUREMENT_GOODS,
    PROCUREMENT_WORKS, PROCUREMENT_SERVICES, PROCUREMENT_SME, PROCUREMENT_SMALL,
) + tuple(income(s) for s in Source) + FINAL_KEYS

# The keys that are patterns rather than names, as docs and messages show them.
PATTERNS = (f"{INCOME}.<资金来源>",) + tuple(f"{g}.<功能分类科目编码>" for g in LINE_GROUPS) + (f"{ECONOMIC}.<经济分类科目编码>",)

_LINE = re.compile(rf"^{GENERAL}\.\d{{3}}(\d{{2}}){{0,2}}$")
_ANY_LINE = re.compile(rf"^(?:{'|'.join(LINE_GROUPS)})\.\d{{3}}(\d{{2}}){{0,2}}$|^{ECONOMIC}\.\d{{3}}(\d{{2}})?$")


# The groups a bucket of the format's own is summed by (支出.单位预留机动经费 …).
BUCKET_GROUPS = (EXPENSE, FISCAL, GENERAL)


def is_known(key: str, own: dict | None = None) -> bool:
    """Tells whether key names a figure narrate computes, or one of the format's own fields (own:
    the profile's `fields`, name -> field or kind): an amount or count by its name, a bucket as
    支出.<name>, 财政拨款.<name>, 一般公共预算.<name>."""
    if key in FIXED or _ANY_LINE.match(key):
        return True
    own = own or {}
    kind = lambda name: getattr(own.get(name), "kind", own.get(name))  # noqa: E731
    if kind(key) in ("amount", "count"):
        return True
    head, _, tail = key.partition(".")
    return head in BUCKET_GROUPS and kind(tail) == "bucket"


def own_keys(own: dict) -> tuple[str, ...]:
    """Returns the fact keys the format's own fields add (for guesses and the reference)."""
    out: list[str] = []
    for name, field in own.items():
        kind = getattr(field, "kind", field)
        out += [f"{g}.{name}" for g in BUCKET_GROUPS] if kind == "bucket" else [name] if kind != "text" else []
    return tuple(out)


def split_line(key: str) -> tuple[str, str] | None:
    """Returns (group, code) of a classification line's key, else None."""
    return tuple(key.split(".", 1)) if _ANY_LINE.match(key) else None  # type: ignore[return-value]


def line_code(key: str) -> str | None:
    """Returns the function code of a 一般公共预算.<code> key, else None."""
    return key.split(".", 1)[1] if _LINE.match(key) else None
