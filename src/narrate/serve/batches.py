"""The bureau's batch: many units' documents built at once in the workers, and its progress.

Progress is a row of the settings table (one a bureau), so the page shows it whichever server
process behind the address answers; the page reloads itself while a batch runs."""

from __future__ import annotations

import asyncio
import json

from narrate.serve import db, deps, jobs, storage
from narrate.serve.errors import Refusal


def key(bureau_id: int) -> str:
    return f"batch-{bureau_id}"


def progress(s, bureau_id: int) -> dict | None:
    row = s.get(db.Setting, key(bureau_id))
    return json.loads(row.value) if row else None


def _record(s, bureau_id: int, value: dict) -> None:
    row = s.get(db.Setting, key(bureau_id))
    if row is None:
        s.add(db.Setting(key=key(bureau_id), value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    s.commit()


def keep_document(s, settings, unit: db.Unit, version: db.Version, user_id: int, result: dict) -> db.Version:
    """Keeps a build's .docx (and PDF) as versions made from version; returns the .docx's."""
    docx = storage.keep(s, settings, unit.id, "docx", ".docx", result["docx"], user_id, version.profile, version.id)
    docx.note = result["stem"]
    if result.get("pdf"):
        made = storage.keep(s, settings, unit.id, "pdf", ".pdf", result["pdf"], user_id, version.profile, version.id)
        made.note = result["stem"]
    elif result.get("pdf_problem"):
        docx.report = {"pdf_problem": result["pdf_problem"]}
    s.commit()
    return docx


def start(app, s, bureau_id: int, user_id: int, version_ids: list[int]) -> None:
    """Starts building the documents of these inputs; refused while the bureau's last batch runs."""
    now = progress(s, bureau_id)
    if now and now.get("running") and not _stale(now):
        raise Refusal("serve_batch_running", 409)
    _record(s, bureau_id, {"running": True, "total": len(version_ids), "done": 0, "failed": 0,
                           "started": db.now().isoformat()})
    task = asyncio.get_running_loop().create_task(_run(app, bureau_id, user_id, version_ids))
    app.state.tasks.add(task)  # held, so the loop does not lose it
    task.add_done_callback(app.state.tasks.discard)


STALE = 3600  # seconds: a batch still "running" after this died with its server process


def _stale(record: dict) -> bool:
    from datetime import datetime

    return (db.now() - datetime.fromisoformat(record["started"])).total_seconds() > STALE


async def _run(app, bureau_id: int, user_id: int, version_ids: list[int]) -> None:
    settings = app.state.settings
    started = db.now().isoformat()
    counts = {"done": 0, "failed": 0, "started": started}
    slots = asyncio.Semaphore(settings.workers)

    async def one(version_id: int) -> None:
        async with slots:
            with app.state.sessions() as s:
                version = s.get(db.Version, version_id)
                unit = s.get(db.Unit, version.unit_id)
                s.commit()
                try:
                    result = await app.state.engine.run(jobs.build, str(storage.path(settings, version)),
                                                        deps.shown_name(unit, version), None, False)
                except Refusal:
                    result = {"ok": False}
                if result["ok"]:
                    keep_document(s, settings, unit, version, user_id, result)
                counts["done" if result["ok"] else "failed"] += 1
                _record(s, bureau_id, {"running": True, "total": len(version_ids), **counts})

    try:
        await asyncio.gather(*(one(v) for v in version_ids))
    finally:
        with app.state.sessions() as s:
            _record(s, bureau_id, {"running": False, "total": len(version_ids), **counts,
                                   "finished": db.now().isoformat()})
