"""Consistency checks: each a small named rule that returns findings about one unit.

Severities are defaults; narrate.toml can change any of them per rule (see config.py).
"""

from __future__ import annotations

from narrate.messages import listing

import difflib
from collections.abc import Callable, Mapping
from fnmatch import fnmatchcase
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from narrate import compute, final_checks, untranslated, vocabulary
from narrate.catalog import Catalogs
from narrate import facts as F
from narrate.model import CARRY_FISCAL, CARRY_OTHER, FISCAL, GENERAL_BUDGET, MONEY_UNITS, VEHICLES_TOTAL, Budget, Cell, ProcurementKind, Source, UnitFile
from narrate.money import ZERO, fmt, fmt_abs, fmt_plain, total
from narrate.problems import Finding, Severity
from narrate.profile.schema import ProfileSpec


@dataclass(frozen=True)
class Subject:
    """What the checks look at: the file as typed, last year's budget (inline or from its own
    file), and the profile whose thresholds and names apply."""

    file: UnitFile
    prior: Budget | None
    spec: ProfileSpec
    directions: vocabulary.Words | None = None  # the profile's direction words (shipped when None)
    # The input's catalogs and its English (英文译文; None when its file is missing), for the
    # `untranslated` checks; catalogs None for last year's own file, which no document prints.
    catalogs: Catalogs | None = None
    translations: Mapping[str, str] | None = None
    start: Budget | None = None  # final accounts: the year's budget when its own file gives it

    @property
    def scale(self) -> Decimal:
        return MONEY_UNITS.get(self.file.money_unit, Decimal(1))


Rule = Callable[[Subject], list[Finding]]


def shown_pair(typed: Decimal, computed: Decimal, scale: Decimal = Decimal(1)) -> tuple[str, str]:
    """Returns two different amounts as the officer typed them (in the file's unit), with as many
    decimals as it takes to tell them apart."""
    a, b = typed * scale, computed * scale
    for places in range(2, 12):
        q = Decimal(1).scaleb(-places)
        x, y = a.quantize(q, rounding=ROUND_HALF_UP), b.quantize(q, rounding=ROUND_HALF_UP)
        if x != y or places == 11:
            return f"{x:f}", f"{y:f}"
    return f"{a:f}", f"{b:f}"


def _mismatch(rule: str, path: tuple, key: str, typed: Decimal, computed: Decimal, s: Subject, **more) -> list[Finding]:
    if typed == computed:
        return []
    shown_typed, shown_computed = shown_pair(typed, computed, s.scale)
    return [Finding(rule, path, key, {"typed": shown_typed, "computed": shown_computed, "unit": s.file.money_unit, **more})]


def _budgets(s: Subject):
    """Yields (path prefix, budget) for this year and each inline comparison set."""
    yield (), s.file
    for key, budget in ((_PRIOR_KEY, s.file.prior), (_ACTUAL_KEY, s.file.prior_actual)):
        if budget is not None:
            yield (key,), budget


_PRIOR_KEY = UnitFile.model_fields["prior"].alias
_ACTUAL_KEY = UnitFile.model_fields["prior_actual"].alias


def balance(s: Subject) -> list[Finding]:
    """收入总计 = 支出总计, source by source (so 财政拨款 balances too). A set typed as totals
    only (no expense lines) has nothing to balance."""
    out = []
    for prefix, budget in _budgets(s):
        if not budget.expenses:
            continue
        for source in Source:
            typed = budget.income.typed(source)
            if typed is not None:
                computed = compute.by_sources(budget, (source,)).amount
                path = prefix + (_INCOME, source.value)
                out += _mismatch("balance", path, "balance_source", typed, computed, s, source=source.value)
        if budget.income.total_typed is not None:
            computed = compute.by_sources(budget).amount
            out += _mismatch("balance", prefix + (_INCOME, _TOTAL), "balance_total", budget.income.total_typed, computed, s)
    return out


_INCOME = UnitFile.model_fields["income"].alias
_TOTAL = "合计"


