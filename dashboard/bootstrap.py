"""First start: schema to the latest migration, the seven municipalities, demo data, an admin account."""

from __future__ import annotations

import secrets

from flask import Flask

from dashboard.database import session_scope
from data.db import upgrade
from data.seeding import ensure_municipalities, load_demo_data
from data.users import create_user, get_user

ADMIN = "admin"


def migrate(server: Flask) -> None:
    """Schema to the latest migration and the reference data (the seven municipalities) in place."""
    upgrade(server.extensions["engine"])
    with session_scope(server) as s:
        ensure_municipalities(s)


def ensure_admin(server: Flask) -> str | None:
    """Create the admin account if missing; returns a generated password (None if set or already there)."""
    with session_scope(server) as s:
        if get_user(s, ADMIN) is not None:
            return None
        given = server.config.get("DASHBOARD_ADMIN_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        create_user(s, ADMIN, password, role="admin")
    return None if given else password


def prepare_database(server: Flask, *, seed: bool = True) -> tuple[bool, str | None]:
    """Everything a first start needs; safe to run at every start. Returns (demo data loaded now, new password)."""
    migrate(server)
    loaded = False
    if seed:
        with session_scope(server) as s:
            loaded = load_demo_data(s)
    return loaded, ensure_admin(server)
