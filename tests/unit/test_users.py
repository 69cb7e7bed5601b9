"""Users: hashed passwords, refusals with Swedish messages, session tokens, history, and the login brake."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from data.models import ChangeRecord, User
from data.users import (
    FAILURE_WINDOW,
    FREE_ATTEMPTS,
    MAX_DELAY,
    MIN_PASSWORD_LENGTH,
    UserError,
    authenticate,
    create_user,
    delete_user,
    get_user,
    list_users,
    login_delay,
    record_login_failure,
    set_password,
    verify_password,
)
from tests.conftest import PASSWORDS

PASSWORD = "ett-langt-losenord"
T0 = dt.datetime(2030, 1, 1, 12, 0, tzinfo=dt.UTC)


def user_count(session) -> int:
    return session.scalar(select(func.count(User.id)))


def test_create_user_stores_an_argon2_hash_not_the_password(seeded):
    user = create_user(seeded, "ny", PASSWORD, role="redigerare")
    assert user.password_hash != PASSWORD
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD + "x")


def test_create_user_salts_each_hash(seeded):
    a = create_user(seeded, "a-user", PASSWORD)
    b = create_user(seeded, "b-user", PASSWORD)
    assert a.password_hash != b.password_hash


def test_create_user_stores_role_and_normalised_municipality(seeded):
    create_user(seeded, "  ny-redaktor ", PASSWORD, role="redigerare", municipality="vannas")
    assert {"username": "ny-redaktor", "role": "redigerare", "municipality": "Vännäs"} in list_users(seeded)


def test_create_user_accepts_a_password_of_exactly_the_minimum_length(seeded):
    create_user(seeded, "ny", "x" * MIN_PASSWORD_LENGTH)
    assert get_user(seeded, "ny") is not None


@pytest.mark.parametrize(
    ("username", "password", "role", "municipality", "message"),
    [
        ("admin", PASSWORD, "läsare", None, "Användaren ”admin” finns redan."),
        ("  admin ", PASSWORD, "läsare", None, "Användaren ”admin” finns redan."),
        ("ny", PASSWORD, "superadmin", None, "Okänd roll ”superadmin”."),
        ("ny", PASSWORD, "Admin", None, "Okänd roll ”Admin”."),
        ("ny", "kort", "läsare", None, f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken."),
        ("ny", "x" * (MIN_PASSWORD_LENGTH - 1), "läsare", None, "minst"),
        ("ny", "", "läsare", None, "minst"),
        ("ny", PASSWORD, "läsare", "Stockholm", "Okänd kommun: ”Stockholm”."),
        ("ny", PASSWORD, "läsare", "Vänäs", "Menade du Vännäs?"),
        ("ny", PASSWORD, "läsare", "Umeaa", "Menade du Umeå?"),
        ("", PASSWORD, "läsare", None, "Användarnamnet får inte vara tomt."),
        ("   ", PASSWORD, "läsare", None, "Användarnamnet får inte vara tomt."),
    ],
    ids=[
        "duplicate",
        "duplicate-with-spaces",
        "unknown-role",
        "role-wrong-case",
        "short-password",
        "one-short-of-minimum",
        "empty-password",
        "unknown-municipality",
        "near-miss-vannas",
        "near-miss-umea",
        "empty-name",
        "blank-name",
    ],
)
def test_create_user_refuses_with_a_swedish_message_and_creates_nothing(
    seeded, username, password, role, municipality, message
):
    before = user_count(seeded)
    with pytest.raises(UserError) as info:
        create_user(seeded, username, password, role=role, municipality=municipality)
    assert message in str(info.value)
    assert user_count(seeded) == before


def test_authenticate_returns_the_user_for_the_right_password_and_rotates_the_session_token(seeded):
    old = get_user(seeded, "vannas").session_token
    user = authenticate(seeded, "vannas", PASSWORDS["vannas"])
    assert user is not None and user.username == "vannas"
    assert user.session_token and user.session_token != old


def test_authenticate_gives_a_new_token_at_every_login(seeded):
    first = authenticate(seeded, "admin", PASSWORDS["admin"]).session_token
    second = authenticate(seeded, "admin", PASSWORDS["admin"]).session_token
    assert first != second


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("vannas", "fel-losenord-1"),
        ("vannas", ""),
        ("vannas", PASSWORDS["admin"]),
        ("finns-inte", "vad-som-helst-1"),
        ("Vannas", PASSWORDS["vannas"]),
    ],
    ids=["wrong-password", "empty-password", "another-users-password", "unknown-user", "name-wrong-case"],
)
def test_authenticate_refuses_wrong_credentials_and_keeps_the_token(seeded, username, password):
    old = get_user(seeded, "vannas").session_token
    assert authenticate(seeded, username, password) is None
    assert get_user(seeded, "vannas").session_token == old


def test_set_password_changes_the_password_and_rotates_the_session_token(seeded):
    old_token = get_user(seeded, "lasare").session_token
    user = set_password(seeded, "lasare", "nytt-losenord-2")
    assert user.session_token != old_token
    assert authenticate(seeded, "lasare", "nytt-losenord-2") is not None
    assert authenticate(seeded, "lasare", PASSWORDS["lasare"]) is None


def test_set_password_refuses_a_short_password_and_keeps_the_old_one(seeded):
    old_token = get_user(seeded, "lasare").session_token
    with pytest.raises(UserError, match="minst"):
        set_password(seeded, "lasare", "kort")
    assert get_user(seeded, "lasare").session_token == old_token
    assert authenticate(seeded, "lasare", PASSWORDS["lasare"]) is not None


def test_set_password_for_an_unknown_user_raises(seeded):
    with pytest.raises(UserError, match="Det finns ingen användare ”nobody”"):
        set_password(seeded, "nobody", PASSWORD)


def test_delete_user_removes_the_user(seeded):
    delete_user(seeded, "lasare")
    seeded.flush()
    assert get_user(seeded, "lasare") is None
    assert "lasare" not in [u["username"] for u in list_users(seeded)]
    assert authenticate(seeded, "lasare", PASSWORDS["lasare"]) is None


def test_delete_user_for_an_unknown_user_raises(seeded):
    with pytest.raises(UserError, match="Det finns ingen användare"):
        delete_user(seeded, "nobody")


def test_list_users_gives_name_role_and_municipality_by_name(seeded):
    assert list_users(seeded) == [
        {"username": "admin", "role": "admin", "municipality": None},
        {"username": "lasare", "role": "läsare", "municipality": None},
        {"username": "redaktor", "role": "redigerare", "municipality": None},
        {"username": "vannas", "role": "redigerare", "municipality": "Vännäs"},
    ]


def _create(s):
    return create_user(s, "historik", PASSWORD, actor="admin")


def _set_password(s):
    set_password(s, "lasare", "nytt-losenord-2", actor="admin")
    return get_user(s, "lasare")


def _delete(s):
    user = get_user(s, "lasare")
    delete_user(s, "lasare", actor="admin")
    return user


@pytest.mark.parametrize(
    ("write", "action"),
    [(_create, "create"), (_set_password, "update"), (_delete, "delete")],
    ids=["create", "set-password", "delete"],
)
def test_every_user_write_leaves_a_change_record_without_password_hash_or_token(seeded, write, action):
    old = get_user(seeded, "lasare")
    secrets = {old.password_hash, old.session_token}
    user = write(seeded)
    secrets |= {user.password_hash, user.session_token}
    seeded.flush()
    records = seeded.scalars(select(ChangeRecord).filter_by(entity="app_user", entity_id=user.id, action=action)).all()
    assert len(records) == 1
    rec = records[0]
    assert rec.username == "admin"
    assert rec.source == "användarhantering"
    dumped = json.dumps({"before": rec.before, "after": rec.after}, ensure_ascii=False)
    for secret in secrets:
        assert secret not in dumped
    for record_data in (rec.before, rec.after):
        assert "password_hash" not in (record_data or {})
        assert "session_token" not in (record_data or {})
    assert "$argon2" not in dumped


def test_create_user_records_the_public_values(seeded):
    user = create_user(seeded, "historik", PASSWORD, role="redigerare", municipality="Umeå")
    seeded.flush()
    rec = seeded.scalars(select(ChangeRecord).filter_by(entity="app_user", entity_id=user.id)).one()
    assert rec.after["username"] == "historik"
    assert rec.after["role"] == "redigerare"
    assert rec.after["municipality_id"] == user.municipality_id


def fail(session, n, *, username="alice", address="10.0.0.1", at=T0):
    for _ in range(n):
        record_login_failure(session, username, address, now=at)
    session.flush()


@pytest.mark.parametrize("failures", range(FREE_ATTEMPTS))
def test_login_delay_is_zero_for_the_first_free_attempts(seeded, failures):
    fail(seeded, failures)
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0) == 0


def test_login_delay_starts_once_the_free_attempts_are_used(seeded):
    fail(seeded, FREE_ATTEMPTS)
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0) > 0


def test_login_delay_doubles_with_each_further_failure(seeded):
    delays = []
    for _ in range(5):
        fail(seeded, 1 if delays else FREE_ATTEMPTS)
        delays.append(login_delay(seeded, "alice", "10.0.0.1", now=T0))
    assert delays[0] >= 1
    assert delays == [delays[0] * 2**i for i in range(5)]


def test_login_delay_counts_down_from_the_last_failure(seeded):
    fail(seeded, FREE_ATTEMPTS + 3)
    full = login_delay(seeded, "alice", "10.0.0.1", now=T0)
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0 + dt.timedelta(seconds=3)) == full - 3
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0 + dt.timedelta(seconds=full)) == 0


def test_login_delay_is_capped(seeded):
    fail(seeded, FREE_ATTEMPTS + 40)
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0) == MAX_DELAY.total_seconds()


def test_login_delay_counts_failures_per_account_across_addresses(seeded):
    for i in range(FREE_ATTEMPTS):
        fail(seeded, 1, username="alice", address=f"10.0.0.{i}")
    assert login_delay(seeded, "alice", "192.168.1.1", now=T0) > 0
    assert login_delay(seeded, "bob", "192.168.1.1", now=T0) == 0


def test_login_delay_counts_failures_per_address_across_accounts(seeded):
    for i in range(FREE_ATTEMPTS):
        fail(seeded, 1, username=f"user{i}", address="10.0.0.9")
    assert login_delay(seeded, "someone-else", "10.0.0.9", now=T0) > 0
    assert login_delay(seeded, "someone-else", "10.0.0.10", now=T0) == 0


def test_login_delay_is_zero_again_after_the_window(seeded):
    fail(seeded, FREE_ATTEMPTS + 40)
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0 + FAILURE_WINDOW - dt.timedelta(seconds=1)) > 0
    assert login_delay(seeded, "alice", "10.0.0.1", now=T0 + FAILURE_WINDOW + dt.timedelta(seconds=1)) == 0


def test_failures_older_than_the_window_do_not_count_towards_new_ones(seeded):
    fail(seeded, FREE_ATTEMPTS - 1, at=T0)
    later = T0 + FAILURE_WINDOW + dt.timedelta(minutes=1)
    fail(seeded, 1, at=later)
    assert login_delay(seeded, "alice", "10.0.0.1", now=later) == 0
