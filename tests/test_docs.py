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


PROFILES_DOC = DOC.parent / "profiles.md"


def test_every_profile_key_is_documented():
    from narrate.profile.schema import ProfileSpec

    text = PROFILES_DOC.read_text(encoding="utf-8")
    assert [key for key in _all_keys(ProfileSpec) if f"`{key}`" not in text] == []


def test_the_worked_profile_example_builds(tmp_path):
    from typer.testing import CliRunner

    from narrate.cli import app
    from narrate.resources import sample_input

    profile, phrases = re.findall(r"```yaml\n(.*?)```", PROFILES_DOC.read_text(encoding="utf-8"), re.S)[-2:]
    folder = tmp_path / "xj-yuan"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(profile, encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(phrases, encoding="utf-8")
    result = CliRunner().invoke(app, ["preview", str(sample_input()), "--profile", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[lines.index("第四部分 名词解释") - 1] == "如对本预算公开有疑问，请联系克孜勒苏柯尔克孜自治州电子政务服务中心财务科。"
    assert lines.index("二、关于克孜勒苏柯尔克孜自治州电子政务服务中心2024年收支预算情况的总体说明") > 0


# What docs/profiles.md must name of the generated reference (narrate profiles --reference):
# every topic but the phrases (hundreds; `narrate phrases` lists them) and the single sources
# (the doc names them as 单个来源的输入键 with examples).
DOCUMENTED_TOPICS = ("fact", "fact_offers", "change_offers", "line_group", "line_level", "line_filter", "money_style",
                     "money_style_key", "percent_style_key", "option_key", "list_key", "field_key", "part_kind", "section",
                     "table_kind", "procurement_column", "procurement_category", "value_measure", "global")


def test_profiles_md_names_everything_the_generated_reference_lists():
    from typer.testing import CliRunner

    from narrate.cli import app

    result = CliRunner().invoke(app, ["profiles", "--reference"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.output.splitlines()]
    topics = {row[0] for row in rows}
    assert set(DOCUMENTED_TOPICS) <= topics and {"phrase", "value_source"} <= topics
    text = PROFILES_DOC.read_text(encoding="utf-8")
    missing = [f"{row[0]}: {row[1]}" for row in rows if row[0] in DOCUMENTED_TOPICS and f"`{row[1]}`" not in text
               and not (row[0] == "fact" and row[1].startswith("收入.") and len(row) == 2)]
    assert missing == []
    # every fact of a source is there through its pattern, and the phrases' names through the reference itself
    assert "`收入.<资金来源>`" in text and "narrate profiles --reference" in text
    value_groups = [row[1] for row in rows if row[0] == "value_source" and row[2] == "group"]
    assert [g for g in value_groups if f"`{g}`" not in text] == []
