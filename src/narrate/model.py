"""The budget model: what one input file holds, and the unit it becomes.

Two layers:

- the **file schema** (`UnitFile` and the records under it) mirrors the input format
  (docs/input-format.md) one to one: field names are English, their aliases are the Chinese keys
  an officer types. This year's figures sit at the top of the file, as officers write them.
- the **unit** (`Unit`) is what every later stage reads: the unit's information, this year's
  `Budget`, named comparison sets (上年预算, 上年预算执行数 …), each a `Budget` that may be partial
  (totals only), and the officer's words. Budgets add (`compute.add`).

Every record is frozen; every amount is a Decimal in 万元, never negative (an input in 元 is
scaled on validation, see `MONEY_SCALE`). Nothing here is computed: totals live in compute.py.
This module and facts.py hold every Chinese key narrate reads; nothing else spells one.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError

from narrate.money import ZERO, total

# XML 1.0 forbids the C0 controls but tab/CR/LF, and U+FFFE/U+FFFF; U+E000–U+E004 mark
# generated figures inside rendered phrases (blocks.py), so user text may not carry them.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff\ue000-\ue004]")

# The input's money unit (file key 金额单位) -> how many of it make one 万元.
MONEY_UNITS = {"万元": Decimal(1), "元": Decimal(10000)}
DEFAULT_MONEY_UNIT = "万元"
MONEY_SCALE = "money_scale"  # the validation-context key that carries the divisor

# The range of a figure (docs/input-format.md, 输入的上限): 10^12 万元 is 10^16 元, hundreds of
# times any national budget; 6 decimals of 万元 is one 分. Within them every total, change rate
# and its rounding (money.round2) stays inside Decimal's 28 digits: 1e-27 against 10 would not.
MAX_AMOUNT = Decimal(10) ** 12
AMOUNT_PLACES = 6
MAX_COUNT = 10**9
_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")


def xml_safe(text: str) -> str:
    """Returns user text without the characters XML 1.0 cannot hold (they would corrupt the
    .docx) or that mark figures, stripped."""
    return _XML_UNSAFE.sub("", text).strip()


def _blank(value: object) -> bool:
    """Returns whether value is "not given": nothing after the colon, or text cleaning empties."""
    return value is None or (isinstance(value, str) and not xml_safe(value))


def _xml_safe(text: str) -> str:
    cleaned = xml_safe(text)
    if not cleaned:
        raise PydanticCustomError("empty_text", "empty text")
    return cleaned


def _not_number(value: object, kind: str) -> PydanticCustomError:
    """Returns the error for a value that is not a number, saying why when it looks like one."""
    if isinstance(value, str):
        # Quotes make YAML text, everywhere alike (联系电话 is quoted to stay text); and an
        # IME's full-width digits are refused for every number, with the ASCII spelling to use.
        ascii_form = unicodedata.normalize("NFKC", value).strip()
        if _NUMBER.fullmatch(value.strip()):
            return PydanticCustomError("quoted_number", "quoted number")
        if _NUMBER.fullmatch(ascii_form):
            return PydanticCustomError("fullwidth_number", "full-width digits", {"ascii": ascii_form})
    return PydanticCustomError(kind, "not a number")


def _amount(value: object) -> Decimal:
    # bool is an int to Python; to a budget it is a typo.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _not_number(value, "not_amount")
    amount = Decimal(value)
    if not amount.is_finite():
        raise _not_number(value, "not_amount")
    return abs(amount) if amount.is_zero() else amount  # -0.00 would print as "-0.00"


def _whole(value: object) -> int:
    # A count is written as a whole number: 8.0 or 1e3 is refused, not rounded.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _not_number(value, "not_count")
    if value > MAX_COUNT:
        raise PydanticCustomError("count_too_large", "too large", {"limit": str(MAX_COUNT)})
    return value


def _year(value: object) -> int:
    year = _whole(value)
    if not 2000 <= year <= 2100:
        raise PydanticCustomError("bad_year", "implausible year")
    return year


def _date(value: object) -> object:
    # pydantic would read a number as seconds since 1970.
    if isinstance(value, (bool, int, Decimal)):
        raise PydanticCustomError("bad_date", "not a date")
    return value


def _code_text(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and _CODE.fullmatch(unicodedata.normalize("NFKC", value)) and not _CODE.fullmatch(value):
        raise _not_number(value, "bad_code")
    return value


def _keys_as_text(value: object) -> object:
    # A blank entry (`201:` with nothing after it) is not given, like a blank field.
    if isinstance(value, dict):
        return {_code_text(k): v for k, v in value.items() if not _blank(v)}
    return value


def _present(value: object) -> object:
    if value is None:
        raise PydanticCustomError("empty_text", "empty")
    return value


_CODE = re.compile(r"[0-9]{3}([0-9]{2}){0,2}")

def _to_wan(value: Decimal, info: ValidationInfo) -> Decimal:
    # Amounts are kept in 万元 whatever unit the file is written in; the division is exact. The
    # range and the fen are checked in the file's own unit, so the message speaks its language.
    scale = (info.context or {}).get(MONEY_SCALE) or Decimal(1)
    _in_range(value, scale)
    return value / scale if scale != 1 else value


def _in_range(value: Decimal, scale: Decimal = Decimal(1)) -> Decimal:
    if value > MAX_AMOUNT * scale:
        raise PydanticCustomError("amount_too_large", "too large", {"limit": f"{MAX_AMOUNT * scale:f}"})
    places = AMOUNT_PLACES - (len(str(int(scale))) - 1)  # 万元: 6 decimals, 元: 2 (one 分 either way)
    if value.quantize(Decimal(10) ** -places) != value:  # 1.0000000 is fine: it is 1
        raise PydanticCustomError("amount_too_precise", "too many decimals", {"places": str(places)})
    return value


Text = Annotated[str, BeforeValidator(_present), AfterValidator(_xml_safe)]
Money = Annotated[Decimal, BeforeValidator(_amount), Field(ge=0), AfterValidator(_to_wan)]
Quantity = Annotated[Decimal, BeforeValidator(_amount), Field(ge=0), AfterValidator(_in_range)]  # areas, scores: never scaled
Count = Annotated[int, BeforeValidator(_whole), Field(ge=0)]
Year = Annotated[int, BeforeValidator(_year)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Code = Annotated[str, BeforeValidator(_code_text), Field(pattern=_CODE.pattern.join("^$"))]


@lru_cache(maxsize=None)
def _optional_keys(cls: type[BaseModel]) -> frozenset[str]:
    return frozenset(key for name, f in cls.model_fields.items() if not f.is_required() for key in (name, f.alias))


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_not_given(cls, data: object) -> object:
        # An optional field left blank takes its default; a required one stays, to be reported.
        if not isinstance(data, Mapping) or not any(_blank(v) for v in data.values()):
            return data
        optional = _optional_keys(cls)
        return {k: v for k, v in data.items() if not (k in optional and _blank(v))}


class Source(StrEnum):
    """Funding sources, in the order of the income tables. Values are the input keys."""

    GENERAL = "一般公共预算"
    GENERAL_TRANSFER = "上级一般公共预算转移支付"
    FUND = "政府性基金"
    FUND_TRANSFER = "上级政府性基金转移支付"
    SOE = "国有资本经营"
    SOE_TRANSFER = "上级国有资本经营转移支付"
    SPECIAL = "财政专户"
    UNIT = "单位资金"
    # 单位资金 by kind, for regions whose tables split it per line (上海: 事业收入 …)
    UNIT_BUSINESS = "事业收入"
    UNIT_SUPERIOR = "上级补助收入"
    UNIT_AFFILIATED = "附属单位上缴收入"
    UNIT_OPERATING = "事业单位经营收入"
    UNIT_OTHER = "其他收入"
    CARRY_GENERAL = "上年结转一般公共预算"
    CARRY_FUND = "上年结转政府性基金"
    CARRY_SOE = "上年结转国有资本经营"
    CARRY_SPECIAL = "上年结余财政专户"
    CARRY_UNIT = "上年结余单位资金"


GENERAL_BUDGET = (Source.GENERAL, Source.GENERAL_TRANSFER)
GOV_FUND = (Source.FUND, Source.FUND_TRANSFER)
SOE_BUDGET = (Source.SOE, Source.SOE_TRANSFER)
FISCAL = GENERAL_BUDGET + GOV_FUND + SOE_BUDGET
UNIT_FUNDS = (Source.UNIT, Source.UNIT_BUSINESS, Source.UNIT_SUPERIOR, Source.UNIT_AFFILIATED,
              Source.UNIT_OPERATING, Source.UNIT_OTHER)
THIS_YEAR = FISCAL + (Source.SPECIAL,) + UNIT_FUNDS
CARRY_FISCAL = (Source.CARRY_GENERAL, Source.CARRY_FUND, Source.CARRY_SOE)
CARRY_OTHER = (Source.CARRY_SPECIAL, Source.CARRY_UNIT)
CARRY = CARRY_FISCAL + CARRY_OTHER


_FIELDS = {s: s.name.lower() for s in Source}


def _source_field(source: Source) -> str:
    return _FIELDS[source]


class Cell(Record):
    """What one funding source pays for one function line."""

    personnel: Money | None = Field(None, alias="人员经费")
    public: Money | None = Field(None, alias="公用经费")
    basic_typed: Money | None = Field(None, alias="基本支出")
    project: Money = Field(ZERO, alias="项目支出")
    # Buckets of the format's own beside 基本支出 and 项目支出 (单位预留机动经费), by name.
    own: dict[Text, Money] = Field({}, alias="格式金额")

    @property
    def split_known(self) -> bool:
        return self.personnel is not None or self.public is not None

    @property
    def basic(self) -> Decimal:
        """Basic expenditure: personnel + public when split, else the typed 基本支出."""
        if self.split_known:
            return (self.personnel or ZERO) + (self.public or ZERO)
        return self.basic_typed or ZERO

    @property
    def own_total(self) -> Decimal:
        return sum(self.own.values(), ZERO)

    @property
    def amount(self) -> Decimal:
        return self.basic + self.project + self.own_total


class _BySource(Record):
    """A record with one optional field per funding source, named after the source."""

    def typed(self, source: Source):
        return getattr(self, _source_field(source))


class ExpenseLine(_BySource):
    """One function-classification line (项, or 款/类 where a unit budgets at that level)."""

    code: Code = Field(alias="科目")
    name: Text | None = Field(None, alias="名称")
    general: Cell | None = Field(None, alias=Source.GENERAL.value)
    general_transfer: Cell | None = Field(None, alias=Source.GENERAL_TRANSFER.value)
    fund: Cell | None = Field(None, alias=Source.FUND.value)
    fund_transfer: Cell | None = Field(None, alias=Source.FUND_TRANSFER.value)
    soe: Cell | None = Field(None, alias=Source.SOE.value)
    soe_transfer: Cell | None = Field(None, alias=Source.SOE_TRANSFER.value)
    special: Cell | None = Field(None, alias=Source.SPECIAL.value)
    unit: Cell | None = Field(None, alias=Source.UNIT.value)
    unit_business: Cell | None = Field(None, alias=Source.UNIT_BUSINESS.value)
    unit_superior: Cell | None = Field(None, alias=Source.UNIT_SUPERIOR.value)
    unit_affiliated: Cell | None = Field(None, alias=Source.UNIT_AFFILIATED.value)
    unit_operating: Cell | None = Field(None, alias=Source.UNIT_OPERATING.value)
    unit_other: Cell | None = Field(None, alias=Source.UNIT_OTHER.value)
    carry_general: Cell | None = Field(None, alias=Source.CARRY_GENERAL.value)
    carry_fund: Cell | None = Field(None, alias=Source.CARRY_FUND.value)
    carry_soe: Cell | None = Field(None, alias=Source.CARRY_SOE.value)
    carry_special: Cell | None = Field(None, alias=Source.CARRY_SPECIAL.value)
    carry_unit: Cell | None = Field(None, alias=Source.CARRY_UNIT.value)

    def cells(self) -> tuple[tuple[Source, Cell], ...]:
        """Returns the (source, cell) pairs this line fills, in source order."""
        return self._cells

    @cached_property
    def _cells(self) -> tuple[tuple[Source, Cell], ...]:
        # The line is frozen and the sums ask this of every line many times.
        return tuple((s, cell) for s in Source if (cell := self.typed(s)) is not None)

    def cell(self, source: Source) -> Cell | None:
        return self.typed(source)


class EconLine(Record):
    """One economic-classification line of general-budget basic expenditure (表6)."""

    code: Code = Field(alias="科目")
    name: Text | None = Field(None, alias="名称")
    amount: Money = Field(alias="金额")


class Indicator(Record):
    """One row of a performance-target table."""

    level1: Text = Field(alias="一级指标")
    level2: Text = Field(alias="二级指标")
    level3: Text = Field(alias="三级指标")
    value: Text = Field(alias="指标值")
    basis: Text = Field("", alias="设置依据")
    last_year: Text | None = Field(None, alias="上年完成值")  # None: the profile's word for new
    weight: Quantity = Field(alias="分值")
    scoring: Text = Field("", alias="赋分规则")
    evidence: Text = Field("", alias="佐证资料")


class ProjectPerformance(Record):
    goal: Text = Field("", alias="总体目标")
    indicators: tuple[Indicator, ...] = Field((), alias="指标")


class Project(Record):
    """One project of the project list (表7 and the project explanations)."""

    name: Text = Field(alias="名称")
    code: Code = Field(alias="科目")
    source: Source = Field(Source.GENERAL, alias="资金来源")
    by_class: Annotated[dict[Code, Money], BeforeValidator(_keys_as_text)] = Field(alias="经济分类")
    amount_typed: Money | None = Field(None, alias="金额")
    basis: Text = Field("", alias="政策依据")
    allocation: Text = Field("", alias="资金分配")
    executor: Text | None = Field(None, alias="承担单位")
    period: Text = Field("", alias="执行期")
    leader: Text = Field("", alias="负责人")
    performance: ProjectPerformance | None = Field(None, alias="绩效目标")

    @property
    def amount(self) -> Decimal:
        return total(self.by_class.values())


class BudgetItem(Record):
    """One line of a project's annual budget (年度预算安排): what it is for, how much."""

    name: Text = Field(alias="名称", min_length=1)
    amount: Money = Field(alias="金额")


