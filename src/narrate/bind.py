"""The bind step: a profile (plain data, profile/) checked against what narrate can make, before
any input is read.

The profile names part kinds, sections, tables, phrases, facts, funding sources, money styles
and Word styles; this module is the one place that knows both the profile and the code that
gives those names a meaning (outline.PARTS, rules.SECTIONS, rules/uses.py, facts.py,
tables/values.py), so the profile package itself stays data. Every problem is found in one pass
and reported at the file and line of the layer that wrote it; a profile that passes never makes
the build stop with a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from narrate import facts, outline, rules, stamps
from narrate import profile as profiles
from narrate.messages import listing, say
from narrate.model import COMPARISON_SETS, UnitFunds
from narrate.problems import Problem, Severity, field_name
from narrate.profile import Profile, ProfileError
from narrate.profile.schema import ListSection, ProfileSpec
from narrate.rules.uses import GLOBALS, USES, is_custom
from narrate.tables import procurement as procurement_table
from narrate.tables import values

# The unit-funds detail a balance table's left side may show (`unit_funds:<field>`).
UNIT_FUNDS_FIELDS = tuple(UnitFunds.model_fields)
# What the left side of a balance table may measure besides the split measures.
LEFT_MEASURES = values.MEASURES + ("unit_funds",)
# The names a phrase placed as a part's 目录 entry or heading may read besides the globals.
PLACE_NAMES = ("n",)


def profile(ref: str | Path | None = None, base: Path | None = None, options: dict[str, str] | None = None) -> Profile:
    """Returns the profile ref names (see profile.load) with its options chosen, bound: checked
    against the parts, sections, phrases, facts, sources and styles narrate knows, and so is
    every other choice of every option. Raises ProfileError with every problem found."""
    loaded = bound(profiles.load(ref, base))
    return bound(profiles.load(ref, base, options)) if options else loaded


_PASSED: set[tuple] = set()  # loaded profiles (folder chain, options, files' stamp) already bound


def bound(loaded: Profile) -> Profile:
    """Returns a loaded profile once it binds; raises ProfileError with every problem."""
    key = (loaded.folders, tuple(sorted(loaded.options.items())), stamps.of(loaded.folders))
    if key not in _PASSED:
        problems = problems_of(loaded)
        if not problems and not loaded.options.keys() - _defaults(loaded):
            problems = _choices(loaded)
        if problems:
            raise ProfileError(problems)
        _PASSED.add(key)
    if not loaded.written:  # where each of its templates is written, for a failure as it renders
        for path, text, _ in _template_items(loaded.spec):
            file, line = profiles.locate(loaded.chain, path)
            loaded.written.setdefault(text, f"{file}:{line}" if line else file)
    return loaded


def _defaults(loaded: Profile) -> set[str]:
    return {n for n, o in loaded.spec.options.items() if loaded.options.get(n) == o.default}


def _choices(loaded: Profile) -> list[Problem]:
    """Returns the problems of every choice of every option but the defaults (each loaded on
    its own over the defaults), so a choice nobody has made yet is checked too."""
    out: list[Problem] = []
    folder = loaded.folders[-1]
    for name, option in loaded.spec.options.items():
        if option.default not in option.choices:
            out.append(Problem(Severity.ERROR, "profile", *profiles.locate(loaded.chain, ("options", name, "default")),
                               field_name(("options", name, "default")),
                               say("option_choice", name=name, value=option.default, known=listing(option.choices))))
            continue
        for value in option.choices:
            if value == option.default:
                continue
            try:
                other = profiles.load(folder, None, {name: value})
            except ProfileError as exc:
                out += exc.problems
                continue
            out += problems_of(other, (name, value))
    return list(dict.fromkeys(out))


def problems_of(loaded: Profile, chosen: tuple[str, str] | None = None) -> list[Problem]:
    """Returns every problem of a loaded profile, each at the file and line that wrote it (what
    option `chosen` (name, choice) sets, at that choice)."""
    spec = loaded.spec
    found = _parts(spec) + _compare(spec) + _fields(spec) + _tables(spec) + _templates(spec)
    out = []
    for path, message in found:
        if chosen is not None and path and path[0] in (spec.options[chosen[0]].choices.get(chosen[1]) or {}):
            path = ("options", chosen[0], "choices", chosen[1], *path)
        out.append(Problem(Severity.ERROR, "profile", *profiles.locate(loaded.chain, path), field_name(path), message))
    return out


# -- parts --------------------------------------------------------------------------------------


def _parts(spec: ProfileSpec) -> list[tuple[tuple, str]]:
    declared = {u.phrase: u.variables for u in USES}
    out: list[tuple[tuple, str]] = []
    for i, part in enumerate(spec.parts):
        if part.kind not in outline.PARTS:
            out.append((("parts", i, "kind"), say("profile_part_unknown", kind=part.kind, known=listing(outline.PARTS))))
        if part.heading is not None and part.heading_style not in spec.styles:
            out.append((("parts", i, "heading_style"), say("profile_style_unknown", style=part.heading_style)))
        for j, table in enumerate(part.tables):
            if table not in spec.tables:
                out.append((("parts", i, "tables", j), say("profile_table_unknown", table=table, known=listing(spec.tables))))
        for j, section in enumerate(part.sections):
            if isinstance(section, ListSection):
                out += _list(spec, section, ("parts", i, "sections", j))
            elif section not in rules.SECTIONS and not is_custom(section):
                out.append((("parts", i, "sections", j), say("profile_section_unknown", section=section, known=listing(rules.SECTIONS))))
        for j, item in enumerate(part.items):
            if item.get("style") not in spec.styles:
                out.append((("parts", i, "items", j, "style"), say("profile_style_unknown", style=item.get("style"))))
            phrase = item.get("phrase", "")
            allowed = ((), ("date",)) if part.kind == "closing" else ((),)  # closing lines may show the date
            if not is_custom(phrase) and declared.get(phrase) not in allowed:
                out.append((("parts", i, "items", j, "phrase"), say("profile_item_phrase", phrase=phrase)))
            if "split" in item and (part.kind != "text" or item["split"] != outline.SPLIT_LINES):
                out.append((("parts", i, "items", j, "split"), say("profile_item_split", value=item["split"], kind=part.kind)))
        for key in ("heading", "toc"):
            phrase = getattr(part, key)
            if phrase is not None and not is_custom(phrase) and declared.get(phrase) not in ((), PLACE_NAMES):
                out.append((("parts", i, key), say("profile_item_phrase", phrase=phrase)))
    for key in outline.REQUIRED_STYLES:
        if key not in spec.styles:
            out.append((("styles",), say("profile_style_missing", style=key)))
    return out


def _list(spec: ProfileSpec, section: ListSection, at: tuple) -> list[tuple[tuple, str]]:
    """Checks a list section: its group, levels, filters, phrases (the profile's own) and styles."""
    out: list[tuple[tuple, str]] = []
    groups = facts.LINE_GROUPS + (facts.ECONOMIC,)
    if section.list not in groups:
        out.append((at + ("list",), say("profile_list_group", group=section.list, known=listing(groups))))
    levels = {**facts.LEVELS, **{n: n for n in facts.CODE_LENGTHS}}
    depth = levels.get(section.level)
    if depth is None:
        out.append((at + ("level",), say("profile_list_level", level=section.level, known=listing(facts.LEVELS))))
    if section.group_by is not None:
        above = levels.get(section.group_by)
        if above is None or (depth is not None and above >= depth):
            out.append((at + ("group_by",), say("profile_list_group_by", level=section.group_by, of=section.level)))
    for k, name in enumerate(section.only):
        if name not in facts.LINE_FILTERS:
            out.append((at + ("only", k), say("profile_list_filter", filter=name, known=listing(facts.LINE_FILTERS))))
    for key in ("item", "heading", "group_heading", "lead", "empty"):
        phrase = getattr(section, key)
        if phrase is not None and not is_custom(phrase):
            out.append((at + (key,), say("profile_list_phrase", phrase=phrase)))
    for key in ("style", "group_style", "heading_style"):
        if getattr(section, key) not in spec.styles:
            out.append((at + (key,), say("profile_style_unknown", style=getattr(section, key))))
    return out


def _fields(spec: ProfileSpec) -> list[tuple[tuple, str]]:
    """A field of the format's own has a name no built-in fact has, sets that exist, and adds to
    facts that do."""
    out: list[tuple[tuple, str]] = []
    for name, field in spec.fields.items():
        at = ("fields", name)
        if facts.is_known(name) or "." in name:
            out.append((at, say("profile_field_name", name=name)))
        for k, s in enumerate(field.sets or ()):
            if s not in COMPARISON_SETS:
                out.append((at + ("sets", k), say("profile_set_unknown", set=s, known=listing(COMPARISON_SETS))))
        if field.adds_to and field.kind != "amount":
            out.append((at + ("adds_to",), say("profile_field_adds", name=name)))
        for k, key in enumerate(field.adds_to):
            if not facts.is_known(key, spec.fields) or key == name:
                out.append((at + ("adds_to", k), say("profile_fact_unknown", key=key, hint=_fact_hint(key))))
    return out


def _compare(spec: ProfileSpec) -> list[tuple[tuple, str]]:
    return [(("compare", i, "set"), say("profile_set_unknown", set=rule.set, known=listing(COMPARISON_SETS)))
            for i, rule in enumerate(spec.compare) if rule.set not in COMPARISON_SETS]


# -- tables -------------------------------------------------------------------------------------


def _tables(spec: ProfileSpec) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    for tid, table in spec.tables.items():
        at = ("tables", tid)
        if isinstance(table.money, str) and table.money not in spec.money.style_names():
            out.append((at + ("money",), say("profile_money_style", style=table.money, known=listing(spec.money.style_names()))))
        for path, expr, measures in _expressions(table):
            problem = _expression(expr, measures)
            if problem:
                out.append((at + path, problem))
        if table.kind == "function":
            if len(table.styles) > len(table.values):
                out.append((at + ("styles",), say("profile_styles_count", styles=len(table.styles), values=len(table.values))))
            out += [(at + ("styles", i), say("profile_money_style", style=name, known=listing(spec.money.style_names())))
                    for i, name in enumerate(table.styles) if name is not None and name not in spec.money.style_names()]
        if table.kind == "facts":
            out += _fact_cells(spec, table, at)
        if table.kind == "procurement":
            out += _procurement(table, at)
        out += _header(spec, table, at)
    for name, style in spec.money.percent_styles.items():
        if style.parts is not None and style.parts not in spec.money.style_names():
            out.append((("money", "percent_styles", name, "parts"),
                        say("profile_money_style", style=style.parts, known=listing(spec.money.style_names()))))
    return out


def _expressions(table) -> list[tuple[tuple, str, tuple[str, ...]]]:
    """Returns (path, expression, measures allowed) of every value expression of a table."""
    out: list[tuple[tuple, str, tuple[str, ...]]] = []
    if table.kind == "balance":
        out += [(("left", i, "value"), item.get("value", ""), LEFT_MEASURES) for i, item in enumerate(table.left)]
        out.append((("left_total", "value"), table.left_total.get("value", ""), LEFT_MEASURES))
        out += [(("right_values", i), expr, values.MEASURES) for i, expr in enumerate(table.right_values)]
    if table.kind == "function":
        out += [(("values", i), expr, values.MEASURES) for i, expr in enumerate(table.values)]
    if table.kind in ("function", "projects"):
        out.append((("rows_sources",), "amount:" + table.rows_sources, values.MEASURES))
    return out


def _expression(expr: object, measures: tuple[str, ...]) -> str | None:
    """Returns what is wrong with a value expression (measure:sources), or None."""
    if not isinstance(expr, str) or ":" not in expr:
        return say("profile_value_form", value=expr)
    measure, what = values.parse(expr)
    if measure not in measures:
        return say("profile_value_measure", measure=measure, known=listing(measures))
    if measure == "unit_funds":
        return None if what in UNIT_FUNDS_FIELDS else say("profile_value_source", source=what, known=listing(UNIT_FUNDS_FIELDS))
    for part in what.split("+"):
        if part.strip() not in values.SOURCE_NAMES:
            return say("profile_value_source", source=part.strip(), known=listing(values.SOURCE_NAMES))
    return None


def _fact_cells(spec: ProfileSpec, table, at: tuple) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    for i, row in enumerate(table.rows):
        for j, cell in enumerate(row):
            where = at + ("rows", i, j)
            if not isinstance(cell, dict):
                continue
            keys = set(cell)
            if not keys <= {"fact", "sum", "amount", "style", "set"} or len(keys & {"fact", "sum", "amount"}) != 1:
                out.append((where, say("profile_fact_cell", cell=", ".join(sorted(map(str, keys))))))
            elif "fact" in cell and not facts.is_known(str(cell["fact"]), spec.fields):
                out.append((where + ("fact",), say("profile_fact_unknown", key=cell["fact"], hint=_fact_hint(str(cell["fact"])))))
            elif "sum" in cell and (not isinstance(cell["sum"], (list, tuple)) or not cell["sum"]):
                out.append((where + ("sum",), say("profile_fact_cell", cell="sum")))
            elif "sum" in cell:
                out += [(where + ("sum", k), say("profile_fact_unknown", key=key, hint=_fact_hint(str(key))))
                        for k, key in enumerate(cell["sum"]) if not facts.is_known(str(key), spec.fields)]
            elif "amount" in cell and not _number(cell["amount"]):
                out.append((where + ("amount",), say("profile_fact_amount", value=cell["amount"])))
            if "set" in cell and cell["set"] not in COMPARISON_SETS:
                out.append((where + ("set",), say("profile_set_unknown", set=cell["set"], known=listing(COMPARISON_SETS))))
            if "style" in cell and cell["style"] not in spec.money.style_names():
                out.append((where + ("style",), say("profile_money_style", style=cell["style"], known=listing(spec.money.style_names()))))
    return out


def _procurement(table, at: tuple) -> list[tuple[tuple, str]]:
    """Checks a procurement table: its columns (item fields and the amount, each once, the amount
    not first), its levels (fields among the columns, each once, 类别 alone and first) and the
    categories it labels."""
    P = procurement_table
    out: list[tuple[tuple, str]] = []
    for i, name in enumerate(table.columns):
        if name not in P.COLUMNS:
            out.append((at + ("columns", i), say("profile_procurement_column", column=name, known=listing(P.COLUMNS))))
        elif name in table.columns[:i]:
            out.append((at + ("columns", i), say("profile_procurement_twice", column=name)))
    if P.AMOUNT not in table.columns or table.columns[0] == P.AMOUNT:
        out.append((at + ("columns",), say("profile_procurement_amount", amount=P.AMOUNT)))
    if not table.levels:
        out.append((at + ("levels",), say("profile_procurement_levels", kind=P.KIND)))
    seen: set[str] = set()
    for i, fields in enumerate(table.levels):
        if not fields:  # a level of no fields would repeat the row above it
            out.append((at + ("levels", i), say("profile_procurement_empty_level", project=P.PROJECT, econ=P.ECON)))
        for j, name in enumerate(fields):
            where = at + ("levels", i, j)
            if name not in table.columns or name == P.AMOUNT:
                out.append((where, say("profile_procurement_level", field=name, amount=P.AMOUNT, known=listing(table.columns))))
            elif name in seen:
                out.append((where, say("profile_procurement_twice", column=name)))
            elif name == P.KIND and (i != 0 or len(fields) != 1):
                out.append((where, say("profile_procurement_kind_level", kind=P.KIND)))
            seen.add(name)
    for name in table.categories:
        if name not in P.CATEGORIES:
            out.append((at + ("categories", name), say("profile_procurement_category", category=name, known=listing(P.CATEGORIES))))
    return out


def _number(value: object) -> bool:
    from decimal import Decimal, InvalidOperation

    if isinstance(value, bool):
        return False
    try:
        Decimal(str(value))
    except InvalidOperation:
        return False
    return True


def _fact_hint(key: str) -> str:
    import difflib

    guess = difflib.get_close_matches(key, facts.FIXED, n=1)
    return guess[0] if guess else listing(facts.PATTERNS)


def body_columns(spec: ProfileSpec, table) -> int | None:
    """Returns how many columns a table's body rows have (None: as many as its rows say)."""
    code = 1 if getattr(table, "codes", "split") == "joined" else 3
    if table.kind == "balance":
        return 3 + len(table.right_values)
    if table.kind == "function":
        return code + 1 + len(table.values)
    if table.kind == "economic":
        return (1 if table.codes == "joined" else 2) + 1 + len(table.values)
    if table.kind == "projects":
        return code + 2 + 1 + len(spec.project_econ_classes)
    if table.kind == "carryover":
        return 10  # name, total, then fiscal and other: each total, personnel, public, project
    if table.kind == "final_lines":  # codes, name, then tables/final.py's columns
        return code + 1 + (7 if table.lines == "income" else 6)
    if table.kind == "economic_pairs":  # two pairs of (codes, name, amount)
        return 2 * ((1 if table.codes == "joined" else 2) + 2)
    if table.kind == "procurement":
        return len(table.columns)
    widths = {len(row) for row in table.rows}
    return widths.pop() if len(widths) == 1 else None


def _header(spec: ProfileSpec, table, at: tuple) -> list[tuple[tuple, str]]:
    """Checks the header's cells and that its rows span exactly the body's columns (a header
    narrower than the body would cut every row to its width)."""
    out: list[tuple[tuple, str]] = []
    if table.kind == "facts" and body_columns(spec, table) is None:
        out.append((at + ("rows",), say("profile_rows_uneven")))
    below: list[int] = []  # per column: how many more rows a cell above still covers
    widths: list[int] = []
    for i, row in enumerate(table.header):
        col, filled = 0, []
        for j, item in enumerate(row):
            span = _span(item)
            if span is None:
                out.append((at + ("header", i, j), say("profile_header_cell", cell=item)))
                span = (1, 1)
            while col < len(below) and below[col] > 0:
                col += 1
            for k in range(col, col + span[0]):
                while len(below) <= k:
                    below.append(0)
                filled.append(k)
                below[k] = span[1]
            col += span[0]
        widths.append(max([c + 1 for c in filled] + [len(below)], default=0))
        below = [max(0, b - 1) for b in below]
    expected = body_columns(spec, table)
    # every row must span the body: a first row narrower than the rows below it pushes their
    # cells past the columns it heads (a header cell over the wrong amounts)
    wrong = [w for w in widths if w != expected]
    if table.header and expected is not None and wrong:
        out.append((at + ("header",), say("profile_header_width", width=wrong[0], columns=expected)))
    return out


def _span(item: Any) -> tuple[int, int] | None:
    if isinstance(item, (str, int)) and not isinstance(item, bool):
        return 1, 1
    if isinstance(item, dict) and "t" in item and set(item) <= {"t", "c", "r"}:
        c, r = item.get("c", 1), item.get("r", 1)
        if isinstance(c, int) and isinstance(r, int) and not isinstance(c, bool) and not isinstance(r, bool) and c >= 1 and r >= 1:
            return c, r
    return None


# -- the profile's own templates ----------------------------------------------------------------


def _template_items(spec: ProfileSpec):
    """The templates a profile holds (outside its phrasebook), and the names each may read
    besides the globals every phrase has (rules/uses.GLOBALS)."""
    for tid, table in spec.tables.items():
        yield ("tables", tid, "title"), table.title, ()
        if table.toc is not None:
            yield ("tables", tid, "toc"), table.toc, ()
        for r, row in enumerate(table.header or ()):  # header cells may name globals, as titles do
            for c, item in enumerate(row):
                text = item.get("t") if isinstance(item, dict) else item
                if isinstance(text, str) and "{" in text:
                    yield ("tables", tid, "header", r, c, "t") if isinstance(item, dict) else ("tables", tid, "header", r, c), text, ()
        if table.kind == "balance":
            yield ("tables", tid, "class_label"), table.class_label, ("n", "code", "name")
    if spec.performance is not None:
        yield ("performance", "year_line"), spec.performance.year_line, ()
        for part, names in (("unit", ("n", "numeral", "goal")), ("project", ("total", "fiscal", "other", "goal"))):
            for key in ("title", "goal_item", "goal"):
                text = getattr(spec.performance, part).get(key)
                if isinstance(text, str):
                    yield ("performance", part, key), text, names if key != "title" else ()


def _templates(spec: ProfileSpec) -> list[tuple[tuple, str]]:
    from jinja2 import TemplateSyntaxError, meta

    out = []
    for path, text, names in _template_items(spec):
        try:
            tree = profiles.environment().parse(text)
        except TemplateSyntaxError as exc:
            out.append((path, say("profile_template_syntax", detail=exc.message)))
            continue
        for name in sorted(meta.find_undeclared_variables(tree) - set(GLOBALS) - set(names)):
            out.append((path, say("profile_template_name", name=name, given=listing(GLOBALS + tuple(names)))))
    return out
