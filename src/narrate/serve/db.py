"""The tables, and the engine for a database URL (SQLite in the data folder, or PostgreSQL).

The schema is changed only by migrations (migrate.py); these classes mirror the latest one.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker


def now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Base(DeclarativeBase):
    pass


class Bureau(Base):
    __tablename__ = "bureaus"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Unit(Base):
    """A budget unit or a department, under one bureau."""

    __tablename__ = "units"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    published_version: Mapped[int | None] = mapped_column(Integer, nullable=True)


class User(Base):
    """An officer (unit_id set: sees that unit only) or a bureau's staff (sees its units)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # officer | bureau
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class Session(Base):
    """A signed-in browser: the cookie holds a random token, the table its SHA-256 only."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Version(Base):
    """One kept file: an upload or a generated document. The file is complete before its row
    exists (storage.py), and neither is ever changed or removed by the server."""

    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # input | docx | pdf | edited | updated
    suffix: Mapped[str] = mapped_column(String(10))
    file: Mapped[str] = mapped_column(String(300))  # relative to the data folder's versions/
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    narrate_version: Mapped[str] = mapped_column(String(40))
    profile: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("versions.id"), nullable=True)  # made from
    ok: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # an input's check passed
    report: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # problems, or the review list
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class LoginFailure(Base):
    """A wrong password given for a login, kept for the throttle (auth.py) whichever server
    process answered it."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


def normalized(url: str) -> str:
    """Returns url with the driver narrate uses: postgresql:// means psycopg (version 3)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def engine(url: str) -> Engine:
    made = create_engine(normalized(url), pool_pre_ping=True)
    if made.dialect.name == "sqlite":
        event.listen(made, "connect", _sqlite_pragmas)
    return made


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets the pages read while a version is written; the busy timeout makes a writer wait
    # for another instead of failing; foreign keys are off in SQLite unless asked.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sessions(made: Engine) -> sessionmaker:
    return sessionmaker(made, expire_on_commit=False)
