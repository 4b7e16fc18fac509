"""Where narrate's data lives: inside the installed package, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

SAMPLE_NAME = "kizilsu-egov-2024.yaml"


def data_dir(name: str) -> Path:
    """Returns the folder 'phrasebook' or 'inputs': packaged copy first, else the checkout's."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parents[1] / name


def sample_input() -> Path:
    """Returns the embedded sample's input file (the reference unit, 2024)."""
    return data_dir("inputs") / SAMPLE_NAME
