"""The reference a profile writer works from, generated from the code (`narrate profiles
--reference`): every fact name and pattern, what a fact offers a phrase, list groups, levels and
filters, number style and option keys, table kinds, procurement table columns and categories,
value measures and sources, part kinds, sections, the globals and the names each phrase receives. tests/test_docs.py keeps
docs/profiles.md true against it.
"""

from __future__ import annotations

from collections.abc import Iterator

from narrate import facts, outline, rules
from narrate.profile import schema
from narrate.rules import factbook
from narrate.rules.uses import CUSTOM, CUSTOM_LIST, GLOBALS, USES
from narrate.tables import procurement, values

# What a phrase may read from a fact (rules/factbook.Fact) and from its change.
FACT_NAMES = ("key", "number", "code", "level", "group") + tuple(n for n in vars(factbook.Fact) if not n.startswith("_"))
CHANGE_NAMES = ("trend", "amount", "rate", "prior", "basis", "set", "up", "down")


def entries() -> Iterator[tuple[str, str, str]]:
    """Yields (topic, name, detail) for everything a profile may name."""
    for key in facts.FIXED:
        yield "fact", key, ""
    for pattern in facts.PATTERNS:
        yield "fact", pattern, "pattern"
    for name in FACT_NAMES:
        yield "fact_offers", name, ""
    for name in CHANGE_NAMES:
        yield "change_offers", name, ""
    for group in facts.LINE_GROUPS + (facts.ECONOMIC,):
        yield "line_group", group, ""
    for level in facts.LEVELS:
        yield "line_level", level, str(facts.LEVELS[level])
    for name in facts.LINE_FILTERS:
        yield "line_filter", name, ""
    for name in schema.CONTEXTS:
        yield "money_style", name, "predefined"
    for key in schema.MoneyFormat.model_fields:
        yield "money_style_key", key, ""
    for key in schema.PercentFormat.model_fields:
        yield "percent_style_key", key, ""
    for key in schema.Option.model_fields:
        yield "option_key", key, ""
    for key in schema.ListSection.model_fields:
        yield "list_key", key, ""
    for key in schema.OwnField.model_fields:
        yield "field_key", key, ""
    for kind in outline.PARTS:
        yield "part_kind", kind, ""
    for name in rules.SECTIONS:
        yield "section", name, ""
    for kind, table in _table_kinds():
        yield "table_kind", kind, " ".join(k for k in table.model_fields if k not in schema._Table.model_fields and k != "kind")
    for name in procurement.COLUMNS:
        yield "procurement_column", name, ""
    for name in procurement.CATEGORIES:
        yield "procurement_category", name, ""
    for measure in values.MEASURES:
        yield "value_measure", measure, ""
    for group in values.GROUPS:
        yield "value_source", group, "group"
    for name in values.SOURCE_NAMES:
        if name not in values.GROUPS:
            yield "value_source", name, "source"
    for name in GLOBALS:
        yield "global", name, ""
    yield "phrase", CUSTOM + "*", " ".join(GLOBALS + CUSTOM_LIST)
    for use in USES:
        yield "phrase", use.phrase, " ".join(use.variables)


def _table_kinds():
    for table in schema.Table.__origin__.__args__:  # Annotated[Union[...], discriminator]
        kind = table.model_fields["kind"].annotation.__args__[0]
        yield kind, table


def text() -> str:
    return "\n".join("\t".join(e).rstrip("\t") for e in entries()) + "\n"
