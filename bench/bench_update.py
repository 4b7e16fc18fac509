"""Times `narrate update` against `narrate build`, like for like (target: update <= 1.5x build).

In-process, the profile and phrasebook loaded once and shared by both sides, median of N runs of each, taken in turn:

    build  = check the input + assemble the document + write the .docx
    update = check the new input + assemble + merge into the officer's file + write the result

on the embedded sample and on a generated unit with 40 projects (about four times the tables and
paragraphs of the sample). The officer's file is a build edited as the tests edit it (a reason
rewritten, a paragraph added, one deleted, a heading restyled, a note rewritten); the new input
changes figures that reach every part of the document.

    python bench/bench_update.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_update import changed_input, officer_edits  # noqa: E402  (the tests' officer and budget change)

from make_units import project  # noqa: E402  (the made-up project every bench uses)
from narrate import build, phrasebook, pipeline, profile  # noqa: E402
from narrate.regen.update import update  # noqa: E402
from narrate.resources import sample_input  # noqa: E402

PROJECTS = 40


def forty_projects(folder: Path, bump: str = "0.00") -> Path:
    """The sample with its 3 projects replaced by 40 of 2.00 (the first one bump more), the
    project funds, income and total following, so the input still checks."""
    s = sample_input().read_text(encoding="utf-8")
    first = 2 + float(bump)
    projects = "".join(project(n, f"{first:.2f}" if n == 1 else "2.00") for n in range(1, PROJECTS + 1))
    project_total = 2 * PROJECTS + float(bump)
    income = 473.87 - 93.40 + project_total
    s = re.sub(r"\n项目:\n.*?\n\n三公经费:", lambda _: "\n项目:\n" + projects + "\n三公经费:", s, count=1, flags=re.S)
    s = s.replace("公用经费: 13.09, 项目支出: 93.40}", f"公用经费: 13.09, 项目支出: {project_total:.2f}}}", 1)
    s = s.replace("  一般公共预算: 473.87", f"  一般公共预算: {income:.2f}", 1)
    path = folder / f"forty{bump}.yaml"
    path.write_text(s, encoding="utf-8")
    return path


def medians_ms(fns, runs: int) -> list[float]:
    """Returns the median time of each fn, run in turn (so a busy machine slows all alike)."""
    for fn in fns:
        fn()  # warms template caches
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


def compare(name: str, folder: Path, original: Path | None, changed: Path, runs: int, shape, book) -> float:
    edited = folder / f"{name}.docx"
    checked = pipeline.check(original)
    assert checked.ok, [str(p) for p in checked.problems]
    edited.write_bytes(build.render(checked.unit, checked.catalogs, shape, book))
    officer_edits(edited)
    assert pipeline.check(changed).ok

    def build_once() -> None:  # written to disk through the same save as update's output
        c = pipeline.check(original)
        build.write(c.unit, c.catalogs, folder / f"{name}-built.docx", shape, book)

    def update_once() -> None:
        c = pipeline.check(changed)
        update(edited, build.compose(c.unit, c.catalogs, shape, book), output=folder / f"{name}-out.docx")

    b, u = medians_ms([build_once, update_once], runs)
    print(f"{name:>12}: build {b:7.1f} ms   update {u:7.1f} ms   update/build {u / b:.2f}   (median of {runs})")
    return u / b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    shape = profile.load()
    book = phrasebook.load(profile=shape)
    folder = Path(tempfile.mkdtemp(prefix="bench_update_"))
    ratios = [
        compare("sample", folder, None, changed_input(folder), args.runs, shape, book),
        compare("40 projects", folder, forty_projects(folder), forty_projects(folder, "1.00"), args.runs, shape, book),
    ]
    print(f"target: update/build <= 1.50; worst {max(ratios):.2f}")


if __name__ == "__main__":
    main()
