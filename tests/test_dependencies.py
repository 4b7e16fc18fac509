"""Every dependency pyproject.toml declares is imported by narrate, and every import is declared."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# distribution name -> the module it is imported as
MODULES = {"python-docx": "docx", "ruamel.yaml": "ruamel", "pyyaml": "yaml", "argon2-cffi": "argon2"}
# Declared for a library narrate uses, which imports them itself: FastAPI parses forms with
# python-multipart (narrate serve's uploads).
USED_THROUGH = {"python_multipart"}


def _declared() -> set[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in deps}
    return {MODULES.get(n, n.replace("-", "_")) for n in names}


def _imported() -> set[str]:
    out: set[str] = set()
    for path in (ROOT / "src" / "narrate").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                out.add(node.module.split(".")[0])
    return {m for m in out if m not in sys.stdlib_module_names and m != "narrate"}


def test_every_declared_dependency_is_imported():
    assert _declared() - _imported() - USED_THROUGH == set()


def test_every_imported_package_is_declared():
    assert _imported() - _declared() == set()
