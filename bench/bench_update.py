"""Times `narrate update` on the sample against `narrate build` (target: update <= 2x build).

In-process, median of N runs each: build = check + render; update = check + render the new
figures + merge into an officer-edited file + write. Run: .venv/bin/python bench/bench_update.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from narrate import build, pipeline
from narrate.regen.update import update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_update import changed_input, officer_edits  # noqa: E402  (the tests' officer and budget change)

RUNS = 20


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_update_"))
    edited = folder / "edited.docx"
    checked = pipeline.check(None)
    edited.write_bytes(build.render(checked.unit, checked.catalogs))
    officer_edits(edited)
    changed = changed_input(folder)

    def build_once() -> None:
        c = pipeline.check(None)
        build.render(c.unit, c.catalogs)

    def update_once() -> None:
        c = pipeline.check(changed)
        update(edited, build.render(c.unit, c.catalogs), output=folder / "out.docx")

    b, u = median_ms(build_once), median_ms(update_once)
    print(f"build  (check + render, sample):             {b:7.1f} ms median of {RUNS}")
    print(f"update (check + render + merge + write):     {u:7.1f} ms median of {RUNS}")
    print(f"ratio update/build: {u / b:.2f} (target <= 2.00)")


if __name__ == "__main__":
    main()
