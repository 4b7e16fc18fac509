"""Turns a parsed tree into the model, and pydantic's errors into findings an officer can act on."""

from __future__ import annotations

from narrate.messages import listing, say

import difflib
from decimal import Decimal
import re
from collections.abc import Mapping
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from narrate import model
from narrate.problems import Finding

_KEYS = {
    "missing": "missing_field",
    "extra_forbidden": "unknown_field",
    "decimal_parsing": "not_amount",
    "decimal_type": "not_amount",
    "finite_number": "not_amount",
    "greater_than_equal": "negative",
    "int_parsing": "not_count",
    "int_type": "not_count",
    "int_from_float": "not_count",
    "string_type": "not_text",
    "tuple_type": "not_list",
    "list_type": "not_list",
    "model_type": "not_mapping",
    "dict_type": "not_mapping",
    "model_attributes_type": "not_mapping",
    "string_pattern_mismatch": "bad_code",
    "enum": "bad_choice",
    "literal_error": "bad_choice",
    "date_parsing": "bad_date",
    "date_type": "bad_date",
    "date_from_datetime_parsing": "bad_date",
    "date_from_datetime_inexact": "bad_date",
    "string_too_short": "empty_text",
    "union_tag_invalid": "bad_kind",  # a profile's table of a kind narrate does not make
    "union_tag_not_found": "kind_missing",
}
# The scalar policy's own errors (model.py) are named by their message keys.
_KEYS.update((key, key) for key in (
    "empty_text", "not_amount", "not_count", "bad_code", "bad_date", "bad_year",
    "quoted_number", "fullwidth_number", "amount_too_large", "amount_too_precise", "count_too_large",
))


@lru_cache(maxsize=4)
def _all_keys(root: type[BaseModel]) -> tuple[str, ...]:
    seen: list[str] = []

    visited: set[type[BaseModel]] = set()

    def walk(cls: type[BaseModel]) -> None:
        visited.add(cls)
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if key not in seen:
                seen.append(key)
            for arg in _model_args(field.annotation):
                if arg not in visited:
                    walk(arg)

    walk(root)
    return tuple(seen)


def _model_args(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out = []
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_model_args(arg))
    return out


def finding_of(error: dict, root: type[BaseModel] = model.UnitFile) -> Finding:
    """Returns a pydantic error as a finding; an unknown key gets the nearest key of root's tree."""
    # pydantic marks a bad dict key with a trailing "[key]"; the officer only needs the key.
    path = tuple(part for part in error["loc"] if part != "[key]")
    key = _KEYS.get(error["type"], "invalid")
    value = error.get("input")
    if value is None and key != "missing_field":
        key = "empty_text"  # `单位:` with nothing after it: whatever belongs there is missing
    params: dict[str, object] = {"value": _show(value), "detail": error.get("msg", "")}
    params.update((name, str(v)) for name, v in error.get("ctx", {}).items() if name not in params)
    if key == "unknown_field":
        params["field"] = path[-1]
        guess = difflib.get_close_matches(str(path[-1]), _all_keys(root), n=1, cutoff=0.4)
        guess = [g for g in guess if g != path[-1]]  # a key of elsewhere in the tree is no guess here
        key = "unknown_field_guess" if guess else key
        params["guess"] = guess[0] if guess else ""
    if key == "bad_kind":
        params["choices"] = listing(re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected_tags", ""))))
        params["value"] = str(error.get("ctx", {}).get("tag", ""))
    if key == "bad_choice":
        # pydantic says "'单位' or '部门'"; quote the choices the Chinese way.
        expected = str(error.get("ctx", {}).get("expected", ""))
        params["choices"] = listing(say("quoted", text=c) for c in re.findall(r"'([^']*)'", expected)) or expected
    return Finding("input", path, key, params)


def _show(value: object, limit: int = 40) -> str:
    text = _brief(value, limit + 1)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _brief(value: object, budget: int, nested: bool = False) -> str:
    """Returns str(value) as Python prints it, or its first `budget` characters or more, without
    rendering the rest: a value may be a list of thousands of items."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes it
    if isinstance(value, str):
        return repr(value[:budget]) if nested else value[:budget]
    if isinstance(value, Mapping):
        items = (f"{_brief(k, budget, True)}: {_brief(v, budget, True)}" for k, v in value.items())
        return "{" + _join(items, budget) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + _join((_brief(v, budget, True) for v in value), budget) + "]"
    return str(value)[:budget]


def _join(parts, budget: int) -> str:
    out = ""
    for part in parts:
        if len(out) >= budget:
            break
        out += (", " if out else "") + part
    return out


def to_model(tree: object, cls: type[BaseModel] = model.UnitFile):
    """Returns (record, []) when the tree is valid, else (None, findings). Amounts are scaled to
    万元 from the file's 金额单位."""
    unit = tree.get(_MONEY_UNIT_KEY, model.DEFAULT_MONEY_UNIT) if isinstance(tree, dict) else model.DEFAULT_MONEY_UNIT
    if unit not in model.MONEY_UNITS:
        choices = listing(say("quoted", text=u) for u in model.MONEY_UNITS)
        return None, [Finding("input", (_MONEY_UNIT_KEY,), "bad_choice", {"value": _show(unit), "choices": choices})]
    try:
        return cls.model_validate(tree, context={model.MONEY_SCALE: model.MONEY_UNITS[unit]}), []
    except ValidationError as exc:
        return None, [finding_of(e, cls) for e in exc.errors(include_url=False)]


_MONEY_UNIT_KEY = model.UnitFile.model_fields["money_unit"].alias


def canonical(tree: object) -> dict:
    """Returns a valid tree as the model reads it, amounts still in the file's 金额单位: keys in
    Chinese, only what the file gives, numbers as Decimal or int, codes as text. Both writers
    (workbook and YAML) write this, so a conversion keeps every figure and text exactly."""
    record = model.UnitFile.model_validate(tree, context={model.MONEY_SCALE: Decimal(1)})
    return record.model_dump(mode="python", by_alias=True, exclude_unset=True)
