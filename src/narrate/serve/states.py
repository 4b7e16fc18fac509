"""A unit's state, as the bureau follows it: the furthest step its latest input has reached.

figures_in: an input is uploaded; checked: its check passed; built: a document was made from
it; updated: an edited document was brought up to it; published: the bureau published a
document made from it. A new input starts the steps again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from narrate.serve import db

ORDER = ("empty", "figures_in", "checked", "built", "updated", "published")


@dataclass(frozen=True)
class State:
    key: str
    when: datetime | None
    input: db.Version | None = None
    document: db.Version | None = None  # the latest .docx made from the latest input

    @property
    def rank(self) -> int:
        return ORDER.index(self.key)


def of(unit: db.Unit, versions: list[db.Version]) -> State:
    """Returns the unit's state from its versions (any order)."""
    inputs = [v for v in versions if v.kind == "input"]
    if not inputs:
        return State("empty", None)
    latest = max(inputs, key=lambda v: v.id)
    made = sorted((v for v in versions if v.source_id == latest.id and v.kind in ("docx", "updated")), key=lambda v: v.id)
    document = made[-1] if made else None
    published = next((v for v in made if v.id == unit.published_version), None)
    if published is not None and unit.published_at is not None:
        return State("published", unit.published_at, latest, published)
    updated = [v for v in made if v.kind == "updated"]
    if updated:
        return State("updated", updated[-1].created_at, latest, document)
    if made:
        return State("built", made[-1].created_at, latest, document)
    return State("checked" if latest.ok else "figures_in", latest.created_at, latest, None)
