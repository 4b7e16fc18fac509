"""Random mutations of the built-in profiles and their overlays, through `check` and a build:
each gives located messages (exit 1) or a document whose every table row spans its header; never
a traceback, never a silently shortened table.

Seeded (derandomize): the same examples every run, so a failure is reproducible.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from narrate import blocks, build, pipeline
from narrate.cli import app
from narrate.resources import data_dir

ROOT = Path(__file__).resolve().parents[1]
PROFILES = {name: (ROOT / "profiles" / name) for name in ("xj-unit", "xj-dept", "sh-unit", "sh-dept")}
INPUTS = {"xj-unit": ROOT / "inputs" / "kizilsu-egov-2024.yaml", "xj-dept": ROOT / "inputs" / "kizilsu-egov-2024.yaml",
          "sh-unit": ROOT / "inputs" / "putuo-commerce-2025-unit.yaml", "sh-dept": ROOT / "inputs" / "putuo-commerce-2025-unit.yaml"}
LABELS = (data_dir("phrasebook") / "zh" / "data" / "labels.yaml").read_text(encoding="utf-8")

# What a profile writer might put in place of a value: unknown facts, styles, sources, broken
# templates, wrong types, names of the wrong kind.
VALUES = [
    "三公经费.合记", "{fact: 三公经费.合记}", "{fact: 支出.2019999}", "{amount: x}", "{amont: 0}", "amount:genral_budget",
    "amout:all", "personnel", "nonsense", "wan", "{unit: 千元}", "{decimals: -1}", "{group_from: 2}", "{basis: both}",
    "'{{ yeer }}年'", "'{% if %}'", "'{{ year|money(\"a\", \"nope\") }}'", "5", "-1", "[]", "{}", "[[]]", "[a, b]",
    "{t: x, c: 0}", "{t: x, c: 99}", "{x: 1}", "custom.nothing", "s05.line", "joined", "split", "true", "~", "''",
    "{list: 一般公共预算, level: 目, item: custom.x}", "{list: 支出, level: 类, item: custom.x}",
    "{kind: bucket}", "{kind: amount, adds_to: [支出.总计]}", "{会议费: {kind: amount}}", "{default: 甲, choices: {乙: {}}}",
    "{x: {default: a, choices: {a: {}, b: {compare: [{facts: '*', set: 无}]}}}}", "{fact: 会议费}", "own:all", "optional",
]
KEYS = ["tittle", "value", "values", "rows", "header", "money", "kind", "codes", "sections", "tables", "left", "style",
        "fields", "options", "split", "styles", "percent_styles"]
PHRASES = [
    "{{ f['收入.合记']|money('a') }}", "{{ f['收入.' ~ unit]|money('a') }}", "{{ year|fig('y') }}{{ year|fig('y') }}",
    "{{ year|money('a', 'nope') }}", "{{ year|money('a', style=kind) }}", "{{ year|num('名') }}", "{{ nope }}", "{% if %}",
    "{% for l in f.lines('一般公共预算', '类', ['big']) %}{{ l.name }}{% endfor %}",
    "{% for l in f.lines('支出', '类') %}{{ l|money('l' ~ l.code) }}{% endfor %}", "{{ f['支出.合计'].share_of('收入.合计')|pct('s') }}",
]


@st.composite
def mutated(draw) -> tuple[str, str, dict[str, str]]:
    name = draw(st.sampled_from(sorted(PROFILES)))
    text = (PROFILES[name] / "profile.yaml").read_text(encoding="utf-8")
    extra: dict[str, str] = {}
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines(keepends=True)
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "key", "delete", "duplicate", "phrase", "labels"]))
        line = lines[i]
        if op == "value" and ": " in line:
            key, _ = line.split(": ", 1)
            lines[i] = f"{key}: {draw(st.sampled_from(VALUES))}\n"
        elif op == "key" and ": " in line:
            key, value = line.split(": ", 1)
            indent = key[: len(key) - len(key.lstrip())]
            lines[i] = f"{indent}{draw(st.sampled_from(KEYS))}: {value}"
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "phrase":
            phrase = draw(st.sampled_from(["s01.total", "s02.lead", "summary.income", "custom.note", "title.unit"]))
            extra[f"explain/m{len(extra)}.yaml"] = f'{phrase}: "{draw(st.sampled_from(PHRASES))}"\n'
        elif op == "labels":  # a data overlay holding part of the shipped labels
            kept = draw(st.lists(st.sampled_from(LABELS.splitlines()), min_size=1, max_size=12, unique=True))
            extra["data/labels.yaml"] = "\n".join(kept) + "\n"
        text = "".join(lines)
    return name, text, extra


def _spans(table: blocks.Table) -> None:
    width = sum(c.colspan for c in table.header[0]) if table.header else None
    covered: dict[int, int] = {}  # column -> rows a rowspan still covers
    for r, row in enumerate(table.rows):
        cols = sum(c.colspan for c in row) + sum(1 for v in covered.values() if v > 0)
        if width is not None:
            assert cols == width, f"table {table.id} row {r} spans {cols} of {width} columns"
        held = {k for k, v in covered.items() if v > 0}  # columns a cell above still covers in this row
        covered = {k: v - 1 for k, v in covered.items() if v > 1}
        col = 0
        for c in row:
            while col in held:  # a row's cells sit in the columns no cell above covers
                col += 1
            if c.rowspan > 1:
                covered[col] = c.rowspan - 1
            col += c.colspan


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_a_mutated_profile_gives_located_messages_or_a_whole_document(case):
    name, text, extra = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "fmt"
        folder.mkdir()
        (folder / "profile.yaml").write_text(text, encoding="utf-8")
        for rel, body in extra.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(body, encoding="utf-8")
        out = Path(tmp) / "out.docx"
        result = CliRunner().invoke(app, ["build", str(INPUTS[name]), "--profile", str(folder), "-o", str(out)])
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert not out.exists()
            # every message names where: a file (and line), or the phrasebook's data file
            lines = [line for line in result.output.splitlines() if line.strip()]
            assert any(".yaml" in line or ".toml" in line or "短语库" in line for line in lines), result.output
            return
        checked = pipeline.check(INPUTS[name], profile=folder)
        doc = build.document(checked.unit, checked.catalogs, checked.profile)
        for block in doc.blocks:
            if isinstance(block, blocks.Table):
                _spans(block)
