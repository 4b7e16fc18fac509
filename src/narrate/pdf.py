"""The published PDF, converted from the .docx by LibreOffice when it is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed, so no PDF can be made."""


class PdfFailed(RuntimeError):
    """LibreOffice ran but gave no PDF; the message carries its output."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docx_path: Path, pdf_path: Path | None = None, timeout: float = 180) -> Path:
    """Writes the PDF of docx_path (beside it unless pdf_path) and returns its path. A private
    LibreOffice profile lets it run while the officer has LibreOffice open."""
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
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f".{target.name}.tmp")
        try:
            shutil.move(str(made), str(part))
            os.replace(part, target)
        except BaseException:  # Ctrl-C too: no half-moved PDF beside the document
            part.unlink(missing_ok=True)
            raise
    return target