def income_detail(s: Subject) -> list[Finding]:
    """单位资金 = Σ its sub-kinds (事业收入 …) when both are given."""
    file = s.file
    detail = file.income.unit_detail
    if detail is None:
        return []
    computed = total(detail.model_dump().values())
    typed = file.income.unit if file.income.unit is not None else compute.by_sources(file, (Source.UNIT,)).amount
    return _mismatch("income-detail", (_INCOME, "单位资金明细"), "unit_detail_sum", typed, computed, s)


def cell_basic(s: Subject) -> list[Finding]:
    """A typed 基本支出 beside 人员经费/公用经费 equals their sum."""
    out = []
    for prefix, budget in _budgets(s):
        for i, line in enumerate(budget.expenses):
            for source, cell in line.cells():
                if cell.basic_typed is not None and cell.split_known:
                    path = prefix + ("支出", i, source.value, "基本支出")
                    out += _mismatch("cell-basic", path, "cell_basic_sum", cell.basic_typed, cell.basic, s)
    return out


def _unsplit(file: Budget) -> bool:
    """Tells whether some line of the general budget gives 基本支出 without its split."""
    return any(not c.split_known and c.basic != 0 for line in file.expenses for src, c in line.cells() if src in GENERAL_BUDGET)


def split_missing(s: Subject) -> list[Finding]:
    """Where the format requires it, each line's 基本支出 is given as 人员经费 and 公用经费."""
    if s.spec.split != "required":
        return []
    return [Finding("split-missing", ("支出", i, source.value, "基本支出"), "split_missing", {})
            for i, line in enumerate(s.file.expenses) for source, c in line.cells() if not c.split_known and c.basic != 0]


def basic_economic(s: Subject) -> list[Finding]:
    """基本支出 of the general budget = the economic-class table, personnel and public (the
    whole only, where lines give 基本支出 unsplit)."""
    file = s.file
    if not file.economic:
        return []
    lines, econ = compute.by_sources(file, GENERAL_BUDGET), compute.econ_split(file)
    if _unsplit(file):
        if econ.basic == lines.basic:
            return []
        econ_shown, lines_shown = shown_pair(econ.basic, lines.basic, s.scale)
        return [Finding("basic-economic", ("基本支出经济分类",), "economic_basic", {"econ": econ_shown, "lines": lines_shown, "unit": s.file.money_unit})]
    out = []
    for key, a, b in (("economic_personnel", econ.personnel, lines.personnel), ("economic_public", econ.public, lines.public)):
        if a != b:
            econ_shown, lines_shown = shown_pair(a, b, s.scale)
            out.append(Finding("basic-economic", ("基本支出经济分类",), key, {"econ": econ_shown, "lines": lines_shown, "unit": s.file.money_unit}))
    return out


def project_list(s: Subject) -> list[Finding]:
    """项目支出 of each function code and source = the project list's total for them."""
    file = s.file
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
            lines_shown, projects_shown = shown_pair(a, b, s.scale)
            out.append(Finding("project-list", path, "project_list",
                               {"code": key[0], "source": key[1].value, "lines": lines_shown, "projects": projects_shown,
                                "unit": s.file.money_unit}))
    return out


def project_amount(s: Subject) -> list[Finding]:
    """A typed project 金额 = the sum of its economic classes; a project note's = its items."""
    out = []
    for i, project in enumerate(s.file.projects):
        if project.amount_typed is not None:
            out += _mismatch("project-amount", ("项目", i, "金额"), "project_amount", project.amount_typed, project.amount, s)
    for i, note in enumerate(s.file.project_notes):
        if note.amount_typed is not None and note.items:
            out += _mismatch("project-amount", ("项目说明", i, "金额"), "project_amount", note.amount_typed,
                             compute.note_amount(note), s)
    targeted = s.file.targeted
    if targeted is not None and targeted.amount_typed is not None and targeted.items:
        out += _mismatch("project-amount", ("绩效目标项目", "金额"), "project_amount", targeted.amount_typed,
                         sum((i.amount for i in targeted.items), compute.ZERO), s)
    return out


