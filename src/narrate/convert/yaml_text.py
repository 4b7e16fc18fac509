"""Writes the canonical tree (validate.canonical) as a YAML input in the officer's style: Chinese
keys, amounts as plain decimals, short records on one line ({人员经费: 324.25, 项目支出: 93.40})."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from enum import Enum
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter

from narrate import sheets

_FIRST = ("格式", sheets.MONEY_UNIT_KEY, "单位")  # the keys an input file starts with
_FLOW_TEXT = 40  # a record with a longer text is written one key a line
_FLOW_ITEM = 20  # a list of texts this short is written on one line


class _Representer(RoundTripRepresenter):
    pass


def _decimal(representer, value: Decimal):
    text = f"{value:f}"
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return representer.represent_scalar(tag, text)


_Representer.add_representer(Decimal, _decimal)


def _key(key: Any) -> Any:
    # Codes as keys (主要用途, 经济分类) are written as the numbers officers type: 201: …
    if isinstance(key, str) and key.isascii() and key.isdigit() and not key.startswith("0"):
        return int(key)
    return key


def _node(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap((_key(k), _key(v) if k == sheets.CODE else _node(v)) for k, v in value.items())
        scalars = all(not isinstance(v, (dict, list, tuple)) for v in value.values())
        short = all(not isinstance(v, str) or len(v) <= _FLOW_TEXT for v in value.values())
        if value and scalars and short:
            out.fa.set_flow_style()
        return out
    if isinstance(value, (list, tuple)):
        out = CommentedSeq(_node(v) for v in value)
        if value and all(isinstance(v, str) and len(v) <= _FLOW_ITEM for v in value):
            out.fa.set_flow_style()  # 内设机构: [综合科, 财务科]
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def dump(tree: dict, header: str = "") -> str:
    """Returns tree as YAML text, its first keys 格式, 金额单位, 单位; header as a comment on top."""
    ordered = {k: tree[k] for k in _FIRST if k in tree} | {k: v for k, v in tree.items() if k not in _FIRST}
    yaml = YAML(typ="rt")
    yaml.Representer = _Representer
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    if header:
        out.write("".join(f"# {line}\n" for line in header.splitlines()))
    yaml.dump(_node(ordered), out)
    return out.getvalue()
