"""Two confirms at the same moment: both complete, or one is refused with a message; no data is lost.

Runs on SQLite and (in CI, with TEST_DATABASE_URL) on PostgreSQL, each confirm in its own thread, connection and
transaction, released together by a barrier.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from data.db import make_engine, make_session_factory
from data.imports import Actor, ImportRefused, confirm_upload, preview_upload, stage_upload
from data.models import ChangeRecord, ImportBatch, Project

ADMIN = Actor("admin", "admin")
EDITOR = Actor("redaktor", "redigerare")


def csv(*rows: str) -> bytes:
    return ("Projekt;Budget (kr);Kommuner\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture
def factory(databases):
    engine = make_engine(databases.fresh())
    yield make_session_factory(engine)
    engine.dispose()


def stage(factory, actor: Actor, content: bytes, name: str) -> str:
    with factory() as s:
        preview = preview_upload(s, "projekt", content, name, actor=actor)
        assert preview.can_confirm, [str(p) for p in preview.problems]
        token = stage_upload(s, preview, content, actor=actor)
        s.commit()
        return token


def confirm_together(factory, jobs: list[tuple[Actor, str]]) -> list[object]:
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(i: int, actor: Actor, token: str) -> None:
        with factory() as s:
            barrier.wait()
            try:
                results[i] = confirm_upload(s, token, actor=actor)
                s.commit()
            except ImportRefused as exc:
                s.rollback()
                results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a, t)) for i, (a, t) in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def budget(factory, name: str) -> int | None:
    with factory() as s:
        return s.scalar(select(Project.budget_amount).where(Project.name == name))


def test_two_uploads_of_different_projects_both_complete(factory):
    a = stage(factory, ADMIN, csv("UME&Co;111 000;"), "a.csv")
    b = stage(factory, EDITOR, csv("Via Uma;222 000;"), "b.csv")
    results = confirm_together(factory, [(ADMIN, a), (EDITOR, b)])
    assert [type(r).__name__ for r in results] == ["ImportResult", "ImportResult"], results
    assert budget(factory, "UME&Co") == 111_000 and budget(factory, "Via Uma") == 222_000
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch).where(ImportBatch.kind == "projekt")) == 2


def test_two_uploads_changing_the_same_project_one_wins_the_other_is_told(factory):
    old = budget(factory, "UME&Co")
    a = stage(factory, ADMIN, csv("UME&Co;111 000;"), "a.csv")
    b = stage(factory, EDITOR, csv("UME&Co;222 000;"), "b.csv")
    results = confirm_together(factory, [(ADMIN, a), (EDITOR, b)])
    refused = [r for r in results if isinstance(r, ImportRefused)]
    done = [r for r in results if not isinstance(r, ImportRefused)]
    assert len(done) == 1 and len(refused) == 1, results
    assert "ändrats sedan förhandsgranskningen" in str(refused[0])
    winner = 111_000 if done[0].filename == "a.csv" else 222_000
    assert budget(factory, "UME&Co") == winner
    with factory() as s:
        # The history tells the whole story: exactly one import changed the budget, from the old value.
        records = s.scalars(
            select(ChangeRecord).where(ChangeRecord.entity == "project", ChangeRecord.action == "update")
        )
        assert [(r.before, r.after) for r in records] == [({"budget_amount": old}, {"budget_amount": winner})]


def test_two_uploads_adding_the_same_new_project_add_it_once(factory):
    a = stage(factory, ADMIN, csv("Nytt gemensamt projekt;100 000;Umeå"), "a.csv")
    b = stage(factory, EDITOR, csv("Nytt gemensamt projekt;200 000;Umeå"), "b.csv")
    results = confirm_together(factory, [(ADMIN, a), (EDITOR, b)])
    assert sum(isinstance(r, ImportRefused) for r in results) == 1, results
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Project).where(Project.name == "Nytt gemensamt projekt")) == 1
