"""CLI and check messages, looked up by key in phrasebook/<lang>/messages.yaml."""

from __future__ import annotations

import os
from functools import lru_cache

from narrate.resources import data_dir

LANGS = ("zh", "en")


def current_lang() -> str:
    """Returns the message language: NARRATE_LANG when it names a known one, else Chinese."""
    lang = os.environ.get("NARRATE_LANG", "zh")
    return lang if lang in LANGS else "zh"


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    from narrate.load import fast_yaml  # not at the top: narrate.load's modules say() too

    path = data_dir("phrasebook") / lang / "messages.yaml"
    return dict(fast_yaml.load(path.read_text(encoding="utf-8")))


def say(key: str, /, lang: str | None = None, **params: object) -> str:
    """Returns the message key in the current language with params filled in."""
    table = _table(lang or current_lang())
    template = table.get(key) or _table("zh")[key]
    return template.format(**params)


def listing(items) -> str:
    """Returns items as an enumeration in the message language (A、B、C)."""
    return say("enum_separator").join(str(i) for i in items)
