"""The schema's migrations (Alembic) from an empty database, on SQLite and on PostgreSQL.

Its first migration (0001) is the baseline; 0002 adds the login throttle's table. A database
made at 0001 upgrades to head and keeps its rows; from empty, to head, down to base and up again."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

import serving
from narrate.serve import db, migrate

TABLES = {"bureaus", "units", "users", "sessions", "versions", "settings", "login_failures"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'narrate.db'}"
    return serving.postgres()


def _tables(url: str) -> set[str]:
    engine = db.engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_to_head_then_down_to_base_and_up_again(url):
    assert migrate.current(url) is None and _tables(url) == set()
    migrate.upgrade(url)
    assert migrate.current(url) == migrate.head() == "0002"
    assert _tables(url) == TABLES
    migrate.downgrade(url, "base")
    assert migrate.current(url) is None and _tables(url) == set()
    migrate.upgrade(url)
    assert _tables(url) == TABLES


def test_the_models_match_the_migrated_schema(url):
    """What the ORM classes say is what the migrations made: column names and nullability."""
    migrate.upgrade(url)
    engine = db.engine(url)
    found = inspect(engine)
    for table in db.Base.metadata.sorted_tables:
        columns = {c["name"]: c["nullable"] for c in found.get_columns(table.name)}
        assert columns == {c.name: c.nullable for c in table.columns}, table.name
    engine.dispose()


def test_a_migrated_database_keeps_a_version_row(url, tmp_path):
    migrate.upgrade(url)
    from narrate.serve import accounts, storage
    from narrate.serve.settings import Settings

    settings = Settings(data=tmp_path / "data", db_url=url)
    with serving.session(url) as s:
        user = accounts.add_user(s, "u", "p", "officer", "bureau", "unit")
        kept = storage.keep(s, settings, user.unit_id, "input", ".yaml", b"x: 1\n", user.id, report={"ok": True, "problems": []})
    with serving.session(url) as s:
        row = s.get(db.Version, kept.id)
        assert row.report == {"ok": True, "problems": []} and row.created_at is not None
        assert storage.read(settings, row) == b"x: 1\n"


def test_a_database_made_at_the_first_release_upgrades_and_keeps_its_rows(url, tmp_path):
    migrate.upgrade(url, "0001")
    with serving.session(url) as s:
        from narrate.serve import accounts

        accounts.add_user(s, "u", "p", "officer", "bureau", "unit")
    assert "login_failures" not in _tables(url)
    migrate.upgrade(url)
    assert migrate.current(url) == "0002" and _tables(url) == TABLES
    with serving.session(url) as s:
        assert s.query(db.User).filter_by(login="u").count() == 1
