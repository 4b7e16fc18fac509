"""The files `update` and `build` touch: one rule for all of them. A file the officer changed, in
any part of the package, is never replaced without a backup; a backup never overwrites an earlier
one; writing over EDITED needs --in-place; a replaced file keeps its mode, a new one is 0644 less
the umask; a damaged or unreadable file is one line and exit 1, and EDITED stays as it was."""

from __future__ import annotations

import builtins
import io
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

import wordlike
from narrate.cli import app
from test_update import changed_input, render

ADDED = "本段是科长加的。"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("built") / "b.docx"
    path.write_bytes(render(None))
    with wordlike.editing(path) as body:
        wordlike.add_paragraph_after(wordlike.paragraph_with(body, "主要职能"), ADDED)
    return path.read_bytes()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch, built: bytes) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "E.docx").write_bytes(built)
    changed_input(tmp_path)  # changed.yaml
    return tmp_path


def update(*args: str):
    return CliRunner().invoke(app, ["update", *args])


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix != ".yaml")


@pytest.mark.parametrize("target", ["E.docx", "./E.docx", "absolute"])
def test_o_naming_the_edited_file_is_a_usage_error(folder: Path, built: bytes, target: str) -> None:
    out = str(folder / "E.docx") if target == "absolute" else target
    result = update("E.docx", "changed.yaml", "-o", out)
    assert result.exit_code == 2, result.output
    assert "--in-place" in result.output
    assert (folder / "E.docx").read_bytes() == built
    assert files(folder) == ["E.docx"]


def test_in_place_with_o_is_a_usage_error(folder: Path, built: bytes) -> None:
    result = update("E.docx", "changed.yaml", "--in-place", "-o", "X.docx")
    assert result.exit_code == 2, result.output
    assert (folder / "E.docx").read_bytes() == built and files(folder) == ["E.docx"]


def test_o_naming_another_edited_document_keeps_it_as_a_backup(folder: Path, built: bytes) -> None:
    other = folder / "other.docx"
    other.write_bytes(built)
    result = update("E.docx", "changed.yaml", "-o", "other.docx")
    assert result.exit_code == 0, result.output
    assert (folder / "other.docx.bak").read_bytes() == built
    assert "other.docx.bak" in result.output
    assert other.read_bytes() != built


def test_an_edited_earlier_update_is_kept_as_a_backup(folder: Path) -> None:
    assert update("E.docx", "changed.yaml").exit_code == 0
    earlier = folder / "E-更新.docx"
    with wordlike.editing(earlier) as body:
        wordlike.add_paragraph_after(wordlike.paragraph_with(body, ADDED), "科长在更新稿里又写了一段。")
    edited = earlier.read_bytes()
    result = update("E.docx", "changed.yaml")
    assert result.exit_code == 0, result.output
    assert (folder / "E-更新.docx.bak").read_bytes() == edited


def test_an_untouched_earlier_update_is_replaced_without_a_backup(folder: Path) -> None:
    assert update("E.docx").exit_code == 0
    result = update("E.docx", "changed.yaml")
    assert result.exit_code == 0, result.output
    assert files(folder) == ["E-更新.docx", "E.docx"]


def test_in_place_never_overwrites_an_earlier_backup(folder: Path, built: bytes) -> None:
    original = b"the officer's very first draft"
    (folder / "E.docx.bak").write_bytes(original)
    result = update("E.docx", "changed.yaml", "--in-place")
    assert result.exit_code == 0, result.output
    assert (folder / "E.docx.bak").read_bytes() == original
    assert (folder / "E.docx.1.bak").read_bytes() == built
    assert "E.docx.1.bak" in result.output


