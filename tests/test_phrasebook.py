"""The phrasebook: loading, overlays by name, and every problem found at load time at file:line."""

from __future__ import annotations

import shutil
from pathlib import Path
from textwrap import dedent

import pytest
from jinja2.exceptions import SecurityError
from typer.testing import CliRunner

from narrate import phrasebook
from narrate.cli import app
from narrate.phrasebook import PhrasebookError, load
from narrate.resources import data_dir, sample_input
from narrate.rules.uses import USES


def overlay(tmp_path: Path, phrases: str = "", **data: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "explain").mkdir(exist_ok=True)
    (tmp_path / "explain" / "local.yaml").write_text(dedent(phrases), encoding="utf-8")
    if data:
        (tmp_path / "data").mkdir(exist_ok=True)
        for name, text in data.items():
            (tmp_path / "data" / f"{name}.yaml").write_text(dedent(text), encoding="utf-8")
    return tmp_path


def test_the_shipped_phrasebook_has_every_phrase_the_rules_use():
    book = load()
    assert {u.phrase for u in USES} == set(book.names)


def test_an_overlay_replaces_a_phrase_by_name(tmp_path):
    folder = overlay(tmp_path, """\
        # 某省的说法
        s12.other_none: "本{{ kind }}没有其他需要说明的事项。"
        """)
    result = CliRunner().invoke(app, ["preview", "--phrasebook", str(folder)])
    assert result.exit_code == 0, result.output
    assert "本单位没有其他需要说明的事项。" in result.output
    assert "我单位无其他需说明事项" not in result.output
    assert "政府性基金预算未安排。" in result.output  # phrases not overlaid stay


@pytest.mark.parametrize("command", ["build", "update"])
def test_the_word_document_speaks_the_overlay_too(tmp_path, command):
    import docx

    from narrate.docx import revisions

    folder = overlay(tmp_path / "pb", 's12.other_none: "本{{ kind }}没有其他需要说明的事项。"\n')
    first = tmp_path / "first.docx"
    args = ["--phrasebook", str(folder)]
    assert CliRunner().invoke(app, ["build", "-o", str(first)] + (args if command == "build" else [])).exit_code == 0
    out = first
    if command == "update":
        out = tmp_path / "updated.docx"
        result = CliRunner().invoke(app, ["update", str(first), "-o", str(out)] + args)
        assert result.exit_code == 0, result.output
    # revisions.text reads a paragraph as it is once narrate's tracked changes are accepted.
    body = docx.Document(str(out)).element.body
    assert "本单位没有其他需要说明的事项。" in [revisions.text(p) for p in body.iter(revisions.w("p"))]


def test_an_overlay_replaces_wording_data_by_key(tmp_path):
    folder = overlay(tmp_path / "pb", reasons="""\
        机关运行经费:
          down: 压减一般性支出
        """)
    unit = tmp_path / "unit.yaml"  # the sample without the officer's reason for 机关运行经费
    text = sample_input().read_text(encoding="utf-8")
    unit.write_text("".join(l for l in text.splitlines(True) if not l.startswith("  机关运行经费: 严格")), encoding="utf-8")
    result = CliRunner().invoke(app, ["preview", str(unit), "--phrasebook", str(folder)])
    assert "下降4.17%。主要原因是压减一般性支出。" in result.output


def test_a_broken_template_is_an_error_at_load_naming_file_and_line(tmp_path):
    folder = overlay(tmp_path, """\
        s12.other: "{{ text }}"
        s12.other_none: "我{{ kind 无其他需说明事项。"
        """)
    with pytest.raises(PhrasebookError, match=r"explain/local\.yaml:2: s12\.other_none: "):
        load(folder)


def test_a_name_the_rule_does_not_give_is_an_error_at_load(tmp_path):
    folder = overlay(tmp_path, """\
        s02.source_none: "{{ label }}{{ amount }}未安排。"
        """)
    with pytest.raises(PhrasebookError, match=r"local\.yaml:1: s02\.source_none: 未知的名称“amount”"):
        load(folder)


def test_a_phrase_no_rule_uses_is_an_error_with_a_guess(tmp_path):
    folder = overlay(tmp_path, 's12.other_nnoe: "无"\n')
    with pytest.raises(PhrasebookError, match=r"local\.yaml:1: s12\.other_nnoe: 没有规则使用这个短语；是否应为 s12\.other_none？"):
        load(folder)


def test_a_missing_phrase_is_an_error_at_load(tmp_path, monkeypatch):
    shutil.copytree(data_dir("phrasebook"), tmp_path / "phrasebook")
    path = tmp_path / "phrasebook" / "zh" / "explain" / "04_others.yaml"
    path.write_text("".join(l for l in path.read_text(encoding="utf-8").splitlines(True) if not l.startswith("s11.empty")), encoding="utf-8")
    monkeypatch.setattr(phrasebook, "data_dir", lambda name: tmp_path / name)
    with pytest.raises(PhrasebookError, match=r"短语库缺少短语 s11\.empty（规则 empty_table 要用）"):
        load()


def test_bad_yaml_is_an_error_naming_the_line(tmp_path):
    folder = overlay(tmp_path, 's12.other: "ok"\ns12.other_none: "unclosed\n')
    with pytest.raises(PhrasebookError, match=r"local\.yaml:\d+:"):
        load(folder)


def test_templates_run_in_a_sandbox():
    book = load()
    env = phrasebook.environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ x.__class__.__mro__[1].__subclasses__() }}").render(x="")
    assert book.render("s02.source_none", label="{{ 1+1 }}<&>", unit="", year=1, prior_year=0, kind="") == (
        "{{ 1+1 }}<&>\ue000dir\ue001未安排\ue002。"
    )


def test_phrases_lists_each_phrase_with_its_rule():
    result = CliRunner().invoke(app, ["phrases"])
    assert result.exit_code == 0
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in result.output.splitlines()}
    assert rows["change.down"][0] == "change_down"
    assert rows["s04.single_source"][0] == "single_source"
    assert rows["reason.missing"][1].endswith("01_changes.yaml:" + rows["reason.missing"][1].rsplit(":", 1)[1])
    assert len(rows) == len({u.phrase for u in USES})


def test_phrases_with_a_broken_overlay_fails_with_the_place(tmp_path):
    folder = overlay(tmp_path, 's12.other: "{% if %}"\n')
    result = CliRunner().invoke(app, ["phrases", "--phrasebook", str(folder)])
    assert result.exit_code == 1
    assert "local.yaml:1: s12.other" in result.output
