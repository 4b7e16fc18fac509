"""The schema's history: Alembic, with its scripts inside the package (migrations/), so a plain
`pip install .` can upgrade a database. The server upgrades to the latest revision at start-up;
on PostgreSQL an advisory lock lets several processes start at once (migrations/env.py)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from narrate.serve import db

SCRIPTS = Path(__file__).with_name("migrations")


def config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    # configparser reads % as interpolation: a password may hold one.
    cfg.set_main_option("sqlalchemy.url", db.normalized(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(config(url), revision)


def current(url: str) -> str | None:
    """Returns the database's revision (None: an empty database)."""
    from alembic.runtime.migration import MigrationContext

    engine = db.engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(config("sqlite://")).get_current_head()