class ProjectNote(Record):
    """A project's own explanation (项目经费情况说明), as a department publishes its key projects."""

    name: Text = Field(alias="名称", min_length=1)
    summary: Text = Field("", alias="概述")
    grounds: tuple[Text, ...] = Field((), alias="立项依据")
    executor: Text | None = Field(None, alias="实施主体")
    plan: Text = Field("", alias="实施方案")
    period: Text = Field("", alias="实施周期")
    items: tuple[BudgetItem, ...] = Field((), alias="预算明细")
    amount_typed: Money | None = Field(None, alias="金额")
    goals: Text = Field("", alias="绩效目标")


class ThreePublic(Record):
    """财政拨款“三公”经费 (general budget)."""

    abroad: Money = Field(ZERO, alias="因公出国境")
    reception: Money = Field(ZERO, alias="公务接待")
    vehicle_purchase: Money = Field(ZERO, alias="公务用车购置")
    vehicle_running: Money = Field(ZERO, alias="公务用车运行")
    vehicles_typed: Money | None = Field(None, alias="公务用车小计")
    total_typed: Money | None = Field(None, alias="合计")


class UnitFunds(Record):
    business: Money = Field(ZERO, alias="事业收入")
    superior: Money = Field(ZERO, alias="上级补助收入")
    affiliated: Money = Field(ZERO, alias="附属单位上缴收入")
    operating: Money = Field(ZERO, alias="事业单位经营收入")
    other: Money = Field(ZERO, alias="其他收入")


