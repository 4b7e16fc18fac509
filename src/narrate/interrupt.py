"""Ctrl-C at any moment: one line in the officer's language, exit 130, no traceback.

No half-written file stays behind because every write goes through a temporary file and a
rename that clean up on any exception (docx/save.py, pdf.py, regen/update.py); this module makes
the interrupt an exception that nothing catches on its way out, and says it. It imports only the
standard library, so it can guard narrate's own (slow) imports.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

EXIT_CODE = 130  # 128 + SIGINT, what shells expect of a program stopped by Ctrl-C


class Interrupted(BaseException):
    """Ctrl-C, as guard()'s SIGINT handler raises it. Not a KeyboardInterrupt, which click
    turns into an exit of its own; a BaseException, so no `except Exception` swallows it."""


_fired = False  # set once our handler has raised: whatever then escapes is the Ctrl-C's doing


def _raise(signum, frame) -> None:
    global _fired
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
    _fired = True
    raise Interrupted


def _install() -> tuple[bool, object]:
    """Returns (whether ours is now the SIGINT handler, the one it replaced)."""
    try:
        return True, signal.signal(signal.SIGINT, _raise)
    except ValueError:  # not the main thread, which alone receives signals
        return False, None


def _lang(argv: list[str]) -> str | None:
    # Ctrl-C may come before typer has read --lang.
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("NARRATE_LANG")


def _message() -> str:
    for _ in range(2):
        try:
            from narrate.messages import LANGS, say

            lang = _lang(sys.argv)
            return say("interrupted", lang=lang if lang in LANGS else None)
        except Exception:
            # Ctrl-C during start-up may have left a YAML reader half imported (a package
            # without the submodule it names); import it afresh once.
            for name in [n for n in sys.modules if n.startswith(("ruamel", "yaml", "_yaml", "narrate.messages", "narrate.load"))]:
                del sys.modules[name]
    return "interrupted"  # the message must not become a traceback of its own


def _is_interrupt(exc: BaseException | None) -> bool:
    # Python 3.11 wraps an exception raised in __set_name__ (class creation, so imports too) in
    # a RuntimeError; the Ctrl-C is then its cause.
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (KeyboardInterrupt, Interrupted)):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _say() -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to ignore there
        pass
    if sys.stderr is not None:
        sys.stderr.write(_message() + "\n")
        sys.stderr.flush()


def _unraisable(hook):
    def unraisable(info) -> None:
        # A Ctrl-C that lands in a finaliser (__del__, a weakref callback) cannot be raised:
        # Python would print it and go on. Stop here instead; nothing is being cleaned up.
        if _is_interrupt(info.exc_value):
            _say()
            if sys.stdout is not None:
                sys.stdout.flush()
            os._exit(EXIT_CODE)
        hook(info)

    return unraisable


@contextmanager
def guard() -> Iterator[None]:
    """Within the block, Ctrl-C is one line on stderr and SystemExit(130). Our own handler
    raises Interrupted: Python 3.11's KeyboardInterrupt, raised inside an exec() (dataclasses use
    one), makes the interpreter kill itself with SIGINT at exit even after it was handled."""
    installed = _install()
    hook = sys.unraisablehook
    sys.unraisablehook = _unraisable(hook)
    try:
        yield
    except BaseException as exc:
        # A library may turn the interrupt into an error of its own without keeping it as the
        # cause (pydantic-core builds a model's validator and reports a SchemaError naming it),
        # so the handler having fired counts as much as the chain.
        if isinstance(exc, SystemExit) or not (_is_interrupt(exc) or _fired):
            _restore(installed, hook)
            raise
        _say()  # and keep ignoring Ctrl-C: the process is on its way out
        raise SystemExit(EXIT_CODE) from None
    _restore(installed, hook)


def _restore(installed: tuple[bool, object], hook) -> None:
    sys.unraisablehook = hook
    ours, previous = installed
    if ours:  # None: a handler set outside Python; the default is the nearest we can put back
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
