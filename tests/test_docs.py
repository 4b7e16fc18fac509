"""docs/input-format.md stays true: it names every key of the input, and its example passes."""

from __future__ import annotations

import re
from pathlib import Path

from narrate.load.validate import _all_keys
from narrate.model import UnitFile
from unitfile import check

DOC = Path(__file__).resolve().parents[1] / "docs" / "input-format.md"


def test_every_input_key_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert [key for key in _all_keys(UnitFile) if f"`{key}`" not in text] == []


def test_the_commented_example_passes_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    example = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[-1]
    problems = check(tmp_path, example)
    # The example shows on purpose how a code missing from the catalog is used with its name.
    assert [(severity, rule) for severity, rule, _ in problems] == [("warning", "code-unlisted")]