class Income(_BySource):
    """Income by source as the officer's income table shows it; checked, never trusted."""

    general: Money | None = Field(None, alias=Source.GENERAL.value)
    general_transfer: Money | None = Field(None, alias=Source.GENERAL_TRANSFER.value)
    fund: Money | None = Field(None, alias=Source.FUND.value)
    fund_transfer: Money | None = Field(None, alias=Source.FUND_TRANSFER.value)
    soe: Money | None = Field(None, alias=Source.SOE.value)
    soe_transfer: Money | None = Field(None, alias=Source.SOE_TRANSFER.value)
    special: Money | None = Field(None, alias=Source.SPECIAL.value)
    unit: Money | None = Field(None, alias=Source.UNIT.value)
    unit_business: Money | None = Field(None, alias=Source.UNIT_BUSINESS.value)
    unit_superior: Money | None = Field(None, alias=Source.UNIT_SUPERIOR.value)
    unit_affiliated: Money | None = Field(None, alias=Source.UNIT_AFFILIATED.value)
    unit_operating: Money | None = Field(None, alias=Source.UNIT_OPERATING.value)
    unit_other: Money | None = Field(None, alias=Source.UNIT_OTHER.value)
    carry_general: Money | None = Field(None, alias=Source.CARRY_GENERAL.value)
    carry_fund: Money | None = Field(None, alias=Source.CARRY_FUND.value)
    carry_soe: Money | None = Field(None, alias=Source.CARRY_SOE.value)
    carry_special: Money | None = Field(None, alias=Source.CARRY_SPECIAL.value)
    carry_unit: Money | None = Field(None, alias=Source.CARRY_UNIT.value)
    unit_detail: UnitFunds | None = Field(None, alias="单位资金明细")
    total_typed: Money | None = Field(None, alias="合计")