def three_public(s: Subject) -> list[Finding]:
    """三公: 公车小计 = 购置 + 运行; total = 出国 + 接待 + 公车小计."""
    out = []
    for prefix, budget in _budgets(s):
        t = budget.three_public
        vehicles = t.vehicle_purchase + t.vehicle_running
        if t.vehicles_typed is not None:
            out += _mismatch("three-public", prefix + ("三公经费", "公务用车小计"), "three_public_vehicles", t.vehicles_typed, vehicles, s)
        if t.total_typed is not None:
            out += _mismatch("three-public", prefix + ("三公经费", _TOTAL), "three_public_total", t.total_typed,
                             compute.three_public_total(budget), s)
    return out


def operating_cost(s: Subject) -> list[Finding]:
    """机关运行经费 = basic 公用经费 of the general budget (holds for 行政 and 参公 units)."""
    file = s.file
    if file.operating_typed is None:
        return []
    if _unsplit(file):  # the lines do not say it: the economic table does, where given
        if not file.economic:
            return []
        computed = compute.econ_split(file).public
    else:
        computed = compute.by_sources(file, GENERAL_BUDGET).public
    return _mismatch("operating-cost", (F.OPERATING,), "operating_cost", file.operating_typed, computed, s)


def procurement(s: Subject) -> list[Finding]:
    """政府采购 total = 货物 + 工程 + 服务, each category typed beside its items = their sum;
    小微 ≤ 中小企业 ≤ total."""
    p = s.file.procurement
    computed = compute.procurement_total(s.file)
    out = []
    for prefix, budget in _budgets(s):
        bought = budget.procurement
        if bought.items:
            out += [f for kind in ProcurementKind if bought.typed(kind) is not None
                    for f in _mismatch("procurement", prefix + ("政府采购", kind.value), "procurement_items",
                                       bought.typed(kind), bought.amount(kind), s, kind=kind.value)]
    if p.total_typed is not None:
        out += _mismatch("procurement", ("政府采购", _TOTAL), "procurement_total", p.total_typed, computed, s)
    if p.sme > computed:
        sme, whole = shown_pair(p.sme, computed, s.scale)
        out.append(Finding("procurement", ("政府采购", "面向中小企业预留"), "procurement_sme", {"sme": sme, "total": whole, "unit": s.file.money_unit}))
    if p.small_micro > p.sme:
        small, sme = shown_pair(p.small_micro, p.sme, s.scale)
        out.append(Finding("procurement", ("政府采购", "其中小微企业预留"), "procurement_small", {"small": small, "sme": sme, "unit": s.file.money_unit}))
    return out


def vehicles(s: Subject) -> list[Finding]:
    """Vehicle counts and values add up to a typed 合计; every kind is one the profile names."""
    assets = s.file.assets
    path = ("国有资产", "车辆")
    known = set(s.spec.vehicle_kinds)
    out = []
    for where, kinds in ((path, assets.vehicles), (("国有资产", "本年购置车辆"), assets.buy_vehicle_counts)):
        for kind in kinds:
            if kind != VEHICLES_TOTAL and kind not in known:
                guess = difflib.get_close_matches(kind, sorted(known), n=1, cutoff=0.3)
                out.append(Finding("vehicles", where + (kind,), "vehicles_kind_guess" if guess else "vehicles_kind",
                                   {"kind": kind, "known": listing(s.spec.vehicle_kinds), "guess": guess[0] if guess else ""}))
    typed = assets.vehicles.get(VEHICLES_TOTAL)
    if typed is None:
        return out
    held = compute.vehicles_held(s.file)
    if typed.count != held.count:
        out.append(Finding("vehicles", path + (VEHICLES_TOTAL, "数量"), "vehicles_count", {"typed": typed.count, "computed": held.count}))
    return out + _mismatch("vehicles", path + (VEHICLES_TOTAL, "价值"), "vehicles_value", typed.value, held.value, s)


