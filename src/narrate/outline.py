"""The whole document, assembled part by part in the order the profile gives.

Each part kind is registered in PARTS: the title page, 目录, a heading, the unit's functions,
structure and staffing, the tables, the explanations (sections chosen by the profile), the
glossary, a department's project notes and the closing lines. No wording here: every sentence
is a phrase of the profile's phrasebook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from narrate import blocks, compute, rules
from narrate.blocks import Block, Document, PageBreak, Para, Slot
from narrate.catalog import Catalogs
from narrate.model import MemberKind, Unit, UnitInfo, UnitKind
from narrate.phrasebook import Phrasebook
from narrate.profile import Profile
from narrate.profile.schema import Part
from narrate.rules.context import Context, body, para
from narrate.rules.matters import PERFORMANCE_SLOT
from narrate.tables import performance_tables, standard_table

TOC_SLOT = "toc"
SPLIT_LINES = "lines"  # a text item's `split`: each line its own paragraph
# Style keys the outline itself writes, whatever the parts: a profile must define them.
REQUIRED_STYLES = ("body", "list", "toc_title", "table_title", "table_head", "table_text", "table_center",
                   "table_amount", "footer", "toc1", "toc2")


def context(unit: Unit, catalogs: Catalogs, profile: Profile, book: Phrasebook) -> Context:
    """Returns what every part and rule reads; the unit's figures are computed here, once."""
    compare = tuple((c.facts, c.set) for c in profile.spec.compare)
    if profile.spec.language != "zh":
        catalogs = catalogs.labelled(profile.spec.language, unit.translations)
    return Context(unit, catalogs, book, profile, compute.figures(unit, compare, profile.spec.fields))


def _heading(ctx: Context, part: Part, pid: str) -> list[Block]:
    if part.heading is None:
        return []
    return [para(pid, part.heading_style, ctx.say(part.heading), "part_title")]


def title_page(ctx: Context, part: Part, pid: str) -> list[Block]:
    return [para(f"title_{i}", item["style"], ctx.say(item["phrase"]), "title_page") for i, item in enumerate(part.items)]


def text(ctx: Context, part: Part, pid: str) -> list[Block]:
    """Paragraphs of the profile's own phrases (custom.<name>), each in its style; an item that
    splits by lines gives one paragraph per non-blank line of what its phrase says."""
    out = _heading(ctx, part, pid)
    for i, item in enumerate(part.items):
        said = ctx.say(item["phrase"])
        if item.get("split") == SPLIT_LINES:
            out += [para(f"{pid}_{i}_{k}", item["style"], line.strip(), "custom_text")
                    for k, line in enumerate(said.splitlines(), 1)]
        else:
            out.append(para(f"{pid}_{i}", item["style"], said, "custom_text"))
    return out


def toc(ctx: Context, part: Part, pid: str) -> list[Block]:
    return [PageBreak(), para("toc_title", "toc_title", ctx.say("toc.title"), "toc"), Slot(TOC_SLOT)]


def heading(ctx: Context, part: Part, pid: str) -> list[Block]:
    return _heading(ctx, part, pid)


def functions(ctx: Context, part: Part, pid: str) -> list[Block]:
    """The unit's main functions: an introduction where given, then the list."""
    info = ctx.info
    out = _heading(ctx, part, pid)
    if info.intro:
        out.append(body(ctx, "ov_intro", "functions.intro", "functions_intro", text=ctx.text(info.intro)))
    if info.functions:
        out.append(body(ctx, "ov_lead", "functions.lead", "functions_lead"))
    for n, function in enumerate(info.functions, 1):
        out.append(para(f"ov_f{n}", "list", ctx.say("functions.item", n=n, text=ctx.text(function)), "function_item"))
    if not info.functions:
        out.append(body(ctx, "ov_f0", "functions.none", "no_functions"))
    return out


def _member(ctx: Context, m) -> dict[str, Any]:
    return {"name": ctx.text(m.name), "kind": m.kind.value, "headquarters": m.headquarters, "separate": m.separate,
            "departments": ctx.texts(m.departments), "group": ctx.text(m.group)}


# The name of the first institution group: the unit's own 内设机构 (its input key).
DEPARTMENTS_GROUP = UnitInfo.model_fields["departments"].alias


def _groups(ctx: Context) -> list[dict[str, Any]]:
    """Returns the institutions a format lists group by group: the unit's 内设机构 first, then the
    members by their 类别 in the order first given (empty groups left out)."""
    out: dict[str, list[str]] = {DEPARTMENTS_GROUP: ctx.texts(ctx.info.departments)}
    for m in ctx.info.members:
        if m.group:
            out.setdefault(ctx.text(m.group), []).append(ctx.text(m.name))
    # internal: the unit's own 内设机构 (a phrase need not compare names to tell them)
    return [{"name": name, "names": names, "internal": name == DEPARTMENTS_GROUP} for name, names in out.items() if names]


