"""The front of the pipeline: load -> validate. An input file becomes a checked unit and its problems.

The later stages follow in build.py: compute and choose phrases (outline, rules, tables) ->
render (docx) -> write; nothing downstream reaches back here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate import bind, catalog, checks, config, paths, phrasebook, rollup, vocabulary
from narrate import profile as profiles
from narrate.catalog import Catalogs
from narrate.load import Doc, Loaded, load, read_doc
from narrate.load.validate import canonical, to_model
from narrate.load.yaml_file import ReadError
from narrate.messages import say
from narrate.model import START_BUDGET, Member, Unit, UnitFile, UnitInfo, UnitKind
from narrate.profile import Profile
from narrate.problems import Finding, InputError, Problem, Severity, field_name, order
from narrate.resources import sample_input

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.HINT)


@dataclass(frozen=True)
class Checked:
    """A unit that loaded, with every problem found in it, placed at file:line, and the profile
    it is built with."""

    unit: Unit | None
    catalogs: Catalogs
    problems: list[Problem]
    profile: Profile | None = None
    members: tuple[Checked, ...] = ()  # a department's member units checked from their own files
    path: Path | None = None

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)

    @property
    def ok(self) -> bool:
        return self.unit is not None and self.profile is not None and self.count(Severity.ERROR) == 0


def _place(loaded: Loaded, finding: Finding, severity: Severity) -> Problem:
    return _placed(loaded.prior_doc if finding.prior and loaded.prior_doc else loaded.doc, finding, severity)


def _placed(doc: Doc | None, finding: Finding, severity: Severity) -> Problem:
    # The document says where a path stands: a YAML line, or a workbook's sheet and cell.
    line = doc.line(finding.path) if doc else None
    name = doc.name if doc else ""
    message = say(finding.key, **finding.params)
    return Problem(severity, finding.rule, name, line, field_name(finding.path), message, finding.subject)


def _profile(loaded: Loaded, path: Path, settings: config.Config, ref: str | Path | None) -> Profile:
    """Returns the profile to build with (see _named), its options chosen as the input's 选项
    says, else narrate.toml's [options]."""
    named = _named(loaded, path, settings, ref)
    given = dict(loaded.file.options) if loaded.file is not None else {}
    if not settings.options and not given:
        return named
    wrong = [Problem(Severity.ERROR, "config", str(settings.path), settings.option_lines.get(name), f"options.{name}", message)
             for name, message in profiles.option_problems(named.spec, {k: v for k, v in settings.options.items() if k not in given})]
    wrong += [Problem(Severity.ERROR, "input", loaded.doc.name, loaded.doc.line((_OPTIONS_KEY, name)), f"{_OPTIONS_KEY}.{name}", message)
              for name, message in profiles.option_problems(named.spec, given)]
    if wrong:
        raise profiles.ProfileError(wrong)
    return bind.profile(str(named.folders[-1]), None, {**settings.options, **given})


def _named(loaded: Loaded, path: Path, settings: config.Config, ref: str | Path | None) -> Profile:
    """Returns the profile the unit names: the one asked for on the command line, else the one
    the input names (格式), else narrate.toml's, else the default for the unit's kind."""
    if ref is not None:
        return bind.profile(ref, Path.cwd())
    if loaded.file is not None and loaded.file.profile:
        try:
            if not settings.outside and not profiles.is_builtin(loaded.file.profile) \
                    and not paths.inside(path.parent, path.parent / loaded.file.profile):
                raise profiles.ProfileError([Problem(Severity.ERROR, "input", loaded.file.profile, None, "", say(
                    "path_outside", path=loaded.file.profile, setting=paths.OUTSIDE_KEY))])
            return bind.profile(loaded.file.profile, path.parent)
        except profiles.ProfileError as exc:
            line = loaded.doc.line((_PROFILE_KEY,)) if loaded.doc else None
            raise profiles.ProfileError([Problem(Severity.ERROR, "input", loaded.doc.name, line, _PROFILE_KEY, p.message)
                                         if p.file == loaded.file.profile else p for p in exc.problems]) from None
    if settings.profile:
        return bind.profile(settings.profile, settings.path.parent if settings.path else path.parent)
    kind = loaded.file.unit.kind.value if loaded.file is not None else None
    return bind.profile(profiles.DEFAULTS.get(kind, profiles.DEFAULTS[UnitKind.UNIT.value]))


