"""`flask --app app:server extract FILE [--json]`: what a document holds, without writing anything."""

from __future__ import annotations

import pytest


@pytest.fixture
def cli(app):
    runner = app.server.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.txt", b"", "Dokumentet är tomt."),
        ("lista.txt", "Inköpslista: mjölk, bröd, ost.".encode(), "Texten ser varken ut som minnesanteckningar"),
        ("gammal.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "gamla Word-formatet"),
    ],
    ids=["empty", "neither minutes nor plan", "old word"],
)
def test_bad_documents_fail_with_a_swedish_message_and_exit_1(cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("extract", str(path), "--json")
    assert result.exit_code == 1 and message in result.output


SEEDS = __import__("pathlib").Path(__file__).resolve().parents[3] / "shared" / "seeds"


def test_extract_json_on_the_seed_minutes_prints_the_meeting_and_writes_nothing(app, cli):
    import json

    from sqlalchemy import func, select

    from dashboard.database import session_scope
    from data.models import ChangeRecord

    with session_scope(app.server) as s:
        before = s.scalar(select(func.count()).select_from(ChangeRecord))
    result = cli("extract", str(SEEDS / "000_97e14613fcf6c3ba.txt"), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["kind"] == "minutes" and out["meeting"]["date"] == "2019-05-16"
    assert len(out["agenda_items"]) == 11 and out["document"]["format"] == "txt"
    with session_scope(app.server) as s:
        assert s.scalar(select(func.count()).select_from(ChangeRecord)) == before


def test_extract_without_json_prints_a_summary(cli):
    result = cli("extract", str(SEEDS / "002_c534bd840d8e5979.txt"))
    assert result.exit_code == 0 and result.output.startswith("Verksamhetsplan 2005: 7 insatsområden, 8 projekt.")


def test_import_document_of_minutes_already_in_the_demo_data_is_refused_as_a_duplicate(cli):
    result = cli("import-document", str(SEEDS / "000_97e14613fcf6c3ba.txt"))
    assert result.exit_code == 1 and "finns redan" in result.output


def test_import_document_as_a_reader_is_refused(cli):
    result = cli("import-document", str(SEEDS / "000_97e14613fcf6c3ba.txt"), "--user", "lasare")
    assert result.exit_code == 1 and "behörighet" in result.output


NEW_MINUTES = """Minnesanteckningar kommunchefsmöte 2020-02-13 kl. 13.00-15.00

Plats: Vännäs kommunhus

Beslutande: Anna Andersson, Bo Berg
Sekreterare: Cecilia Ceder

1. Mötet öppnas
Mötet öppnas.

2. Budget 2021
Föredragande: Bo Berg
Kansliet får i uppdrag att ta fram ett förslag till budget till nästa möte.
Beslut att godkänna tidplanen.

Nästa möte: 2020-04-16 i Umeå.
"""


def test_import_document_saves_new_minutes_as_confirmed(app, cli, tmp_path):
    from sqlalchemy import select

    from dashboard.database import session_scope
    from data.models import Meeting, Task

    path = tmp_path / "kc-2020-02-13.txt"
    path.write_text(NEW_MINUTES, encoding="utf-8")
    result = cli("import-document", str(path), "--user", "redaktor")
    assert result.exit_code == 0, result.output
    assert "är sparat: Kommunchefsmöte 2020-02-13: 2 punkter, 1 beslut, 1 uppdrag." in result.output
    with session_scope(app.server) as s:
        task = s.scalars(select(Task).where(Task.text.like("%förslag till budget%"))).one()
        assert [o.name for o in task.owners] == ["Kansliet"] and task.due_date.isoformat() == "2020-04-16"
        assert s.scalars(select(Meeting).where(Meeting.place == "Vännäs kommunhus")).one().kind == "kommunchefsmöte"
    assert cli("import-document", str(path)).exit_code == 1  # the second time: recognised, nothing duplicated


KEYS = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "documents"


def projected(value, like):
    """`value` with only the fields the answer key has (the extractor may say more: sources, notes, rules)."""
    if isinstance(like, dict) and isinstance(value, dict):
        return {k: projected(value.get(k), v) for k, v in like.items()}
    if isinstance(like, list) and isinstance(value, list) and len(like) == len(value):
        return [projected(v, k) for v, k in zip(value, like, strict=True)]
    return value


@pytest.mark.parametrize("seed", ["000_97e14613fcf6c3ba", "002_c534bd840d8e5979"])
def test_extract_json_on_each_seed_matches_its_answer_key(cli, seed):
    import json

    key_file = KEYS / f"{seed}.answer.json"
    key = {k: v for k, v in json.loads(key_file.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    result = cli("extract", str(SEEDS / f"{seed}.txt"), "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert projected(got, key) == key
