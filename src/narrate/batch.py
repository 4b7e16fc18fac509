"""Many inputs at once: `narrate build` and `narrate check` over files, folders and globs, in
worker processes.

Each worker checks and renders one input exactly as a single build would and leaves the bytes in
a temporary folder inside the output folder; the parent then saves every document in input
order, under its default name (a second input with the same name gets -2, -3 …), through the
same rule as a single build (a changed file is backed up first). So a batch's documents are
byte-identical to single builds, and the names do not depend on which worker finished first.
No wording here: the CLI says what happened.
"""

from __future__ import annotations

import glob
import re
import shutil
import signal
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from narrate.model import UnitFile

SUFFIXES = (".yaml", ".yml", ".xlsx")
# Files an input names as a part of itself are not documents of their own.
_PARTS = tuple(UnitFile.model_fields[f].alias for f in ("prior_file", "translations"))
_NAMED = re.compile(rf"^({'|'.join(map(re.escape, _PARTS))})\s*:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(#.*)?$", re.M)


@dataclass(frozen=True)
class Task:
    """What every input of a batch is built with (the CLI's options)."""

    config: Path | None = None
    profile: str | None = None
    phrasebook: Path | None = None
    build: bool = True  # False: check only


@dataclass(frozen=True)
class Result:
    """One input's outcome. problem: the first error (file:line: field: message) when it failed."""

    index: int
    input: Path
    ok: bool
    problem: str = ""
    errors: int = 0
    warnings: int = 0
    stem: str = ""  # the default output name (without .docx), when built
    made: Path | None = None  # the rendered bytes, waiting in the batch's temporary folder


def expand(args: Iterable[Path]) -> list[Path]:
    """Returns the input files the arguments name, in order, each once: files as given, the
    inputs of a folder (not its subfolders), and glob patterns a shell did not expand. A file
    another input names as its 上年文件 or 英文译文 is part of that input, not a document."""
    found: list[Path] = []
    for arg in args:
        if arg.is_dir():
            found += sorted(p for p in arg.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file())
        elif not arg.exists() and glob.has_magic(str(arg)):
            found += sorted(Path(p) for p in glob.glob(str(arg)) if Path(p).suffix.lower() in SUFFIXES)
        else:
            found.append(arg)
    unique = list(dict.fromkeys(found))
    parts = {(p.parent / name.strip()).resolve() for p in unique if p.suffix.lower() != ".xlsx" for name in _named(p)}
    return [p for p in unique if p.resolve() not in parts]


def _named(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return []
    return [m.group(2) for m in _NAMED.finditer(text)]


def _quiet() -> None:
    # Ctrl-C goes to the whole process group: the parent cleans up, the workers just stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def one(index: int, path: Path, task: Task, folder: Path | None) -> Result:
    """Checks (and, for a build, renders) one input; the document waits in folder."""
    from narrate import build, pipeline
    from narrate import phrasebook as books
    from narrate.problems import InputError, Severity

    try:
        checked = pipeline.check(path, task.config, task.profile)
    except InputError as exc:
        return Result(index, path, False, str(exc.problems[0]), errors=len(exc.problems))
    errors = [p for p in checked.problems if p.severity is Severity.ERROR]
    counts = dict(errors=len(errors), warnings=checked.count(Severity.WARNING))
    if not checked.ok:
        return Result(index, path, False, str(errors[0]) if errors else "", **counts)
    if not task.build:
        return Result(index, path, True, **counts)
    try:
        book = books.load(task.phrasebook, checked.profile)
    except books.PhrasebookError as exc:
        return Result(index, path, False, str(exc).splitlines()[0], **counts)
    made = folder / f"{index:06d}.docx"
    try:
        stem = build.default_output(checked.unit, checked.profile, book, catalogs=checked.catalogs).stem
        made.write_bytes(build.render(checked.unit, checked.catalogs, checked.profile, book))
    except books.PhrasebookError as exc:  # a phrase that cannot be written for this unit
        return Result(index, path, False, str(exc).splitlines()[0], **counts)
    return Result(index, path, True, stem=stem, made=made, **counts)


def run(inputs: list[Path], task: Task, jobs: int, folder: Path | None) -> Iterator[Result]:
    """Yields each input's result as it is done (any order), jobs at a time in worker
    processes (in this process when jobs is 1)."""
    if jobs <= 1 or len(inputs) <= 1:
        for i, path in enumerate(inputs):
            yield one(i, path, task, folder)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed  # every build asks batch whether it is one

    with ProcessPoolExecutor(max_workers=jobs, initializer=_quiet) as pool:
        futures = [pool.submit(one, i, path, task, folder) for i, path in enumerate(inputs)]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def names(results: list[Result], out: Path) -> dict[int, Path]:
    """Returns where each built document goes: out/<default name>.docx, a later input with the
    same name getting -2, -3 … in input order."""
    taken: dict[str, int] = {}
    placed: dict[int, Path] = {}
    for r in sorted(results, key=lambda r: r.index):
        if r.ok and r.made is not None:
            n = taken.get(r.stem, 0) + 1
            taken[r.stem] = n
            placed[r.index] = out / (f"{r.stem}.docx" if n == 1 else f"{r.stem}-{n}.docx")
    return placed


@contextmanager
def workspace(out: Path) -> Iterator[Path]:
    """Yields a temporary folder inside out for the rendered documents, removed afterwards
    whatever happens (an interrupted batch leaves nothing half-made)."""
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".narrate-batch-", dir=out))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
