"""Users, their roles and password hashes, and the brake on repeated failed logins."""

from __future__ import annotations

import datetime as dt
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from data.audit import audit_on_commit
from data.history import as_utc, record_change, snapshot, utcnow
from data.models import ROLES, LoginFailure, Municipality, User

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile: above OWASP's minimum

MIN_PASSWORD_LENGTH = 10
FREE_ATTEMPTS = 3
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_DELAY = dt.timedelta(minutes=15)


class UserError(ValueError):
    """A user-management request that cannot be carried out; the message is Swedish and shown as is."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_session_token() -> str:
    return secrets.token_hex(16)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")


def _municipality(session: Session, name: str | None) -> Municipality | None:
    if not name:
        return None
    from data.municipalities import UnknownMunicipality, municipality_lookup, normalise_municipality

    try:
        canonical = normalise_municipality(name, municipality_lookup(session))
    except UnknownMunicipality as exc:
        raise UserError(str(exc)) from exc
    return session.scalars(select(Municipality).filter_by(name=canonical)).one()


def get_user(session: Session, username: str) -> User | None:
    return session.scalars(select(User).filter_by(username=username)).one_or_none()


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    role: str = "läsare",
    municipality: str | None = None,
    actor: str = "system",
) -> User:
    """Create a user with a hashed password; refuses a taken name, an unknown role or a short password."""
    username = username.strip()
    if not username:
        raise UserError("Användarnamnet får inte vara tomt.")
    if role not in ROLES:
        raise UserError(f"Okänd roll ”{role}”. Välj en av: {', '.join(ROLES)}.")
    if get_user(session, username) is not None:
        raise UserError(f"Användaren ”{username}” finns redan.")
    _check_password(password)
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        municipality=_municipality(session, municipality),
        session_token=new_session_token(),
    )
    session.add(user)
    session.flush()
    _record(session, user, actor, "create", after=_public(user))
    audit_on_commit(
        session,
        "user_created",
        f"Användare skapad: {username!r} roll={role} kommun={municipality or 'alla'} av {actor!r}",
        account=username,
        role=role,
        municipality=municipality,
        actor=actor,
    )
    return user


def _record(session: Session, user: User, actor: str, action: str, **values) -> None:
    """History of a user-management write (never the password hash or the session token)."""
    record_change(
        session,
        username=actor,
        source="användarhantering",
        entity="app_user",
        entity_id=user.id,
        action=action,
        **values,
    )


def _public(user: User) -> dict:
    data = snapshot(user)
    data.pop("password_hash")
    data.pop("session_token")
    return data


def set_password(session: Session, username: str, password: str, *, actor: str = "system") -> User:
    """Give a user a new password; every session of theirs ends."""
    user = _existing(session, username)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    _record(session, user, actor, "update", after={"password": "ändrat"})
    audit_on_commit(
        session, "password_changed", f"Lösenord bytt för {username!r} av {actor!r}", account=username, actor=actor
    )
    return user


def set_role(
    session: Session, username: str, role: str, *, municipality: str | None = None, actor: str = "system"
) -> User:
    """Give a user another role and municipality (None: all seven); every session of theirs ends, so that the new
    rights hold from the next request."""
    if role not in ROLES:
        raise UserError(f"Okänd roll ”{role}”. Välj en av: {', '.join(ROLES)}.")
    user = _existing(session, username)
    before = _public(user)
    user.role = role
    user.municipality = _municipality(session, municipality)
    user.session_token = new_session_token()
    session.flush()
    after = _public(user)
    _record(session, user, actor, "update", before=before, after=after)
    audit_on_commit(
        session,
        "role_changed",
        f"Roll ändrad för {username!r}: {before['role']} → {role}, kommun "
        f"{user.municipality.name if user.municipality else 'alla'} av {actor!r}",
        account=username,
        old_role=before["role"],
        role=role,
        municipality=user.municipality.name if user.municipality else None,
        actor=actor,
    )
    return user


def delete_user(session: Session, username: str, *, actor: str = "system") -> None:
    user = _existing(session, username)
    _record(session, user, actor, "delete", before=_public(user))
    audit_on_commit(
        session, "user_deleted", f"Användare borttagen: {username!r} av {actor!r}", account=username, actor=actor
    )
    session.delete(user)


def _existing(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise UserError(f"Det finns ingen användare ”{username}”.")
    return user


def list_users(session: Session) -> list[dict]:
    """Every user with role and municipality, by name."""
    users = session.scalars(select(User).order_by(User.username)).all()
    return [
        {"username": u.username, "role": u.role, "municipality": u.municipality.name if u.municipality else None}
        for u in users
    ]


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password matches; rotates the session token so older sessions end."""
    user = get_user(session, username)
    if user is None:
        # Same work as a real check, so the response time does not tell which names exist.
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    return user


_DUMMY_HASH = _hasher.hash("not-a-real-password")


def record_login_failure(session: Session, username: str, address: str, *, now: dt.datetime | None = None) -> None:
    now = as_utc(now) if now else utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - FAILURE_WINDOW))
    session.add(LoginFailure(username=username[:200], address=address[:64], at=now))


def clear_login_failures(session: Session, username: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))


def login_delay(session: Session, username: str, address: str, *, now: dt.datetime | None = None) -> int:
    """Seconds before the next attempt for this account or address is accepted (0: go ahead).

    After FREE_ATTEMPTS failures within the window, each further failure doubles the wait, up to MAX_DELAY.
    """
    now = as_utc(now) if now else utcnow()
    since = now - FAILURE_WINDOW
    count, last = session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.at)).where(
            LoginFailure.at >= since, or_(LoginFailure.username == username, LoginFailure.address == address)
        )
    ).one()
    if count < FREE_ATTEMPTS or last is None:
        return 0
    last = as_utc(last)
    wait = min(dt.timedelta(seconds=2 ** (count - FREE_ATTEMPTS + 1)), MAX_DELAY)
    remaining = (last + wait - now).total_seconds()
    return max(0, int(remaining + 0.999))
