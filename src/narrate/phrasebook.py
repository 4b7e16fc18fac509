"""The phrasebook: how the explanations read. Rules (narrate.rules) decide which phrase and what
numbers; the phrasebook's templates and data decide the words.

Layout of a phrasebook folder (the shipped one is phrasebook/zh/; an overlay has the same shape
and any subset of it):

  explain/*.yaml   phrase name -> jinja2 template (one line each); a later file or an overlay
                   replaces a phrase by name
  data/<name>.yaml wording data (labels, default reasons, glossary); an overlay replaces
                   top-level keys of the file of the same name

Templates run in a sandboxed jinja2 environment with StrictUndefined. Every problem (a YAML or
template syntax error, a phrase a rule needs that is missing, a name a phrase uses that its rule
does not give) is found at load time and reported as `file:line: phrase: detail`.

Variables are data: a value passed to a template is inserted as it is, never rendered again, so
`{{ }}` or `<&>` in an officer's text appear literally. Generated figures are marked with the
filters below (see blocks.figure), placeholders with `hole`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import cn2an
from jinja2 import StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from narrate import blocks, files
from narrate.messages import say
from narrate.money import ZERO, fmt
from narrate.resources import data_dir

PHRASES_DIR = "explain"
DATA_DIR = "data"


class PhrasebookError(Exception):
    """A phrasebook that cannot be used; the message names file and line."""


@dataclass(frozen=True)
class Source:
    """Where a phrase came from, for error messages and `narrate phrases`."""

    file: str
    line: int  # 1-based line of the phrase's key


# -- filters: how figures, placeholders, numerals and lists are marked and joined ------------


def _money(value: Decimal, fid: str) -> str:
    return blocks.figure(fid, fmt(value))


def _pct(value: Decimal | None, fid: str) -> str:
    return blocks.figure(fid, fmt(value if value is not None else ZERO) + "%")


def _num(value: int, fid: str) -> str:
    return blocks.figure(fid, str(value))


def _fig(text: str, fid: str) -> str:
    return blocks.figure(fid, text)


def _cn(n: int) -> str:
    return cn2an.an2cn(int(n))


def _series(items: Iterable[str], last: str = "、", sep: str = "、") -> str:
    """Joins items as a natural list: series('和') gives 'A、B和C', series() 'A、B、C'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return sep.join(items[:-1]) + last + items[-1]


def environment() -> SandboxedEnvironment:
    """Returns the sandboxed jinja2 environment phrases are compiled in."""
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(money=_money, pct=_pct, num=_num, fig=_fig, hole=blocks.hole, cn=_cn, series=_series)
    return env


# -- reading ----------------------------------------------------------------------------------


