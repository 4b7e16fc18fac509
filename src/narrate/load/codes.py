"""Checks every classification code of an input against the catalogs, and names the unknown ones.

Returns catalogs extended by the names the input gives for codes the catalog lacks, so later stages
look every code up in one place.
"""

from __future__ import annotations

from narrate.messages import listing

from dataclasses import replace

from narrate.catalog import Catalog, Catalogs, Entry, same_name
from narrate.model import Budget, UnitFile
from narrate.problems import Finding


def _coded_lines(file: UnitFile):
    """Yields (catalog kind, code, given name, path) for every code the input uses."""
    budgets: list[tuple[tuple, Budget]] = [((), file)]
    # every comparison set: a line only a budget set has still prints by its name (决算 lists
    # each 项 against its budget), so its code is checked and a name typed beside it counts
    for name in ("prior", "prior_actual", "start_budget", "full_budget", "prior_final"):
        budget = getattr(file, name)
        if budget is not None:
            budgets.append(((UnitFile.model_fields[name].alias,), budget))
    for prefix, budget in budgets:
        for i, line in enumerate(budget.expenses):
            yield "function", line.code, line.name, prefix + ("支出", i)
        for i, econ in enumerate(budget.economic):
            yield "economic", econ.code, econ.name, prefix + ("基本支出经济分类", i)
        for i, project in enumerate(budget.projects):
            yield "function", project.code, None, prefix + ("项目", i)
            for cls in project.by_class:
                yield "economic-class", cls, None, prefix + ("项目", i, "经济分类", cls)
        for i, item in enumerate(budget.procurement.items):  # an item's 经济科目 given as a code
            if item.econ_code is not None:
                yield "economic-item", item.econ_code, None, prefix + ("政府采购", "明细", i)
    if file.final is not None:  # the final-accounts tables' own lines (收入决算表, 结转和结余)
        final = (UnitFile.model_fields["final"].alias,)
        for i, income in enumerate(file.final.income):
            yield "function", income.code, income.name, final + ("收入", i)
        for i, other in enumerate(file.final.other_spending):
            yield "function", other.code, None, final + ("其他支出", i)
        for i, balance in enumerate(file.final.balance_lines):
            yield "function", balance.code, balance.name, final + ("财政拨款结转和结余明细", i)


def resolve(file: UnitFile, catalogs: Catalogs) -> tuple[Catalogs, list[Finding]]:
    """Returns (catalogs extended by the input's own names, findings about the codes)."""
    findings: list[Finding] = []
    added: dict[str, dict[str, Entry]] = {"function": {}, "economic": {}}
    for kind, code, name, path in _coded_lines(file):
        bucket = "function" if kind == "function" else "economic"
        catalog = catalogs.function if kind == "function" else catalogs.economic
        known = catalog.name(code) or (added[bucket][code].name if code in added[bucket] else None)
        if kind == "economic-class" and len(code) != 3:
            findings.append(Finding("code-unknown", path, "code_not_class", {"code": code}))
        elif known is None and name:
            added[bucket][code] = Entry(code, name, "input")
            findings.append(Finding("code-unlisted", path + ("科目",), "code_unlisted", {"code": code, "name": name}))
        elif known is None:
            findings.append(_unknown(catalog, code, path, "经济科目" if kind == "economic-item" else "科目"))
        elif name and not same_name(name, known):
            findings.append(
                Finding("code-name-mismatch", path + ("名称",), "code_name_mismatch",
                        {"code": code, "expected": known, "given": name})
            )
        if kind == "function":
            findings.extend(_parents(catalog, code, path))
    extended = Catalogs(_extend(catalogs.function, added["function"]), _extend(catalogs.economic, added["economic"]))
    return extended, findings + _duplicates(file)


def _unknown(catalog: Catalog, code: str, path: tuple, key: str) -> Finding:
    near = catalog.nearest(code)
    if near:
        return Finding("code-unknown", path + (key,), "code_unknown", {"code": code, "near": listing(near)})
    return Finding("code-unknown", path + (key,), "code_unknown_nothing_near", {"code": code})


def _parents(catalog: Catalog, code: str, path: tuple) -> list[Finding]:
    return [
        Finding("code-unknown", path + ("科目",), "code_parent_unknown", {"code": code, "parent": parent})
        for parent in (code[:3], code[:5])
        if len(parent) < len(code) and catalog.name(parent) is None
    ][:1]


def _extend(catalog: Catalog, entries: dict[str, Entry]) -> Catalog:
    return replace(catalog, entries={**catalog.entries, **entries}) if entries else catalog


def _duplicates(file: UnitFile) -> list[Finding]:
    findings = []
    for prefix, budget in (((), file), (("上年",), file.prior)):
        if budget is None:
            continue
        for key, lines in (("支出", budget.expenses), ("基本支出经济分类", budget.economic)):
            first: dict[str, int] = {}
            for i, line in enumerate(lines):
                if line.code in first:
                    findings.append(
                        Finding("code-duplicate", prefix + (key, i, "科目"), "code_duplicate",
                                {"code": line.code, "other": first[line.code] + 1})
                    )
                first.setdefault(line.code, i)
    return findings