_PROFILE_KEY = UnitFile.model_fields["profile"].alias
_OPTIONS_KEY = UnitFile.model_fields["options"].alias


def _settings(path: Path | None, config_path: Path | None) -> config.Config:
    defaults = {name: severity for name, (_, severity) in checks.RULES.items()}
    where = config_path or (config.find(path) if path else None)
    try:
        return config.load(where, defaults)
    except config.ConfigError as exc:
        raise InputError([Problem(Severity.ERROR, "config", str(where), exc.line, "", say(exc.key, **exc.params))]) from None


@dataclass(frozen=True)
class Source:
    """An input read for conversion: its canonical tree (None: nothing, for an empty template),
    the profile it is written for, and the catalogs."""

    tree: dict | None
    profile: Profile
    catalogs: Catalogs
    name: str = ""


def source(path: Path | None, config_path: Path | None = None, profile: str | Path | None = None) -> Source:
    """Reads one input (YAML or workbook) as the canonical tree, for `template` and `convert`.
    Only the file itself must be valid: its figures need not add up yet. Raises InputError."""
    settings = _settings(path, config_path)
    catalogs = catalog.load(settings.catalogs)
    try:
        if path is None:
            chosen = bind.profile(profile if profile is not None else settings.profile, Path.cwd())
            return Source(None, chosen, catalogs)
        try:
            doc = read_doc(path, str(path))
        except ReadError as err:
            raise InputError([Problem(Severity.ERROR, "input", str(path), err.line, "", say(err.key, **err.params))]) from None
        file, findings = to_model(doc.tree)
        if file is None:
            raise InputError(_sorted([_placed(doc, f, Severity.ERROR) for f in findings]))
        # the file only: its options are judged when it is checked or built
        chosen = _named(Loaded(None, catalogs, [], doc, file=file), path, settings, profile)
    except profiles.ProfileError as exc:
        raise InputError(exc.problems) from None
    return Source(canonical(doc.tree), chosen, catalogs, str(path))


def check(path: Path | None = None, config_path: Path | None = None, profile: str | Path | None = None,
          _within: tuple[Path, ...] = ()) -> Checked:
    """Loads and validates one input (the embedded sample when path is None) against its profile;
    a department whose members carry figures is their sum (rollup.py), each member checked too."""
    path = path or sample_input()
    defaults = {name: severity for name, (_, severity) in checks.RULES.items()}
    settings = _settings(path, config_path)
    loaded = load(path, catalog.load(settings.catalogs), named=bool(_within), outside=settings.outside)
    problems = [
        Problem(Severity.ERROR, "input", name, err.line, "", say(err.key, **err.params))
        for name, err in loaded.read_errors
    ]
    findings = list(loaded.findings)
    try:
        chosen = _profile(loaded, path, settings, profile)
    except profiles.ProfileError as exc:
        placed = [_place(loaded, f, Severity.ERROR) for f in findings if f.rule == "input"]
        return Checked(None, loaded.catalogs, _sorted(problems + placed + exc.problems))
    severities = {**defaults, **{rule: Severity(v) for rule, v in chosen.spec.checks.items()}, **settings.severities}
    if loaded.unit is not None and not any(f.rule == "input" for f in findings):
        directions = vocabulary.words(phrasebook.layers(chosen))
        findings += checks.run(checks.Subject(loaded.file, loaded.unit.prior, chosen.spec, directions,
                                              loaded.catalogs, loaded.translations,
                                              loaded.unit.comparisons.get(START_BUDGET)))
        if loaded.prior_file is not None:
            findings += checks.run_prior_file(loaded.prior_file, chosen.spec, directions)
    for finding in findings:
        severity = Severity.ERROR if finding.rule == "input" else severities[finding.rule]
        if severity is not Severity.OFF:
            problems.append(_place(loaded, finding, severity))
    unit = loaded.unit if not any(f.rule == "input" for f in findings) else None
    members: tuple[Checked, ...] = ()
    if unit is not None and rollup.has_members(loaded.file):
        unit, members, more = _department(loaded, unit, path, _within + (path.resolve(),), settings.outside)
        problems += [p for m in members for p in m.problems]
        problems += [_place(loaded, f, Severity.ERROR) for f in more]
    return Checked(unit, loaded.catalogs, _sorted(problems), chosen, members, path)


