"""The profile keys a format's 目录 and prose need beyond headings: a part's toc_depth, a table's
toc name, a text item's split: lines. Each is bound before any input is read (a mistake is a
located message) and does what docs/profiles.md says in a built document."""

from __future__ import annotations

import textwrap
from pathlib import Path

from typer.testing import CliRunner

from narrate import build, pipeline
from narrate.cli import app
from narrate.resources import sample_input


def _profile(tmp_path: Path, text: str, phrases: str = "") -> Path:
    folder = tmp_path / "fmt"
    (folder / "explain").mkdir(parents=True)
    (folder / "profile.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (folder / "explain" / "mine.yaml").write_text(textwrap.dedent(phrases), encoding="utf-8")
    return folder


def _line_of(folder: Path, text: str) -> int:
    lines = (folder / "profile.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_mistakes_in_the_new_keys_are_located_messages(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        parts:
          - {kind: text, items: [{style: body, phrase: custom.a, split: words}]}
          - {kind: closing, items: [{style: body, phrase: custom.a, split: lines}]}
        tables:
          t1:
            toc: "{{ yeer }}年收支总表"
        """, """\
        custom.a: "甲"
        """)
    result = CliRunner().invoke(app, ["check", str(sample_input()), "--profile", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    out = result.output
    assert f"profile.yaml:{_line_of(folder, 'split: words')}: parts[1].items[1].split: split: “words” 不能用在这里" in out
    assert f"profile.yaml:{_line_of(folder, 'split: lines')}: parts[2].items[1].split: split: “lines” 不能用在这里" in out
    assert f"profile.yaml:{_line_of(folder, 'yeer')}: tables.t1.toc: 模板中的名称“yeer”未定义" in out


def test_a_negative_toc_depth_is_refused_at_its_line(tmp_path):
    folder = _profile(tmp_path, """\
        name: bad
        extends: xj-unit
        parts:
          - {kind: glossary, heading: part4.title, toc_depth: -1}
        """)
    result = CliRunner().invoke(app, ["check", str(sample_input()), "--profile", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"profile.yaml:{_line_of(folder, 'toc_depth')}: parts[1].toc_depth: 不能为负数（实际为 -1）" in result.output


def test_toc_depth_table_names_and_split_lines_in_a_built_document(tmp_path):
    folder = _profile(tmp_path, """\
        name: mine
        extends: xj-unit
        parts:
          - {kind: toc}
          - kind: text
            heading: part1.title
            items:
              - {style: heading1, phrase: custom.h}
              - {style: body, phrase: custom.lines, split: lines}
          - {kind: tables, heading: part2.title, tables: [t1]}
          - {kind: explanations, heading: part3.title, toc_depth: 0, sections: [overview, income]}
        tables:
          t1:
            toc: "{{ year }}年收支总表"
        """, """\
        custom.h: "一、概况"
        custom.lines: "第一段。\\n\\n  第二段。\\n第三段。"
        """)
    checked = pipeline.check(sample_input(), profile=folder)
    assert checked.ok, [str(p) for p in checked.problems]
    doc = build.document(checked.unit, checked.catalogs, checked.profile)
    paras = [b for b in doc.blocks if hasattr(b, "runs")]
    texts = [b.text for b in paras]
    i = texts.index("一、概况")
    assert texts[i + 1 : i + 4] == ["第一段。", "第二段。", "第三段。"]  # one paragraph a line, blank lines none
    assert len({b.id for b in paras}) == len(paras)
    # the sections of the explanations part are headings (outline 1) but not in the 目录; the
    # part's heading is; the table is listed by its 目录 name, not its title
    part3 = next(b for b in paras if b.text.startswith("第三部分"))
    assert part3.toc is not None and [level for level, _ in part3.toc] == [1]
    after = paras[paras.index(part3) + 1 :]
    assert any(b.style == "heading1" for b in after) and all(b.toc == () for b in after if b.style == "heading1")
    year = checked.unit.info.year
    title = next(b for b in paras if b.style == "table_title")
    assert title.toc == ((2, f"一、{year}年收支总表"),) and title.text != f"{year}年收支总表"
