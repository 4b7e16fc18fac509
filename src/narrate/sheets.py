"""The workbook format: its sheets, their columns and row labels, the keys of an .xlsx input.

A workbook holds what a YAML input holds (model.UnitFile), laid out the way officers keep budget
tables: `load/excel.py` reads it into the same tree the YAML loader makes, `convert/workbook.py`
writes it. Like model.py, this module spells keys only: every Chinese string here is a sheet name,
a column header, a row label or a choice of the workbook, most of them the model's own aliases.

Three shapes of sheet:

- a **fields** sheet: one row per field, its label in the first column; the values in the column
  内容, or (figures of a budget) in the columns 本年 / 上年 / 上年预算执行数. A `free` sheet takes
  any label as a key of one mapping (变动原因, 主要用途, 合计数).
- a **rows** sheet: one row per item of a list (支出, 项目 …), a two-row header (a group above its
  columns, 财政拨款 › 人员经费), and the column 口径 saying which budget the row belongs to. A row
  whose key column is blank continues the item above: it adds to its lists (立项依据, 预算明细).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from narrate import model
from narrate.model import PRIOR_BUDGET, MemberKind, Source, UnitKind


class Kind(StrEnum):
    """What a cell holds, which decides how its value becomes a tree value."""

    TEXT = "text"
    TEXTS = "texts"  # a list of texts: one item a row
    AMOUNT = "amount"  # money, in the workbook's 金额单位
    QUANTITY = "quantity"  # areas, scores: a number never scaled
    COUNT = "count"
    CODE = "code"
    DATE = "date"
    CHOICE = "choice"
    FLAG = "flag"  # 是 / 否


NUMBERS = (Kind.AMOUNT, Kind.QUANTITY, Kind.COUNT)

# The budgets a workbook holds, by the name its 口径 column and value columns use -> where that
# budget sits in the tree.
THIS_YEAR = "本年"
PRIOR = model.UnitFile.model_fields["prior"].alias
PRIOR_ACTUAL = model.UnitFile.model_fields["prior_actual"].alias
# Final accounts compare the year's actuals with its budgets and last year's actuals (决算).
FINAL_SETS = tuple(model.UnitFile.model_fields[n].alias for n in ("start_budget", "full_budget", "prior_final"))
SETS: dict[str, tuple[str, ...]] = {THIS_YEAR: (), PRIOR: (PRIOR,), PRIOR_ACTUAL: (PRIOR_ACTUAL,),
                                    **{name: (name,) for name in FINAL_SETS}}
SET_SYNONYMS = {PRIOR_BUDGET: PRIOR}  # 上年预算 is what the document calls 上年
SET_COLUMN = "口径"

YES, NO = "是", "否"
FLAGS = {YES: True, NO: False}

# The money unit line above a table's header, as budget tables print it: 单位：元, 金额单位：万元.
UNIT_WORD, MONEY_WORD, COLONS = "单位", "金额", (":", "：")
UNIT_LINE = re.compile(rf"^(?:{MONEY_WORD})?{UNIT_WORD}[{''.join(COLONS)}](\S+)$")
UNIT_LINE_TEXT = UNIT_WORD + COLONS[1] + "{unit}"
MONEY_UNIT_KEY = model.UnitFile.model_fields["money_unit"].alias
DOCUMENT_KEY = model.UnitFile.model_fields["document"].alias  # 公开类型: 预算 or 决算
FINAL_DOCUMENT = model.DocKind.FINAL.value

# The hidden sheet the code columns' drop-down lists read.
CATALOG_SHEET = "科目目录"

# A column the officer adds for notes of their own (备注, 备注2 …): never read.
REMARK = "备注"
# A money unit typed after an amount ("324.25万元", "1,846,500元") or in parentheses after a
# header ("人员经费（万元）", "本年(单位:元)"): the workbook's money unit, said again. Headers are
# matched after NFKC, so full-width parentheses and colons arrive as ASCII ones.
_UNITS = "|".join(sorted(map(re.escape, model.MONEY_UNITS), key=len, reverse=True))
AMOUNT_WITH_UNIT = re.compile(rf"^(.*?)\s*({_UNITS})$")
HEADER_WITH_UNIT = re.compile(rf"^(.+?)\((?:(?:{MONEY_WORD})?{UNIT_WORD}:)?({_UNITS})\)$")
# that unit in parentheses as typed, before NFKC: from the last opening parenthesis of either width
_OPEN = re.escape("(" + unicodedata.lookup("FULLWIDTH LEFT PARENTHESIS"))
UNIT_SUFFIX = re.compile(f"[{_OPEN}][^{_OPEN}]*$")


@dataclass(frozen=True)
class Column:
    """One column of a rows sheet: its header (under an optional group) and the value's path
    inside the item."""

    name: str
    path: tuple[str, ...]
    kind: Kind = Kind.TEXT
    group: str | None = None
    required: bool = False  # the model needs it in every item: a sheet with rows must have it
    choices: tuple[str, ...] = ()
    width: int = 14

    @property
    def header(self) -> tuple[str | None, str]:
        return self.group, self.name


@dataclass(frozen=True)
class Row:
    """One labelled row of a fields sheet and the path of its value."""

    label: str
    path: tuple[str, ...]
    kind: Kind = Kind.TEXT
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldsSheet:
    name: str
    rows: tuple[Row, ...]
    base: tuple[str, ...] = ()  # where a label the sheet does not know goes (validation names it)
    by_set: bool = True
    free: bool = False  # every label is a key of the mapping at `base`
    free_kind: Kind = Kind.TEXT
    free_key: Kind = Kind.TEXT
    label_header: str = "项目"
    value_header: str = "内容"


@dataclass(frozen=True)
class RowsSheet:
    name: str
    path: tuple[str, ...]  # the list it fills, inside a budget (by_set) or the file
    columns: tuple[Column, ...]
    key: str  # the column that starts an item; blank, the row continues the item above
    by_set: bool = True
    lists: tuple[str, ...] = ()  # groups whose cells add one item a row to a list of the item


def _rows(base: tuple[str, ...], record: type[model.Record], kind: Kind, skip: tuple[str, ...] = ()) -> tuple[Row, ...]:
    """Returns one row per field of record, labelled by its alias."""
    return tuple(
        Row(field.alias, base + (field.alias,), kind)
        for name, field in record.model_fields.items()
        if name not in skip
    )


# -- the sheets, in workbook order ----------------------------------------------------------------

UNIT = "单位信息"
MEMBERS = model.UnitInfo.model_fields["members"].alias  # 成员单位
STAFF = model.Budget.model_fields["staffing"].alias  # 人员
INCOME = model.Budget.model_fields["income"].alias  # 收入
EXPENSES = model.Budget.model_fields["expenses"].alias  # 支出
ECONOMIC = model.Budget.model_fields["economic"].alias  # 基本支出经济分类
PROJECTS = model.Budget.model_fields["projects"].alias  # 项目
INDICATORS = model.Project.model_fields["performance"].alias  # 绩效目标
NOTES = model.Budget.model_fields["project_notes"].alias  # 项目说明
THREE_PUBLIC = model.Budget.model_fields["three_public"].alias  # 三公经费
PROCUREMENT = model.Budget.model_fields["procurement"].alias  # 政府采购
ASSETS = model.Budget.model_fields["assets"].alias  # 国有资产
VEHICLES = model.Assets.model_fields["vehicles"].alias  # 车辆
CARRYOVER = model.Budget.model_fields["carryover"].alias  # 上年结转结余
PERFORMANCE = model.Budget.model_fields["performance"].alias  # 整体绩效
TOTALS = model.Budget.model_fields["totals"].alias  # 合计数
USES = model.UnitFile.model_fields["uses"].alias  # 主要用途
REASONS = model.UnitFile.model_fields["reasons"].alias  # 变动原因
TRANSLATIONS = model.UnitFile.model_fields["translations"].alias  # 英文译文
CHINESE, ENGLISH = "中文", "英文"  # the headers of the 英文译文 sheet

FACT_NAME = "数字名称"  # the label header of the sheets keyed by fact (变动原因, 合计数)
CODE = "科目"
NAME = "名称"
SOURCE = "资金来源"
AMOUNT = "金额"
VEHICLE_KIND = "车型"
BUY_VEHICLES = model.Assets.model_fields["buy_vehicle_counts"].alias  # 本年购置车辆
CLASS_GROUP = model.Project.model_fields["by_class"].alias  # 经济分类: the project's class columns
CLASS_HEADER = re.compile(r"^(\d+)")  # a class column's header starts with its code: 302 商品和服务支出
GOAL = model.ProjectPerformance.model_fields["goal"].alias  # 总体目标
INDICATOR_ROWS = model.ProjectPerformance.model_fields["indicators"].alias  # 指标
BUDGET_ITEMS = model.ProjectNote.model_fields["items"].alias  # 预算明细
TARGETED = model.Budget.model_fields["targeted"].alias  # 绩效目标项目

UNIT_KEY = model.UnitFile.model_fields["unit"].alias  # 单位
_FILE = model.UnitFile.model_fields
_UNIT_INFO = (UNIT_KEY,)
_INFO = model.UnitInfo.model_fields

UNIT_SHEET = FieldsSheet(
    UNIT,
    (
        Row("格式", ("格式",)),
        Row(MONEY_UNIT_KEY, (MONEY_UNIT_KEY,), Kind.CHOICE, tuple(model.MONEY_UNITS)),
        Row(NAME, _UNIT_INFO + (NAME,)),
        Row("年度", _UNIT_INFO + ("年度",), Kind.COUNT),
        Row("日期", _UNIT_INFO + ("日期",), Kind.DATE),
        Row("类型", _UNIT_INFO + ("类型",), Kind.CHOICE, tuple(UnitKind)),
        Row("地区", _UNIT_INFO + ("地区",)),
        Row("简介", _UNIT_INFO + ("简介",)),
        Row(_INFO["name_en"].alias, _UNIT_INFO + (_INFO["name_en"].alias,)),
        Row("主要职能", _UNIT_INFO + ("主要职能",), Kind.TEXTS),
        Row("内设机构", _UNIT_INFO + ("内设机构",), Kind.TEXTS),
        Row("下属单位", _UNIT_INFO + ("下属单位",), Kind.TEXTS),
        Row("其他事项", ("其他事项",)),
        Row("机关运行经费范围", ("机关运行经费范围",)),
        Row("上年文件", ("上年文件",)),
        Row(TRANSLATIONS, (TRANSLATIONS,)),
        Row(_FILE["document"].alias, (_FILE["document"].alias,), Kind.CHOICE, tuple(model.DocKind)),
        Row(_FILE["start_budget_file"].alias, (_FILE["start_budget_file"].alias,)),  # the file of translations; or the 英文译文 sheet
    ),
    by_set=False,
)

_MEMBER = model.Member.model_fields
MEMBERS_SHEET = RowsSheet(
    MEMBERS,
    _UNIT_INFO + (MEMBERS,),
    (
        Column(NAME, (NAME,), required=True, width=30),
        Column("性质", ("性质",), Kind.CHOICE, choices=tuple(MemberKind)),
        Column("本部", ("本部",), Kind.FLAG, choices=(YES, NO)),
        Column("单列预算", ("单列预算",), Kind.FLAG, choices=(YES, NO)),
        Column("内设机构", ("内设机构",), Kind.TEXTS, width=30),
        Column(_MEMBER["group"].alias, (_MEMBER["group"].alias,), width=24),
        Column(_MEMBER["file"].alias, (_MEMBER["file"].alias,), width=30),
    ),
    key=NAME,
    by_set=False,
)

STAFF_SHEET = FieldsSheet(STAFF, _rows((STAFF,), model.Staffing, Kind.COUNT), base=(STAFF,))

_DETAIL = model.Income.model_fields["unit_detail"].alias  # 单位资金明细
INCOME_SHEET = FieldsSheet(
    INCOME,
    _rows((INCOME,), model.Income, Kind.AMOUNT, skip=("unit_detail",))
    + tuple(Row(f"{_DETAIL}.{r.label}", (INCOME, _DETAIL, r.label), Kind.AMOUNT) for r in _rows((), model.UnitFunds, Kind.AMOUNT)),
    base=(INCOME,),
)

_SOURCES = tuple(s.value for s in Source)
OWN_GROUP = model.Cell.model_fields["own"].alias  # 格式金额: a line's buckets of the format's own
EXPENSES_SHEET = RowsSheet(
    EXPENSES,
    (EXPENSES,),
    (
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        Column(NAME, (NAME,), width=28),
        Column(SOURCE, (), Kind.CHOICE, choices=_SOURCES, width=20),  # the key of the cell below
        # a line's buckets of the format's own (格式金额) are columns under the group 格式金额,
        # one per name the input uses (OWN_GROUP): the reader takes any name, the check judges it
        *(Column(f.alias, (f.alias,), Kind.AMOUNT) for name, f in model.Cell.model_fields.items() if name != "own"),
    ),
    key=CODE,
)

ECONOMIC_SHEET = RowsSheet(
    ECONOMIC,
    (ECONOMIC,),
    (
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        Column(NAME, (NAME,), width=28),
        Column(AMOUNT, (AMOUNT,), Kind.AMOUNT, required=True),
    ),
    key=CODE,
)

PROJECTS_SHEET = RowsSheet(
    PROJECTS,
    (PROJECTS,),
    (
        Column(NAME, (NAME,), required=True, width=30),
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        Column(SOURCE, (SOURCE,), Kind.CHOICE, choices=_SOURCES, width=20),
        Column(AMOUNT, (AMOUNT,), Kind.AMOUNT),
        # the 经济分类 columns (one per class, `CLASS_HEADER`) come here: the profile's classes
        Column("政策依据", ("政策依据",), width=30),
        Column("资金分配", ("资金分配",), width=30),
        Column("承担单位", ("承担单位",), width=20),
        Column("执行期", ("执行期",), width=20),
        Column("负责人", ("负责人",)),
        Column(GOAL, (INDICATORS, GOAL), width=40),
    ),
    key=NAME,
)
CLASS_COLUMNS_AFTER = AMOUNT  # the class columns follow this column

_INDICATOR_KINDS = {"分值": Kind.QUANTITY}
INDICATORS_SHEET = RowsSheet(
    INDICATORS,
    (),  # each row joins the project its 项目 column names, or the unit's 整体绩效
    (
        Column(PROJECTS, (), width=30, required=True),
        *(
            Column(f.alias, (f.alias,), _INDICATOR_KINDS.get(f.alias, Kind.TEXT), required=f.is_required(), width=18)
            for f in model.Indicator.model_fields.values()
        ),
    ),
    key=PROJECTS,
)

_NOTE = model.ProjectNote.model_fields
NOTES_SHEET = RowsSheet(
    NOTES,
    (NOTES,),
    (
        Column(NAME, (NAME,), required=True, width=30),
        Column("概述", ("概述",), width=30),
        Column("立项依据", ("立项依据",), Kind.TEXTS, width=40),
        Column("实施主体", ("实施主体",), width=20),
        Column("实施方案", ("实施方案",), width=40),
        Column("实施周期", ("实施周期",), width=20),
        Column(NAME, (NAME,), group=BUDGET_ITEMS, width=24),
        Column(AMOUNT, (AMOUNT,), Kind.AMOUNT, group=BUDGET_ITEMS),
        Column(AMOUNT, (AMOUNT,), Kind.AMOUNT),
        Column(INDICATORS, (INDICATORS,), width=30),
    ),
    key=NAME,
    lists=(BUDGET_ITEMS,),
)

THREE_PUBLIC_SHEET = FieldsSheet(
    THREE_PUBLIC,
    _rows((THREE_PUBLIC,), model.ThreePublic, Kind.AMOUNT)
    + (Row(model.Budget.model_fields["operating_typed"].alias, (model.Budget.model_fields["operating_typed"].alias,), Kind.AMOUNT),),
    base=(THREE_PUBLIC,),
)

PROCUREMENT_SHEET = FieldsSheet(PROCUREMENT, _rows((PROCUREMENT,), model.Procurement, Kind.AMOUNT, skip=("items",)), base=(PROCUREMENT,))

_ITEM = model.ProcurementItem.model_fields
PROCUREMENT_ITEMS = model.Procurement.model_fields["items"].alias  # 明细
PROCUREMENT_ITEMS_SHEET = RowsSheet(
    PROCUREMENT + PROCUREMENT_ITEMS,  # 政府采购明细: one item a row
    (PROCUREMENT, PROCUREMENT_ITEMS),
    (
        Column(_ITEM["kind"].alias, (_ITEM["kind"].alias,), Kind.CHOICE, required=True, choices=tuple(model.ProcurementKind), width=10),
        Column(_ITEM["project"].alias, (_ITEM["project"].alias,), width=28),
        # a code (30213) or, where there is none, the name (维修（护）费)
        Column(_ITEM["econ"].alias, (_ITEM["econ"].alias,), width=20),
        Column(_ITEM["item"].alias, (_ITEM["item"].alias,), required=True, width=28),
        Column(_ITEM["method"].alias, (_ITEM["method"].alias,), width=16),
        Column(_ITEM["amount"].alias, (_ITEM["amount"].alias,), Kind.AMOUNT, required=True),
    ),
    key=_ITEM["kind"].alias,
)

_ASSET_KINDS = {"as_of": Kind.DATE, "building_area": Kind.QUANTITY, "equipment_50": Kind.COUNT, "equipment_100": Kind.COUNT,
                "buy_equipment_50": Kind.COUNT, "buy_equipment_100": Kind.COUNT}
ASSETS_SHEET = FieldsSheet(
    ASSETS,
    tuple(
        Row(f.alias, (ASSETS, f.alias), _ASSET_KINDS.get(name, Kind.AMOUNT))
        for name, f in model.Assets.model_fields.items()
        if name not in ("vehicles", "buy_vehicle_counts")
    ),
    base=(ASSETS,),
)

_HOLDING = model.Holding.model_fields
VEHICLES_SHEET = RowsSheet(
    VEHICLES,
    (ASSETS,),  # 车辆 (kind -> 数量, 价值) and 本年购置车辆 (kind -> count) of 国有资产
    (
        Column(VEHICLE_KIND, (), required=True, width=20),
        Column(_HOLDING["count"].alias, (VEHICLES, _HOLDING["count"].alias), Kind.COUNT),
        Column(_HOLDING["value"].alias, (VEHICLES, _HOLDING["value"].alias), Kind.AMOUNT),
        Column(BUY_VEHICLES, (BUY_VEHICLES,), Kind.COUNT),
    ),
    key=VEHICLE_KIND,
)

_HALF = tuple(f.alias for f in model.CarryHalf.model_fields.values())
_FISCAL, _OTHER = (model.CarryItem.model_fields[n].alias for n in ("fiscal", "other"))
CARRYOVER_SHEET = RowsSheet(
    CARRYOVER,
    (CARRYOVER,),
    (
        Column(NAME, (NAME,), required=True, width=30),
        *(Column(h, (g, h), Kind.AMOUNT, group=g) for g in (_FISCAL, _OTHER) for h in _HALF),
    ),
    key=NAME,
)

PERFORMANCE_SHEET = FieldsSheet(
    PERFORMANCE,
    (
        Row("联系人", (PERFORMANCE, "联系人")),
        Row("联系电话", (PERFORMANCE, "联系电话")),
        Row("年度目标", (PERFORMANCE, "年度目标"), Kind.TEXTS),
        Row(".".join((TARGETED, "个数")), (TARGETED, "个数"), Kind.COUNT),
        Row(".".join((TARGETED, AMOUNT)), (TARGETED, AMOUNT), Kind.AMOUNT),
    ),
    base=(PERFORMANCE,),
)

TARGETED_ITEMS = model.TargetedProjects.model_fields["items"].alias  # 明细
TARGETED_ITEMS_SHEET = RowsSheet(
    TARGETED + TARGETED_ITEMS,  # 绩效目标项目明细
    (TARGETED, TARGETED_ITEMS),
    (Column(NAME, (NAME,), required=True, width=30), Column(AMOUNT, (AMOUNT,), Kind.AMOUNT)),
    key=NAME,
)

TOTALS_SHEET = FieldsSheet(TOTALS, (), base=(TOTALS,), free=True, free_kind=Kind.AMOUNT, label_header=FACT_NAME)
USES_SHEET = FieldsSheet(USES, (), base=(USES,), by_set=False, free=True, free_key=Kind.CODE, label_header=CODE, value_header=USES)
REASONS_SHEET = FieldsSheet(REASONS, (), base=(REASONS,), by_set=False, free=True, label_header=FACT_NAME, value_header=REASONS)
OWN_AMOUNTS = model.Budget.model_fields["own_amounts"].alias  # 格式金额
OWN_COUNTS = model.Budget.model_fields["own_counts"].alias  # 格式数量
OWN_TEXTS = model.UnitFile.model_fields["own_texts"].alias  # 格式文字
FIELD_NAME = "字段名称"  # the label header of the sheets of the format's own fields
OWN_AMOUNTS_SHEET = FieldsSheet(OWN_AMOUNTS, (), base=(OWN_AMOUNTS,), free=True, free_kind=Kind.AMOUNT, label_header=FIELD_NAME)
OWN_COUNTS_SHEET = FieldsSheet(OWN_COUNTS, (), base=(OWN_COUNTS,), free=True, free_kind=Kind.COUNT, label_header=FIELD_NAME)
OPTIONS = model.UnitFile.model_fields["options"].alias  # 选项
OPTION_NAME, OPTION_CHOICE = "选项名称", "所选"
OPTIONS_SHEET = FieldsSheet(OPTIONS, (), base=(OPTIONS,), by_set=False, free=True, label_header=OPTION_NAME, value_header=OPTION_CHOICE)
OWN_TEXTS_SHEET = FieldsSheet(OWN_TEXTS, (), base=(OWN_TEXTS,), by_set=False, free=True, label_header=FIELD_NAME, value_header=OWN_TEXTS)
TRANSLATIONS_SHEET = FieldsSheet(TRANSLATIONS, (), base=(TRANSLATIONS,), by_set=False, free=True, label_header=CHINESE, value_header=ENGLISH)

# -- final accounts (决算): what only they have, under the file's 决算 ------------------------------

FINAL = _FILE["final"].alias  # 决算
_FINAL = model.FinalAccounts.model_fields
FINAL_INCOME = "决算收入"
FINAL_OTHER = "决算其他支出"
FINAL_INCOME_SHEET = RowsSheet(
    FINAL_INCOME,
    (FINAL, _FINAL["income"].alias),
    (
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        Column(NAME, (NAME,), width=28),
        *(Column(f.alias, (f.alias,), Kind.AMOUNT) for n, f in model.FinalIncomeLine.model_fields.items()
          if n not in ("code", "name")),
    ),
    key=CODE,
    by_set=False,
)
FINAL_OTHER_SHEET = RowsSheet(
    FINAL_OTHER,
    (FINAL, _FINAL["other_spending"].alias),
    (
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        *(Column(f.alias, (f.alias,), Kind.AMOUNT) for n, f in model.FinalOtherSpending.model_fields.items()
          if n != "code"),
    ),
    key=CODE,
    by_set=False,
)
_BAL = (FINAL, _FINAL["balances"].alias)
BALANCES_SHEET = FieldsSheet(
    _FINAL["balances"].alias,
    tuple(Row(f.alias, _BAL + (f.alias,), Kind.AMOUNT) for n, f in model.Balances.model_fields.items()
          if n not in ("fiscal_opening", "fiscal_closing"))
    + tuple(Row(f"{model.Balances.model_fields[half].alias}.{f.alias}",
                _BAL + (model.Balances.model_fields[half].alias, f.alias), Kind.AMOUNT)
            for half in ("fiscal_opening", "fiscal_closing") for f in model.FiscalBalance.model_fields.values()),
    base=_BAL,
    by_set=False,
)
# 财政拨款结转和结余明细: a line a row, each budget a group of two columns (年初 / 年末结转和结余)
BALANCE_LINES = _FINAL["balance_lines"].alias
_LINE_HALVES = tuple(f.alias for f in model.LineBalance.model_fields.values())
BALANCE_LINES_SHEET = RowsSheet(
    BALANCE_LINES,
    (FINAL, BALANCE_LINES),
    (
        Column(CODE, (CODE,), Kind.CODE, required=True, width=12),
        Column(NAME, (NAME,), width=28),
        *(Column(h, (f.alias, h), Kind.AMOUNT, group=f.alias)
          for n, f in model.FiscalBalanceLine.model_fields.items() if n not in ("code", "name") for h in _LINE_HALVES),
    ),
    key=CODE,
    by_set=False,
)
_COUNTS = (FINAL, _FINAL["counts"].alias)
COUNTS_SHEET = FieldsSheet(
    _FINAL["counts"].alias,
    tuple(Row(f.alias, _COUNTS + (f.alias,), Kind.AMOUNT if n == "foreign_amount" else Kind.COUNT)
          for n, f in model.ThreePublicCounts.model_fields.items()),
    base=_COUNTS,
    by_set=False,
)
_USES3 = (FINAL, _FINAL["three_public_uses"].alias)
THREE_PUBLIC_USES_SHEET = FieldsSheet(_USES3[1], (), base=_USES3, by_set=False, free=True, label_header=THREE_PUBLIC,
                                      value_header=_USES3[1])
_AWARDS = (FINAL, _FINAL["awards"].alias)
AWARDS_SHEET = FieldsSheet(_AWARDS[1], _rows(_AWARDS, model.ProcurementAwards, Kind.AMOUNT), base=_AWARDS, by_set=False)
_PM = (FINAL, _FINAL["performance"].alias)
_PMF = model.PerformanceManagement.model_fields
_GROUPS = tuple(_PMF[n].alias for n in ("targeted", "tracked", "evaluated"))
PERFORMANCE_MANAGEMENT_SHEET = FieldsSheet(
    _PM[1],
    (
        Row(_PMF["rules"].alias, _PM + (_PMF["rules"].alias,), Kind.TEXTS),
        Row(_PMF["mechanism"].alias, _PM + (_PMF["mechanism"].alias,)),
        *(Row(f"{g}.{f.alias}", _PM + (g, f.alias), Kind.COUNT if n == "count" else Kind.AMOUNT)
          for g in _GROUPS for n, f in model.ProjectGroup.model_fields.items()),
        Row(_PMF["score"].alias, _PM + (_PMF["score"].alias,), Kind.QUANTITY),
        *(Row(f"{_PMF['grades'].alias}.{f.alias}", _PM + (_PMF["grades"].alias, f.alias), Kind.COUNT)
          for f in model.Grades.model_fields.values()),
        *(Row(_PMF[n].alias, _PM + (_PMF[n].alias,), Kind.COUNT) for n in ("problems", "fixed", "fixing")),
    ),
    base=_PM,
    by_set=False,
)
_DIFF = (FINAL, _FINAL["budget_reasons"].alias)
BUDGET_REASONS_SHEET = FieldsSheet(_DIFF[1], (), base=_DIFF, by_set=False, free=True, label_header=FACT_NAME,
                                   value_header=_DIFF[1])
FINAL_SHEETS = (FINAL_INCOME_SHEET, FINAL_OTHER_SHEET, BALANCES_SHEET, BALANCE_LINES_SHEET, COUNTS_SHEET, THREE_PUBLIC_USES_SHEET,
                AWARDS_SHEET, PERFORMANCE_MANAGEMENT_SHEET, BUDGET_REASONS_SHEET)

SHEETS: tuple[FieldsSheet | RowsSheet, ...] = (
    UNIT_SHEET, MEMBERS_SHEET, STAFF_SHEET, INCOME_SHEET, EXPENSES_SHEET, ECONOMIC_SHEET, PROJECTS_SHEET,
    INDICATORS_SHEET, NOTES_SHEET, THREE_PUBLIC_SHEET, PROCUREMENT_SHEET, PROCUREMENT_ITEMS_SHEET, ASSETS_SHEET, VEHICLES_SHEET,
    CARRYOVER_SHEET, PERFORMANCE_SHEET, TARGETED_ITEMS_SHEET, TOTALS_SHEET, USES_SHEET, REASONS_SHEET, TRANSLATIONS_SHEET,
    OWN_AMOUNTS_SHEET, OWN_COUNTS_SHEET, OWN_TEXTS_SHEET, OPTIONS_SHEET,
) + FINAL_SHEETS
BY_NAME = {sheet.name: sheet for sheet in SHEETS}
REQUIRED = (UNIT,)


def keys() -> frozenset[str]:
    """Returns every key of the workbook format: sheet names, headers, labels and choices."""
    out = {THIS_YEAR, PRIOR, PRIOR_ACTUAL, PRIOR_BUDGET, SET_COLUMN, YES, NO, CATALOG_SHEET, UNIT_LINE_TEXT,
           UNIT_WORD, MONEY_WORD, *COLONS, FACT_NAME, FIELD_NAME, VEHICLE_KIND, REMARK}
    for sheet in SHEETS:
        out.add(sheet.name)
        if isinstance(sheet, FieldsSheet):
            out.update((sheet.label_header, sheet.value_header))
            out.update(r.label for r in sheet.rows)
            out.update(c for r in sheet.rows for c in r.choices)
        else:
            out.update(c.name for c in sheet.columns)
            out.update(c.group for c in sheet.columns if c.group)
            out.update(x for c in sheet.columns for x in c.choices)
    return frozenset(out)
