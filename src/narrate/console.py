"""The `narrate` command's entry point: reads --lang before the command line is built.

Help texts are messages looked up when narrate.cli is imported (typer takes them as strings), so
`narrate --lang en build --help` must set the language first; NARRATE_LANG works as before.
"""

from __future__ import annotations

import gc
import os
import sys


def language(argv: list[str]) -> str | None:
    """Returns the value of the --lang option among the options before the command, if any."""
    args = iter(argv)
    for arg in args:
        if arg == "--lang":
            return next(args, None)
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
        if not arg.startswith("-"):
            return None  # the command: what follows is its own
    return None


def main() -> None:
    """The console entry point: Ctrl-C from the first import on is one line and exit 130."""
    # Start-up makes some hundred thousand objects (modules, the pydantic models' schemas) that
    # all live until the process ends: collecting among them is wasted time (a fifth of a whole
    # build), so the collector waits for the imports, and then leaves them out of its rounds.
    gc.disable()
    from narrate import interrupt  # standard library only: it can guard the slow imports

    with interrupt.guard():
        lang = language(sys.argv[1:])
        if lang:
            os.environ["NARRATE_LANG"] = lang
        from narrate.cli import app

        gc.freeze()
        gc.enable()
        app()
