"""Profiles: a region's layout of the disclosure, chosen by name or folder, validated on load
against the schema. A profile is plain data: what its names mean (parts, sections, phrases,
facts, sources) is checked by the bind step (narrate.bind), which every command goes through.

A profile is a folder with `profile.yaml` and, optionally, phrasebook layers of its own
(`explain/`, `data/`). `extends: NAME` starts from another profile and changes only what differs:
mappings merge key by key, any other value (a list, a text) replaces the parent's. The built-in
profiles live in the repository's `profiles/` (shipped inside the package); `narrate profiles`
lists them. Every problem is reported at `file:line` of the layer that wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from narrate import paths, stamps
from narrate.messages import listing, say
from narrate.problems import Problem, Severity
from narrate.profile.schema import MoneyFormat, ProfileSpec
from narrate.resources import data_dir

PROFILE_FILE = "profile.yaml"
TABLE_KINDS = ("balance", "function", "economic", "projects", "facts", "carryover", "final_lines", "economic_pairs", "procurement")  # schema.Table's tags
DEFAULTS = {"单位": "xj-unit", "部门": "xj-dept"}  # the profile an input gets when it names none


class ProfileError(Exception):
    """A profile that cannot be used; carries its problems, each at file:line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass(frozen=True)
class Profile:
    """A loaded profile: the merged, validated spec and the folders it came from (root first)."""

    spec: ProfileSpec
    folders: tuple[Path, ...]
    source: str = ""  # the file that names the profile (its leaf profile.yaml)
    # (folder, YamlDoc) of every layer, root first: where each key was written (locate)
    chain: tuple = field(default=(), compare=False, repr=False)
    options: dict = field(default_factory=dict, compare=False)  # the chosen value of every option
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)
    written: dict = field(default_factory=dict, compare=False, repr=False)  # template -> "file:line"

    @property
    def name(self) -> str:
        return self.spec.name

    def phrases(self) -> tuple[str, ...]:
        """Returns every phrase the parts name (headings, 目录 entries, items, own sections)."""
        out: list[str] = []
        for part in self.spec.parts:
            out += [p for p in (part.heading, part.toc) if p]
            out += [item["phrase"] for item in part.items if "phrase" in item]
            for s in part.sections:
                if isinstance(s, str):
                    out += [s] if s.startswith("custom.") else []
                else:
                    out += [p for p in (s.heading, s.group_heading, s.lead, s.item, s.empty) if p]
        return tuple(dict.fromkeys(out))

    def table_format(self, table_id: str) -> MoneyFormat:
        spec = self.spec.tables[table_id]
        if isinstance(spec.money, str):
            return self.spec.money.style(spec.money)
        return spec.money or self.spec.money.table

    def writer_view(self) -> dict[str, Any]:
        """Returns what the Word writer reads (name, language, page, fonts, styles, toc) as plain data."""
        keys = {"name", "language", "page", "fonts", "latin_font", "styles", "table_style", "toc"}
        return self.spec.model_dump(include=keys, exclude_none=True)

    def render(self, template: str, **names: Any) -> str:
        """Returns a profile template (a table title, say) rendered with names."""
        compiled = self._compiled.get(template)
        if compiled is None:
            compiled = self._compiled[template] = environment().get_template(template)
        from narrate import sandbox
        from narrate.phrasebook import PhrasebookError

        try:
            return sandbox.render(compiled, names)
        except Exception as exc:  # noqa: BLE001 - a profile's template may fail in any way
            where = self.written.get(template, self.source)
            raise PhrasebookError(sandbox.failure(where, " ".join(template.split())[:60], exc)) from None


@lru_cache(maxsize=1)
def environment():
    """Returns the jinja2 environment a profile's own templates (table titles, form lines) run in."""
    # Sandboxed and strict: a profile is data a province or an officer may write, and a typo in
    # a name must fail loudly rather than print nothing.
    from jinja2 import FunctionLoader, StrictUndefined

    from narrate import cache, numerals
    from narrate.sandbox import Bounded

    # A template is its own name: loaded so that jinja2's bytecode cache keeps it compiled
    # between runs, as the phrasebook's are.
    env = Bounded(undefined=StrictUndefined, autoescape=False,
                  loader=FunctionLoader(lambda text: (text, None, lambda: True)),
                  bytecode_cache=cache.templates())
    env.filters["cn"] = numerals.chinese
    return env


def builtin_folder() -> Path:
    return data_dir("profiles")


def builtin_names() -> tuple[str, ...]:
    """Returns the names of the shipped profiles, sorted."""
    return tuple(sorted(p.name for p in builtin_folder().iterdir() if (p / PROFILE_FILE).is_file()))


def is_builtin(ref: str) -> bool:
    """Tells whether ref names a built-in profile (not a folder)."""
    return "/" not in ref and "\\" not in ref and (builtin_folder() / ref / PROFILE_FILE).is_file()


def _folder(ref: str, base: Path | None) -> Path | None:
    builtin = builtin_folder() / ref
    if "/" not in ref and "\\" not in ref and (builtin / PROFILE_FILE).is_file():
        return builtin
    path = Path(ref)
    if not path.is_absolute() and base is not None:
        path = base / path
    return path if (path / PROFILE_FILE).is_file() else None


