"""Bureaus, units and users: created by the administrator (`narrate serve adduser`), and the
demo's, made on the first start of a server with the demo on."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from narrate.serve import auth, db, storage
from narrate.serve.errors import Refusal
from narrate.serve.settings import Settings

ROLES = ("officer", "bureau")
# The demo's accounts (README, docs/serve.md and the login page when the demo is on say them).
DEMO_PASSWORD = "demo"
DEMO = (("demo", "kizilsu-egov-2024.yaml"), ("demo2", "putuo-commerce-2025-unit.yaml"))
DEMO_BUREAU_LOGIN = "bureau"
DEMO_MARK = "demo-seeded"


def bureau(s, name: str) -> db.Bureau:
    found = s.scalar(select(db.Bureau).where(db.Bureau.name == name))
    if found is None:
        found = db.Bureau(name=name)
        s.add(found)
        s.flush()
    return found


def unit(s, bureau_row: db.Bureau, name: str) -> db.Unit:
    found = s.scalar(select(db.Unit).where(db.Unit.bureau_id == bureau_row.id, db.Unit.name == name))
    if found is None:
        found = db.Unit(bureau_id=bureau_row.id, name=name)
        s.add(found)
        s.flush()
    return found


def add_user(s, login: str, password: str, role: str, bureau_name: str, unit_name: str | None = None) -> db.User:
    """Creates (or, for an existing login, resets) a user; an officer needs a unit, created in
    the bureau when new."""
    if role not in ROLES:
        raise Refusal("serve_role_unknown", role=role)
    if role == "officer" and not unit_name:
        raise Refusal("serve_officer_needs_unit")
    if not login or not password:
        raise Refusal("serve_user_incomplete")
    home = bureau(s, bureau_name)
    where = unit(s, home, unit_name) if role == "officer" else None
    user = s.scalar(select(db.User).where(db.User.login == login))
    if user is None:
        user = db.User(login=login)
        s.add(user)
    user.password_hash = auth.hash_password(password)
    user.role, user.bureau_id, user.unit_id = role, home.id, where.id if where else None
    s.commit()
    return user


def seed_demo(s, settings: Settings) -> None:
    """On a first start with the demo on: a bureau, its staff account and two officers, each
    unit with a shipped sample as its first input (checked as an upload would be)."""
    from narrate.messages import say

    if s.scalar(select(db.User).limit(1)) is not None or s.get(db.Setting, DEMO_MARK) is not None:
        return
    try:
        # One row claims the seeding: of several servers starting at once, one seeds.
        s.add(db.Setting(key=DEMO_MARK, value=db.now().isoformat()))
        s.commit()
    except IntegrityError:
        s.rollback()
        return
    home = bureau(s, say("serve_demo_bureau"))
    for login, sample in DEMO:
        data, name = _sample(sample)
        user = add_user(s, login, DEMO_PASSWORD, "officer", home.name, name)
        _first_input(s, settings, user, data)
    add_user(s, DEMO_BUREAU_LOGIN, DEMO_PASSWORD, "bureau", home.name)


def _sample(file: str) -> tuple[bytes, str]:
    """Returns a shipped sample as a one-file input (without the files it names beside it,
    which an upload may not name: jobs.py) and its unit's name."""
    from narrate import convert, pipeline
    from narrate.model import UnitFile, UnitInfo
    from narrate.resources import data_dir

    read = pipeline.source(data_dir("inputs") / file)
    tree = {k: v for k, v in read.tree.items() if k != UnitFile.model_fields["translations"].alias}
    name = tree[UnitFile.model_fields["unit"].alias][UnitInfo.model_fields["name"].alias]
    return convert.to_yaml(dataclasses.replace(read, tree=tree, name="")), str(name)


def _first_input(s, settings: Settings, user: db.User, data: bytes) -> None:
    from narrate.serve import jobs

    kept = storage.keep(s, settings, user.unit_id, "input", ".yaml", data, user.id)
    result = jobs.check(str(settings.scratch), str(storage.path(settings, kept)), "input.yaml", None)
    kept.ok, kept.profile, kept.report = result["ok"], result["profile"], result
    s.commit()