class ProcurementKind(StrEnum):
    """政府采购品目大类, in the order the tables list them (A goods, B works, C services)."""

    GOODS = "货物"
    WORKS = "工程"
    SERVICES = "服务"


# What an economic item is written as in a procurement item: a code of the economic
# classification (30213), or its name where the officer has no code (维修（护）费).
EconRef = Annotated[str, BeforeValidator(_code_text), BeforeValidator(_present), AfterValidator(_xml_safe)]
ECON_CODE_COLUMN = "经济科目编码"  # a procurement table's column of the items' economic codes


class ProcurementItem(Record):
    """One item of the procurement budget (政府采购明细): its category, the project (专项) and
    economic item it is paid from, what is bought (品目), how it is procured, and the amount."""

    kind: ProcurementKind = Field(alias="类别")
    project: Text | None = Field(None, alias="项目")
    econ: EconRef | None = Field(None, alias="经济科目")
    item: Text = Field(alias="品目")
    method: Text | None = Field(None, alias="组织形式")
    amount: Money = Field(alias="金额")

    @property
    def econ_code(self) -> str | None:
        """The economic code, when the item names its economic item by code."""
        return self.econ if self.econ is not None and _CODE.fullmatch(self.econ) else None


class Procurement(Record):
    """政府采购: the amount of each category, and what is reserved for small enterprises. Where
    the items are given (明细) each category's amount is their sum, and a typed amount (货物,
    工程, 服务, 合计) is a total the checks compare with it."""

    goods_typed: Money | None = Field(None, alias=ProcurementKind.GOODS.value)
    works_typed: Money | None = Field(None, alias=ProcurementKind.WORKS.value)
    services_typed: Money | None = Field(None, alias=ProcurementKind.SERVICES.value)
    total_typed: Money | None = Field(None, alias="合计")
    sme: Money = Field(ZERO, alias="面向中小企业预留")
    small_micro: Money = Field(ZERO, alias="其中小微企业预留")
    items: tuple[ProcurementItem, ...] = Field((), alias="明细")

    @staticmethod
    def typed_field(kind: ProcurementKind) -> str:
        """Returns the name of the field a category's typed amount is in."""
        return _KIND_FIELDS[kind]

    def typed(self, kind: ProcurementKind) -> Decimal | None:
        return getattr(self, _KIND_FIELDS[kind])

    def amount(self, kind: ProcurementKind) -> Decimal:
        """Returns a category's amount: its items' sum where items are given, else as typed."""
        if self.items:
            return total(i.amount for i in self.items if i.kind == kind)
        return self.typed(kind) or ZERO

    @property
    def goods(self) -> Decimal:
        return self.amount(ProcurementKind.GOODS)

    @property
    def works(self) -> Decimal:
        return self.amount(ProcurementKind.WORKS)

    @property
    def services(self) -> Decimal:
        return self.amount(ProcurementKind.SERVICES)