def staffing(s: Subject) -> list[Finding]:
    """实有人数 = 在职 + 退休 + 离休."""
    out = []
    for prefix, budget in _budgets(s):
        st = budget.staffing
        if st.actual_typed is not None and st.actual_typed != st.actual:
            out.append(Finding("staffing", prefix + ("人员", "实有人数"), "staffing_actual", {"typed": st.actual_typed, "computed": st.actual}))
    return out


def staffing_posts(s: Subject) -> list[Finding]:
    """在职 does not exceed 编制数 (a hint: units can be over strength)."""
    st = s.file.staffing
    if st.posts and st.active > st.posts:
        return [Finding("staffing-posts", ("人员", "在职"), "staffing_posts", {"active": st.active, "posts": st.posts})]
    return []


def performance(s: Subject) -> list[Finding]:
    """Each performance table scores its indicators to the profile's total; every project has a
    table (where the profile has performance tables)."""
    if s.spec.performance is None:
        return []
    file = s.file
    points_expected = s.spec.thresholds.indicator_points
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
        if indicators and points != points_expected:
            out.append(Finding("performance", path, "performance_weights", {"total": fmt_plain(points), "expected": fmt_plain(points_expected)}))
    return out


def carryover(s: Subject) -> list[Finding]:
    """The carry-over table matches the expenditure funded by carry-over sources."""
    file = s.file
    if not file.carryover:
        return []
    out = []
    for key, sources, half in (("carryover_fiscal", CARRY_FISCAL, "fiscal"), ("carryover_other", CARRY_OTHER, "other")):
        table = total(getattr(item, half).amount for item in file.carryover)
        lines = compute.by_sources(file, sources).amount
        if table != lines:
            table_shown, lines_shown = shown_pair(table, lines, s.scale)
            out.append(Finding("carryover", ("上年结转结余",), key, {"table": table_shown, "lines": lines_shown, "unit": s.file.money_unit}))
    return out


def totals_keys(s: Subject) -> list[Finding]:
    """Every key of 合计数 names a figure narrate computes (facts.py)."""
    out = []
    for prefix, budget in _budgets(s):
        for key in budget.totals:
            if not F.is_known(key, s.spec.fields):
                guess = difflib.get_close_matches(key, F.FIXED + F.own_keys(s.spec.fields), n=1, cutoff=0.5)
                msg = "totals_unknown_key" if guess else "totals_unknown_key_plain"
                out.append(Finding("totals-key", prefix + (_TOTALS, key), msg, {"key": key, "guess": guess[0] if guess else ""}))
    return out


_TOTALS = Budget.model_fields["totals"].alias


def _figures(s: Subject) -> compute.Figures:
    from narrate.load import to_unit

    return compute.figures(to_unit(s.file, s.prior, start=s.start), tuple((c.facts, c.set) for c in s.spec.compare),
                           s.spec.fields)


def _fact_path(s: Subject, key: str) -> tuple[str | int, ...]:
    """Returns where the figure behind a fact key is typed, so a finding points at its line."""
    file = s.file
    head, _, tail = key.partition(".")
    sets = [(prefix, budget) for prefix, budget in _budgets(s)]
    for prefix, budget in sets:
        if key in budget.totals:
            return prefix + (_TOTALS, key)
    split = F.split_line(key)
    code = split[1] if split is not None and split[0] != F.ECONOMIC else None
    if code is not None:
        for prefix, budget in sets:
            for i, line in enumerate(budget.expenses):
                if line.code == code:
                    return prefix + ("支出", i, "科目")
    if head == F.INCOME and tail in Source.__members__.values():
        source = Source(tail)
        for prefix, budget in sets:
            if budget.income.typed(source) is not None:
                return prefix + (_INCOME, tail)
        for prefix, budget in sets:
            for i, line in enumerate(budget.expenses):
                if line.cell(source) is not None:
                    return prefix + ("支出", i, tail)
    if head in ("三公经费", F.OPERATING):
        return (head, tail) if tail else (head,)
    return (_REASONS, key) if key in file.reasons else (_REASONS,)