def structure(ctx: Context, part: Part, pid: str) -> list[Block]:
    """机构设置: a department's member units (本部 first as given), or a unit's subordinates and
    internal departments."""
    info = ctx.info
    out = _heading(ctx, part, pid)
    if info.kind is UnitKind.DEPARTMENT and info.members:
        members = [_member(ctx, m) for m in info.members]
        kinds = {k.value: sum(1 for m in info.members if m.kind is k) for k in MemberKind}
        groups = _groups(ctx)
        out.append(body(ctx, "ov_units", "structure.department", "structure_department", members=members,
                        subordinate_count=sum(1 for m in info.members if not m.headquarters), kinds=kinds, groups=groups))
        out.append(body(ctx, "ov_kinds", "structure.department_kinds", "structure_department", kinds=kinds))
        # a format that lists its institutions group by group: each group's heading, then its names
        for g, group in enumerate(groups, 1):
            out.append(body(ctx, f"ov_g{g}", "structure.group", "structure_group", n=g, group=group))
            out += [body(ctx, f"ov_g{g}_{n}", "structure.group_item", "structure_group", n=n, name=name)
                    for n, name in enumerate(group["names"], 1)]
        out += [body(ctx, f"ov_m{n}", "structure.member", "structure_member", n=n, member=m) for n, m in enumerate(members, 1)]
        out.append(body(ctx, "ov_budget", "structure.budget_units", "structure_department", members=members))
        return out
    out.append(body(ctx, "ov_units", "structure.unit", "structure_unit",
                    subordinates=ctx.texts(info.subordinates), departments=ctx.texts(info.departments)))
    return out


def staffing(ctx: Context, part: Part, pid: str) -> list[Block]:
    """Posts and people, each count with its change against last year's where known."""
    now = ctx.budget.staffing
    prior = ctx.unit.prior
    before = prior.staffing if prior is not None and "staffing" in prior.model_fields_set else None

    def change(field: str) -> str:
        if before is None:
            return ""
        return ctx.say("staffing.change", diff=getattr(now, field) - getattr(before, field), fid=f"s_{field}_change")

    actual = now.actual_typed if now.actual_typed is not None else now.actual
    return _heading(ctx, part, pid) + [
        body(ctx, "ov_staff", "staffing.text", "staffing", posts=now.posts, actual=actual, active=now.active,
             retired=now.retired, veteran=now.veteran, change=change)
    ]


def tables(ctx: Context, part: Part, pid: str) -> list[Block]:
    """The standard tables, each on its own page, numbered in the part's order; each is listed in
    the 目录 as the profile's caption.toc_entry says (一、单位收支总体情况表, 1. …)."""
    out = _heading(ctx, part, pid)
    for n, table_id in enumerate(part.tables, 1):
        made = _toc_on_title(ctx, list(standard_table(ctx, table_id, n)), n, table_id)
        out += ([PageBreak()] if n > 1 or not out else []) + made
    return out


def _toc_on_title(ctx: Context, made: list[Block], n: int, table_id: str) -> list[Block]:
    table = ctx.profile.spec.tables[table_id]
    title = ctx.profile.render(table.toc if table.toc is not None else table.title, **ctx.globals)
    if ctx.profile.spec.toc.entries == "parts":
        level = 2  # under the tables part's own entry
    else:  # at the level of the title's style, as the headings are; not listed without one
        outline = ctx.profile.spec.styles["table_title"].outline
        if outline is None:
            return made
        level = outline + 1
    entry = (level, ctx.say("caption.toc_entry", n=n, title=title))
    return [replace(b, toc=(entry,)) if isinstance(b, Para) and b.style == "table_title" else b for b in made]


def explanations(ctx: Context, part: Part, pid: str) -> list[Block]:
    """The profile's sections, with the performance tables in their slot where the profile has them."""
    made = rules.section_blocks(ctx, part.sections)
    filled = performance_tables(ctx) if ctx.profile.spec.performance is not None else ()
    return _heading(ctx, part, pid) + fill(made, {PERFORMANCE_SLOT: filled})


def glossary(ctx: Context, part: Part, pid: str) -> list[Block]:
    return _heading(ctx, part, pid) + list(rules.glossary_blocks(ctx))


def project_notes(ctx: Context, part: Part, pid: str) -> list[Block]:
    """项目经费情况说明: one explanation per key project, each under its own title."""
    out = _heading(ctx, part, pid)
    style = ctx.profile.spec.styles[rules.notes.title_style(ctx)]
    if ctx.budget.project_notes and not out and not style.page_break_before:
        out.append(PageBreak())  # the notes start a page, even when they do not start one each
    for note in ctx.budget.project_notes:
        out += [b for b in rules.notes.note(ctx, note) if b is not None]
    return out


