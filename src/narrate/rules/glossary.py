"""The glossary (名词解释): its terms numbered in order (the part's heading is the outline's)."""

from __future__ import annotations

from narrate.blocks import Block
from narrate.model import GLOSSARY_TERM, GLOSSARY_TEXT
from narrate.rules.context import Context, body


def glossary(ctx: Context) -> list[Block]:
    terms = ctx.book.data("glossary")["terms"]
    return [body(ctx, f"s4_{n:02d}", "s4.item", "glossary", n=n, term=t[GLOSSARY_TERM], text=t[GLOSSARY_TEXT])
            for n, t in enumerate(terms, 1)]
