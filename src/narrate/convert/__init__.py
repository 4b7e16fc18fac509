"""`narrate template` and `narrate convert`: an input (YAML or workbook) as a workbook or as YAML.

Both read the canonical tree (pipeline.source) and write it whole, so a conversion either way
keeps every figure, text and reason; validation, not conversion, judges the figures.
"""

from __future__ import annotations

from pathlib import Path

from narrate import profile as profiles
from narrate.convert import workbook, yaml_text
from narrate.load import kinds
from narrate.messages import say
from narrate.model import Member, UnitFile, UnitInfo
from narrate.pipeline import Source

YAML_SUFFIXES = (".yaml", ".yml")


def layout(source: Source, named: str | None = None) -> workbook.Layout:
    """Returns what the profile decides about the workbook; named is the profile asked for on
    the command line, written as the book's 格式."""
    spec = source.profile.spec
    return workbook.Layout(
        profile=named,
        money_unit=spec.money.table.unit,
        vehicle_kinds=spec.vehicle_kinds,
        project_classes=spec.project_econ_classes,
        catalogs=source.catalogs,
        profiles=profiles.builtin_names(),
    )


class Refused(Exception):
    """An input a workbook cannot hold; key names the message."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key, self.params = key, params


_UNIT = UnitFile.model_fields["unit"].alias
_MEMBERS = UnitInfo.model_fields["members"].alias
_FIGURES = Member.model_fields["figures"].alias


def to_workbook(source: Source, named: str | None = None) -> bytes:
    """Returns the input as a workbook; refuses a member whose figures are written inline (the
    members sheet holds a row a member: its figures go in a file of its own, named by 文件)."""
    for member in ((source.tree or {}).get(_UNIT) or {}).get(_MEMBERS) or ():
        if isinstance(member, dict) and member.get(_FIGURES) is not None:
            raise Refused("convert_member_figures", name=member.get(Member.model_fields["name"].alias, ""))
    return workbook.write(source.tree, layout(source, named))


def to_yaml(source: Source) -> bytes:
    header = say("convert_yaml_header", source=Path(source.name).name) if source.name else ""
    return yaml_text.dump(source.tree or {}, header).encode("utf-8")


def writer_for(path: Path):
    """Returns the function that writes path's kind of file, or None for an unknown suffix."""
    suffix = path.suffix.lower()
    if suffix in kinds.SUFFIXES[:1]:
        return to_workbook
    if suffix in YAML_SUFFIXES:
        return lambda source, named=None: to_yaml(source)
    return None
