"""Random mutations of every shipped sample, through `check` and `build`: each run exits 0 or 1,
prints no traceback, names every problem at its line, writes nothing outside outputs/ and
leaves no partial file there.

Seeded (derandomize): the same examples in every run, so a failure here is reproducible and CI
stays deterministic; 100 examples take about 11 s on the reference machine (2 shared cores).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from narrate.cli import app
from unitfile import BASE

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "input-format.md").read_text(encoding="utf-8")
SAMPLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "inputs").glob("*.yaml"))]
SAMPLES += [re.findall(r"```yaml\n(.*?)```", GUIDE, re.S)[-1], BASE]  # the guide's example, the tests' baseline

# Values an officer (or a cat on the keyboard) might type after a colon.
VALUES = [
    "true", "false", "~", "", '""', '"\\0"', '"  "', "0x10", "0o17", "0b11", '"24"', "２４", "３.２１", "１０．００",
    "1e26", "1e309", "1e-27", "0.000001", "1000000000000", "-5", "-0.00", ".inf", ".nan", "1_000", "9" * 40,
    "1000000000001", "2024-02-30", "20240225",
    "../../x", "/etc/x", "a/b/c", "CON.txt", "[]", "{}", "[1, 2]", "{a: 1}", "&a 1", "*a", "*nowhere", "&b [1, *b]",
    "!!bool x", "!!int x", "!!float x", "!!timestamp x", "!!binary x", "!!set {a}", "!!omap [a]", "!foo bar",
    "{{ 1 + 1 }}", "<w:p/>", "'", '"', ":", "- x", "[", "{", "|", ">", "? x", "<<: *a", "%", "@", "`",
]
# Keys typed in place of the right one.
KEYS = ["", "<<", "1", "true", "~", '""', '"\0"', "[a]", "{a: 1}", "&k 名称", "*k", "名称", "单位", "上年文件", "上年", "２０１", "302"]
# Lines before or after the document: directives, document markers, a second document.
FRAMES = ["%YAML 1.1\n---\n", "%YAML 1.3\n---\n", "%TAG ! tag:x,2024:\n---\n", "---\n", "--- |\n", "...\n", "---\nx: 1\n"]
CHARS = list("\t\n\r \"'#&*!%:-[]{}|>?,@`\\.0e9") + [
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\ufffe", "\u2028", "\u202e", "２", "．", "：", "字",
]


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(SAMPLES))
    for _ in range(draw(st.integers(1, 3))):
        lines = text.splitlines(keepends=True) or [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["value", "key", "insert", "delete", "duplicate", "indent", "truncate", "swap", "frame"]))
        if op == "key" and ": " in lines[i]:
            key, value = lines[i].split(": ", 1)
            lines[i] = key[: len(key) - len(key.lstrip())] + draw(st.sampled_from(KEYS)) + ": " + value
        elif op == "frame":
            lines = [draw(st.sampled_from(FRAMES))] + lines if draw(st.booleans()) else lines + ["\n", draw(st.sampled_from(FRAMES))]
        elif op == "value" and ": " in lines[i]:
            lines[i] = lines[i].split(": ", 1)[0] + ": " + draw(st.sampled_from(VALUES)) + "\n"
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(st.sampled_from(CHARS), min_size=1, max_size=4)) + lines[i][at:]
        elif op == "delete":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + lines[i][at + draw(st.integers(1, 8)):]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i] if draw(st.booleans()) else lines[i][2:]
        elif op == "truncate":
            lines = lines[:i] + [lines[i][: draw(st.integers(0, len(lines[i])))]]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        text = "".join(lines)
    return text


PLACED = re.compile(r"^unit\.yaml:\d+: ")  # file:line: ..., the form editors jump to


@contextmanager
def working_in(folder: Path):
    """Works in folder for one example (hypothesis runs many in one test, so not tmp_path)."""
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@settings(max_examples=100, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_sample_is_built_or_refused_cleanly(text: str):
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder, working_in(Path(folder)) as here:
        Path("unit.yaml").write_text(text, encoding="utf-8")
        for command in ("check", "build"):
            result = runner.invoke(app, [command, "unit.yaml"])
            assert result.exit_code in (0, 1), (command, result.exit_code, result.output[-3000:])
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert "Traceback" not in result.output
            problems = [line for line in result.stderr.splitlines() if line.startswith("unit.yaml")]
            assert all(PLACED.match(line) for line in problems), problems
        made = [name for name in files_under(here) if name != "unit.yaml"]
        if result.exit_code == 0:
            assert len(made) == 1 and made[0].startswith("outputs/") and made[0].count("/") == 1, made
            assert made[0].endswith(".docx") and zipfile.is_zipfile(made[0])
        else:
            assert made == [], made
