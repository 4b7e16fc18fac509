"""Tables as document blocks: the standard tables of 第二部分 and the performance tables.

Every amount cell carries a figure id and every body row an id, so the Word writer can mark them
and `narrate update` can find them again (see blocks.py).
"""

from __future__ import annotations

from narrate.blocks import Block
from narrate.catalog import Catalogs
from narrate.layout import Layout
from narrate.layout import load as load_layout
from narrate.model import Unit
from narrate.tables.performance import project_table, unit_table
from narrate.tables.standard import table


def standard_tables(unit: Unit, catalogs: Catalogs, layout: Layout | None = None) -> tuple[tuple[dict, tuple[Block, ...]], ...]:
    """Returns each standard table of the profile (its spec, and its blocks), in table order."""
    layout = layout or load_layout()
    return tuple((spec, table(spec, unit, catalogs, layout)) for spec in layout.profile["tables"])


def performance_tables(unit: Unit, layout: Layout | None = None) -> tuple[Block, ...]:
    """Returns the unit-level performance table, then one per project, with their captions."""
    layout = layout or load_layout()
    out = unit_table(unit, layout)
    for project in unit.file.projects:
        out += project_table(unit, project, layout)
    return out