_KIND_FIELDS = {ProcurementKind.GOODS: "goods_typed", ProcurementKind.WORKS: "works_typed",
                ProcurementKind.SERVICES: "services_typed"}


class Holding(Record):
    count: Count = Field(0, alias="数量")
    value: Money = Field(ZERO, alias="价值")


VEHICLES_TOTAL = "合计"  # the key of 车辆 that types the total, checked against the kinds


class Assets(Record):
    """State assets held at a date (default: the end of last year), and this year's purchases."""

    as_of: dt.date | None = Field(None, alias="截至")
    building_area: Quantity = Field(ZERO, alias="房屋面积")
    building_value: Money = Field(ZERO, alias="房屋价值")
    # Vehicles by kind; the kinds a document names (and their order) are the profile's.
    vehicles: dict[Text, Holding] = Field({}, alias="车辆")
    furniture: Money = Field(ZERO, alias="办公家具价值")
    other: Money = Field(ZERO, alias="其他资产价值")
    equipment_50: Count = Field(0, alias="50万元以上大型设备")
    equipment_100: Count = Field(0, alias="100万元以上大型设备")
    buy_vehicles: Money = Field(ZERO, alias="本年购置车辆经费")
    buy_vehicle_counts: dict[Text, Count] = Field({}, alias="本年购置车辆")
    buy_equipment_50: Count = Field(0, alias="本年购置50万元以上大型设备")
    buy_equipment_100: Count = Field(0, alias="本年购置100万元以上大型设备")


class Staffing(Record):
    posts: Count = Field(0, alias="编制数")
    actual_typed: Count | None = Field(None, alias="实有人数")
    active: Count = Field(0, alias="在职")
    retired: Count = Field(0, alias="退休")
    veteran: Count = Field(0, alias="离休")

    @property
    def actual(self) -> int:
        return self.active + self.retired + self.veteran


class CarryHalf(Record):
    personnel: Money = Field(ZERO, alias="人员经费")
    public: Money = Field(ZERO, alias="公用经费")
    project: Money = Field(ZERO, alias="项目支出")

    @property
    def amount(self) -> Decimal:
        return self.personnel + self.public + self.project


class CarryItem(Record):
    """One row of the carry-over table (上年结转结余情况明细表)."""

    name: Text = Field(alias="名称")
    fiscal: CarryHalf = Field(CarryHalf(), alias="财政拨款")
    other: CarryHalf = Field(CarryHalf(), alias="非财政拨款")


class UnitPerformance(Record):
    contact: Text = Field("", alias="联系人")
    phone: Text = Field("", alias="联系电话")
    goals: tuple[Text, ...] = Field((), alias="年度目标")
    indicators: tuple[Indicator, ...] = Field((), alias="指标")