def closing(ctx: Context, part: Part, pid: str) -> list[Block]:
    date = ctx.info.date
    shown = ctx.say("date.none") if date is None else blocks.figure("date", ctx.say("date.text", y=date.year, m=date.month, d=date.day))
    out = []
    for i, item in enumerate(part.items):
        values = {"date": shown} if item["phrase"] == "closing.date" else {}
        out.append(para(f"closing_{i}", item["style"], ctx.say(item["phrase"], **values), "closing"))
    return out


PARTS: dict[str, Callable[[Context, Part, str], list[Block]]] = {
    "title_page": title_page,
    "text": text,
    "toc": toc,
    "heading": heading,
    "functions": functions,
    "structure": structure,
    "staffing": staffing,
    "tables": tables,
    "explanations": explanations,
    "glossary": glossary,
    "project_notes": project_notes,
    "closing": closing,
}


def fill(made, slots: dict[str, tuple[Block, ...]]) -> list[Block]:
    """Returns made with each Slot named in slots replaced by its blocks."""
    out: list[Block] = []
    for block in made:
        if isinstance(block, Slot) and block.name in slots:
            out.extend(slots[block.name])
        else:
            out.append(block)
    return out


def _with_toc_entry(made: list[Block], entry: tuple[int, str]) -> list[Block]:
    """Returns made with entry added to its first paragraph (a part without a heading of its own
    is listed at its first line)."""
    for i, b in enumerate(made):
        if isinstance(b, Para):
            return made[:i] + [replace(b, toc=((entry,) + (b.toc or ())))] + made[i + 1 :]
    return made


def _toc_to_depth(ctx: Context, made: list[Block], part: Part) -> list[Block]:
    """Returns made with the 目录 entries deeper than part.toc_depth levels below the part's own
    heading left out (a part listed in the 目录 by its heading alone)."""
    styles = ctx.profile.spec.styles
    deepest = (styles[part.heading_style].outline or 0) + 1 + part.toc_depth

    def kept(b: Para) -> tuple[tuple[int, str], ...]:
        if b.toc is not None:
            return tuple(e for e in b.toc if e[0] <= deepest)
        outline = styles[b.style].outline
        return () if outline is not None and outline + 1 > deepest else ((outline + 1, b.text),) if outline is not None else ()

    return [replace(b, toc=kept(b)) if isinstance(b, Para) else b for b in made]


def _distinct_ids(made: list[Block]) -> list[Block]:
    """Returns made with every paragraph id told apart: a format may state the same sentence in
    several sections (a profile's own phrase placed twice), and `update` finds each paragraph by
    its id, so a repeated id gets _2, _3 … in document order (the same every build)."""
    used: set[str] = set()
    out: list[Block] = []
    for b in made:
        if isinstance(b, Para):
            pid, k = b.id, 1
            while pid in used:
                k += 1
                pid = f"{b.id[:27]}_{k}"
            used.add(pid)
            b = b if pid == b.id else replace(b, id=pid)
        out.append(b)
    return out


# The parts that are prose (what `narrate preview` prints): all but the title page, 目录, tables
# and closing lines.
PROSE = frozenset(PARTS) - {"title_page", "toc", "tables", "closing"}


def document(ctx: Context, kinds: frozenset[str] | None = None) -> Document:
    """Returns the complete disclosure, part by part as the profile orders them (only the parts
    of the given kinds, when kinds is given)."""
    made: list[Block] = []
    entries = 0
    seen: dict[str, int] = {}
    for part in ctx.profile.spec.parts:
        seen[part.kind] = seen.get(part.kind, 0) + 1
        if kinds is not None and part.kind not in kinds:
            entries += part.toc is not None
            continue
        # A part's heading id follows its kind (the second part of a kind gets a number), so it
        # stays put when parts of other kinds come or go.
        pid = f"{part.kind}_h" + (str(seen[part.kind]) if seen[part.kind] > 1 else "")
        blocks_ = [b for b in PARTS[part.kind](ctx, part, pid) if b is not None]
        if part.toc_depth is not None:
            blocks_ = _toc_to_depth(ctx, blocks_, part)
        if part.toc is not None:
            entries += 1
            blocks_ = _with_toc_entry(blocks_, (1, ctx.say(part.toc, n=entries)))
        made += blocks_
    if ctx.profile.spec.toc.entries == "parts":
        made = [replace(b, toc=()) if isinstance(b, Para) and b.toc is None else b for b in made]
    made = _distinct_ids(made)
    info = ctx.info
    return Document(ctx.say("document.title"), tuple(made), {"unit": info.name, "year": str(info.year), "generator": "narrate"})


def stamp(unit: Unit) -> str:
    """Returns the document's fixed date (W3CDTF): the unit's date, else 1 January of its year,
    so building twice gives the same bytes."""
    date = unit.info.date or dt.date(unit.info.year, 1, 1)
    return f"{date.isoformat()}T00:00:00Z"
