"""The phrasebook: how the explanations read. Rules (narrate.rules) decide which phrase and what
numbers; the phrasebook's templates and data decide the words.

Layout of a phrasebook folder (the shipped one is phrasebook/zh/; an overlay has the same shape
and any subset of it):

  explain/*.yaml   phrase name -> jinja2 template (one line each); a later file or an overlay
                   replaces a phrase by name
  data/<name>.yaml wording data (labels, default reasons, glossary); an overlay merges
                   into the file of the same name key by key, at every depth (a table of
                   labels given in part keeps the labels it does not give)

Templates run in a sandboxed jinja2 environment with StrictUndefined. Every problem (a YAML or
template syntax error, a phrase a rule needs that is missing, a name a phrase uses that its rule
does not give) is found at load time and reported as `file:line: phrase: detail`.

Variables are data: a value passed to a template is inserted as it is, never rendered again, so
`{{ }}` or `<&>` in an officer's text appear literally. Generated figures are marked with the
filters below (see blocks.figure), placeholders with `hole`.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FunctionLoader, StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from narrate import blocks, cache, files, numerals, paths, sandbox, stamps
from narrate.messages import listing, say
from narrate.money import ZERO
from narrate.profile import merge
from narrate.profile.schema import Money
from narrate.resources import data_dir

if TYPE_CHECKING:
    from narrate.profile import Profile

PHRASES_DIR = "explain"
DATA_DIR = "data"


class PhrasebookError(Exception):
    """A phrasebook that cannot be used; the message names file and line."""


class RenderError(PhrasebookError):
    """A phrase that failed as it rendered; source: where the phrase is written."""

    def __init__(self, message: str, source: Source | None = None):
        super().__init__(message)
        self.source = source


@dataclass(frozen=True)
class Source:
    """Where a phrase came from, for error messages and `narrate phrases`."""

    file: str
    line: int  # 1-based line of the phrase's key


# -- filters: how figures, placeholders, numerals and lists are marked and joined ------------


def _money_filter(money: Money):
    def _money(value: Decimal, fid: str, style: str = "text") -> str:
        """Marks value as figure fid, shown in the money style named (default: the text's)."""
        return blocks.figure(fid, money.style(style).show(_amount(value)))

    return _money


def _pct_filter(money: Money):
    def _pct(value: Decimal | None, fid: str, style: str | None = None) -> str:
        return blocks.figure(fid, money.show_percent(_amount(value) if value is not None else ZERO, style))

    return _pct


def _amount(value):
    """Returns the number a fact object stands for (facts.View: its this-year figure)."""
    return getattr(value, "number", value)


def _num(value: int, fid: str) -> str:
    value = _amount(value)  # a fact (a count of the format's own) prints its figure
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return blocks.figure(fid, str(value))


def _fig(text: str, fid: str) -> str:
    return blocks.figure(fid, text)


# Style guides write small whole numbers in words and larger ones in figures; the European
# Commission's English Style Guide (3.1) draws the line after nine.
WORDS_UP_TO = 9


def _words_filter(language: str):
    def _words(value: int, fid: str | None = None, zero: str | None = None, up_to: int = WORDS_UP_TO) -> str:
        """Returns a whole number in words up to `up_to` (three), in figures above it (12,
        1,024), and `zero` for 0 when the phrase gives one (“no projects”); marked as figure
        fid when given."""
        n = int(value)
        if n == 0 and zero is not None:
            text = zero
        elif 0 <= n <= up_to:
            text = numerals.words(n, language)
        else:
            text = f"{n:,}"
        return blocks.figure(fid, text) if fid else text

    return _words


def _series_filter(separator: str):
    def _series(items: Iterable[str], last: str | None = None, sep: str | None = None) -> str:
        """Joins items as a natural list: series('和') gives 'A、B和C', series() 'A、B、C' (the
        separator is the phrasebook's, data/labels.yaml `separator`)."""
        items = list(items)
        if len(items) <= 1:
            return "".join(items)
        return (sep or separator).join(items[:-1]) + (last or separator) + items[-1]

    return _series


def _end(text: str, mark: str) -> str:
    """Ends text with mark unless it already ends in a stop, comma or colon (officers type the
    final stop or leave it out)."""
    text = str(text).rstrip()
    return text if not text or unicodedata.category(text[-1]) == "Po" else text + mark


def environment(money: Money | None = None, separator: str = ", ", language: str = "zh") -> SandboxedEnvironment:
    """Returns the sandboxed jinja2 environment phrases are compiled in; `money` and `pct` print
    as the profile's text format says, `series` joins with the phrasebook's separator, `words`
    spells numbers in the profile's language."""
    money = money or Money()
    env = sandbox.Bounded(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(money=_money_filter(money), pct=_pct_filter(money), num=_num,
                       fig=_fig, hole=blocks.hole, cn=numerals.chinese, words=_words_filter(language),
                       series=_series_filter(separator), end=_end)
    return env


# -- reading ----------------------------------------------------------------------------------


def _read_yaml(path: Path, not_a_table: str):
    """Returns the file as the input reader reads it (load/yaml_file.py: a tree that knows its
    lines), or None when it is empty; not_a_table is the message for any other top level."""
    from narrate.load import yaml_file

    try:
        return yaml_file.parse(files.read(path).decode("utf-8"), str(path))
    except files.Refused as exc:
        detail = exc.params.get("reason") or say(exc.key, **exc.params)
        raise PhrasebookError(say("pb_unreadable", where=str(path), detail=detail)) from None
    except yaml_file.ReadError as exc:
        if exc.key == "file_empty":
            return None
        if exc.key == "file_not_mapping":
            raise PhrasebookError(say(not_a_table, where=f"{path}:1")) from None
        detail = exc.params.get("detail") or say(exc.key, **exc.params)
        raise PhrasebookError(say("pb_yaml", where=f"{path}:{exc.line or 0}", detail=detail)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PhrasebookError(say("pb_unreadable", where=str(path), detail=exc)) from None


def _files(folder: Path, sub: str) -> list[Path]:
    """Returns the layer's files in sub; one that links out of the layer's folder is refused
    (paths.py: a phrasebook reads its own files only)."""
    found = sorted((folder / sub).glob("*.yaml")) if (folder / sub).is_dir() else []
    for path in found:
        if not paths.inside(folder, path):
            raise PhrasebookError(say("pb_outside", where=str(path)))
    return found


def _phrase_files(folder: Path) -> list[Path]:
    return _files(folder, PHRASES_DIR)


def _read_phrases(folder: Path) -> dict[str, tuple[str, Source]]:
    out: dict[str, tuple[str, Source]] = {}
    for path in _phrase_files(folder):
        doc = _read_yaml(path, "pb_not_phrases")
        if doc is None:
            continue
        for name, text in doc.tree.items():
            line = doc.line((name,))
            if not isinstance(text, str):
                raise PhrasebookError(say("pb_not_text", where=f"{path}:{line}", name=name))
            out[str(name)] = (text, Source(str(path), line))
    return out


def _read_data(folder: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in _files(folder, DATA_DIR):
        doc = _read_yaml(path, "pb_not_data")
        if doc is None:
            raise PhrasebookError(say("pb_not_data", where=f"{path}:1"))
        out[path.stem] = _plain(doc.tree)
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

    def __init__(self, phrases: dict[str, Phrase], data: dict[str, dict], env: SandboxedEnvironment,
                 money: Money | None = None, own: tuple[tuple[str, str], ...] = ()):
        self.money = money or Money()  # the number styles phrases may name
        self.own = dict(own)  # the format's own fields, name -> kind (facts phrases may name)
        self._phrases = phrases
        self._data = data
        self._env = env
        self._trees: dict[str, nodes.Template] = {}  # parsed when the name checks ask
        # Loaded by name so that jinja2's bytecode cache can keep the compiled form between
        # runs (keyed by the name and file, checked against the text).
        env.loader = FunctionLoader(lambda name: (phrases[name].text, phrases[name].source.file, lambda: True))
        env.bytecode_cache = cache.templates()
        self._compiled = {}
        for name, phrase in phrases.items():
            try:
                self._compiled[name] = env.get_template(name)
            except TemplateSyntaxError as exc:
                where = f"{phrase.source.file}:{phrase.source.line}"
                raise PhrasebookError(say("pb_syntax", where=where, name=name, detail=exc.message)) from None

    def tree(self, name: str) -> nodes.Template:
        if name not in self._trees:
            self._trees[name] = self._env.parse(self._phrases[name].text)
        return self._trees[name]

    def digest(self, *also: object) -> str:
        """Returns a digest of the phrases' names and texts, the data files and `also`: what the
        name checks depend on (the data whole: its tables' keys are checked at every depth)."""
        content = ([(n, p.text) for n, p in self._phrases.items()], self._data, also)
        return hashlib.sha256(repr(content).encode("utf-8")).hexdigest()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._phrases)

    def phrase(self, name: str) -> Phrase:
        return self._phrases[name]

    def data(self, name: str) -> dict:
        """Returns the wording data file `name` (labels, reasons, glossary)."""
        return self._data[name]

    def render(self, name: str, /, **values: object) -> str:
        """Returns phrase `name` rendered with values; figures and holes stay marked. What a
        phrase asks for that its names do not hold (a fact key built at render time that narrate
        does not compute, say) is a PhrasebookError at the phrase's line, never a traceback."""
        if name not in self._compiled:
            raise PhrasebookError(say("pb_missing", name=name, rule="?"))
        try:
            return sandbox.render(self._compiled[name], values)
        except Exception as exc:  # noqa: BLE001 - a user's template may fail in any way; each is its problem
            src = self._phrases[name].source
            raise RenderError(sandbox.failure(f"{src.file}:{src.line}", name, exc), src) from None

    def undeclared(self, name: str) -> set[str]:
        """Returns the variables phrase `name` reads from its caller."""
        return meta.find_undeclared_variables(self.tree(name))

    def first_use(self, name: str, variable: str) -> int:
        """Returns the 1-based line in the phrase's file where it reads `variable`."""
        lines = [n.lineno for n in self.tree(name).find_all(nodes.Name) if n.name == variable]
        return self._phrases[name].source.line + (min(lines) - 1 if lines else 0)


def _validate(book: Phrasebook) -> None:
    from narrate.rules.uses import CUSTOM_LIST, CUSTOM_RULE, DATA, DATA_KEYS, GLOBALS, USES, is_custom  # the rules say what they need

    problems = []
    for use in USES:
        if use.phrase not in book.names:
            problems.append(say("pb_missing", name=use.phrase, rule=use.rule))
            continue
        unknown = book.undeclared(use.phrase) - set(use.variables) - set(GLOBALS)
        for var in sorted(unknown):
            src = book.phrase(use.phrase).source
            problems.append(say("pb_unknown_name", where=f"{src.file}:{book.first_use(use.phrase, var)}",
                                name=use.phrase, var=var, rule=use.rule, given=listing(use.variables + GLOBALS)))
    used = {use.phrase for use in USES}
    for name in book.names:
        if is_custom(name):
            for var in sorted(book.undeclared(name) - set(GLOBALS) - set(CUSTOM_LIST)):
                src = book.phrase(name).source
                problems.append(say("pb_unknown_name", where=f"{src.file}:{book.first_use(name, var)}",
                                    name=name, var=var, rule=CUSTOM_RULE, given=listing(GLOBALS + CUSTOM_LIST)))
        elif name not in used:
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
    for (name, table), keys in DATA_KEYS.items():
        given = book._data.get(name, {}).get(table)
        if isinstance(given, Mapping):
            for key in keys:
                if key not in given:
                    problems.append(say("pb_data_key_missing", file=f"{DATA_DIR}/{name}.yaml", key=f"{table}.{key}"))
        elif table in book._data.get(name, {}):
            problems.append(say("pb_data_not_table", file=f"{DATA_DIR}/{name}.yaml", key=table))
    for name in book.names:
        problems += _marks(book, name) + _facts_named(book, name)
    if problems:
        raise PhrasebookError("\n".join(problems))


# Filters that mark a figure (their first argument is its id) and those that take a number style
# (its name the second argument, or style=).
_MARKING = ("money", "pct", "num", "fig", "words")
_STYLED = ("money", "pct")
_FIGURE_ID = re.compile(r"^[A-Za-z0-9_]{1,30}$")


def _marks(book: Phrasebook, name: str) -> list[str]:
    """Returns what is wrong with the figure ids and style names phrase `name` writes: an id
    narrate cannot mark (not ASCII letters, digits, _), a style the profile does not define, a
    style that is not written as a quoted name."""
    out = []
    src = book.phrase(name).source
    for node in book.tree(name).find_all(nodes.Filter):
        if node.name not in _MARKING:
            continue
        where = f"{src.file}:{src.line + node.lineno - 1}"
        fid = node.args[0] if node.args else None
        if isinstance(fid, nodes.Const) and not (isinstance(fid.value, str) and _FIGURE_ID.match(fid.value)):
            out.append(say("pb_figure_id", where=where, name=name, fid=fid.value))
        if node.name not in _STYLED:
            continue
        style = node.args[1] if len(node.args) > 1 else next((k.value for k in node.kwargs if k.key == "style"), None)
        if style is None:
            continue
        known = book.money.style_names() if node.name == "money" else book.money.percent_names()
        if not isinstance(style, nodes.Const) or not isinstance(style.value, str):
            out.append(say("pb_style_literal", where=where, name=name, known=listing(known)))
        elif style.value not in known:
            out.append(say("pb_style_unknown", where=where, name=name, style=style.value, known=listing(known)))
    return out


def _facts_named(book: Phrasebook, name: str) -> list[str]:
    """Returns what is wrong with the facts phrase `name` names where it writes them out:
    f['KEY'] for a key narrate does not compute, f.lines(group, level, only) with a group, level
    or filter it does not know."""
    from narrate import facts
    from narrate.rules.uses import FACTS

    out = []
    src = book.phrase(name).source
    tree = book.tree(name)
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.node, nodes.Name) and node.node.name == FACTS and isinstance(node.arg, nodes.Const):
            if not facts.is_known(str(node.arg.value), book.own):
                guess = difflib.get_close_matches(str(node.arg.value), facts.FIXED + facts.own_keys(book.own), n=1)
                out.append(say("pb_fact_unknown", where=f"{src.file}:{src.line + node.lineno - 1}", name=name,
                               key=node.arg.value, hint=guess[0] if guess else listing(facts.PATTERNS)))
    for node in tree.find_all(nodes.Call):
        if not (isinstance(node.node, nodes.Getattr) and node.node.attr == "lines"):
            continue
        where = f"{src.file}:{src.line + node.lineno - 1}"
        given = dict(zip(("group", "level", "only"), node.args)) | {k.key: k.value for k in node.kwargs}
        group, level, only = given.get("group"), given.get("level"), given.get("only")
        groups = facts.LINE_GROUPS + (facts.ECONOMIC,)
        if isinstance(group, nodes.Const) and group.value not in groups:
            out.append(say("pb_lines_group", where=where, name=name, group=group.value, known=listing(groups)))
        levels = tuple(facts.LEVELS) + tuple(facts.CODE_LENGTHS)
        if isinstance(level, nodes.Const) and level.value not in levels:
            out.append(say("pb_lines_level", where=where, name=name, level=level.value, known=listing(map(str, levels))))
        # a literal list is a List of Consts, or one Const once jinja2 has folded it
        items = [i.value for i in only.items if isinstance(i, nodes.Const)] if isinstance(only, (nodes.List, nodes.Tuple)) else []
        if isinstance(only, nodes.Const) and isinstance(only.value, (list, tuple)):
            items = list(only.value)
        for item in items:
            if item not in facts.LINE_FILTERS:
                out.append(say("pb_lines_filter", where=where, name=name, filter=item, known=listing(facts.LINE_FILTERS)))
    return out


def layers(profile: Profile | None = None, overlay: Path | None = None) -> tuple[Path, ...]:
    """Returns the phrasebook folders, lowest first: the shipped Chinese phrasebook, the profile's
    folders (root profile first), then the officer's overlay."""
    try:
        if overlay is not None and not overlay.is_dir():
            raise PhrasebookError(say("pb_not_folder", where=str(overlay)))
    except OSError as exc:
        raise PhrasebookError(say("pb_unreadable", where=str(overlay), detail=exc.strerror or exc)) from None
    folders = (data_dir("phrasebook") / "zh",) + (profile.folders if profile is not None else ())
    return folders + ((overlay,) if overlay is not None else ())


def load(overlay: Path | None = None, profile: Profile | None = None) -> Phrasebook:
    """Returns the phrasebook of profile (the default one when None), with an overlay folder's
    phrases and data on top: a later layer replaces a phrase by name, a data file key by key."""
    if profile is None:
        from narrate import bind

        profile = bind.profile()
    folders = layers(profile, overlay)
    # Loaded books are kept by their folders; a relative folder means another one in another
    # working directory.
    here = Path.cwd() if any(not f.is_absolute() for f in folders) else None
    own = tuple((name, f.kind) for name, f in profile.spec.fields.items())
    book = _load(folders, profile.spec.money, profile.spec.language, own, here)
    missing = [name for name in profile.phrases() if name not in book.names]
    if missing:
        raise PhrasebookError("\n".join(say("pb_missing", name=name, rule=profile.source) for name in missing))
    if overlay is not None:
        _tried(book, overlay, profile)
    return book


_TRIED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # phrasebook -> profiles it passed the trial with


def _tried(book: Phrasebook, overlay: Path, profile: Profile) -> None:
    """Renders the overlay's phrases once with representative facts, the embedded sample's, so
    that a phrase failing as it renders is reported when the phrasebook is loaded, before any
    input is read. Only the overlay's own phrases count: the sample may not suit the profile in
    other ways, and a phrase it does not reach is left to the real build."""
    if profile.name in _TRIED.get(book, ()):
        return
    from narrate import build, pipeline  # the trial runs the pipeline: imported when it does

    try:
        sample = pipeline.check()
        if sample.unit is not None:
            build.document(sample.unit, sample.catalogs, profile, book)
    except RenderError as exc:
        if exc.source is not None and paths.inside(overlay, Path(exc.source.file)):
            raise
    except Exception:  # noqa: BLE001 - the sample not suiting this profile says nothing of the overlay
        pass
    _TRIED.setdefault(book, set()).add(profile.name)


@stamps.kept_while_unchanged(lambda args, book: args[0], (PHRASES_DIR, DATA_DIR), maxsize=8)
def _load(folders: tuple[Path, ...], money: Money, language: str = "zh", own: tuple[tuple[str, str], ...] = (),
          _here: Path | None = None) -> Phrasebook:
    raw: dict[str, tuple[str, Source]] = {}
    data: dict[str, dict] = {}
    for folder in folders:
        try:
            raw.update(_read_phrases(folder))
            layer = _read_data(folder)
        except OSError as exc:  # a folder the user may not list
            raise PhrasebookError(say("pb_unreadable", where=exc.filename or str(folder), detail=exc.strerror or exc)) from None
        for name, values in layer.items():
            data[name] = merge(data.get(name, {}), values)
    phrases = {name: Phrase(name, text, src) for name, (text, src) in raw.items()}
    book = Phrasebook(phrases, data, environment(money, data.get("labels", {}).get("separator", ", "), language), money, own)
    _checked(book)
    return book


def _checked(book: Phrasebook) -> None:
    """Checks the phrasebook against what the rules use, unless the cache says this very
    phrasebook passed against these very rules (the checks parse every phrase)."""
    from narrate.rules import uses

    passed = book.digest(uses.USES, uses.GLOBALS, uses.CUSTOM_LIST, uses.DATA, uses.CUSTOM, uses.CUSTOM_RULE, uses.DATA_KEYS,
                         book.money.style_names(), book.money.percent_names(), sorted(book.own.items()))
    if cache.read("phrasebooks", passed) is not None:
        return
    _validate(book)
    cache.write("phrasebooks", passed, b"")
