"""What an upload may be. Its kind is its suffix from a short list, confirmed by its first bytes;
its size is within the limits `narrate check` reads (an input) or the document limit (a .docx);
only the suffix of the name the browser sends is looked at, never the rest of it."""

from __future__ import annotations

from pathlib import PurePath

from narrate.serve.errors import Refusal
from narrate.serve.settings import DOCX_LIMIT, INPUT_LIMIT

INPUT = (".yaml", ".yml", ".xlsx")
DOCX = (".docx",)
ZIP = b"PK\x03\x04"
CHUNK = 64 * 1024


def _size(n: int) -> str:
    from narrate.files import _size as shown  # the command line's way of saying a size

    return shown(n)


async def read(upload, allowed: tuple[str, ...]) -> tuple[bytes, str]:
    """Returns (bytes, suffix) of an upload, or raises Refusal saying why not."""
    if upload is None or not getattr(upload, "filename", None):
        raise Refusal("serve_no_file")
    suffix = PurePath(upload.filename.replace("\\", "/")).suffix.lower()
    if suffix not in allowed:
        raise Refusal("serve_wrong_type", 415, allowed=" ".join(allowed))
    limit = DOCX_LIMIT if suffix in DOCX else INPUT_LIMIT
    data = bytearray()
    while chunk := await upload.read(CHUNK):
        data += chunk
        if len(data) > limit:
            raise Refusal("serve_file_too_large", 413, limit=_size(limit))
    if not data:
        raise Refusal("serve_empty_file")
    if (suffix in (".xlsx", ".docx")) != bytes(data[:4]).startswith(ZIP):
        raise Refusal("serve_not_that_kind", 415, suffix=suffix)
    return bytes(data), suffix
