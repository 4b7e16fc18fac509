"""The glossary (名词解释): its terms numbered in order (the part's heading is the outline's)."""

from __future__ import annotations

from narrate import profile as profiles
from narrate.blocks import Block
from narrate.phrasebook import PhrasebookError
from narrate.model import GLOSSARY_OPTIONS, GLOSSARY_TERM, GLOSSARY_TEXT
from narrate.rules.context import Context, body


def glossary(ctx: Context) -> list[Block]:
    # A term may name the option choices it belongs to ({选项名: 项}): the variants of one format
    # list different terms.
    chosen = ctx.profile.options
    terms = ctx.book.data("glossary")["terms"]
    for t in terms:  # a mistyped option would hide its term silently
        wrong = profiles.option_problems(ctx.profile.spec, {str(k): str(v) for k, v in (t.get(GLOSSARY_OPTIONS) or {}).items()})
        if wrong:
            raise PhrasebookError(f"glossary: {t.get(GLOSSARY_TERM)}: {GLOSSARY_OPTIONS}: {wrong[0][1]}")
    terms = [t for t in terms if all(chosen.get(name) == value for name, value in (t.get(GLOSSARY_OPTIONS) or {}).items())]
    return [body(ctx, f"s4_{n:02d}", "s4.item", "glossary", n=n, term=t[GLOSSARY_TERM], text=t[GLOSSARY_TEXT])
            for n, t in enumerate(terms, 1)]
