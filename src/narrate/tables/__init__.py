"""Tables as document blocks: the standard tables and the performance tables.

Every amount cell carries a figure id and every body row an id, so the Word writer can mark them
and `narrate update` can find them again (see blocks.py).
"""

from __future__ import annotations

from narrate.blocks import Block
from narrate.rules.context import Context
from narrate.tables.performance import project_table, unit_table
from narrate.tables.standard import table


def standard_table(ctx: Context, table_id: str, number: int) -> tuple[Block, ...]:
    """Returns the profile's table table_id with its captions, numbered number."""
    return table(ctx, table_id, number)


def performance_tables(ctx: Context) -> tuple[Block, ...]:
    """Returns the unit-level performance table, then one per project, with their captions."""
    out = unit_table(ctx)
    for project in ctx.budget.projects:
        out += project_table(ctx, project)
    return out