class TargetedProjects(Record):
    """Projects that report performance targets (绩效目标设置情况): how many, for how much, and
    (where a format lists them) each project's amount; the amount is their sum when not typed."""

    count: Count = Field(alias="个数")
    amount_typed: Money | None = Field(None, alias="金额")
    items: tuple[BudgetItem, ...] = Field((), alias="明细")

    @property
    def amount(self) -> Decimal:
        return self.amount_typed if self.amount_typed is not None else sum((i.amount for i in self.items), Decimal(0))


class Budget(Record):
    """One unit's figures for one year, or one comparison set. Every part is optional, so a
    set may be partial; `totals` holds figures known only as totals (fact key -> amount)."""

    staffing: Staffing = Field(Staffing(), alias="人员")
    income: Income = Field(Income(), alias="收入")
    expenses: tuple[ExpenseLine, ...] = Field((), alias="支出")
    economic: tuple[EconLine, ...] = Field((), alias="基本支出经济分类")
    projects: tuple[Project, ...] = Field((), alias="项目")
    project_notes: tuple[ProjectNote, ...] = Field((), alias="项目说明")
    three_public: ThreePublic = Field(ThreePublic(), alias="三公经费")
    operating_typed: Money | None = Field(None, alias="机关运行经费")
    procurement: Procurement = Field(Procurement(), alias="政府采购")
    assets: Assets = Field(Assets(), alias="国有资产")
    carryover: tuple[CarryItem, ...] = Field((), alias="上年结转结余")
    performance: UnitPerformance | None = Field(None, alias="整体绩效")
    targeted: TargetedProjects | None = Field(None, alias="绩效目标项目")
    totals: dict[Text, Money] = Field({}, alias="合计数")
    # Figures of the format's own (its profile's `fields`): amounts and counts by their names.
    own_amounts: dict[Text, Money] = Field({}, alias="格式金额")
    own_counts: dict[Text, Count] = Field({}, alias="格式数量")


class UnitKind(StrEnum):
    UNIT = "单位"
    DEPARTMENT = "部门"


class MemberKind(StrEnum):
    ADMINISTRATIVE = "行政"
    INSTITUTION = "事业"
    OTHER = "其他"


class Member(Record):
    """A unit of a department (本部 or a member unit), as the department's 机构设置 lists it."""

    name: Text = Field(alias="名称", min_length=1)
    kind: MemberKind = Field(MemberKind.ADMINISTRATIVE, alias="性质")
    headquarters: bool = Field(False, alias="本部")
    separate: bool = Field(True, alias="单列预算")
    departments: tuple[Text, ...] = Field((), alias="内设机构")
    # The group a format's 机构设置 lists the member under (派出机构, 下属单位 …); none: not
    # listed in a group (本部, as a rule).
    group: Text = Field("", alias="类别")
    # Where the member's figures are: its own input file (relative to the department's), or,
    # for a member that publishes no budget of its own, written here. The department's budget
    # is then the sum of its members'.
    file: Text | None = Field(None, alias="文件")
    figures: Budget | None = Field(None, alias="预算")


class UnitInfo(Record):
    """Who publishes: the unit (or department) and what the overview says about it."""

    name: Text = Field(alias="名称", min_length=1)
    name_en: Text | None = Field(None, alias="英文名称")  # what an English document calls the unit
    year: Year = Field(alias="年度")
    date: Date | None = Field(None, alias="日期")
    kind: UnitKind = Field(UnitKind.UNIT, alias="类型")
    region: Text = Field("", alias="地区")
    intro: Text = Field("", alias="简介")
    functions: tuple[Text, ...] = Field((), alias="主要职能")
    departments: tuple[Text, ...] = Field((), alias="内设机构")
    subordinates: tuple[Text, ...] = Field((), alias="下属单位")
    members: tuple[Member, ...] = Field((), alias="成员单位")


class Words(Record):
    """The officer's own sentences: uses, reasons and notes the explanations quote."""

    uses: dict[Code, Text] = {}
    reasons: dict[Text, Text] = {}
    other_matters: Text | None = None
    operating_scope: Text = ""
    own_texts: dict[Text, Text] = {}  # texts of the format's own (profile `fields` of kind text)


class DocKind(StrEnum):
    """What a document discloses: the year's budget, or the closed year's final accounts."""

    BUDGET = "预算"
    FINAL = "决算"


class FinalIncomeLine(Record):
    """One function line of the income table of final accounts (收入决算表): what each kind of
    income brought in for it. Fiscal income is typed by budget (财政拨款 = the three)."""

    code: Code = Field(alias="科目")
    name: Text | None = Field(None, alias="名称")
    general: Money = Field(ZERO, alias=Source.GENERAL.value)
    fund: Money = Field(ZERO, alias=Source.FUND.value)
    soe: Money = Field(ZERO, alias=Source.SOE.value)
    superior: Money = Field(ZERO, alias=Source.UNIT_SUPERIOR.value)
    business: Money = Field(ZERO, alias=Source.UNIT_BUSINESS.value)
    operating: Money = Field(ZERO, alias=Source.UNIT_OPERATING.value)
    affiliated: Money = Field(ZERO, alias=Source.UNIT_AFFILIATED.value)
    other: Money = Field(ZERO, alias=Source.UNIT_OTHER.value)


