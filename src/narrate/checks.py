"""Consistency checks: each a small named rule that returns findings about one unit.

Severities are defaults; narrate.toml can change any of them per rule (see config.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from narrate import compute, vocabulary
from narrate.model import CARRY_FISCAL, CARRY_OTHER, GENERAL_BUDGET, Budget, Source, UnitFile
from narrate.money import ZERO, fmt, fmt_abs, fmt_plain, total
from narrate.problems import Finding, Severity

Rule = Callable[[UnitFile, Budget | None], list[Finding]]

# Every performance table scores its indicators out of 90; the other 10 points are budget execution.
INDICATOR_POINTS = Decimal(90)
REASON_THRESHOLD = Decimal(10)  # percent


def _mismatch(rule: str, path: tuple, key: str, typed: Decimal, computed: Decimal, **more) -> list[Finding]:
    if typed == computed:
        return []
    return [Finding(rule, path, key, {"typed": fmt(typed), "computed": fmt(computed), **more})]


def _budgets(file: UnitFile, prior: Budget | None):
    yield (), file
    if prior is not None and file.prior is not None:
        yield ("上年",), file.prior


def balance(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """收入总计 = 支出总计, source by source (so 财政拨款 balances too)."""
    out = []
    for prefix, budget in _budgets(file, prior):
        for source in Source:
            typed = budget.income.typed(source)
            if typed is not None:
                computed = compute.by_sources(budget, (source,)).amount
                path = prefix + ("收入", source.value)
                out += _mismatch("balance", path, "balance_source", typed, computed, source=source.value)
        if budget.income.total_typed is not None:
            computed = compute.by_sources(budget).amount
            out += _mismatch("balance", prefix + ("收入", "合计"), "balance_total", budget.income.total_typed, computed)
    return out


def income_detail(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """单位资金 = Σ its sub-kinds (事业收入 …) when both are given."""
    detail = file.income.unit_detail
    if detail is None:
        return []
    computed = total(detail.model_dump().values())
    typed = file.income.unit if file.income.unit is not None else compute.by_sources(file, (Source.UNIT,)).amount
    return _mismatch("income-detail", ("收入", "单位资金明细"), "unit_detail_sum", typed, computed)


def cell_basic(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """A typed 基本支出 beside 人员经费/公用经费 equals their sum."""
    out = []
    for prefix, budget in _budgets(file, prior):
        for i, line in enumerate(budget.expenses):
            for source, cell in line.cells():
                if cell.basic_typed is not None and cell.split_known:
                    path = prefix + ("支出", i, source.value, "基本支出")
                    out += _mismatch("cell-basic", path, "cell_basic_sum", cell.basic_typed, cell.basic)
    return out


def basic_economic(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """基本支出 of the general budget = the economic-class table (表6), personnel and public."""
    if not file.economic:
        return []
    lines, econ = compute.by_sources(file, GENERAL_BUDGET), compute.econ_split(file)
    out = []
    if lines.personnel != econ.personnel:
        out.append(Finding("basic-economic", ("基本支出经济分类",), "economic_personnel",
                           {"econ": fmt(econ.personnel), "lines": fmt(lines.personnel)}))
    if lines.public != econ.public:
        out.append(Finding("basic-economic", ("基本支出经济分类",), "economic_public",
                           {"econ": fmt(econ.public), "lines": fmt(lines.public)}))
    return out


def project_list(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """项目支出 of each function code and source = the project list's total for them."""
    if not file.projects:
        return []
    from_lines: dict[tuple[str, Source], Decimal] = {}
    first_line: dict[tuple[str, Source], int] = {}
    for i, line in enumerate(file.expenses):
        for source, cell in line.cells():
            if cell.project:
                from_lines[(line.code, source)] = from_lines.get((line.code, source), ZERO) + cell.project
                first_line.setdefault((line.code, source), i)
    from_projects: dict[tuple[str, Source], Decimal] = {}
    for project in file.projects:
        key = (project.code, project.source)
        from_projects[key] = from_projects.get(key, ZERO) + project.amount
    out = []
    for key in sorted(set(from_lines) | set(from_projects)):
        a, b = from_lines.get(key, ZERO), from_projects.get(key, ZERO)
        if a != b:
            path = ("支出", first_line[key], key[1].value, "项目支出") if key in first_line else ("项目",)
            out.append(Finding("project-list", path, "project_list",
                               {"code": key[0], "source": key[1].value, "lines": fmt(a), "projects": fmt(b)}))
    return out