def _error(where: str, line: int | None, key: str, **params: object) -> ProfileError:
    return ProfileError([Problem(Severity.ERROR, "profile", where, line, "", say(key, **params))])


def _read(folder: Path):
    from narrate.load.yaml_file import ReadError, read

    path = folder / PROFILE_FILE
    try:
        doc = read(path, str(path))
    except ReadError as exc:
        raise _error(str(path), exc.line, exc.key, **exc.params) from None
    return doc


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def merge(parent: Any, child: Any) -> Any:
    """Returns child laid over parent: mappings merge key by key, anything else replaces."""
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for key, value in child.items():
            out[key] = merge(parent[key], value) if key in parent else value
        return out
    return child


def _chain(folder: Path) -> list[tuple[Path, Any]]:
    """Returns the profile at folder and the ones it extends, root first, as (folder, YamlDoc)."""
    chain: list[tuple[Path, Any]] = []
    seen: set[Path] = set()
    while True:
        resolved = folder.resolve()
        if resolved in seen:
            raise _error(str(folder / PROFILE_FILE), None, "profile_cycle", name=folder.name)
        seen.add(resolved)
        doc = _read(folder)
        chain.append((folder, doc))
        parent = doc.tree.get("extends")
        if parent is None:
            return chain[::-1]
        found = _folder(str(parent), folder)
        if found is None:
            raise _error(doc.name, doc.line(("extends",)), "profile_unknown", name=parent, known=listing(builtin_names()))
        if not is_builtin(str(parent)) and not paths.inside(folder.parent, found):
            # A profile extends a built-in one by name, or one in a folder beside it (paths.py).
            raise _error(doc.name, doc.line(("extends",)), "profile_extends_outside", path=str(parent))
        folder = found


def locate(chain: list[tuple[Path, Any]], path: tuple) -> tuple[str, int | None]:
    """Returns the file and line of the layer that wrote path (the last layer holding most of it)."""
    best = (chain[-1][1].name, None, -1)
    for _, doc in chain:
        node, depth = doc.tree, 0
        for part in path:
            if isinstance(node, dict) and part in node:
                node, depth = node[part], depth + 1
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node, depth = node[part], depth + 1
            else:
                break
        if depth >= best[2] and depth > 0:
            best = (doc.name, doc.line(path), depth)
    return best[0], best[1]


def _validate(chain: list[tuple[Path, Any]], merged: dict, within: tuple = ()) -> ProfileSpec:
    from pydantic import ValidationError

    from narrate.load.validate import finding_of
    from narrate.problems import field_name

    try:
        spec = ProfileSpec.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            finding = finding_of(error, ProfileSpec)
            if finding.path[:1] == ("tables",) and len(finding.path) > 2 and finding.path[2] in TABLE_KINDS:
                # pydantic names the table's kind (the union's tag) inside the path: not a key written
                finding = replace(finding, path=finding.path[:2] + finding.path[3:])
            where, line = locate(chain, within + finding.path)
            problems.append(Problem(Severity.ERROR, "profile", where, line, field_name(within + finding.path), say(finding.key, **finding.params)))
        raise ProfileError(problems) from None
    return spec


def load(ref: str | Path | None = None, base: Path | None = None, options: dict[str, str] | None = None) -> Profile:
    """Returns the profile ref names: a built-in name, or a folder (relative to base) holding
    profile.yaml. None gives the default unit profile. `options` chooses among the profile's
    options (name -> choice; the others take their default); a name or choice the profile does
    not declare is a KeyError (the caller knows where it was written: option_problems)."""
    ref = str(ref) if ref is not None else DEFAULTS["单位"]
    folder = _folder(ref, base)
    if folder is None:
        raise _error(ref, None, "profile_unknown", name=ref, known=listing(builtin_names()))
    return _load(folder.resolve(), tuple(sorted((options or {}).items())))


def option_problems(spec: ProfileSpec, given: dict[str, str]) -> list[tuple[str, str]]:
    """Returns (option name, message) for each option given that the profile does not offer."""
    out = []
    for name, value in given.items():
        if name not in spec.options:
            out.append((name, say("option_unknown", name=name, known=listing(spec.options) or "-")))
        elif value not in spec.options[name].choices:
            out.append((name, say("option_choice", name=name, value=value, known=listing(spec.options[name].choices))))
    return out


@stamps.kept_while_unchanged(lambda args, loaded: loaded.folders)
def _load(folder: Path, options: tuple[tuple[str, str], ...] = ()) -> Profile:
    chain = _chain(folder)
    merged: dict = {}
    for _, doc in chain:
        merged = merge(merged, _plain(doc.tree))
    merged.pop("extends", None)
    spec = _validate(chain, merged)
    given = dict(options)
    if option_problems(spec, given):
        raise KeyError(options)
    chosen = {name: given.get(name, option.default) for name, option in spec.options.items()}
    for name, value in chosen.items():
        overlay = spec.options[name].choices.get(value)
        if overlay:  # a choice that changes the profile: validated as changed, located in the choice
            merged = merge(merged, overlay)
            spec = _validate(chain, merged, ("options", name, "choices", value))
    return Profile(spec, tuple(f for f, _ in chain), chain[-1][1].name, chain=tuple(chain), options=chosen)
