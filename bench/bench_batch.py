"""Times a batch: `narrate build --jobs J FOLDER` over N made-up units (bench/make_units.py, 3 to
20 projects each), with the peak memory of every process of the batch, side by side with the
docxtpl baseline (bench/baseline.py) in the same run.

narrate runs pip-installed in a fresh venv (--here: this interpreter's). docxtpl has no batch of its own: its side is N renders at its in-process median, as if spread
over J processes with no loss, and the peak memory of one process rendering them.

    python bench/bench_batch.py [--count 1000] [--jobs 2] [--here] [--docxtpl-python PY]

Targets: N=1000 in <= 60 s with --jobs 2 on a 2-core machine; <= 80 MB per worker.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import baseline  # noqa: E402
import make_units  # noqa: E402
import installed  # noqa: E402


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _peak_kb(pid: int) -> int:
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1])
    except OSError:
        pass
    return 0


def watched(command: list[str], cwd: Path) -> tuple[float, int, int, list[int]]:
    """Runs command; returns (seconds, its exit code, its peak memory and that of each process
    under it, largest first, in KB, read from /proc every 50 ms)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, int] = {}
    while child.poll() is None:
        todo, seen = [child.pid], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo.extend(_children(pid))
        for pid in seen:
            peaks[pid] = max(peaks.get(pid, 0), _peak_kb(pid))
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    child.stderr.read()
    root = peaks.pop(child.pid, 0)
    return elapsed, child.returncode, root, sorted((kb for kb in peaks.values() if kb), reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    with installed.sides(parser) as run:
        args, folder, python, docxtpl = run.args, run.folder, run.narrate, run.docxtpl
        units = folder / "units"
        make_units.write(units, args.count)
        subprocess.run([*installed.command(python), str(units / "unit-0001.yaml"), "-o", str(folder / "warm.docx")],
                       check=True, capture_output=True, cwd=folder)  # narrate's cache, as after one use
        seconds, code, parent, workers = watched([*installed.command(python), "--jobs", str(args.jobs), str(units), "-o", str(folder / "out")], folder)
        built = len(list((folder / "out").glob("*.docx")))
        per_render = baseline.in_process_median(docxtpl, 20, folder)
        _, _, theirs, _ = watched([docxtpl, str(baseline.FOLDER / "render.py"), "--bench", "20", "--procs", "0",
                                "--out-dir", str(folder)], baseline.FOLDER)
    ideal = per_render * args.count / args.jobs
    print(f"{args.count} units (3-20 projects), --jobs {args.jobs}: {built} built, exit {code}, in {seconds:.1f} s "
          f"({args.count / seconds:.1f} documents/s; target <= 60 s)")
    print(f"  docxtpl: {args.count} renders at its median {per_render * 1000:.0f} ms over {args.jobs} processes, no loss: "
          f"{ideal:.1f} s; ratio narrate/docxtpl {seconds / ideal:.2f}")
    print(f"  peak memory: narrate parent {parent / 1024:.0f} MB, workers {', '.join(f'{kb / 1024:.0f}' for kb in workers[:8])} MB "
          f"(target <= 80); docxtpl rendering process {theirs / 1024:.0f} MB")


if __name__ == "__main__":
    main()
