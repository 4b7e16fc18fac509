"""Alembic's environment: runs the migrations online against the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from narrate.serve import db

# Any fixed number: the PostgreSQL advisory lock every narrate server takes while it migrates.
LOCK = 7_302_021


def run() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    engine = db.engine(url)
    with engine.connect() as connection:
        postgres = connection.dialect.name == "postgresql"
        if postgres:
            connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK})
            connection.commit()
        try:
            context.configure(connection=connection, target_metadata=db.Base.metadata)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if postgres:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK})
                connection.commit()
    engine.dispose()


run()
