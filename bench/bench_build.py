"""Times `narrate build` on the embedded sample side by side with the docxtpl rendering of the
same document (bench/baseline.py), in one run, and prints the ratios:

  whole process  `narrate build -o X.docx` against `python render.py X.docx`, taken in turn,
                 median of --procs runs each (target: ratio <= 0.8);
  in-process     check the input + the document + its .docx written to disk, the profile and
                 phrasebook loaded once, against render.py --bench (context + template + render
                 + save), median of --runs each (target: ratio <= 0.3).

Each side runs once untimed first (narrate's cache, the interpreters' .pyc). The whole-process
side runs narrate as an officer has it: `pip install .` into a fresh venv, as the baseline runs
in a venv of its own (--here: the narrate of this interpreter instead).

    python bench/bench_build.py [--runs N] [--procs M] [--here] [--docxtpl-python PY]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402
import installed  # noqa: E402


def in_process(runs: int, folder: Path) -> list[float]:
    from narrate import build, phrasebook, pipeline, profile

    shape = profile.load()
    book = phrasebook.load(profile=shape)
    out = folder / "in-process.docx"
    times = []
    for _ in range(runs + 1):  # the first run warms jinja2's and the layout's caches; dropped
        start = time.perf_counter()
        checked = pipeline.check()
        out.write_bytes(build.render(checked.unit, checked.catalogs, shape, book))
        times.append(time.perf_counter() - start)
    return times[1:]


def whole_processes(procs: int, python: str, docxtpl: str, folder: Path) -> tuple[list[float], list[float]]:
    ours, theirs = [], []
    command = installed.command(python)
    for i in range(procs + 1):
        start = time.perf_counter()
        subprocess.run([*command, "-o", str(folder / f"narrate-{i}.docx")], check=True, capture_output=True, cwd=folder)
        elapsed = time.perf_counter() - start
        other = baseline.whole_process(docxtpl, folder / f"docxtpl-{i}.docx")
        if i:  # run 0 warms both
            ours.append(elapsed)
            theirs.append(other)
    return ours, theirs


def line(what: str, ours: float, theirs: float, target: float) -> str:
    ratio = ours / theirs
    verdict = "met" if ratio <= target else "NOT met"
    return f"{what:<14} narrate {ours * 1000:7.1f} ms   docxtpl {theirs * 1000:7.1f} ms   ratio {ratio:.2f}   (target <= {target}: {verdict})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--procs", type=int, default=7)
    with installed.sides(parser) as run:
        args, folder = run.args, run.folder
        ours_whole, theirs_whole = whole_processes(args.procs, run.narrate, run.docxtpl, folder)
        theirs_inner = baseline.in_process_median(run.docxtpl, args.runs, folder)
        ours_inner = statistics.median(in_process(args.runs, folder))
        theirs_inner = (theirs_inner + baseline.in_process_median(run.docxtpl, args.runs, folder)) / 2  # before and after ours
    where = "this interpreter's narrate" if args.here else "narrate pip-installed in a fresh venv"
    print(f"embedded sample, one run on this machine ({where}; medians: whole process {args.procs} runs each, in turn; in-process {args.runs})")
    print(line("whole process", statistics.median(ours_whole), statistics.median(theirs_whole), 0.8))
    print(line("in-process", ours_inner, theirs_inner, 0.3))


if __name__ == "__main__":
    main()
