"""Fixtures for the data-layer tests: one seeded database shared by read-mostly tests, rolled back after each."""

from __future__ import annotations

import pytest

from data.db import make_engine, make_session_factory


@pytest.fixture(scope="package")
def shared_engine(databases):
    eng = make_engine(databases.fresh())
    yield eng
    eng.dispose()


@pytest.fixture
def seeded(shared_engine):
    """A session on the package's shared seeded database; everything it wrote is rolled back after the test.

    Services never commit, so tests that only call services can share one database (much faster on PostgreSQL
    than a new database per test). Tests that commit use `session` or `databases.fresh()` instead.
    """
    s = make_session_factory(shared_engine)()
    yield s
    s.rollback()
    s.close()