def _department(loaded: Loaded, unit: Unit, path: Path, within: tuple[Path, ...], outside: bool = False):
    """Returns the department summed from its members, the members' own checks, and findings
    (a member file that is missing, names a department it belongs to, or does not add up)."""
    found: list[rollup.Member] = []
    checked: list[Checked] = []
    findings: list[Finding] = []
    named: dict[str, int] = {}  # a member's 名称 -> its index
    files: dict[Path, int] = {}  # a member file, resolved -> the index naming it
    units: dict[str, int] = {}  # the unit 名称 inside a member file -> the index naming the file
    for i, member in enumerate(loaded.file.unit.members):
        where = (_UNIT_KEY, _MEMBERS_KEY, i)
        if member.name in named:  # listed twice: its figures would be counted twice
            findings.append(Finding("input", where + (_MEMBER_NAME,), "member_twice",
                                    {"name": member.name, "other": named[member.name] + 1}))
            continue
        named[member.name] = i
        if member.file:
            try:
                target = rollup.member_path(path, member.file, outside)
            except paths.Outside:
                findings.append(Finding("input", where + (_MEMBER_FILE,), "path_outside",
                                        {"path": member.file, "setting": paths.OUTSIDE_KEY}))
                continue
            if target.resolve() in within:
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_cycle", {"path": member.file}))
                continue
            if not target.is_file():
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_file_missing", {"path": member.file}))
                continue
            if target.resolve() in files:
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_file_twice",
                                        {"path": member.file, "other": files[target.resolve()] + 1}))
                continue
            files[target.resolve()] = i
            result = check(target, None, None, within)
            checked.append(result)
            if not result.ok:
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_failed", {"path": member.file}))
            elif result.unit.info.year != unit.info.year:
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_other_year",
                                        {"path": member.file, "year": result.unit.info.year, "ours": unit.info.year}))
            elif result.unit.info.name in units:
                # Two files of one unit (or two units of one name): `build --units` would write
                # both documents to one name.
                findings.append(Finding("input", where + (_MEMBER_FILE,), "member_same_unit",
                                        {"path": member.file, "name": result.unit.info.name,
                                         "other": units[result.unit.info.name] + 1}))
            else:
                units[result.unit.info.name] = i
                found.append(rollup.Member(i, result.unit.budget, result.unit.comparisons, result))
        elif member.figures is not None:
            found.append(rollup.Member(i, member.figures, {}))
    if findings:
        return None, tuple(checked), findings
    summed, more = rollup.combine(loaded.file, unit, found, loaded.catalogs)
    return (None if more else summed), tuple(checked), more


_UNIT_KEY = UnitFile.model_fields["unit"].alias
_MEMBERS_KEY = UnitInfo.model_fields["members"].alias
_MEMBER_FILE = Member.model_fields["file"].alias
_MEMBER_NAME = Member.model_fields["name"].alias


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (SEVERITY_ORDER.index(p.severity), p.file, order(p.line)))
