"""Who is asking: passwords (argon2), browser sessions kept in the database (so every server
process behind one address knows them), CSRF tokens for the pages' forms, and API tokens.

A session cookie holds a random token; the database keeps only its SHA-256, as for API tokens,
so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select

from narrate.serve import db

COOKIE = "narrate_session"
LIFETIME = timedelta(hours=12)
_HASHER = PasswordHasher()
# Verifying against this when the login is unknown takes as long as a real check: the answer's
# time does not tell which logins exist.
_DUMMY = _HASHER.hash("x")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A login that failed this many times within the window is refused, unchecked, until the
# oldest of those failures leaves the window: guessing a password becomes slow, and the argon2
# work a flood of wrong guesses would cost is not done. Counted per login, not per address: a
# bureau's officers often share one address behind a proxy.
FAILURES_ALLOWED = 5
FAILURE_WINDOW = timedelta(minutes=15)


class Throttled(Exception):
    """Too many recent failures for a login; `minutes` until the next try is taken."""

    def __init__(self, minutes: int):
        super().__init__(minutes)
        self.minutes = minutes


def login(s, name: str, password: str) -> db.User | None:
    """Returns the user whose login and password these are, else None; raises Throttled when
    the login failed too often lately (the password is then not checked)."""
    now, counted = db.now(), name[:100]  # as the column keeps it (a login is at most 100 characters)
    s.execute(delete(db.LoginFailure).where(db.LoginFailure.at < now - FAILURE_WINDOW))
    recent = s.scalars(select(db.LoginFailure.at).where(db.LoginFailure.login == counted)
                       .order_by(db.LoginFailure.at)).all()
    if len(recent) >= FAILURES_ALLOWED:
        s.commit()
        wait = _aware(recent[-FAILURES_ALLOWED]) + FAILURE_WINDOW - now
        raise Throttled(max(1, -(-int(wait.total_seconds()) // 60)))
    user = s.scalar(select(db.User).where(db.User.login == name))
    if user is None:
        verify(_DUMMY, password)
    elif verify(user.password_hash, password):
        s.execute(delete(db.LoginFailure).where(db.LoginFailure.login == counted))
        s.commit()
        return user
    s.add(db.LoginFailure(login=counted, at=now))
    s.commit()
    return None


def open_session(s, user: db.User) -> tuple[str, str]:
    """Starts a session for user; returns (cookie token, CSRF token)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = db.now()
    s.execute(delete(db.Session).where(db.Session.expires_at < now))
    s.add(db.Session(token_hash=digest(token), user_id=user.id, csrf=csrf, created_at=now, expires_at=now + LIFETIME))
    s.commit()
    return token, csrf


def session_of(s, token: str | None) -> tuple[db.User, db.Session] | None:
    if not token:
        return None
    row = s.get(db.Session, digest(token))
    if row is None or _aware(row.expires_at) < db.now():
        return None
    user = s.get(db.User, row.user_id)
    return (user, row) if user is not None else None


def close_session(s, token: str | None) -> None:
    if token:
        s.execute(delete(db.Session).where(db.Session.token_hash == digest(token)))
        s.commit()


def csrf_ok(row: db.Session, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(row.csrf, given)


def new_token(s, user: db.User) -> str:
    """Gives user a new API token (the old one stops working); returns it, shown once."""
    token = secrets.token_urlsafe(32)
    user.token_hash = digest(token)
    s.commit()
    return token


def token_user(s, header: str | None) -> db.User | None:
    """Returns the user an `Authorization: Bearer <token>` header names, else None."""
    if not header or not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip()
    return s.scalar(select(db.User).where(db.User.token_hash == digest(token))) if token else None


def _aware(moment):
    # SQLite gives back naive datetimes; every time stored is UTC.
    from datetime import timezone

    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
