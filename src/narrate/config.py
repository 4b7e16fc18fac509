"""Per-project settings from narrate.toml: check severities, the user's own catalog files, the
profile and its options."""

from __future__ import annotations

from narrate.messages import listing

import csv
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from narrate import files
from narrate.messages import say
from narrate.problems import Severity

CONFIG_NAME = "narrate.toml"
CATALOG_KINDS = ("function", "economic")
_SECTIONS = ("checks", "catalogs", "options")
PROFILE_KEY = "profile"  # the profile inputs beside this file use, unless they name their own


class ConfigError(Exception):
    """A narrate.toml that cannot be used: message key, params and (when known) the line."""

    def __init__(self, key: str, line: int | None = None, **params: object):
        super().__init__(key)
        self.key, self.line, self.params = key, line, params


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    severities: dict[str, Severity] = field(default_factory=dict)  # the rules the file sets
    catalogs: dict[str, list[Path]] = field(default_factory=dict)
    profile: str | None = None
    options: dict[str, str] = field(default_factory=dict)  # the profile's options chosen here ([options])
    option_lines: dict[str, int | None] = field(default_factory=dict)


def find(input_path: Path) -> Path | None:
    """Returns the narrate.toml beside the input, if there is one."""
    candidate = input_path.parent / CONFIG_NAME
    # Anything by that name is meant as the settings: a folder or FIFO there is refused, not ignored.
    return candidate if os.path.lexists(candidate) else None


def _line_of(text: str, key: str) -> int | None:
    # tomllib keeps no positions; the first line that sets the key is where an officer looks.
    pattern = re.compile(rf'^\s*(\[\s*)?"?{re.escape(key)}"?\s*[=\]]')
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


def _parse(path: Path) -> tuple[str, dict]:
    try:
        text = files.read(path).decode("utf-8")
    except files.Refused as exc:
        raise ConfigError(exc.key, **exc.params) from None
    except UnicodeDecodeError:
        raise ConfigError("not_utf8", line=1) from None
    import tomllib  # only when there is a narrate.toml to read

    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError carries its position only inside the message.
        found = re.search(r"at line (\d+)", str(exc))
        raise ConfigError("config_bad", line=int(found[1]) if found else None, detail=str(exc)) from None


def _severities(text: str, data: dict, known_rules: dict[str, Severity]) -> dict[str, Severity]:
    checks = data.get("checks", {})
    if not isinstance(checks, dict):
        raise ConfigError("config_not_table", line=_line_of(text, "checks"), section="checks")
    severities: dict[str, Severity] = {}
    for rule, value in checks.items():
        line = _line_of(text, rule)
        if rule not in known_rules:
            guess = difflib.get_close_matches(rule, list(known_rules), n=1)
            key = "config_unknown_rule_guess" if guess else "config_unknown_rule"
            raise ConfigError(key, line=line, rule=rule, guess=guess[0] if guess else "", rules=listing(known_rules))
        try:
            severities[rule] = Severity(value)
        except ValueError:
            raise ConfigError("config_bad_severity", line=line, rule=rule, value=value) from None
    return severities


def _catalogs(text: str, data: dict, base: Path) -> dict[str, list[Path]]:
    section = data.get("catalogs", {})
    if not isinstance(section, dict):
        raise ConfigError("config_not_table", line=_line_of(text, "catalogs"), section="catalogs")
    out: dict[str, list[Path]] = {}
    for kind, names in section.items():
        line = _line_of(text, kind)
        if kind not in CATALOG_KINDS:
            raise ConfigError("config_unknown_catalog", line=line, kind=kind, kinds=listing(CATALOG_KINDS))
        # A bare string would otherwise be read one character at a time as file names.
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError("config_catalog_list", line=line, kind=kind)
        out[kind] = [_catalog_file(base / name, line) for name in names]
    return out


def _catalog_file(path: Path, line: int | None) -> Path:
    """Returns path once it is a readable UTF-8 CSV with code and name columns."""
    try:
        text = files.read(path).decode("utf-8-sig")
    except files.Refused as exc:
        if exc.key == "file_missing":
            raise ConfigError("config_catalog_missing", line=line, path=str(path)) from None
        reason = say(exc.key, **exc.params)
        raise ConfigError("config_catalog_unusable", line=line, path=str(path), reason=reason) from None
    except UnicodeDecodeError:
        raise ConfigError("config_catalog_bad", line=line, path=str(path)) from None
    header = next(csv.reader(text.splitlines()), [])
    if "code" not in header or "name" not in header:
        raise ConfigError("config_catalog_bad", line=line, path=str(path))
    return path


def load(path: Path | None, known_rules: dict[str, Severity]) -> Config:
    """Returns the settings in path (none when path is None); raises ConfigError for a bad file.
    known_rules are the rules a [checks] entry may name."""
    if path is None:
        return Config()
    text, data = _parse(path)
    for section in data:
        if section not in _SECTIONS + (PROFILE_KEY,):
            raise ConfigError("config_unknown_section", line=_line_of(text, section), section=section,
                              sections=listing(_SECTIONS + (PROFILE_KEY,)))
    profile = data.get(PROFILE_KEY)
    if profile is not None and not isinstance(profile, str):
        raise ConfigError("config_profile_text", line=_line_of(text, PROFILE_KEY))
    options = data.get("options", {})
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        raise ConfigError("config_options_table", line=_line_of(text, "options"))
    return Config(path, _severities(text, data, known_rules), _catalogs(text, data, path.parent), profile,
                  dict(options), {name: _line_of(text, name) for name in options})
