"""Accounts, roles, passwords (argon2), sessions and throttled logins.

Roles: admin manages accounts (no person-level data); coordinator and outreach work with the
person-level data of their own gemeente; analyst sees aggregates of their own gemeente only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wijkradar.domain import WijkradarError
from wijkradar.ops.core import clock
from wijkradar.ops.core.models import PERSON_ROLES, ROLES, LoginThrottle, User, WebSession

_HASHER = PasswordHasher()
#: a hash to verify against when the username does not exist, so both cases take as long
_DUMMY_HASH = _HASHER.hash("not a password of anyone")
MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 12
GEMEENTE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class Principal:
    """Who is asking: what every permission check looks at."""

    username: str
    role: str
    gemeente_code: str | None

    @property
    def sees_persons(self) -> bool:
        return self.role in PERSON_ROLES

    def may_see_persons_of(self, gemeente_code: str) -> bool:
        return self.sees_persons and self.gemeente_code == gemeente_code

    def may_see_aggregates_of(self, gemeente_code: str) -> bool:
        return self.role == "admin" or self.gemeente_code == gemeente_code


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WijkradarError(f"password too short: at least {MIN_PASSWORD} characters")
    return _HASHER.hash(password)


def add_user(
    session: Session, username: str, password: str, role: str, gemeente_code: str | None
) -> User:
    if role not in ROLES:
        raise WijkradarError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
    if role != "admin" and (gemeente_code is None or not GEMEENTE.match(gemeente_code)):
        raise WijkradarError(f"role {role} needs --gemeente GMxxxx")
    if not re.fullmatch(r"[A-Za-z0-9._-]{2,80}", username):
        raise WijkradarError("username: 2-80 letters, digits, '.', '_' or '-'")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise WijkradarError(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        gemeente_code=None if role == "admin" else gemeente_code,
        active=True,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise WijkradarError(f"no user {username!r}")
    return user


def disable_user(session: Session, username: str) -> None:
    user = get_user(session, username)
    user.active = False
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def reset_password(session: Session, username: str, password: str) -> None:
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.execute(delete(LoginThrottle).where(LoginThrottle.username == username))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


class LoginRefused(Exception):
    """Wrong name/password, disabled account, or throttled; the message never says which."""


def authenticate(session: Session, username: str, password: str) -> User:
    """The active user with this password, or LoginRefused. After MAX_FAILURES failures within
    LOCK_MINUTES a username is refused for LOCK_MINUTES, even with the right password."""
    now = clock.now()
    throttle = session.get(LoginThrottle, username[:80])
    if throttle is not None and now - throttle.last_failure > dt.timedelta(minutes=LOCK_MINUTES):
        throttle.failures = 0
    if throttle is not None and throttle.failures >= MAX_FAILURES:
        raise LoginRefused()
    user = session.scalar(select(User).where(User.username == username))
    ok = False
    try:
        ok = _HASHER.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        if throttle is None:
            throttle = LoginThrottle(username=username[:80], failures=0, last_failure=now)
            session.add(throttle)
        throttle.failures += 1
        throttle.last_failure = now
        raise LoginRefused()
    if throttle is not None:
        session.delete(throttle)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, hours: int) -> tuple[str, str]:
    """A new session: (cookie token, CSRF token). Only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=clock.now() + dt.timedelta(hours=hours),
        )
    )
    return token, csrf


def resolve_session(session: Session, token: str) -> tuple[Principal, str] | None:
    """(principal, CSRF token) of a live session of an active user, else None."""
    row = session.get(WebSession, _digest(token))
    if row is None or row.expires_at < clock.now():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return Principal(user.username, user.role, user.gemeente_code), row.csrf_token


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))