class FinalOtherSpending(Record):
    """Spending of one function line outside basic and project expenditure (支出决算表)."""

    code: Code = Field(alias="科目")
    to_superior: Money = Field(ZERO, alias="上缴上级支出")
    operating: Money = Field(ZERO, alias="经营支出")
    to_affiliated: Money = Field(ZERO, alias="对附属单位补助支出")


class FiscalBalance(Record):
    """Fiscal carry-over by budget (财政拨款结转和结余)."""

    general: Money = Field(ZERO, alias=Source.GENERAL.value)
    fund: Money = Field(ZERO, alias=Source.FUND.value)
    soe: Money = Field(ZERO, alias=Source.SOE.value)


class LineBalance(Record):
    """One budget's carry-over on one function line: at the start of the year and at its end."""

    opening: Money = Field(ZERO, alias="年初结转和结余")
    closing: Money = Field(ZERO, alias="年末结转和结余")


class FiscalBalanceLine(Record):
    """财政拨款结转和结余 of one function line (类/款/项), by budget, as the fund tables print it
    (政府性基金 / 国有资本经营预算财政拨款收入支出决算表). A budget given on any line has its totals
    computed from the lines (final.fiscal_balances); one given on none keeps its typed totals."""

    code: Code = Field(alias="科目")
    name: Text | None = Field(None, alias="名称")
    general: LineBalance | None = Field(None, alias=Source.GENERAL.value)
    fund: LineBalance | None = Field(None, alias=Source.FUND.value)
    soe: LineBalance | None = Field(None, alias=Source.SOE.value)


class Balances(Record):
    """The closing lines of the 收入支出决算总表 and the fiscal carry-over of its 财政拨款 table."""

    opening: Money = Field(ZERO, alias="年初结转和结余")
    non_fiscal_used: Money = Field(ZERO, alias="使用非财政拨款结余")
    distributed: Money = Field(ZERO, alias="结余分配")
    closing: Money = Field(ZERO, alias="年末结转和结余")
    fiscal_opening: FiscalBalance = Field(FiscalBalance(), alias="年初财政拨款结转和结余")
    fiscal_closing: FiscalBalance = Field(FiscalBalance(), alias="年末财政拨款结转和结余")


class ThreePublicCounts(Record):
    """What “三公” money bought, counted: trips, vehicles, receptions (外宾 apart)."""

    groups: Count = Field(0, alias="因公出国团组")
    travellers: Count = Field(0, alias="因公出国人次")
    vehicles_bought: Count = Field(0, alias="公务用车购置数量")
    vehicles_held: Count = Field(0, alias="公务用车保有量")
    receptions: Count = Field(0, alias="国内公务接待批次")
    guests: Count = Field(0, alias="国内公务接待人次")
    foreign_receptions: Count = Field(0, alias="外宾接待批次")
    foreign_guests: Count = Field(0, alias="外宾接待人次")
    foreign_amount: Money = Field(ZERO, alias="外宾接待费")


class ProcurementAwards(Record):
    """Who won the procurement (面向中小企业 / 小微企业 reservations and the rest)."""

    sme: Money = Field(ZERO, alias="中小企业预留中标")
    small_micro: Money = Field(ZERO, alias="小微企业预留中标")
    other_sme: Money = Field(ZERO, alias="其他项目中小企业中标")


class ProjectGroup(Record):
    count: Count = Field(0, alias="个数")
    amount: Money = Field(ZERO, alias="金额")


class Grades(Record):
    excellent: Count = Field(0, alias="优")
    good: Count = Field(0, alias="良")
    passed: Count = Field(0, alias="合格")
    failed: Count = Field(0, alias="不合格")


class PerformanceManagement(Record):
    """预算绩效管理: rules in force, projects with targets, tracked, self-evaluated, their grades
    and the problems found."""

    rules: tuple[Text, ...] = Field((), alias="制度")
    mechanism: Text = Field("", alias="工作机制")
    targeted: ProjectGroup = Field(ProjectGroup(), alias="编报绩效目标项目")
    tracked: ProjectGroup = Field(ProjectGroup(), alias="绩效跟踪项目")
    evaluated: ProjectGroup = Field(ProjectGroup(), alias="绩效自评项目")
    score: Quantity = Field(ZERO, alias="平均得分")
    grades: Grades = Field(Grades(), alias="评级")
    problems: Count = Field(0, alias="发现问题")
    fixed: Count = Field(0, alias="已整改")
    fixing: Count = Field(0, alias="正在整改")


