"""The front of the pipeline: load -> validate. An input file becomes a checked unit and its problems.

The later stages follow in build.py: compute and choose phrases (outline, rules, tables) ->
render (docx) -> write; nothing downstream reaches back here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate import catalog, checks, config
from narrate.catalog import Catalogs
from narrate.load import Loaded, load
from narrate.messages import say
from narrate.model import Unit
from narrate.problems import Finding, InputError, Problem, Severity, field_name
from narrate.resources import sample_input

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.HINT)


@dataclass(frozen=True)
class Checked:
    """A unit that loaded, with every problem found in it, placed at file:line."""

    unit: Unit | None
    catalogs: Catalogs
    problems: list[Problem]

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)

    @property
    def ok(self) -> bool:
        return self.unit is not None and self.count(Severity.ERROR) == 0


def _place(loaded: Loaded, finding: Finding, severity: Severity) -> Problem:
    doc = loaded.prior_doc if finding.prior and loaded.prior_doc else loaded.doc
    line = doc.line(finding.path) if doc else None
    name = doc.name if doc else ""
    message = say(finding.key, **finding.params)
    return Problem(severity, finding.rule, name, line, field_name(finding.path), message, finding.subject)


def check(path: Path | None = None, config_path: Path | None = None) -> Checked:
    """Loads and validates one input (the embedded sample when path is None)."""
    path = path or sample_input()
    defaults = {name: severity for name, (_, severity) in checks.RULES.items()}
    try:
        settings = config.load(config_path or config.find(path), defaults)
    except config.ConfigError as exc:
        where = str(config_path or config.find(path))
        raise InputError([Problem(Severity.ERROR, "config", where, exc.line, "", say(exc.key, **exc.params))]) from None
    loaded = load(path, catalog.load(settings.catalogs))
    problems = [
        Problem(Severity.ERROR, "input", name, err.line, "", say(err.key, **err.params))
        for name, err in loaded.read_errors
    ]
    findings = list(loaded.findings)
    if loaded.unit is not None and not any(f.rule == "input" for f in findings):
        findings += checks.run(loaded.unit.file, loaded.unit.prior)
        if loaded.prior_file is not None:
            findings += checks.run_prior_file(loaded.prior_file)
    for finding in findings:
        severity = Severity.ERROR if finding.rule == "input" else settings.severities[finding.rule]
        if severity is not Severity.OFF:
            problems.append(_place(loaded, finding, severity))
    problems.sort(key=lambda p: (SEVERITY_ORDER.index(p.severity), p.file, p.line or 0))
    unit = loaded.unit if not any(f.rule == "input" for f in findings) else None
    return Checked(unit, loaded.catalogs, problems)
