"""The docxtpl baseline (../shared/bench/docxtpl_baseline, its README says how to set it up),
run from the benches so that both sides are measured in one run, on one machine, side by side.

The baseline runs in its own interpreter (docxtpl is not one of narrate's dependencies): the
first of --docxtpl-python, $DOCXTPL_PYTHON, a .venv-docxtpl beside the baseline, beside this
checkout or beside its parent folder, that can import docxtpl.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDER = Path(os.environ.get("DOCXTPL_BASELINE", ROOT.parent / "shared" / "bench" / "docxtpl_baseline"))


def python(chosen: str | None = None) -> str:
    """Returns the interpreter that runs the baseline; exits with a hint when there is none."""
    candidates = [chosen, os.environ.get("DOCXTPL_PYTHON")]
    for venv in (FOLDER / ".venv-docxtpl", ROOT / ".venv-docxtpl", ROOT.parent / ".venv-docxtpl"):
        candidates.append(str(venv / "bin" / "python"))
    candidates.append(sys.executable)
    for exe in filter(None, candidates):
        if shutil.which(exe) and subprocess.run([exe, "-c", "import docxtpl"], capture_output=True).returncode == 0:
            return exe
    sys.exit(f"no interpreter with docxtpl: set up {FOLDER} as its README says, or pass --docxtpl-python")


def whole_process(exe: str, out: Path) -> float:
    """Times one `python render.py out.docx`, as its README's whole-process run does (seconds)."""
    start = time.perf_counter()
    subprocess.run([exe, str(FOLDER / "render.py"), str(out)], check=True, cwd=FOLDER, capture_output=True)
    return time.perf_counter() - start


def in_process_median(exe: str, renders: int, out_dir: Path) -> float:
    """Returns the median of `renders` in-process renders (context + template + render + save),
    as `render.py --bench` measures them (seconds)."""
    done = subprocess.run([exe, str(FOLDER / "render.py"), "--bench", str(renders), "--procs", "0",
                           "--out-dir", str(out_dir)], check=True, cwd=FOLDER, capture_output=True, text=True)
    found = re.search(r"in-process renders: n=\d+ median=([\d.]+) ms", done.stdout)
    if not found:
        sys.exit(f"render.py --bench printed no median:\n{done.stdout}{done.stderr}")
    return float(found[1]) / 1000
