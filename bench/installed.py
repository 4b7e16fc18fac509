"""narrate as the benches run it: pip-installed into a fresh venv, as an officer has it and as
the docxtpl baseline runs in a venv of its own; or, with --here, this interpreter's narrate with
its modules compiled (as pip compiles them on install)."""

from __future__ import annotations

import argparse
import compileall
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import baseline

import narrate

ROOT = Path(__file__).resolve().parents[1]


def add_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--here", action="store_true", help="time this interpreter's narrate, not a fresh install")
    parser.add_argument("--docxtpl-python", help="the interpreter that has docxtpl (see bench/baseline.py)")


def python(args: argparse.Namespace, folder: Path) -> str:
    """Returns the interpreter whose narrate the bench times (a venv made in folder unless --here)."""
    if args.here:
        compileall.compile_dir(str(Path(narrate.__file__).parent), quiet=1)
        return sys.executable
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    exe = str(venv / "bin" / "python")
    subprocess.run([exe, "-m", "pip", "install", "-q", str(ROOT)], check=True, capture_output=True)
    return exe


def command(exe: str = sys.executable) -> list[str]:
    """Returns `narrate build` as that interpreter's console script runs it."""
    script = shutil.which("narrate", path=str(Path(exe).parent))
    return [script, "build"] if script else [exe, "-m", "narrate", "build"]


@dataclass(frozen=True)
class Sides:
    """What a bench runs: its options, the two interpreters and a scratch folder."""

    args: argparse.Namespace
    narrate: str  # the python whose narrate is timed
    docxtpl: str  # the python that has docxtpl
    folder: Path


@contextmanager
def sides(parser: argparse.ArgumentParser) -> Iterator[Sides]:
    """Parses the bench's options (with --here and --docxtpl-python) and yields both sides,
    narrate installed in a scratch folder that goes when the bench ends."""
    add_options(parser)
    args = parser.parse_args()
    docxtpl = baseline.python(args.docxtpl_python)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yield Sides(args, python(args, folder), docxtpl, folder)