def project_amount(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """A typed project 金额 = the sum of its economic classes."""
    out = []
    for i, project in enumerate(file.projects):
        if project.amount_typed is not None:
            out += _mismatch("project-amount", ("项目", i, "金额"), "project_amount", project.amount_typed, project.amount)
    return out


def three_public(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """三公: 公车小计 = 购置 + 运行; total = 出国 + 接待 + 公车小计."""
    out = []
    for prefix, budget in _budgets(file, prior):
        t = budget.three_public
        vehicles = t.vehicle_purchase + t.vehicle_running
        if t.vehicles_typed is not None:
            out += _mismatch("three-public", prefix + ("三公经费", "公务用车小计"), "three_public_vehicles", t.vehicles_typed, vehicles)
        if t.total_typed is not None:
            out += _mismatch("three-public", prefix + ("三公经费", "合计"), "three_public_total", t.total_typed, compute.three_public_total(budget))
    return out


def operating_cost(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """机关运行经费 = basic 公用经费 of the general budget (holds for 行政 and 参公 units)."""
    if file.operating_typed is None:
        return []
    computed = compute.by_sources(file, GENERAL_BUDGET).public
    return _mismatch("operating-cost", ("机关运行经费",), "operating_cost", file.operating_typed, computed)


def procurement(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """政府采购 total = 货物 + 工程 + 服务; 小微 ≤ 中小企业 ≤ total."""
    p = file.procurement
    computed = p.goods + p.works + p.services
    out = []
    if p.total_typed is not None:
        out += _mismatch("procurement", ("政府采购", "合计"), "procurement_total", p.total_typed, computed)
    if p.sme > computed:
        out.append(Finding("procurement", ("政府采购", "面向中小企业预留"), "procurement_sme", {"sme": fmt(p.sme), "total": fmt(computed)}))
    if p.small_micro > p.sme:
        out.append(Finding("procurement", ("政府采购", "其中小微企业预留"), "procurement_small", {"small": fmt(p.small_micro), "sme": fmt(p.sme)}))
    return out


def vehicles(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """Vehicle counts and values add up to a typed 合计."""
    v = file.assets.vehicles
    if v.total_typed is None:
        return []
    kinds = (v.general, v.enforcement, v.other)
    path = ("国有资产", "车辆", "合计")
    out = []
    count = sum(k.count for k in kinds)
    if v.total_typed.count != count:
        out.append(Finding("vehicles", path + ("数量",), "vehicles_count", {"typed": v.total_typed.count, "computed": count}))
    out += _mismatch("vehicles", path + ("价值",), "vehicles_value", v.total_typed.value, total(k.value for k in kinds))
    return out


def staffing(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """实有人数 = 在职 + 退休 + 离休."""
    out = []
    for prefix, budget in _budgets(file, prior):
        s = budget.staffing
        if s.actual_typed is not None and s.actual_typed != s.actual:
            out.append(Finding("staffing", prefix + ("人员", "实有人数"), "staffing_actual", {"typed": s.actual_typed, "computed": s.actual}))
    return out


def staffing_posts(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """在职 does not exceed 编制数 (a hint: units can be over strength)."""
    s = file.staffing
    if s.posts and s.active > s.posts:
        return [Finding("staffing-posts", ("人员", "在职"), "staffing_posts", {"active": s.active, "posts": s.posts})]
    return []


def performance(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """Each performance table scores its indicators out of 90; every project has a table."""
    out = []
    tables = []
    if file.performance is not None:
        tables.append((("整体绩效", "指标"), file.performance.indicators))
    for i, project in enumerate(file.projects):
        if project.performance is None:
            out.append(Finding("performance", ("项目", i, "名称"), "performance_missing", {"name": project.name}))
        else:
            tables.append((("项目", i, "绩效目标", "指标"), project.performance.indicators))
    for path, indicators in tables:
        points = total(x.weight for x in indicators)
        if indicators and points != INDICATOR_POINTS:
            out.append(Finding("performance", path, "performance_weights", {"total": fmt_plain(points), "expected": fmt_plain(INDICATOR_POINTS)}))
    return out


def carryover(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """The carry-over table (表11) matches the expenditure funded by carry-over sources."""
    if not file.carryover:
        return []
    out = []
    for key, sources, half in (("carryover_fiscal", CARRY_FISCAL, "fiscal"), ("carryover_other", CARRY_OTHER, "other")):
        table = total(getattr(item, half).amount for item in file.carryover)
        lines = compute.by_sources(file, sources).amount
        if table != lines:
            out.append(Finding("carryover", ("上年结转结余",), key, {"table": fmt(table), "lines": fmt(lines)}))
    return out


def _reason_keys(file: UnitFile, prior: Budget | None):
    current = compute.facts(file)
    return current, compute.changes(current, compute.facts(prior)) if prior is not None else {}


def _fact_path(file: UnitFile, key: str) -> tuple[str | int, ...]:
    """Returns where the figure behind a fact key is typed, so a finding points at its line."""
    head, _, tail = key.partition(".")
    if head == "一般公共预算" and tail.isdigit():
        for prefix, budget in (((), file), (("上年",), file.prior)):
            for i, line in enumerate(budget.expenses if budget else ()):
                if line.code == tail:
                    return prefix + ("支出", i, "科目")
    if head == "收入" and tail in Source.__members__.values():
        source = Source(tail)
        for prefix, budget in (((), file), (("上年",), file.prior)):
            if budget is not None and budget.income.typed(source) is not None:
                return prefix + ("收入", tail)
        for prefix, budget in (((), file), (("上年",), file.prior)):
            for i, line in enumerate(budget.expenses if budget else ()):
                if line.cell(source) is not None:
                    return prefix + ("支出", i, tail)
    if head in ("三公经费", "机关运行经费"):
        return (head, tail) if tail else (head,)
    return ("变动原因", key) if key in file.reasons else ("变动原因",)


def reasons(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """A change of 10% or more, or a line new this year, needs a reason; others need none."""
    current, changes = _reason_keys(file, prior)
    out = []
    for key in compute.reasoned(changes):
        change = changes[key]
        given = key in file.reasons
        trend = change.trend
        path = _fact_path(file, key)
        if not given and trend is compute.Trend.NEW:
            out.append(Finding("reason-missing", path, "reason_missing_new",
                               {"key": key, "amount": fmt(change.current)}, subject=key))
        elif not given and change.rate is not None and abs(change.rate) >= REASON_THRESHOLD:
            direction = "reason_missing_up" if change.amount > 0 else "reason_missing_down"
            out.append(Finding("reason-missing", path, direction,
                               {"key": key, "amount": fmt_abs(change.amount), "rate": f"{fmt_abs(change.rate)}%"},
                               subject=key))
        elif given and trend in (compute.Trend.NONE, compute.Trend.FLAT):
            out.append(Finding("reason-unneeded", ("变动原因", key), "reason_unneeded", {"key": key}, subject=key))
        elif given:
            out += _reason_direction(key, file.reasons[key], change)
    known = set(current) | set(changes)
    for key in file.reasons:
        if key not in known:
            guess = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.5)
            msg = "reason_unknown_key" if guess else "reason_unknown_key_plain"
            out.append(Finding("reason-key", ("变动原因", key), msg, {"key": key, "guess": guess[0] if guess else ""}))
    return out


def _reason_direction(key: str, reason: str, change: compute.Change) -> list[Finding]:
    """A reason that speaks only of the opposite direction (e.g. 增加 beside a decrease)."""
    own, other = ((vocabulary.UP,), (vocabulary.DOWN, vocabulary.NONE))
    if change.amount < 0:
        own, other = other, own
    if vocabulary.kinds_in(reason) & set(own):
        return []
    word = vocabulary.first_word(reason, other)
    if word is None:
        return []
    message = "reason_direction_up" if change.amount > 0 else "reason_direction_down"
    return [Finding("reason-direction", ("变动原因", key), message, {"key": key, "word": word}, subject=key)]


def uses(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """主要用途 names a 类 the general budget spends on this year."""
    classes = {line.code[:3] for line in file.expenses for s, c in line.cells() if s in GENERAL_BUDGET and c.amount}
    return [Finding("uses", ("主要用途", code), "uses_unknown", {"code": code}) for code in file.uses if code not in classes]


RULES: dict[str, tuple[Rule | None, Severity]] = {
    "balance": (balance, Severity.ERROR),
    "income-detail": (income_detail, Severity.ERROR),
    "cell-basic": (cell_basic, Severity.ERROR),
    "basic-economic": (basic_economic, Severity.ERROR),
    "project-list": (project_list, Severity.ERROR),
    "project-amount": (project_amount, Severity.ERROR),
    "three-public": (three_public, Severity.ERROR),
    "operating-cost": (operating_cost, Severity.WARNING),
    "procurement": (procurement, Severity.ERROR),
    "vehicles": (vehicles, Severity.ERROR),
    "staffing": (staffing, Severity.ERROR),
    "staffing-posts": (staffing_posts, Severity.HINT),
    "performance": (performance, Severity.WARNING),
    "carryover": (carryover, Severity.ERROR),
    "reason-missing": (reasons, Severity.WARNING),
    "reason-unneeded": (None, Severity.HINT),  # found by reasons()
    "reason-key": (None, Severity.ERROR),  # found by reasons()
    "reason-direction": (None, Severity.WARNING),  # found by reasons()
    "uses": (uses, Severity.WARNING),
    # found while codes are resolved (load/codes.py)
    "code-unknown": (None, Severity.ERROR),
    "code-unlisted": (None, Severity.WARNING),
    "code-name-mismatch": (None, Severity.ERROR),
    "code-duplicate": (None, Severity.ERROR),
}


def run(file: UnitFile, prior: Budget | None) -> list[Finding]:
    """Returns every rule's findings, in rule order."""
    return [f for rule, _ in RULES.values() if rule is not None for f in rule(file, prior)]


def run_prior_file(prior: UnitFile) -> list[Finding]:
    """Returns the findings about last year's own file, placed in that file.

    Every comparison rests on last year's figures, so a file named by 上年文件 must add up too.
    """
    return [replace(f, prior=True) for f in run(prior, None)]
