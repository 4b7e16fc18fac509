"""The whole document, assembled in the order the profile gives: title page, 目录, 第一部分
单位概况, 第二部分 the tables, 第三/第四部分 the explanations (with the performance tables in
their slot), and the closing lines. No wording here: it comes from the phrasebook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from narrate import blocks
from narrate.blocks import Block, Document, PageBreak, Para, Run, Slot
from narrate.catalog import Catalogs
from narrate.layout import Layout
from narrate.model import Unit
from narrate.tables import performance_tables, standard_tables

PERFORMANCE_SLOT = "performance_tables"
TOC_SLOT = "toc"
Explain = Callable[[Unit, Catalogs], tuple[Block, ...]]


def _names(unit: Unit) -> dict[str, Any]:
    profile = unit.file.unit
    return {"unit": profile.name, "year": profile.year, "kind": profile.kind.value}


def title_page(unit: Unit, layout: Layout) -> tuple[Block, ...]:
    items = layout.words["title_page"]
    return tuple(
        Para(f"title_{i}", item["style"], layout.runs(item["text"], **_names(unit))) for i, item in enumerate(items)
    )


def toc(unit: Unit, layout: Layout) -> tuple[Block, ...]:
    return (PageBreak(), Para("toc_title", "toc_title", (Run(layout.words["toc_title"]),)), Slot(TOC_SLOT))


def part_heading(unit: Unit, layout: Layout, part: str) -> Para:
    return Para(f"part_{part}", "part", layout.runs(layout.words["parts"][part], **_names(unit)))


def overview(unit: Unit, layout: Layout) -> tuple[Block, ...]:
    """第一部分: main functions as a numbered list, then structure and staffing."""
    words, profile = layout.words["overview"], unit.file.unit
    out: list[Block] = [part_heading(unit, layout, "overview"), Para("ov_functions", "heading1", (Run(words["functions_heading"]),))]
    for n, function in enumerate(profile.functions, 1):
        out.append(Para(f"ov_f{n}", "list", layout.runs(words["function_item"], n=n, text=function)))
    if not profile.functions:
        out.append(Para("ov_f0", "body", (Run(words["no_functions"], placeholder=True),)))
    out.append(Para("ov_structure", "heading1", (Run(words["structure_heading"]),)))
    out.append(
        Para(
            "ov_units",
            "body",
            layout.runs(words["structure"], unit=profile.name, subordinates=list(profile.subordinates), departments=list(profile.departments)),
        )
    )
    out.append(Para("ov_staff", "body", layout.runs(words["staffing"], **_staffing(unit, layout))))
    return tuple(out)


def _staffing(unit: Unit, layout: Layout) -> dict[str, Any]:
    now = unit.file.staffing
    prior = unit.prior.staffing if unit.prior is not None and "staffing" in unit.prior.model_fields_set else None
    template = layout.words["overview"]["staffing_change"]

    def change(field: str) -> str:
        if prior is None:
            return ""
        return layout.render(template, diff=getattr(now, field) - getattr(prior, field), fid=f"s_{field}_change")

    actual = now.actual_typed if now.actual_typed is not None else now.actual
    return {
        "unit": unit.file.unit.name,
        "posts": now.posts,
        "actual": actual,
        "active": now.active,
        "retired": now.retired,
        "veteran": now.veteran,
        "change": change,
    }


def tables_part(unit: Unit, catalogs: Catalogs, layout: Layout) -> tuple[Block, ...]:
    out: tuple[Block, ...] = (part_heading(unit, layout, "tables"),)
    for i, (_, table_blocks) in enumerate(standard_tables(unit, catalogs, layout)):
        out += ((PageBreak(),) if i else ()) + table_blocks
    return out


def explanations(unit: Unit, catalogs: Catalogs, layout: Layout, explain: Explain) -> tuple[Block, ...]:
    """第三/第四部分 from the explanations, the performance tables put into their slot."""
    return fill(explain(unit, catalogs), {PERFORMANCE_SLOT: performance_tables(unit, layout)})


def fill(made: tuple[Block, ...], slots: dict[str, tuple[Block, ...]]) -> tuple[Block, ...]:
    """Returns made with each Slot named in slots replaced by its blocks."""
    out: list[Block] = []
    for block in made:
        if isinstance(block, Slot) and block.name in slots:
            out.extend(slots[block.name])
        else:
            out.append(block)
    return tuple(out)


def closing(unit: Unit, layout: Layout) -> tuple[Block, ...]:
    date = unit.file.unit.date
    if date is None:
        shown = blocks.hole(layout.words["no_date"])
    else:
        shown = blocks.figure("date", layout.render(layout.words["date"], y=date.year, m=date.month, d=date.day))
    return tuple(
        Para(f"closing_{i}", item["style"], layout.runs(item["text"], unit=unit.file.unit.name, date=shown))
        for i, item in enumerate(layout.words["closing"])
    )


def document(unit: Unit, catalogs: Catalogs, layout: Layout, explain: Explain) -> Document:
    """Returns the complete disclosure, part by part as the profile orders them."""
    makers: dict[str, Callable[[dict], tuple[Block, ...]]] = {
        "title_page": lambda part: title_page(unit, layout),
        "toc": lambda part: toc(unit, layout),
        "overview": lambda part: overview(unit, layout),
        "tables": lambda part: tables_part(unit, catalogs, layout),
        "explanations": lambda part: explanations(unit, catalogs, layout, explain),
        "closing": lambda part: closing(unit, layout),
    }
    made: tuple[Block, ...] = ()
    for part in layout.profile["parts"]:
        made += makers[part["kind"]](part)
    names = _names(unit)
    title = layout.render(layout.words["document_title"], **names)
    return Document(title, made, {"unit": names["unit"], "year": str(names["year"]), "generator": "narrate"})


def stamp(unit: Unit) -> str:
    """Returns the document's fixed date (W3CDTF): the unit's date, else 1 January of its year,
    so building twice gives the same bytes."""
    date = unit.file.unit.date or dt.date(unit.file.unit.year, 1, 1)
    return f"{date.isoformat()}T00:00:00Z"
