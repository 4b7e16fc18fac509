"""The sandbox user templates run in (phrases, a profile's titles): jinja2's, bounded.

jinja2's sandbox keeps a template from reaching Python's internals, but not from running long or
growing large: `10**(10**10)`, `'x' * 10**9`, three nested `range(10**5)` loops or a string
doubled in a loop each run for minutes or take gigabytes. Here every render has a budget:

- operators and calls that would make a huge value are refused before they run: powers and
  products of more than MAX_BITS bits, texts and lists longer than MAX_OUTPUT from `*`, `+`, `%`
  or `~`, an int argument past MAX_ARG to a built-in filter or a text method (`center`,
  `indent`, `truncate`, `slice` …);
- steps are counted (each loop iteration, each call): past MAX_STEPS, or past SECONDS of time,
  the render stops;
- the output is counted as it is produced: past MAX_OUTPUT characters the render stops.

Each refusal is a `Refused` naming what went past which bound; the phrasebook turns it (and any
other failure of a render) into a located problem. Every template is compiled with its loops and
`~` wrapped (`_bounded`), so the bounds hold inside compiled templates read from the cache too.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from jinja2 import nodes
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 100_000  # characters of one render, of one text or list a template makes
MAX_ARG = MAX_OUTPUT  # an int given to a built-in filter or a text method (a width, a count)
MAX_BITS = 4_096  # bits of a number a template makes: 10**1233
MAX_STEPS = 1_000_000  # loop iterations and calls of one render
SECONDS = 2.0  # of one render; a phrase takes well under a millisecond
MAX_RANGE = 10_000  # items of one range()
_CHECK_EVERY = 1_024  # steps between looks at the clock
_WIDTH = re.compile(r"[0-9]{7,}")  # a width or precision of a million or more in a format


class Refused(Exception):
    """A render past a bound: a message key (phrasebook/*/messages.yaml) and its params."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


class _Budget:
    __slots__ = ("steps", "deadline")

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Refused("sandbox_steps", limit=MAX_STEPS)
        if self.steps % _CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            raise Refused("sandbox_time", limit=SECONDS)


_budget: ContextVar[_Budget | None] = ContextVar("narrate_sandbox_budget", default=None)


def _step() -> None:
    budget = _budget.get()
    if budget is not None:
        budget.step()


def _sized(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_OUTPUT:
        raise Refused("sandbox_too_long", limit=MAX_OUTPUT)
    return value


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bits(value: Any) -> float:
    if _whole(value):
        return value.bit_length()
    if isinstance(value, float) and math.isfinite(value) and value:
        return abs(math.log2(abs(value)))
    return 0.0


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "**":
        if (_whole(left) or isinstance(left, float)) and _whole(right) and right > 0 and abs(left) > 1:
            if right * max(_bits(left), 1.0) > MAX_BITS:
                raise Refused("sandbox_power", limit=MAX_BITS)
    elif operator == "*":
        for seq, n in ((left, right), (right, left)):
            if _length(seq) is not None and _whole(n) and _length(seq) * n > MAX_OUTPUT:
                raise Refused("sandbox_too_long", limit=MAX_OUTPUT)
        if _whole(left) and _whole(right) and _bits(left) + _bits(right) > MAX_BITS:
            raise Refused("sandbox_power", limit=MAX_BITS)
    elif operator == "+":
        if _length(left) is not None and _length(right) is not None and _length(left) + _length(right) > MAX_OUTPUT:
            raise Refused("sandbox_too_long", limit=MAX_OUTPUT)
    elif operator == "%":
        _check_format(left)


def _check_args(args: Iterable[Any]) -> None:
    for arg in args:
        if _whole(arg) and abs(arg) > MAX_ARG:
            raise Refused("sandbox_argument", limit=MAX_ARG)


def _check_format(text: Any) -> None:
    # '%10000000d' or '{:>10000000}': a width of a million characters or more
    if isinstance(text, str) and _WIDTH.search(text):
        raise Refused("sandbox_argument", limit=MAX_ARG)


def _guarded_filter(name: str, function):
    # A built-in filter's own int arguments (a width, a count) are bounded, and its result.
    skip = 2 if hasattr(function, "jinja_pass_arg") else 1  # the context or environment, the value

    def guarded(*args, **kwargs):
        _check_args(list(args[skip:]) + list(kwargs.values()))
        if name == "format" and len(args) >= skip:
            _check_format(args[skip - 1])
        _step()
        return _sized(function(*args, **kwargs))

    if hasattr(function, "jinja_pass_arg"):
        guarded.jinja_pass_arg = function.jinja_pass_arg
    return guarded


def _safe_range(*args: int) -> range:
    numbers = range(*args)  # a range object is three numbers, however long
    if len(numbers) > MAX_RANGE:
        raise Refused("sandbox_range", limit=MAX_RANGE)
    return numbers  # its loops are counted where they run (narrate_loop)


def _counted(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        _step()
        yield item


class Bounded(SandboxedEnvironment):
    """jinja2's sandbox with the bounds above."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in DEFAULT_FILTERS:
            if name in self.filters:
                self.filters[name] = _guarded_filter(name, self.filters[name])
        self.filters["narrate_loop"] = _counted
        self.filters["narrate_text"] = _sized
        self.globals["range"] = _safe_range
        for name in ("lipsum", "cycler", "joiner"):  # lipsum(10**9) is text no phrase needs
            self.globals.pop(name, None)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _check_binop(operator, left, right)
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja2's own signature
        _step()
        if isinstance(getattr(__obj, "__self__", None), (str, list, tuple)):
            _check_args(list(args) + list(kwargs.values()))
            sep = __obj.__self__
            if getattr(__obj, "__name__", "") in ("format", "format_map"):
                _check_format(sep)
            if getattr(__obj, "__name__", "") == "join" and args and hasattr(args[0], "__len__"):
                if len(sep) * len(args[0]) > MAX_OUTPUT:
                    raise Refused("sandbox_too_long", limit=MAX_OUTPUT)
            if getattr(__obj, "__name__", "") == "replace" and len(args) >= 2 and isinstance(args[1], str):
                if (len(sep) + 1) * len(args[1]) > MAX_OUTPUT:
                    raise Refused("sandbox_too_long", limit=MAX_OUTPUT)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any):
        # jinja2 wraps str.format when it is looked up (not when called): the width check too.
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format(value.__self__)
        return wrapped

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _bounded(super()._parse(source, name, filename))


def _bounded(tree: nodes.Template) -> nodes.Template:
    """Wraps every loop's items in a counter and every `~` in a length check."""

    def wrap(node: nodes.Node, name: str) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)

    for loop in tree.find_all(nodes.For):
        if not (isinstance(loop.iter, nodes.Filter) and loop.iter.name == "narrate_loop"):
            loop.iter = wrap(loop.iter, "narrate_loop")
    for parent in list(tree.find_all(nodes.Node)):
        for field in parent.fields:
            value = getattr(parent, field, None)
            if isinstance(value, nodes.Concat):
                setattr(parent, field, wrap(value, "narrate_text"))
            elif isinstance(value, list):
                setattr(parent, field, [wrap(v, "narrate_text") if isinstance(v, nodes.Concat) else v for v in value])
    return tree


def render(template, values: Mapping[str, Any]) -> str:
    """Renders a compiled template within the budget; raises Refused past it (and whatever the
    template itself raises)."""
    token = _budget.set(_Budget())
    try:
        out: list[str] = []
        size = 0
        for chunk in template.generate(**values):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise Refused("sandbox_output", limit=MAX_OUTPUT)
            out.append(chunk)
            _step()
        return "".join(out)
    finally:
        _budget.reset(token)


def failure(where: str, name: str, exc: Exception) -> str:
    """Returns the located message for a template that failed to render: past a bound of the
    sandbox, reaching what the sandbox forbids, or failing in its own way."""
    from jinja2.exceptions import SecurityError, UndefinedError

    from narrate.messages import say

    if isinstance(exc, Refused):
        detail = say(exc.key, **exc.params)
    elif isinstance(exc, SecurityError):
        detail = say("sandbox_unsafe")
    elif isinstance(exc, (RecursionError, MemoryError)):
        detail = say("sandbox_steps", limit=MAX_STEPS)
    elif isinstance(exc, UndefinedError):
        detail = say("sandbox_undefined", detail=str(exc)[:200])
    else:
        detail = say("sandbox_failed", detail=f"{type(exc).__name__}: {str(exc)[:200]}")
    return say("pb_render", where=where, name=name, detail=detail)
