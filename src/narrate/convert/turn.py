"""The year turns: next year's budget input from this year's input, and the year's final-accounts
input from its budget input (`narrate template --next-year` / `--final`).

Figures move to where the new document compares with them: a budget's figures become next
year's 上年; final accounts' actuals become 上年预算执行数 and their 年初预算 next year's 上年. The
new year's own figures are left for the officer to type. The officer's words (主要用途, 变动原因,
其他事项 …) are carried as comments on top of the file, to confirm and copy: a reason for last
year's change is never silently this year's.
"""

from __future__ import annotations

from narrate.model import Budget, DocKind, FinalAccounts, UnitFile, UnitInfo

_F = UnitFile.model_fields
_BUDGET_KEYS = tuple(f.alias for f in Budget.model_fields.values())
_WORDS = tuple(_F[n].alias for n in ("uses", "reasons", "other_matters", "operating_scope"))
FINAL_SUFFIX = "-final"
# A profile in another language is named after its Chinese one: sh-dept-final-en, xj-unit-en.
LANGUAGE_SUFFIXES = ("-en",)


def _info(tree: dict, years: int) -> dict:
    info = dict(tree.get(_F["unit"].alias) or {})
    year = UnitInfo.model_fields["year"].alias
    info[year] = int(info.get(year, 0)) + years
    info.pop(UnitInfo.model_fields["date"].alias, None)  # the date a document was signed
    return info


def _figures(tree: dict) -> dict:
    return {k: tree[k] for k in _BUDGET_KEYS if k in tree}


def _hints(tree: dict) -> list[tuple[str, str]]:
    """Returns (key, text) for every word of the officer's the new file should confirm."""
    out: list[tuple[str, str]] = []
    for key in _WORDS:
        value = tree.get(key)
        if isinstance(value, dict):
            out += [(f"{key}.{k}", str(v)) for k, v in value.items()]
        elif value:
            out.append((key, str(value)))
    key = FinalAccounts.model_fields["budget_reasons"].alias
    reasons = (tree.get(_F["final"].alias) or {}).get(key) or {}
    out += [(f"{_F['final'].alias}.{key}.{k}", str(v)) for k, v in reasons.items()]
    return out


def turned_profile(profile: str, final: bool, profiles: tuple[str, ...]) -> str:
    """Returns the profile of the turned input: the final-accounts one of a budget profile
    (final) or the budget one of a final-accounts profile, in the same language where there is
    one (sh-dept-final-en -> sh-dept-en, else sh-dept); the profile itself when none exists."""
    language = next((s for s in LANGUAGE_SUFFIXES if profile.endswith(s)), "")
    base = profile[: len(profile) - len(language)]
    turned = base + FINAL_SUFFIX if final else base.removesuffix(FINAL_SUFFIX)
    if turned == base:
        return profile
    return next((p for p in (turned + language, turned) if p in profiles), profile)


def _carried(tree: dict, out: dict) -> None:
    """The profile's neighbours that stay with the unit: the money unit, the English texts' file."""
    for name in ("money_unit", "translations"):
        if _F[name].alias in tree:
            out[_F[name].alias] = tree[_F[name].alias]


def is_final(tree: dict) -> bool:
    return tree.get(_F["document"].alias) == DocKind.FINAL.value or _F["final"].alias in tree


def next_year(tree: dict, profiles: tuple[str, ...]) -> tuple[dict, list[tuple[str, str]]]:
    """Returns next year's budget input (its own figures left to type) and the hints to confirm."""
    out: dict = {}
    profile = tree.get(_F["profile"].alias)
    if profile:
        out[_F["profile"].alias] = turned_profile(profile, False, profiles)
    _carried(tree, out)
    out[_F["unit"].alias] = _info(tree, 1)
    if is_final(tree):
        start = tree.get(_F["start_budget"].alias)
        if start:
            out[_F["prior"].alias] = start
        elif tree.get(_F["start_budget_file"].alias):
            out[_F["prior_file"].alias] = tree[_F["start_budget_file"].alias]
        out[_F["prior_actual"].alias] = _figures(tree)
    else:
        out[_F["prior"].alias] = _figures(tree)
    return out, _hints(tree)


def final_from_budget(tree: dict, budget_file: str, profiles: tuple[str, ...]) -> tuple[dict, list[tuple[str, str]]]:
    """Returns the year's final-accounts input started from its budget input: the same unit and
    year, the budget named as 年初预算文件 (nothing typed twice), the actuals left to type."""
    out: dict = {}
    profile = tree.get(_F["profile"].alias)
    if profile:
        out[_F["profile"].alias] = turned_profile(profile, True, profiles)
    out[_F["document"].alias] = DocKind.FINAL.value
    _carried(tree, out)
    out[_F["unit"].alias] = _info(tree, 0)
    out[_F["start_budget_file"].alias] = budget_file
    return out, _hints(tree)
