"""Times `narrate build` on the embedded sample: in-process (check + document + .docx bytes,
median of >= 20 runs, the profile and phrasebook loaded once beforehand) and the CLI end to end (a fresh interpreter each time, median of 5).

    python bench/bench_build.py [--runs N] [--cli-runs M]

Targets on a 2-core machine: <= 150 ms in-process, <= 1.5 s end to end.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def in_process(runs: int) -> tuple[float, list[float]]:
    """Returns the one-time load (profile + phrasebook) and the per-build times: check the input,
    assemble the document, write the .docx bytes, as a long-running process would."""
    from narrate import build, phrasebook, pipeline, profile

    start = time.perf_counter()
    shape = profile.load()
    book = phrasebook.load(profile=shape)
    loading = time.perf_counter() - start
    times = []
    for _ in range(runs + 1):  # the first run warms template caches and is dropped
        start = time.perf_counter()
        checked = pipeline.check()
        build.render(checked.unit, checked.catalogs, shape, book)
        times.append(time.perf_counter() - start)
    return loading, times[1:]


def end_to_end(runs: int) -> list[float]:
    exe = shutil.which("narrate", path=str(Path(sys.executable).parent)) or shutil.which("narrate")
    cmd = [exe, "build"] if exe else [sys.executable, "-m", "narrate", "build"]
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            out = Path(tmp, f"run{i}.docx")  # a new file each time: the full write path
            start = time.perf_counter()
            subprocess.run([*cmd, "-o", str(out)], check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--cli-runs", type=int, default=5)
    args = parser.parse_args()
    loading, inner = in_process(max(args.runs, 20))
    outer = end_to_end(args.cli_runs)
    print(f"in-process build (check + document + .docx): median {statistics.median(inner) * 1000:.1f} ms over {len(inner)} runs (target <= 150 ms)")
    print(f"  once per process: loading profile + phrasebook {loading * 1000:.0f} ms")
    print(f"CLI end to end (narrate build):    median {statistics.median(outer) * 1000:.0f} ms over {len(outer)} runs (target <= 1500 ms)")


if __name__ == "__main__":
    main()