_REASONS = UnitFile.model_fields["reasons"].alias


def needs_reason(patterns: tuple[str, ...], key: str) -> bool:
    """Tells whether key matches the profile's reason patterns: some pattern, and no !pattern."""
    wanted = any(fnmatchcase(key, p) for p in patterns if not p.startswith("!"))
    return wanted and not any(fnmatchcase(key, p[1:]) for p in patterns if p.startswith("!"))


def reasons(s: Subject) -> list[Finding]:
    """A change of the profile's threshold or more, or a figure new this year, needs a reason;
    one that did not move needs none."""
    file = s.file
    figures = _figures(s)
    threshold = s.spec.thresholds.reason_percent
    out = []
    changes = {key: figures.change(key) for key in figures.now}
    for key, change in changes.items():
        if change is None or not needs_reason(s.spec.reasons, key):
            continue
        given = key in file.reasons
        trend = change.trend
        path = _fact_path(s, key)
        if not given and trend is compute.Trend.NEW:
            out.append(Finding("reason-missing", path, "reason_missing_new",
                               {"key": key, "amount": fmt(change.current)}, subject=key))
        elif not given and change.rate is not None and abs(change.rate) >= threshold:
            direction = "reason_missing_up" if change.amount > 0 else "reason_missing_down"
            out.append(Finding("reason-missing", path, direction,
                               {"key": key, "amount": fmt_abs(change.amount), "rate": f"{fmt_abs(change.rate)}%"},
                               subject=key))
        elif given and trend in (compute.Trend.NONE, compute.Trend.FLAT):
            out.append(Finding("reason-unneeded", (_REASONS, key), "reason_unneeded", {"key": key}, subject=key))
        elif given:
            out += _reason_direction(key, file.reasons[key], change, s.directions)
    for key in file.reasons:
        if not F.is_known(key, s.spec.fields):
            # the figures whose change this format asks a reason for are the likelier meaning
            known = sorted(set(figures.now) | set(F.FIXED))
            wanted = [k for k in known if needs_reason(s.spec.reasons, k)]
            guess = difflib.get_close_matches(key, wanted, n=1, cutoff=0.5) or difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            msg = "reason_unknown_key" if guess else "reason_unknown_key_plain"
            out.append(Finding("reason-key", (_REASONS, key), msg, {"key": key, "guess": guess[0] if guess else ""}))
    return out


def _reason_direction(key: str, reason: str, change: compute.Change, listed: vocabulary.Words | None) -> list[Finding]:
    """A reason that speaks only of the opposite direction (e.g. 增加 beside a decrease)."""
    own, other = ((vocabulary.UP,), (vocabulary.DOWN, vocabulary.NONE))
    if change.amount < 0:
        own, other = other, own
    if vocabulary.kinds_in(reason, listed) & set(own):
        return []
    word = vocabulary.first_word(reason, other, listed)
    if word is None:
        return []
    message = "reason_direction_up" if change.amount > 0 else "reason_direction_down"
    return [Finding("reason-direction", (_REASONS, key), message, {"key": key, "word": word}, subject=key)]


def uses(s: Subject) -> list[Finding]:
    """主要用途 names a 类, 款 or 项 that fiscal money pays for this year."""
    paid = [line.code for line in s.file.expenses for src, c in line.cells() if src in FISCAL and c.amount]
    return [Finding("uses", ("主要用途", code), "uses_unknown", {"code": code})
            for code in s.file.uses if not any(p.startswith(code) for p in paid)]


_CELL_OWN = Cell.model_fields["own"].alias
_OWN = {"amount": Budget.model_fields["own_amounts"].alias, "count": Budget.model_fields["own_counts"].alias,
        "text": UnitFile.model_fields["own_texts"].alias}


