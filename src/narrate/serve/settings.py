"""What one server is started with: where its files and its database are, and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate import files

# An input is read by the command line's rules (files.MAX_BYTES); an edited document carries
# the officer's images and may be larger.
INPUT_LIMIT = files.MAX_BYTES
DOCX_LIMIT = 20 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    data: Path
    db_url: str = ""  # empty: SQLite in the data folder
    demo: bool = False
    workers: int = 2  # engine worker processes
    queue: int = 64  # engine calls waiting at most; more are refused as busy
    secure_cookies: bool = False  # set behind HTTPS

    @property
    def url(self) -> str:
        return self.db_url or f"sqlite:///{(self.data / 'narrate.db').resolve()}"

    @property
    def versions(self) -> Path:
        return self.data / "versions"

    @property
    def scratch(self) -> Path:
        return self.data / "tmp"
