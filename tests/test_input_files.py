"""Every file narrate reads is a regular, readable file of sane size, or it says why not: exit 1,
the file named, never a hang (a FIFO), never typer's exit-2 usage box.

The rows are the files narrate reads (the input, --config, the narrate.toml beside the input, a
catalog CSV it names, 上年文件, the edited .docx of `update`, a phrasebook overlay file); the
columns are the ways a path can be unusable. Root reads any file, so "unreadable" is made by
refusing the open() of that one path.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import narrate
from narrate import files
from narrate.cli import app
from unitfile import BASE, unit_yaml
from guards import deadline

SRC = str(Path(narrate.__file__).resolve().parents[1])

# name -> (files written first, the path made bad, the command line)
READERS = {
    "the input": ({}, "unit.yaml", ["check", "unit.yaml"]),
    "--config": ({"unit.yaml": BASE}, "my.toml", ["check", "unit.yaml", "--config", "my.toml"]),
    "narrate.toml beside the input": ({"unit.yaml": BASE}, "narrate.toml", ["check", "unit.yaml"]),
    "a catalog CSV": (
        {"unit.yaml": BASE, "narrate.toml": '[catalogs]\nfunction = ["my.csv"]\n'}, "my.csv", ["check", "unit.yaml"],
    ),  # named at the narrate.toml line that lists it (see WHERE)
    "上年文件": ({"unit.yaml": unit_yaml("上年文件: 2023.yaml\n", drop=("上年",))}, "2023.yaml", ["check", "unit.yaml"]),
    "the edited .docx": ({"unit.yaml": BASE}, "edited.docx", ["update", "edited.docx", "unit.yaml"]),
    "a phrasebook overlay file": (
        {"unit.yaml": BASE, "mine/explain/.keep": ""}, "mine/explain/x.yaml",
        ["preview", "unit.yaml", "--phrasebook", "mine"],
    ),
}

# where the message stands when it is not at the bad file itself
WHERE = {"a catalog CSV": "narrate.toml:2: "}
# A device here is a link to /dev/null: for a file an input or narrate.toml names, or a
# phrasebook's own file, the link leaving its folder is refused first (paths.py).
SAYS = {("a catalog CSV", "a device"): "不在本文件所在的文件夹", ("上年文件", "a device"): "不在本文件所在的文件夹",
        ("a phrasebook overlay file", "a device"): "链接到短语库文件夹以外的文件"}
WHERE_OUTSIDE = {("上年文件", "a device"): "unit.yaml:"}
# a .docx may well be larger than an input file; `update` reads it whole by design
NOT_APPLICABLE = {("the edited .docx", "too large")}


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    path.symlink_to("/dev/null")  # (/dev/zero would never end: a red run would eat the memory)


def _huge(path: Path) -> None:
    path.write_bytes(b"#" * (files.MAX_BYTES + 1))


def _unreadable(path: Path) -> None:
    path.write_text("x: 1\n", encoding="utf-8")


# how -> (makes the path bad, a part of the message)
HOW = {
    "a folder": (_folder, "这是一个文件夹"),
    "a FIFO": (_fifo, "不是普通文件"),
    "a device": (_device, "不是普通文件"),
    "too large": (_huge, "文件过大"),
    "unreadable": (_unreadable, "Permission denied"),
}




@pytest.fixture
def refuse_open(monkeypatch):
    """Makes the named paths answer os.access() and os.open() as a file the user may not read
    does (click asks os.access before narrate sees the path)."""
    denied: set[str] = set()
    real_open, real_access = os.open, os.access

    def fake_open(path, flags, *args, **kwargs):
        if os.path.abspath(path) in denied:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_access(path, mode, *args, **kwargs):
        if os.path.abspath(path) in denied and mode & os.R_OK:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "access", fake_access)
    return lambda path: denied.add(os.path.abspath(path))


PAIRS = [(reader, how) for reader in READERS for how in HOW if (reader, how) not in NOT_APPLICABLE]


@pytest.mark.parametrize(("reader", "how"), PAIRS, ids=[f"{reader}, {how}" for reader, how in PAIRS])
def test_a_file_narrate_cannot_use_is_named_with_the_reason_and_exit_1(reader, how, tmp_path, monkeypatch, refuse_open):
    monkeypatch.chdir(tmp_path)
    written, bad, args = READERS[reader]
    make, says = HOW[how]
    for name, text in written.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    make(tmp_path / bad)
    if how == "unreadable":
        refuse_open(tmp_path / bad)
    with deadline(10):
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "Usage" not in result.output
    where = WHERE_OUTSIDE.get((reader, how), WHERE.get(reader, bad))
    says = SAYS.get((reader, how), says)
    assert any(line.startswith(where) and says in line for line in result.stderr.splitlines()), result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
@pytest.mark.parametrize("reader", READERS, ids=READERS.keys())
def test_a_file_without_read_permission_gets_exit_1_and_the_reason(reader, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    written, bad, args = READERS[reader]
    for name, text in written.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / bad).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / bad).chmod(0)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    where = WHERE.get(reader, bad)
    says = HOW["unreadable"][1]
    assert any(line.startswith(where) and says in line for line in result.stderr.splitlines()), result.stderr


# Root reads any file; without these two capabilities it obeys the file's mode like anyone.
AS_A_USER = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
CAN_DROP = shutil.which("setpriv") is not None and subprocess.run(
    [*AS_A_USER, "true"], capture_output=True).returncode == 0 if os.geteuid() == 0 else True


@pytest.mark.skipif(not CAN_DROP, reason="root, and setpriv cannot drop the capabilities that let root read anything")
@pytest.mark.parametrize(
    ("bad", "args"),
    [("unit.yaml", ["check", "unit.yaml"]), ("my.toml", ["check", "ok.yaml", "--config", "my.toml"]),
     ("edited.docx", ["update", "edited.docx", "ok.yaml"]), ("out.docx", ["build", "ok.yaml", "-o", "out.docx"])],
    ids=["the input", "--config", "the edited .docx", "-o"],
)
def test_a_file_without_read_permission_is_not_a_usage_error(bad, args, tmp_path):
    """The real thing, not a simulated denial: typer checks os.access itself (exit 2, a usage box)."""
    (tmp_path / "ok.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / bad).write_text("x: 1\n", encoding="utf-8")
    (tmp_path / bad).chmod(0)
    prefix = AS_A_USER if os.geteuid() == 0 else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([*prefix, sys.executable, "-m", "narrate", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "Permission denied" in done.stderr and "Usage" not in done.stderr


@pytest.mark.skipif(not CAN_DROP, reason="root, and setpriv cannot drop the capabilities that let root read anything")
def test_a_phrasebook_folder_without_permission_is_named_and_exit_1(tmp_path):
    (tmp_path / "ok.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "mine" / "explain").mkdir(parents=True)
    (tmp_path / "mine").chmod(0)
    prefix = AS_A_USER if os.geteuid() == 0 else []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "narrate", "preview", "ok.yaml", "--phrasebook", "mine"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    finally:
        (tmp_path / "mine").chmod(0o755)  # so that pytest can clean up
    assert done.returncode == 1, done.stderr
    assert "mine/explain: 无法读取短语库文件：Permission denied" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_edited_docx_is_named_and_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "unit.yaml").write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(app, ["update", "没有.docx", "unit.yaml"])
    assert result.exit_code == 1
    assert "没有.docx: 找不到文件" in result.stderr


@pytest.mark.parametrize("how", ["a folder", "a FIFO"])
def test_codes_names_an_unusable_config_file(how, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make, says = HOW[how]
    make(tmp_path / "narrate.toml")
    with deadline(10):
        result = CliRunner().invoke(app, ["codes", "20105"])
    assert result.exit_code == 1
    assert f"narrate.toml: {says}" in result.stderr
