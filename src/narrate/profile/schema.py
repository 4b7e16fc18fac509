"""The profile schema: every regional choice of a disclosure, validated.

A profile says what the document contains and in which order (parts and the sections of the
explanations), which tables it shows and what fills each column, how money prints in each
context, which comparison set each figure is compared with, the thresholds of the checks, and
the page and styles. Its wording lives in the phrasebook layers beside it (explain/, data/).
docs/profiles.md describes every key for the officer or province that writes one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from narrate import money
from narrate.model import DEFAULT_MONEY_UNIT, MONEY_UNITS


class Spec(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# -- money --------------------------------------------------------------------------------------


class MoneyFormat(Spec):
    """A number style for amounts: how an amount prints in one context (text, tables, forms) or
    wherever a phrase or table names the style."""

    unit: Literal[tuple(MONEY_UNITS)] = DEFAULT_MONEY_UNIT  # type: ignore[valid-type]
    decimals: int = Field(2, ge=0, le=6)
    grouping: bool = False  # thousands separators: 37,151.47
    # Separators only from this many digits before the point (5: 24,169.74 but 2214.39).
    group_from: int = Field(4, ge=4, le=20)
    zero: str | None = None  # what a zero amount prints (None: like any amount, e.g. 0.00)
    trim_whole: bool = False  # whole amounts without decimals: 100 rather than 100.00
    trim_zeros: bool = False  # no trailing zeros at all: 4335.3 rather than 4335.30
    # exact: a computed amount (a change) from the exact figures; rounded: from its parts each
    # rounded as this style rounds them first, as documents that subtract their printed totals do.
    basis: Literal["exact", "rounded"] = "exact"
    # Written around every amount but a `zero` one, inside its figure: a currency code, say
    # ("CNY\u00a0", as English style guides put it before the amount).
    prefix: str = ""
    suffix: str = ""

    @property
    def scale(self) -> Decimal:
        """How many of this format's unit make one 万元."""
        return MONEY_UNITS[self.unit]

    def show(self, value: Decimal) -> str:
        """Returns value (万元) as this context prints it."""
        if self.basis == "rounded" and isinstance(value, money.Derived):
            value = value.from_rounded(self.scale, self.decimals)
        shown = money.show(value, self.scale, self.decimals, self.grouping, self.zero, self.trim_whole,
                           self.trim_zeros, self.group_from)
        if self.zero is not None and shown == self.zero:
            return shown
        return f"{self.prefix}{shown}{self.suffix}"

    def plain(self, value: Decimal) -> str:
        """Returns value in this format's unit without trailing zeros (62.40 -> '62.4'), grouped
        as the format groups: how forms write an amount inside a sentence."""
        scaled = (value * self.scale).normalize()
        return f"{scaled:,f}" if self.grouping else f"{scaled:f}"


class PercentFormat(Spec):
    """A number style for percentages (rates of change, shares)."""

    decimals: int = Field(2, ge=0, le=6)
    trim_zeros: bool = False  # 67.1% rather than 67.10%
    suffix: str = "%"
    # A money style's name: the percentage of the two amounts rounded as that style rounds them
    # (as a document that divides its printed figures); none: of the exact amounts.
    parts: str | None = None


# The money styles every profile has: the contexts (money.text, money.table, money.form).
CONTEXTS = ("text", "table", "form")
# The percent style a `pct` without a style name prints in (money.percent_decimals).
DEFAULT_PERCENT = "text"


class Money(Spec):
    text: MoneyFormat = MoneyFormat()
    table: MoneyFormat = MoneyFormat(zero="")
    form: MoneyFormat = MoneyFormat()  # the performance tables: a form, where 0.00 shows
    percent_decimals: int = Field(2, ge=0, le=6)
    # Named number styles a phrase (`x|money('fid', 'wan')`) or a table (`money: wan`) picks.
    styles: dict[str, MoneyFormat] = {}
    percent_styles: dict[str, PercentFormat] = {}

    def __hash__(self) -> int:  # the phrasebook's cache is keyed by it; dicts do not hash
        return hash(self.model_dump_json())

    def style_names(self) -> tuple[str, ...]:
        return CONTEXTS + tuple(n for n in self.styles if n not in CONTEXTS)

    def percent_names(self) -> tuple[str, ...]:
        return (DEFAULT_PERCENT,) + tuple(n for n in self.percent_styles if n != DEFAULT_PERCENT)

    def style(self, name: str) -> MoneyFormat:
        """Returns the money style name (a context's, or one of `styles`); KeyError otherwise."""
        if name in CONTEXTS:
            return getattr(self, name)
        return self.styles[name]

    def percent(self, name: str | None = None) -> PercentFormat:
        if name is None or name == DEFAULT_PERCENT:
            return self.percent_styles.get(DEFAULT_PERCENT) or PercentFormat(decimals=self.percent_decimals)
        return self.percent_styles[name]

    def show_percent(self, value: Decimal, name: str | None = None) -> str:
        fmt = self.percent(name)
        if fmt.parts is not None and isinstance(value, money.Ratio):
            parts = self.style(fmt.parts)
            value = value.from_rounded(parts.scale, parts.decimals)
        return money.show(value, decimals=fmt.decimals, trim_zeros=fmt.trim_zeros) + fmt.suffix