class FinalAccounts(Record):
    """What final accounts add to the year's figures (决算): income by kind and line, spending
    outside basic and project, the balances, counts, procurement awards, performance, and the
    reasons an actual differs from its budget (预决算差异原因, by fact key)."""

    income: tuple[FinalIncomeLine, ...] = Field((), alias="收入")
    other_spending: tuple[FinalOtherSpending, ...] = Field((), alias="其他支出")
    balances: Balances = Field(Balances(), alias="结转结余")
    balance_lines: tuple[FiscalBalanceLine, ...] = Field((), alias="财政拨款结转和结余明细")
    counts: ThreePublicCounts = Field(ThreePublicCounts(), alias="三公经费数量")
    three_public_uses: dict[Text, Text] = Field({}, alias="三公经费用途")
    awards: ProcurementAwards = Field(ProcurementAwards(), alias="政府采购中标")
    performance: PerformanceManagement | None = Field(None, alias="预算绩效管理")
    budget_reasons: Annotated[dict[Text, Text], BeforeValidator(_keys_as_text)] = Field({}, alias="预决算差异原因")


class UnitFile(Budget):
    """What one input file holds: the unit, this year's figures, the comparison sets, the words."""

    profile: Text | None = Field(None, alias="格式")
    options: dict[Text, Text] = Field({}, alias="选项")  # the profile's options this input chooses
    money_unit: Text = Field(DEFAULT_MONEY_UNIT, alias="金额单位")
    unit: UnitInfo = Field(alias="单位")
    uses: Annotated[dict[Code, Text], BeforeValidator(_keys_as_text)] = Field({}, alias="主要用途")
    reasons: Annotated[dict[Text, Text], BeforeValidator(_keys_as_text)] = Field({}, alias="变动原因")
    other_matters: Text | None = Field(None, alias="其他事项")
    operating_scope: Text = Field("", alias="机关运行经费范围")
    prior: Budget | None = Field(None, alias="上年")
    prior_actual: Budget | None = Field(None, alias="上年预算执行数")
    prior_file: Text | None = Field(None, alias="上年文件")
    # The English of the officer's texts (Chinese text: English text), inline or in a file named
    # relative to this one; an English document prints the translation of every text that has one.
    translations: Text | dict[Text, Text] | None = Field(None, alias="英文译文")
    own_texts: dict[Text, Text] = Field({}, alias="格式文字")
    # Final accounts: this year's figures are the actuals; the budgets are comparison sets.
    document: DocKind = Field(DocKind.BUDGET, alias="公开类型")
    start_budget: Budget | None = Field(None, alias="年初预算")
    start_budget_file: Text | None = Field(None, alias="年初预算文件")
    full_budget: Budget | None = Field(None, alias="全年预算")
    prior_final: Budget | None = Field(None, alias="上年决算")
    final: FinalAccounts | None = Field(None, alias="决算")

    def budget(self) -> Budget:
        """Returns this year's figures as a plain Budget."""
        fields = {name: getattr(self, name) for name in Budget.model_fields}
        return Budget.model_construct(**fields)

    def words(self) -> Words:
        return Words(uses=self.uses, reasons=self.reasons, other_matters=self.other_matters,
                     operating_scope=self.operating_scope, own_texts=self.own_texts)


# The keys of a glossary entry in phrasebook data (data/glossary.yaml).
GLOSSARY_TERM, GLOSSARY_TEXT, GLOSSARY_OPTIONS = "术语", "解释", "选项"

# Names of the comparison sets; each is what a sentence is compared with ("比上年预算 …").
PRIOR_BUDGET = "上年预算"
PRIOR_ACTUAL = "上年预算执行数"
# Final accounts compare the year's actuals with its budgets and with last year's actuals.
START_BUDGET = "年初预算"
FULL_BUDGET = "全年预算"
PRIOR_FINAL = "上年决算"
FINAL_SETS = (START_BUDGET, FULL_BUDGET, PRIOR_FINAL)
COMPARISON_SETS = (PRIOR_BUDGET, PRIOR_ACTUAL) + FINAL_SETS


class Unit(Record):
    """A loaded unit: who it is, this year's budget, the sets it is compared with, its words."""

    info: UnitInfo
    budget: Budget
    comparisons: dict[str, Budget] = {}
    words: Words = Words()
    translations: dict[str, str] = {}  # the officer's texts in English (英文译文)
    document: DocKind = DocKind.BUDGET
    final: FinalAccounts | None = None  # what final accounts add (决算); None for a budget

    @property
    def prior(self) -> Budget | None:
        """Last year's budget, the set most sentences compare with."""
        return self.comparisons.get(PRIOR_BUDGET)
