"""The published PDF, converted from the .docx by LibreOffice when it is installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from narrate.docx.save import Saved, never, save

FONTS_CONF = Path(__file__).with_name("fonts.conf")
# writer_pdf_Export's options (LibreOffice 7.4+ reads them as JSON): a tagged PDF (structure and
# reading order for screen readers; the language is the document's, see _locale), the
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


# For the document as it goes out (narrate publish): PDF/A-2b, the archival form (every font
# embedded, no external content, metadata in XMP), which LibreOffice writes on request.
ARCHIVAL = {"SelectPdfVersion": {"type": "long", "value": "2"}}


def convert(docx_path: Path, pdf_path: Path | None = None, timeout: float = 180) -> Path:
    """Writes the PDF of docx_path (beside it unless pdf_path) and returns its path."""
    return make(docx_path, pdf_path, timeout).path


def make(docx_path: Path, pdf_path: Path | None = None, timeout: float = 180, archival: bool = False) -> Saved:
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
        export = "pdf:writer_pdf_Export:" + json.dumps({**EXPORT, **(ARCHIVAL if archival else {})}, separators=(",", ":"))
        # LibreOffice runs in the document's locale, which the system may not have: it would
        # then read a file name outside ASCII wrongly, so it converts a copy named in ASCII.
        source = Path(tmp, "document.docx")
        shutil.copyfile(docx_path, source)
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", export, "--outdir", tmp, str(source)]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=_environment(tmp, _locale(docx_path)))
        made = Path(tmp, "document.pdf")
        if not made.exists():
            raise PdfFailed((done.stderr or done.stdout).strip())
        return save(target, made.read_bytes(), never)


def _locale(docx_path: Path) -> str:
    """Returns the locale LibreOffice runs in for docx_path: its language (core.xml's
    dc:language, the profile's), so the PDF declares it. LibreOffice takes the PDF's /Lang
    from the document's Western or Asian default language as its own locale is Western or
    Asian; it needs no system locale of that name. Chinese when the document does not say."""
    try:
        with zipfile.ZipFile(docx_path) as z:
            core = etree.fromstring(z.read("docProps/core.xml"))
        tag = core.findtext("{http://purl.org/dc/elements/1.1/}language") or ""
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        tag = ""
    return (tag if re.fullmatch(r"[a-z]{2}-[A-Z]{2}", tag) else "zh-CN").replace("-", "_") + ".UTF-8"


def _environment(home: str, locale: str) -> dict[str, str]:
    """The converter's environment: a home of its own, the document's locale, and narrate's
    font rules (fonts.conf: the official fonts drawn in free ones of the same role) on top of
    the system's."""
    return {**os.environ, "HOME": home, "LC_ALL": locale, "LANG": locale, "FONTCONFIG_FILE": str(FONTS_CONF)}
