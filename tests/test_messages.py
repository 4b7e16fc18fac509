"""Messages exist in Chinese and English, with the same placeholders, and the CLI switches language."""

from __future__ import annotations

from string import Formatter

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from narrate.cli import app
from narrate.resources import data_dir
from unitfile import line_of, unit_yaml


def table(lang: str) -> dict[str, str]:
    return dict(YAML(typ="safe").load((data_dir("phrasebook") / lang / "messages.yaml").read_text(encoding="utf-8")))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def test_every_chinese_message_has_an_english_one_and_no_more():
    zh, en = table("zh"), table("en")
    assert sorted(set(zh) - set(en)) == [], "add these keys to phrasebook/en/messages.yaml"
    assert sorted(set(en) - set(zh)) == []


def test_both_languages_fill_the_same_placeholders():
    zh, en = table("zh"), table("en")
    assert {k: placeholders(v) for k, v in en.items()} == {k: placeholders(zh[k]) for k in en}


BAD = unit_yaml("收入:\n  一般公共预算: 三百\n")
AT = f"unit.yaml:{line_of(BAD, '三百')}: 收入.一般公共预算: "


@pytest.mark.parametrize(
    "args, env, expected",
    [
        (["check", "unit.yaml"], {}, AT + "应为金额（数字），实际为“三百”"),
        (["--lang", "en", "check", "unit.yaml"], {}, AT + "expected an amount (a number), got “三百”"),
        (["check", "unit.yaml"], {"NARRATE_LANG": "en"}, "check failed: 1 errors, 0 warnings, 0 hints"),
        (["check", "unit.yaml"], {"NARRATE_LANG": "fr"}, "检查未通过：1 个错误"),
    ],
)
def test_the_language_is_chosen_by_option_or_environment(args, env, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # --lang sets NARRATE_LANG for the process; monkeypatch puts it back after the test.
    monkeypatch.setenv("NARRATE_LANG", env.get("NARRATE_LANG", "zh"))
    (tmp_path / "unit.yaml").write_text(BAD, encoding="utf-8")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert expected in result.stderr
