"""The published PDF, converted from the .docx by LibreOffice when it is installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from narrate.docx.save import Saved, never, save

FONTS_CONF = Path(__file__).with_name("fonts.conf")
# writer_pdf_Export's options (LibreOffice 7.4+ reads them as JSON): a tagged PDF (structure and
# reading order for screen readers; the language comes from the document's own w:lang), the
# headings as bookmarks, and no blank pages LibreOffice inserts to put an odd page number on a
# right-hand page (Word inserts none).
EXPORT = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "IsSkipEmptyPages": {"type": "boolean", "value": "true"},
}


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
        export = "pdf:writer_pdf_Export:" + json.dumps(EXPORT, separators=(",", ":"))
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", export, "--outdir", tmp, str(docx_path)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_environment(tmp))
        made = Path(tmp, docx_path.with_suffix(".pdf").name)
        if not made.exists():
            raise PdfFailed((done.stderr or done.stdout).strip())
        return save(target, made.read_bytes(), never)


def _environment(home: str) -> dict[str, str]:
    """The converter's environment: a home of its own, and narrate's font rules (fonts.conf: the
    official fonts drawn in free ones of the same role) on top of the system's."""
    return {**os.environ, "HOME": home, "FONTCONFIG_FILE": str(FONTS_CONF)}