def own_fields(s: Subject) -> list[Finding]:
    """格式金额 / 格式数量 / 格式文字 name fields the profile declares, of that kind, in the sets
    that carry them; a required one is given this year."""
    fields = s.spec.fields
    out = []
    given = [((), "text", s.file.own_texts)]
    given += [(prefix, kind, getattr(budget, attr)) for prefix, budget in _budgets(s)
              for kind, attr in (("amount", "own_amounts"), ("count", "own_counts"))]
    for prefix, kind, values in given:
        for name in values:
            path = prefix + (_OWN[kind], name)
            spec = fields.get(name)
            if spec is None:
                guess = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.5)
                out.append(Finding("own-fields", path, "own_unknown_guess" if guess else "own_unknown",
                                   {"name": name, "guess": guess[0] if guess else "", "known": listing(fields) or "-"}))
            elif spec.kind != kind:
                out.append(Finding("own-fields", path, "own_kind", {"name": name, "section": _OWN[spec.kind]}))
    for prefix, budget in _budgets(s):  # buckets beside 基本支出 and 项目支出, line by line
        for i, line in enumerate(budget.expenses):
            for source, cell in line.cells():
                for name in cell.own:
                    path = prefix + ("支出", i, source.value, _CELL_OWN, name)
                    spec = fields.get(name)
                    if spec is None or spec.kind != "bucket":
                        buckets = [n for n, f in fields.items() if f.kind == "bucket"]
                        guess = difflib.get_close_matches(name, buckets, n=1, cutoff=0.5)
                        out.append(Finding("own-fields", path, "own_unknown_guess" if guess else "own_unknown",
                                           {"name": name, "guess": guess[0] if guess else "", "known": listing(buckets) or "-"}))
    for name, spec in fields.items():
        if spec.kind == "bucket":
            continue
        if spec.required and name not in {"amount": s.file.own_amounts, "count": s.file.own_counts, "text": s.file.own_texts}[spec.kind]:
            out.append(Finding("own-fields", (_OWN[spec.kind],), "own_required", {"name": name, "section": _OWN[spec.kind]}))
    return out


RULES: dict[str, tuple[Rule | None, Severity]] = {
    "balance": (balance, Severity.ERROR),
    "income-detail": (income_detail, Severity.ERROR),
    "cell-basic": (cell_basic, Severity.ERROR),
    "split-missing": (split_missing, Severity.ERROR),
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
    "totals-key": (totals_keys, Severity.ERROR),
    "reason-missing": (reasons, Severity.WARNING),
    "reason-unneeded": (None, Severity.HINT),  # found by reasons()
    "reason-key": (None, Severity.ERROR),  # found by reasons()
    "reason-direction": (None, Severity.WARNING),  # found by reasons()
    "uses": (uses, Severity.WARNING),
    "own-fields": (own_fields, Severity.ERROR),
    # final accounts (决算): final_checks.py
    "final-balance": (lambda s: final_checks.balance(s, _figures(s)), Severity.ERROR),
    "final-income": (lambda s: final_checks.income_lines(s), Severity.ERROR),
    "final-balance-lines": (final_checks.balance_lines, Severity.ERROR),
    "final-reason": (lambda s: final_checks.reasons(s, _figures(s)), Severity.WARNING),
    "final-reason-key": (None, Severity.ERROR),  # found by final_checks.reasons
    untranslated.RULE: (untranslated.untranslated, Severity.HINT),
    untranslated.FILE_RULE: (untranslated.missing_file, Severity.WARNING),
    # found while codes are resolved (load/codes.py)
    "code-unknown": (None, Severity.ERROR),
    "code-unlisted": (None, Severity.WARNING),
    "code-name-mismatch": (None, Severity.ERROR),
    "code-duplicate": (None, Severity.ERROR),
}


def run(s: Subject) -> list[Finding]:
    """Returns every rule's findings, in rule order."""
    return [f for rule, _ in RULES.values() if rule is not None for f in rule(s)]


def run_prior_file(prior: UnitFile, spec: ProfileSpec, directions: vocabulary.Words | None = None) -> list[Finding]:
    """Returns the findings about last year's own file, placed in that file.

    Every comparison rests on last year's figures, so a file named by 上年文件 must add up too.
    """
    return [replace(f, prior=True) for f in run(Subject(prior, None, spec, directions))]