def _damaged(data: bytes, where: str) -> bytes:
    """data with bytes of word/document.xml's compressed stream changed: at its start the
    deflate stream breaks (zlib error); in its middle it inflates to the wrong bytes (bad CRC)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    at = start if where == "stream" else start + info.compress_size // 2
    return data[:at] + bytes(b ^ 0xFF for b in data[at : at + 8]) + data[at + 8 :]


@pytest.mark.parametrize("where", ["stream", "crc"])
def test_a_damaged_zip_entry_is_one_line_and_exit_1(folder: Path, built: bytes, where: str) -> None:
    damaged = _damaged(built, where)
    (folder / "E.docx").write_bytes(damaged)
    result = update("E.docx", "changed.yaml")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Error" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "E.docx" in result.output
    assert (folder / "E.docx").read_bytes() == damaged and files(folder) == ["E.docx"]


def test_an_unreadable_file_is_one_line_and_exit_1(folder: Path, monkeypatch) -> None:
    real = io.open
    target = os.path.abspath("E.docx")

    def guarded(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    real_os_open = os.open

    def guarded_os(file, *args, **kwargs):  # files.read opens without blocking, through os.open
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", guarded)
    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(os, "open", guarded_os)
    result = update("E.docx", "changed.yaml")
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "E.docx" in result.output and "Permission denied" in result.output and "Usage" not in result.output


def test_an_encrypted_document_is_one_line_and_exit_1(folder: Path) -> None:
    # Word saves a password-protected .docx as an OLE compound file, not a zip.
    (folder / "E.docx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    result = update("E.docx", "changed.yaml")
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "E.docx" in result.output and "加密" in result.output


def test_new_files_are_0644_less_the_umask(folder: Path) -> None:
    old = os.umask(0o022)
    try:
        assert update("E.docx", "changed.yaml").exit_code == 0
        assert CliRunner().invoke(app, ["build", "-o", "built.docx"]).exit_code == 0
    finally:
        os.umask(old)
    assert (folder / "E-更新.docx").stat().st_mode & 0o777 == 0o644
    assert (folder / "built.docx").stat().st_mode & 0o777 == 0o644


def test_a_read_only_document_updated_in_place_stays_read_only(folder: Path) -> None:
    os.chmod(folder / "E.docx", 0o444)
    result = update("E.docx", "changed.yaml", "--in-place")
    assert result.exit_code == 0, result.output
    assert (folder / "E.docx").stat().st_mode & 0o777 == 0o444


def _edit_part(path: Path, name: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = [(i.filename, archive.read(i)) for i in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename, data in parts:
            if filename == name:
                assert old in data, (name, old)
                data = data.replace(old, new, 1)
            archive.writestr(filename, data)


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        ("word/footer1.xml", b"</w:p>", "<w:r><w:t>科长加的页脚</w:t></w:r></w:p>".encode()),
        ("word/styles.xml", b'w:styleId="Normal">', b'w:styleId="Normal"><w:aliases w:val="officer"/>'),
        ("docProps/core.xml", b"<dc:creator>narrate</dc:creator>", "<dc:creator>张科长</dc:creator>".encode()),
    ],
    ids=["footer", "styles", "properties"],
)
def test_build_keeps_a_backup_when_the_officer_changed_any_part(folder: Path, part: str, old: bytes, new: bytes) -> None:
    out = folder / "built.docx"
    assert CliRunner().invoke(app, ["build", "-o", str(out)]).exit_code == 0
    _edit_part(out, part, old, new)
    edited = out.read_bytes()
    result = CliRunner().invoke(app, ["build", "changed.yaml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (folder / "built.docx.bak").read_bytes() == edited


def test_build_replaces_its_own_untouched_output_without_a_backup(folder: Path) -> None:
    out = folder / "built.docx"
    assert CliRunner().invoke(app, ["build", "-o", str(out)]).exit_code == 0
    assert CliRunner().invoke(app, ["build", "changed.yaml", "-o", str(out)]).exit_code == 0
    assert not (folder / "built.docx.bak").exists()


def test_pdf_replaces_an_earlier_pdf_only_after_keeping_it(folder: Path, monkeypatch) -> None:
    # A stand-in for LibreOffice that writes a PDF where `soffice --convert-to pdf` would.
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(
        '#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\n'
        'name=$(basename "$3" .docx)\nprintf "%%PDF-1.7 new" > "$2/$name.pdf"\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (folder / "built.pdf").write_bytes(b"%PDF-1.7 the officer's signed copy")
    result = CliRunner().invoke(app, ["build", "-o", "built.docx", "--pdf"])
    assert result.exit_code == 0, result.output
    assert (folder / "built.pdf.bak").read_bytes() == b"%PDF-1.7 the officer's signed copy"
    assert (folder / "built.pdf").read_bytes() == b"%PDF-1.7 new"


def test_build_over_an_update_keeps_a_backup_even_if_nobody_touched_it(folder: Path) -> None:
    # An update's output holds the officer's work: rebuilding over it must not lose it.
    assert update("E.docx", "changed.yaml").exit_code == 0
    merged = (folder / "E-更新.docx").read_bytes()
    assert CliRunner().invoke(app, ["build", "-o", "E-更新.docx"]).exit_code == 0
    assert (folder / "E-更新.docx.bak").read_bytes() == merged


def test_an_untouched_update_of_another_document_is_kept_as_a_backup(folder: Path, built: bytes) -> None:
    (folder / "F.docx").write_bytes(built)
    with wordlike.editing(folder / "F.docx") as body:
        wordlike.add_paragraph_after(wordlike.paragraph_with(body, ADDED), "另一份稿子里的段落。")
    assert update("F.docx", "changed.yaml", "--in-place").exit_code == 0  # F.docx: merged, untouched since
    merged = (folder / "F.docx").read_bytes()
    assert update("E.docx", "changed.yaml", "-o", "F.docx").exit_code == 0
    assert (folder / "F.docx.1.bak").read_bytes() == merged