# -- the document's parts -----------------------------------------------------------------------


class ListSection(Spec):
    """A section that lists classification lines: one paragraph a line (its phrase reads `line`,
    `n` and `group`), at the level the format chooses, kept by filters, numbered straight
    through or again under each group, with a sub-heading per group."""

    list: str  # the lines' group: 支出, 财政拨款, 一般公共预算, 政府性基金, 国有资本经营, 经济分类
    level: Union[str, int] = 3  # 类, 款, 项 (or 1, 2, 3)
    only: tuple[str, ...] = ()  # nonzero, arranged, changed, reasoned, leaves
    item: str  # the phrase of each line (custom.<name>)
    group_by: Union[str, int, None] = None  # a level above: lines grouped under it, numbered per group
    group_heading: str | None = None  # the phrase of each group's sub-heading (reads group, n)
    heading: str | None = None  # the phrase of the section's heading (reads n, its place)
    lead: str | None = None  # a phrase before the lines (reads count)
    empty: str | None = None  # the phrase when no line is kept
    style: str = "body"
    group_style: str = "heading2"
    heading_style: str = "heading1"
    id: str | None = Field(None, pattern=r"^[A-Za-z0-9_]{1,12}$")  # paragraph ids' stem (default: from the phrases)


class Part(Spec):
    """One part of the document, in order. `kind` names what makes it (see outline.PARTS)."""

    kind: str
    heading: str | None = None  # phrase of the part's heading paragraph (none: no heading)
    heading_style: str = "part"
    toc: str | None = None  # phrase of the part's own 目录 entry, when it differs from the heading
    # How many levels below the part's own the 目录 lists of this part's headings (0: none of
    # them, the part's heading alone); none: every level toc.levels lists.
    toc_depth: int | None = Field(None, ge=0)
    # title_page / text / closing: [{style, phrase}]; a text item with `split: lines` makes each
    # line of what its phrase says a paragraph of its own (an officer's text of several paragraphs)
    items: tuple[dict[str, str], ...] = ()
    tables: tuple[str, ...] = ()  # tables: the table ids, in order
    sections: tuple[Union[str, ListSection], ...] = ()  # explanations: the section names (or lists), in order


# -- tables -------------------------------------------------------------------------------------

HeaderItem = Union[str, int, dict[str, Any]]


class _Table(Spec):
    title: str  # a template: {{ year }}, {{ unit }}, {{ kind }}
    toc: str | None = None  # the table's name in the 目录, when shorter than its title (a template too)
    landscape: bool = False
    widths: tuple[float, ...] = ()
    header: tuple[tuple[HeaderItem, ...], ...] = ()
    # this table's amounts, when not the profile's table format: a style's name or a format
    money: MoneyFormat | str | None = None
    total: str = ""
    empty_what: str | None = None  # names what is missing in the empty-table note
    empty_table: str | None = None  # the table's name in that note (default: its title)


class BalanceTable(_Table):
    """Income items on the left, function classes (类) on the right (表1, 表4)."""

    kind: Literal["balance"]
    left: tuple[dict[str, str], ...]
    left_total: dict[str, str]
    right_values: tuple[str, ...]
    right_total: str
    classes: Literal["all", "used"] = "all"  # all: every class of function_classes, used or not
    class_label: str = "{{ code }} {{ name }}"
    class_names: dict[str, str] = {}


# How a classification code prints: split in columns (201 | 05 | 04) or joined in one (2010504).
Codes = Literal["split", "joined"]


class FunctionTable(_Table):
    """One row per 类, 款 and 项 the sources pay for (表2, 3, 5, 8, 9)."""

    kind: Literal["function"]
    codes: Codes = "split"
    rows_sources: str
    values: tuple[str, ...]
    # each amount column's money style by name, in the order of values (null or left out: the table's)
    styles: tuple[Optional[str], ...] = ()


class EconomicTable(_Table):
    """General-budget basic expenditure by economic class and item (表6)."""

    kind: Literal["economic"]
    codes: Codes = "split"
    # the amount columns: amount (basic), personnel, public; a row none of them covers is left
    # out, so [public] lists the public-cost lines only (a 机关运行经费 table)
    values: tuple[Literal["amount", "personnel", "public"], ...] = ("amount", "personnel", "public")