def _read_yaml(path: Path):
    try:
        return YAML(typ="rt").load(files.read(path).decode("utf-8"))
    except files.Refused as exc:
        detail = exc.params.get("reason") or say(exc.key, **exc.params)
        raise PhrasebookError(say("pb_unreadable", where=str(path), detail=detail)) from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise PhrasebookError(say("pb_yaml", where=f"{path}:{line}", detail=getattr(exc, "problem", None) or exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PhrasebookError(say("pb_unreadable", where=str(path), detail=exc)) from None


def _phrase_files(folder: Path) -> list[Path]:
    return sorted((folder / PHRASES_DIR).glob("*.yaml")) if (folder / PHRASES_DIR).is_dir() else []


def _read_phrases(folder: Path) -> dict[str, tuple[str, Source]]:
    out: dict[str, tuple[str, Source]] = {}
    for path in _phrase_files(folder):
        doc = _read_yaml(path)
        if doc is None:
            continue
        if not isinstance(doc, Mapping):
            raise PhrasebookError(say("pb_not_phrases", where=f"{path}:1"))
        for name, text in doc.items():
            line = doc.lc.key(name)[0] + 1
            if not isinstance(text, str):
                raise PhrasebookError(say("pb_not_text", where=f"{path}:{line}", name=name))
            out[str(name)] = (text, Source(str(path), line))
    return out


def _read_data(folder: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    if not (folder / DATA_DIR).is_dir():
        return out
    for path in sorted((folder / DATA_DIR).glob("*.yaml")):
        doc = _read_yaml(path)
        if not isinstance(doc, Mapping):
            raise PhrasebookError(say("pb_not_data", where=f"{path}:1"))
        out[path.stem] = _plain(doc)
    return out


def _plain(value):
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if value is not None else ""


# -- the phrasebook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Phrase:
    name: str
    text: str
    source: Source


class Phrasebook:
    """Compiled phrases and wording data, checked against what the rules use."""

    def __init__(self, phrases: dict[str, Phrase], data: dict[str, dict], env: SandboxedEnvironment):
        self._phrases = phrases
        self._data = data
        self._env = env
        # Each template is parsed once: the tree serves both compiling and the name checks.
        self._trees: dict[str, nodes.Template] = {}
        self._compiled = {}
        for name, phrase in phrases.items():
            try:
                self._trees[name] = env.parse(phrase.text)
            except TemplateSyntaxError as exc:
                where = f"{phrase.source.file}:{phrase.source.line}"
                raise PhrasebookError(say("pb_syntax", where=where, name=name, detail=exc.message)) from None
            self._compiled[name] = env.from_string(self._trees[name])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._phrases)

    def phrase(self, name: str) -> Phrase:
        return self._phrases[name]

    def data(self, name: str) -> dict:
        """Returns the wording data file `name` (labels, reasons, glossary)."""
        return self._data[name]

    def render(self, name: str, /, **values: object) -> str:
        """Returns phrase `name` rendered with values; figures and holes stay marked."""
        if name not in self._compiled:
            raise PhrasebookError(say("pb_missing", name=name, rule="?"))
        return self._compiled[name].render(**values)

    def undeclared(self, name: str) -> set[str]:
        """Returns the variables phrase `name` reads from its caller."""
        return meta.find_undeclared_variables(self._trees[name])

    def first_use(self, name: str, variable: str) -> int:
        """Returns the 1-based line in the phrase's file where it reads `variable`."""
        lines = [n.lineno for n in self._trees[name].find_all(nodes.Name) if n.name == variable]
        return self._phrases[name].source.line + (min(lines) - 1 if lines else 0)


def _validate(book: Phrasebook) -> None:
    from narrate.rules.uses import DATA, GLOBALS, USES  # the rules say what they need

    problems = []
    for use in USES:
        if use.phrase not in book.names:
            problems.append(say("pb_missing", name=use.phrase, rule=use.rule))
            continue
        unknown = book.undeclared(use.phrase) - set(use.variables) - set(GLOBALS)
        for var in sorted(unknown):
            src = book.phrase(use.phrase).source
            problems.append(say("pb_unknown_name", where=f"{src.file}:{book.first_use(use.phrase, var)}",
                                name=use.phrase, var=var, rule=use.rule, given="、".join(use.variables + GLOBALS)))
    used = {use.phrase for use in USES}
    for name in book.names:
        if name not in used:
            src = book.phrase(name).source
            guess = difflib.get_close_matches(name, sorted(used), n=1)
            key = "pb_unused_guess" if guess else "pb_unused"
            problems.append(say(key, where=f"{src.file}:{src.line}", name=name, guess=guess[0] if guess else ""))
    for name, keys in DATA.items():
        if name not in book._data:
            problems.append(say("pb_data_missing", file=f"{DATA_DIR}/{name}.yaml"))
            continue
        for key in keys:
            if key not in book.data(name):
                problems.append(say("pb_data_key_missing", file=f"{DATA_DIR}/{name}.yaml", key=key))
    if problems:
        raise PhrasebookError("\n".join(problems))


def load(overlay: Path | None = None) -> Phrasebook:
    """Returns the shipped Chinese phrasebook, with an overlay folder's phrases and data on top."""
    base = data_dir("phrasebook") / "zh"
    raw = _read_phrases(base)
    data = _read_data(base)
    if overlay is not None:
        try:
            if not overlay.is_dir():
                raise PhrasebookError(say("pb_not_folder", where=str(overlay)))
            raw.update(_read_phrases(overlay))
            overlay_data = _read_data(overlay)
        except OSError as exc:  # a folder the user may not list
            raise PhrasebookError(say("pb_unreadable", where=exc.filename or str(overlay), detail=exc.strerror or exc)) from None
        for name, values in overlay_data.items():
            data[name] = {**data.get(name, {}), **values}
    phrases = {name: Phrase(name, text, src) for name, (text, src) in raw.items()}
    book = Phrasebook(phrases, data, environment())
    _validate(book)
    return book
