"""The published PDF, converted from the .docx by LibreOffice when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from narrate.docx.save import Saved, never, save


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed, so no PDF can be made."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but gave no PDF; the message carries its output."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx_path: Path, pdf_path: Path | None = None, timeout: float = 180) -> Path:
    """Writes the PDF of docx_path (beside it unless pdf_path) and returns its path."""
    return make(docx_path, pdf_path, timeout).path


def make(docx_path: Path, pdf_path: Path | None = None, timeout: float = 180) -> Saved:
    """Writes the PDF of docx_path (beside it unless pdf_path) by the rule every narrate file
    follows: an earlier PDF is kept as a backup (narrate cannot tell a PDF someone changed from
    the one it made: LibreOffice stamps each with the time). A private LibreOffice profile lets
    it run while the officer has LibreOffice open."""
    exe = soffice()
    if exe is None:
        raise PdfUnavailable()
    target = pdf_path or docx_path.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="narrate-pdf-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": tmp})
        made = Path(tmp, docx_path.with_suffix(".pdf").name)
        if not made.exists():
            raise PdfFailed((done.stderr or done.stdout).strip())
        return save(target, made.read_bytes(), never)
