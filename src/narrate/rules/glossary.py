"""Part four: the glossary (名词解释), numbered 一、二… (the closing signature is the outline's)."""

from __future__ import annotations

from narrate.blocks import Block
from narrate.rules.context import Context, body, para


def glossary(ctx: Context) -> list[Block]:
    out: list[Block] = [para("s4_title", "part", ctx.say("part4.title"), "part_title")]
    for n, term in enumerate(ctx.book.data("glossary")["terms"], 1):
        out.append(body(ctx, f"s4_{n:02d}", "s4.item", "glossary", n=n, term=term["术语"], text=term["解释"]))
    return out