class ProjectsTable(_Table):
    """Each project under its 类 and 款, amounts by economic class (表7)."""

    kind: Literal["projects"]
    rows_sources: str
    codes: Codes = "split"


class FactsTable(_Table):
    """Rows of figures named by fact key (三公经费, 机关运行经费 …): cells are a label text,
    {fact: KEY} or {amount: 0}."""

    kind: Literal["facts"]
    rows: tuple[tuple[Union[str, dict[str, Any]], ...], ...]


class CarryoverTable(_Table):
    """Last year's carry-over spent this year, item by item (表11)."""

    kind: Literal["carryover"]


class FinalLinesTable(_Table):
    """Final accounts by 类, 款 and 项, the 合计 row first (决算): `lines` income (收入决算表: total,
    fiscal, 上级补助, 事业, 经营, 附属单位上缴, 其他), expense (支出决算表: total, basic, project,
    上缴上级, 经营, 对附属单位补助) or a fiscal budget (gov_fund, soe_budget, general_budget: opening
    balance, income, spending, basic, project, closing balance, line by line)."""

    kind: Literal["final_lines"]
    codes: Codes = "split"
    lines: Literal["income", "expense", "gov_fund", "soe_budget", "general_budget"]


class EconomicPairsTable(_Table):
    """General-budget basic expenditure by economic 类 and 款 in two column pairs, the rows the
    format lists (`left`, `right`: codes in order, used or not), then the 人员经费 and 公用经费
    totals (决算 表6)."""

    kind: Literal["economic_pairs"]
    codes: Codes = "split"
    left: tuple[str, ...]
    right: tuple[str, ...]
    left_total: str = ""
    right_total: str = ""


class ProcurementTable(_Table):
    """The procurement items (政府采购明细) in grouped rows (江苏 表12): `levels` names the
    grouping, outermost first, each level a row per group showing the fields it names (the last
    level is usually the item itself); `columns` says where each field and the amount print. With
    no items given, the category level prints the typed category amounts."""

    kind: Literal["procurement"]
    # the body's columns, left to right: item fields (类别, 项目, 经济科目, 经济科目编码, 品目,
    # 组织形式) and 金额, each once
    columns: tuple[str, ...]
    # the row levels, outermost first: each a list of fields; 类别, where used, is the first level
    levels: tuple[tuple[str, ...], ...]
    # the category rows' labels by category (货物: 一、货物A); default: the category's name
    categories: dict[str, str] = {}
    # a category with no amount: keep its row (showing the table's zero) or omit it
    empty_categories: Literal["keep", "omit"] = "keep"
    # the total row (its label is `total`, in the first column; none when `total` is empty)
    total_row: Literal["first", "last"] = "first"
    # a label equal to the one above it in the same group (a merged cell in the published table)
    # prints blank, or again
    repeated: Literal["blank", "print"] = "blank"


Table = Annotated[
    Union[BalanceTable, FunctionTable, EconomicTable, ProjectsTable, FactsTable, CarryoverTable, FinalLinesTable,
          EconomicPairsTable, ProcurementTable],
    Field(discriminator="kind"),
]


# -- looks --------------------------------------------------------------------------------------


class Style(Spec):
    name: str  # what Word shows: Word's own name for a built-in style (it localises those)
    id: str | None = None  # the Word style id paragraphs name; default: from an ASCII name, else the key
    font: str
    size: float
    latin: str | None = None
    bold: bool = False
    align: Literal["left", "center", "right", "both"] | None = None
    indent_chars: float = 0
    left_pt: float = 0
    line_pt: float = 0
    before_pt: float = 0
    after_pt: float = 0
    keep_next: bool = False
    page_break_before: bool = False
    outline: int | None = Field(None, ge=0, le=8)


class Font(Spec):
    alt: str | None = None
    family: str = "auto"


class Margins(Spec):
    top: float
    bottom: float
    left: float
    right: float


class Page(Spec):
    size_mm: tuple[float, float]
    margins_mm: Margins
    # A landscape page is the portrait sheet turned: its top lies along the portrait page's left
    # edge (the binding; the reader turns the document clockwise) or its right edge, and the
    # margins turn with it. landscape_margins_mm, when given, is taken as it is instead.
    landscape_top: Literal["left", "right"] = "left"
    landscape_margins_mm: Margins | None = None
    # Which tables take a landscape page: "table", those whose spec says landscape; "width",
    # those whose body does not fit the portrait text block one line a cell (docx/body.oriented).
    landscape_rule: Literal["table", "width"] = "table"
    header_mm: float = 15
    # The page number's line starts page_number_gap_mm below the text block (GB/T 9704: 7 mm);
    # footer_mm, when given, is Word's footer distance from the page's bottom edge instead.
    footer_mm: float | None = None
    page_number_gap_mm: float = 7
    page_number: str = "{PAGE}"
    # Where the number sits on odd and even pages (GB/T 9704: odd right, even left, one
    # character in from the edge of the text block).
    page_number_odd: Literal["left", "center", "right"] = "center"
    page_number_even: Literal["left", "center", "right"] = "center"
    page_number_indent_chars: float = 0
    # The 目录's own numbering (restarting at 1; the body restarts at 1 after it), or none.
    toc_page_numbers: Literal["upperRoman", "lowerRoman", "decimal", "none"] = "upperRoman"


