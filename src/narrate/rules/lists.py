"""A list section: classification lines as the format lists them (profile `sections` entry
{list, level, only, item, group_by, group_heading, …}).

Python picks the lines (group, level, filters: rules/factbook.py) and numbers them; the
format's phrases say each line (`line`: the fact, with its change, reason and 主要用途; `n`: its
number; `group`: the line above it when grouped) and each group's sub-heading.
"""

from __future__ import annotations

import hashlib

from narrate import facts as F
from narrate.blocks import Block
from narrate.profile.schema import ListSection
from narrate.rules.context import Context, para
from narrate.rules.factbook import Fact
from narrate.rules.uses import CUSTOM_RULE

RULE = "line_list"
# What a list's phrases read besides the globals.
NAMES = ("n", "line", "group", "count")


def stem(spec: ListSection) -> str:
    """The paragraph ids' stem: the format's `id`, else a digest of what the list is (stable
    while the list stays the same list)."""
    if spec.id:
        return spec.id
    what = "|".join(map(str, (spec.list, spec.level, spec.item, spec.group_by)))
    return "l" + hashlib.sha1(what.encode("utf-8")).hexdigest()[:7]


def section(ctx: Context, spec: ListSection, n: int) -> list[Block | None]:
    f = ctx.globals["f"]
    lines = f.lines(spec.list, spec.level, spec.only)
    sid = stem(spec)
    out: list[Block | None] = []
    if spec.heading:
        out.append(para(f"{sid}_h", spec.heading_style, ctx.say(spec.heading, n=n, count=len(lines)), CUSTOM_RULE))
    if not lines:
        if spec.empty:
            out.append(para(f"{sid}_none", spec.style, ctx.say(spec.empty, n=n, count=0), CUSTOM_RULE))
        return out
    if spec.lead:
        out.append(para(f"{sid}_lead", spec.style, ctx.say(spec.lead, n=n, count=len(lines)), CUSTOM_RULE))
    if spec.group_by is None:
        out += _items(ctx, spec, sid, lines, None)
        return out
    depth = F.LEVELS.get(spec.group_by, spec.group_by) if isinstance(spec.group_by, str) else spec.group_by
    length = F.CODE_LENGTHS[depth]
    groups: dict[str, list[Fact]] = {}
    for line in lines:
        groups.setdefault(line.code[:length], []).append(line)
    for g, (code, members) in enumerate(groups.items(), 1):
        group = f[F.line(spec.list, code)]
        if spec.group_heading:
            out.append(para(f"{sid}_g{code}", spec.group_style, ctx.say(spec.group_heading, n=g, group=group, count=len(members)),
                            CUSTOM_RULE))
        out += _items(ctx, spec, sid, members, group)
    return out


def _items(ctx: Context, spec: ListSection, sid: str, lines: list[Fact], group: Fact | None) -> list[Block | None]:
    return [para(f"{sid}_{line.code}", spec.style, ctx.say(spec.item, n=i, line=line, group=group, count=len(lines)),
                 CUSTOM_RULE, RULE)
            for i, line in enumerate(lines, 1)]
