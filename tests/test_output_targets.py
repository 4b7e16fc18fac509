"""What narrate writes to: only a regular file or a new name; an existing one compared by a
streamed digest and kept, when it is not narrate's untouched output, as a backup that is whole
or not made; a name no file system holds is one line."""

from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from narrate.cli import app
from guards import deadline




def build(*args: str):
    with deadline(60):
        result = CliRunner().invoke(app, ["build", *args])
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    return result


def test_a_fifo_as_the_output_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "out.docx")
    result = build("-o", str(tmp_path / "out.docx"))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "不是普通文件（可能是管道或设备），narrate 不往里写" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_a_device_as_the_output_is_refused(tmp_path: Path) -> None:
    result = build("-o", "/dev/full")
    assert result.exit_code == 1 and "/dev/full：不是普通文件" in result.stderr


@pytest.mark.parametrize("command", [["check"], ["build"], ["build", "-o"], ["update"], ["convert", "x.yaml"]])
def test_a_name_of_five_thousand_characters_is_one_line(tmp_path: Path, command: list[str], monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    name = "单" * 5000 + ".yaml"
    result = CliRunner().invoke(app, [*command, name])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "路径过长" in lines[0] and len(lines[0]) < 200, lines


def test_a_huge_existing_output_is_kept_as_a_backup_without_being_read(tmp_path: Path) -> None:
    # 450 MB (sparse) under a 400 MB address-space ceiling: reading it whole would fail.
    target = tmp_path / "out.docx"
    with open(target, "wb") as handle:
        handle.truncate(450 * 1024 * 1024)

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (400 * 1024 * 1024,) * 2)

    done = subprocess.run([sys.executable, "-m", "narrate", "build", "-o", str(target)], capture_output=True,
                          text=True, preexec_fn=limit, env={**os.environ, "NARRATE_CACHE": "off"}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    backup = tmp_path / "out.docx.bak"
    assert backup.stat().st_size == 450 * 1024 * 1024 and target.stat().st_size < 1024 * 1024


def test_an_identical_output_is_left_as_it_is(tmp_path: Path) -> None:
    target = tmp_path / "out.docx"
    assert build("-o", str(target)).exit_code == 0
    before = target.stat().st_mtime_ns
    result = build("-o", str(target))
    assert result.exit_code == 0 and "内容未变" in result.output and target.stat().st_mtime_ns == before


def test_a_full_disk_leaves_no_half_backup_and_the_file_as_it_was(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "out.docx"
    target.write_bytes(b"the officer's own file, edited by hand" * 1000)
    before = target.read_bytes()

    def full(source, out, length=0):
        out.write(source.read(1000))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", full)
    result = build("-o", str(target))
    assert result.exit_code == 1 and os.strerror(errno.ENOSPC) in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.docx"]  # no .bak, no temporary file
    assert target.read_bytes() == before