class Toc(Spec):
    levels: tuple[int, ...] = (1, 2)
    # headings: every heading of those outline levels; parts: only the entries the parts name
    # (their `toc` phrase, and each table's caption.toc_entry)
    entries: Literal["headings", "parts"] = "headings"


class Comparison(Spec):
    """Facts matching `facts` (a pattern: * matches anything) are compared with comparison set `set`."""

    facts: str
    set: str


class Option(Spec):
    """A choice the profile leaves to the input or narrate.toml (选项): a name, its choices and
    the default. Each choice may change the profile (a part of a profile, merged over it as
    `extends` merges: `{compare: [{facts: "*", set: 上年预算执行数}]}`); phrases read the chosen
    value as opt['name']."""

    default: str
    choices: dict[str, Union[dict[str, Any], None]]
    description: str = ""


class OwnField(Spec):
    """A figure or text a format reports that narrate has no name for (单位预留机动经费 beside
    基本支出 and 项目支出, 会议费, the number of budget units, a unit's 简称). The input gives it
    under 格式金额 / 格式数量 / 格式文字 by this field's name; it is a fact of that name."""

    # amount, count, text: one of the unit (格式金额 / 格式数量 / 格式文字); bucket: an amount of
    # every line and source beside 基本支出 and 项目支出 (支出: … {项目支出: 30, 格式金额: {NAME: 5}}),
    # part of every sum of the line as those are
    kind: Literal["amount", "count", "text", "bucket"]
    description: str = ""
    required: bool = False  # the input must give it (this year)
    # The comparison sets that carry it (none given: every set); compared with any other, it has
    # no change.
    sets: tuple[str, ...] | None = None
    # The facts an amount is part of: it is added to each (支出.合计, 收入.合计 …), as a third
    # bucket beside 基本支出 and 项目支出 is part of the totals.
    adds_to: tuple[str, ...] = ()


class Thresholds(Spec):
    reason_percent: Decimal = Decimal(10)  # a change this large (in %) needs a reason
    indicator_points: Decimal = Decimal(90)  # the points a performance table's indicators total


class FinalSpec(Spec):
    """What a final-accounts format compares each actual with, and which differences need a
    reason (预决算差异原因): fact-key patterns, as `reasons` for changes; a difference of at least
    reason_percent of the budget (0: any difference) needs one."""

    budget_set: Literal["年初预算", "全年预算"] = "年初预算"
    reasons: tuple[str, ...] = ()
    reason_percent: Decimal = Decimal(0)


class PerformanceTables(Spec):
    year_line: str
    unit: dict[str, Any]
    project: dict[str, Any]


class ProfileSpec(Spec):
    """A whole profile, after its `extends` chain is merged."""

    name: str
    description: str = ""
    extends: str | None = None
    kind: Literal["单位", "部门"] = "单位"
    # The language the document is written in: which classification names (catalogs/*.<lang>.csv)
    # and which of the input's translations (英文名称, 英文译文) it prints.
    language: Literal["zh", "en"] = "zh"
    money: Money = Money()
    compare: tuple[Comparison, ...] = (Comparison(facts="*", set="上年预算"),)
    options: dict[str, Option] = {}
    fields: dict[str, OwnField] = {}
    # Whether each line's 基本支出 must be split into 人员经费 and 公用经费 (the tables of some
    # formats show the split per line; others show it only in the economic table).
    split: Literal["required", "optional"] = "required"
    reasons: tuple[str, ...] = ()  # fact-key patterns whose change needs a reason
    thresholds: Thresholds = Thresholds()
    final: FinalSpec | None = None  # a final-accounts format (决算): its budget set and reasons
    checks: dict[str, Literal["error", "warning", "hint", "off"]] = {}
    vehicle_kinds: tuple[str, ...] = ()
    function_classes: tuple[int, ...] = ()
    project_econ_classes: tuple[int, ...] = ()
    parts: tuple[Part, ...]
    tables: dict[str, Table] = {}
    performance: PerformanceTables | None = None
    page: Page
    fonts: dict[str, Font] = {}
    latin_font: str = "Times New Roman"
    styles: dict[str, Style]
    table_style: str = "Narrate Table"  # the name of the tables' Word table style (its id is NarrateTable)
    toc: Toc = Toc()
