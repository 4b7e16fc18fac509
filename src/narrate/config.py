"""Per-project settings from narrate.toml: check severities and the user's own catalog files."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from narrate.problems import Severity

CONFIG_NAME = "narrate.toml"


class ConfigError(Exception):
    """A narrate.toml that cannot be used: message key and params."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    severities: dict[str, Severity] = field(default_factory=dict)
    catalogs: dict[str, list[Path]] = field(default_factory=dict)


def find(input_path: Path) -> Path | None:
    """Returns the narrate.toml beside the input, if there is one."""
    candidate = input_path.parent / CONFIG_NAME
    return candidate if candidate.is_file() else None


def load(path: Path | None, known_rules: dict[str, Severity]) -> Config:
    """Returns the settings in path (defaults when None); raises ConfigError for a bad file."""
    if path is None:
        return Config(severities=dict(known_rules))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("config_bad", detail=str(exc)) from None
    severities = dict(known_rules)
    for rule, value in data.get("checks", {}).items():
        if rule not in known_rules:
            raise ConfigError("config_unknown_rule", rule=rule, rules="、".join(known_rules))
        try:
            severities[rule] = Severity(value)
        except ValueError:
            raise ConfigError("config_bad_severity", rule=rule, value=value) from None
    catalogs = {
        kind: [path.parent / name for name in names]
        for kind, names in data.get("catalogs", {}).items()
    }
    return Config(path, severities, catalogs)
