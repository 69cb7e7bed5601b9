"""The Alembic migrations: they build the whole schema from nothing, match the models, and go down and up again."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from data.db import alembic_config, current_revision, make_engine, make_session_factory, upgrade
from data.models import Base
from data.municipalities import list_municipality_names
from data.seeding import ensure_municipalities, load_demo_data

from .helpers import SEVEN


@pytest.fixture
def empty_engine(databases):
    eng = make_engine(databases.empty())
    yield eng
    eng.dispose()


def head(engine) -> str:
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}"
    return heads[0]


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def differences(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)


def test_empty_database_has_no_tables_and_no_revision(empty_engine):
    assert tables(empty_engine) == set()
    assert current_revision(empty_engine) is None


def test_upgrade_on_an_empty_database_reaches_head_with_every_model_table(empty_engine):
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head(empty_engine)
    assert tables(empty_engine) == set(Base.metadata.tables) | {"alembic_version"}


def test_models_match_the_migrated_schema(empty_engine):
    upgrade(empty_engine)
    assert differences(empty_engine) == []


def test_compare_metadata_would_notice_a_missing_table(empty_engine):
    upgrade(empty_engine)
    command.downgrade(alembic_config(empty_engine), "base")
    assert differences(empty_engine) != []


def test_upgrade_twice_changes_nothing(empty_engine):
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head(empty_engine)
    assert differences(empty_engine) == []


def test_downgrade_to_base_and_upgrade_again_gives_a_working_schema(empty_engine):
    upgrade(empty_engine)
    command.downgrade(alembic_config(empty_engine), "base")
    assert current_revision(empty_engine) is None
    assert tables(empty_engine) <= {"alembic_version"}
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head(empty_engine)
    assert differences(empty_engine) == []
    with make_session_factory(empty_engine)() as s:
        ensure_municipalities(s)
        assert load_demo_data(s) is True
        assert list_municipality_names(s) == SEVEN
        s.rollback()
