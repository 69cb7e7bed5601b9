"""data/backup.py: values typed by their column, and the dump file read back only when whole and the app's own."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from data.backup import (
    TABLE_LABELS,
    BackupProblem,
    backup_database,
    count_lines,
    decode_value,
    encode_value,
    read_backup,
    value_kind,
)
from data.models import (
    Base,
    ChangeRecord,
    ImportBatch,
    Meeting,
    PendingUpload,
    Project,
    Task,
)

STOCKHOLM_SUMMER = dt.timezone(dt.timedelta(hours=2))


def column(attr):
    return attr.property.columns[0]


def read_lines(path: Path) -> list:
    """A dump's lines, parsed (shared with the web tests, which alter dumps)."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def write_lines(path: Path, lines: list) -> None:
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as f:
        for line in lines:
            f.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


def table_lines(lines: list, table: str) -> tuple[int, int]:
    """The index of `table`'s columns line and of its last row line."""
    start = next(i for i, x in enumerate(lines) if isinstance(x, dict) and x.get("table") == table)
    end = start
    while isinstance(lines[end + 1], list):
        end += 1
    return start, end


@pytest.mark.parametrize("table", Base.metadata.sorted_tables, ids=lambda t: t.name)
def test_every_column_of_the_models_has_an_encoding_and_every_table_a_swedish_label(table):
    for c in table.columns:
        assert value_kind(c)
    assert table.name in TABLE_LABELS


@pytest.mark.parametrize(
    ("attr", "value", "written"),
    [
        (Project.budget_amount, 2**62 + 1, 2**62 + 1),
        (Project.budget_amount, None, None),
        (Project.name, 'Cykelled Vännäs–Umeå "etapp 2"\nrad två', 'Cykelled Vännäs–Umeå "etapp 2"\nrad två'),
        (Project.start_date, dt.date(2019, 5, 16), "2019-05-16"),
        (Meeting.start_time, dt.time(14, 30), "14:30:00"),
        (Meeting.end_time, dt.time(16, 0, 0, 250), "16:00:00.000250"),
        (ChangeRecord.at, dt.datetime(2019, 5, 16, 12, 0, 0, 7, tzinfo=dt.UTC), "2019-05-16T12:00:00.000007+00:00"),
        (ImportBatch.undone_at, None, None),
        (PendingUpload.content, b"\x00\xff\x1f\x8bPK", "AP8fi1BL"),
        (PendingUpload.remove_missing, True, True),
        (PendingUpload.remove_missing, False, False),
        (ChangeRecord.before, "null", "null"),  # JSON null, not SQL NULL
        (ChangeRecord.before, None, None),
        (Task.uncertain, '["\\u00e5terst\\u00e5r", 1.5]', '["\\u00e5terst\\u00e5r", 1.5]'),
        (ImportBatch.counts, '{"project": 8}', '{"project": 8}'),
    ],
)
def test_values_are_written_as_plain_json_and_read_back_exactly(attr, value, written):
    c = column(attr)
    encoded = encode_value(c, value)
    assert encoded == written
    through_json = json.loads(json.dumps(encoded, ensure_ascii=False))
    decoded = decode_value(c, through_json)
    assert decoded == value and type(decoded) is type(value)


def test_a_timestamp_is_written_in_utc_with_its_offset_and_read_back_as_the_same_instant():
    at = column(ChangeRecord.at)
    local = dt.datetime(2019, 5, 16, 14, 0, tzinfo=STOCKHOLM_SUMMER)
    assert encode_value(at, local) == "2019-05-16T12:00:00+00:00"
    back = decode_value(at, encode_value(at, local))
    assert back == local and back.utcoffset() == dt.timedelta(0)


def test_a_naive_timestamp_from_sqlite_is_taken_as_utc():
    at = column(ChangeRecord.at)
    assert encode_value(at, dt.datetime(2019, 5, 16, 12, 0)) == "2019-05-16T12:00:00+00:00"


@pytest.mark.parametrize(
    ("attr", "value"),
    [
        (Project.budget_amount, "4650000"),
        (Project.budget_amount, True),
        (Project.budget_amount, 4.5),
        (Project.name, 5),
        (Project.start_date, "2019-13-01"),
        (Project.start_date, 20190516),
        (Meeting.start_time, "25:00"),
        (ChangeRecord.at, "2019-05-16T12:00:00"),  # no offset: which instant?
        (PendingUpload.remove_missing, 1),
        (PendingUpload.content, "inte base64!"),
        (ChangeRecord.before, "{inte json"),
        (ChangeRecord.before, {"already": "parsed"}),
    ],
)
def test_a_value_that_does_not_fit_its_column_is_refused(attr, value):
    with pytest.raises(ValueError):
        decode_value(column(attr), value)


def test_count_lines_name_each_table_in_swedish_and_give_the_total():
    lines = count_lines({"task": 15, "project": 8})
    assert lines[0].split() == ["projekt", "(project)", "8"]
    assert lines[1].split() == ["uppdrag", "(task)", "15"]
    assert lines[-1].split() == ["totalt", "23", "rader"]


@pytest.fixture
def dump(shared_engine, tmp_path) -> Path:
    path = tmp_path / "kopia.json.gz"
    backup_database(shared_engine, path, fmt="dump")
    return path


def test_a_dump_holds_a_header_every_table_in_order_and_a_trailer_with_the_counts(shared_engine, dump):
    lines = read_lines(dump)
    header, trailer = lines[0], lines[-1]
    names = [t.name for t in Base.metadata.sorted_tables]
    assert header["format"] == "umearegionen-backup" and header["version"] == 1 and header["revision"] == "0003"
    assert header["tables"] == names
    assert [x["table"] for x in lines if isinstance(x, dict) and "table" in x] == names
    assert trailer["end"] is True and trailer["counts"]["project"] == 8
    assert sum(isinstance(x, list) for x in lines) == sum(trailer["counts"].values())
    found = read_backup(dump, shared_engine)
    assert found.kind == "dump" and found.revision == "0003" and found.counts == trailer["counts"]
    assert len(found.rows["project"]) == 8


def test_backup_refuses_to_overwrite_a_file_and_writes_nothing_on_refusal(shared_engine, dump):
    before = dump.read_bytes()
    with pytest.raises(BackupProblem, match="finns redan"):
        backup_database(shared_engine, dump, fmt="dump")
    assert dump.read_bytes() == before
    assert sorted(p.name for p in dump.parent.iterdir()) == [dump.name]  # no temporary file left behind
    backup_database(shared_engine, dump, fmt="dump", overwrite=True)
    assert read_lines(dump)[0]["created_at"]


def _altered(dump: Path, change) -> Path:
    lines = read_lines(dump)
    change(lines)
    write_lines(dump, lines)
    return dump


def _drop_trailer(lines):
    lines.pop()


def _line_after_trailer(lines):
    lines.append([1])


def _short_row(lines):
    start, _ = table_lines(lines, "project")
    lines[start + 1] = lines[start + 1][:-1]


def _other_columns(lines):
    start, _ = table_lines(lines, "project")
    lines[start]["columns"][1] = "namn"


def _tables_out_of_order(lines):
    a, a_end = table_lines(lines, "plan")
    b, b_end = table_lines(lines, "focus_area")
    block_a, block_b = lines[a : a_end + 1], lines[b : b_end + 1]
    lines[b : b_end + 1] = block_a
    lines[a : a_end + 1] = block_b


def _wrong_count(lines):
    lines[-1]["counts"]["project"] = 9


def _bad_date(lines):
    start, _ = table_lines(lines, "phase")
    row = lines[start + 1]
    row[lines[start]["columns"].index("start_date")] = "2005-02-30"


@pytest.mark.parametrize(
    "change",
    [_drop_trailer, _line_after_trailer, _short_row, _other_columns, _tables_out_of_order, _wrong_count, _bad_date],
)
def test_a_dump_that_is_not_whole_is_refused_as_damaged(shared_engine, dump, change):
    with pytest.raises(BackupProblem, match="skadad eller avkortad"):
        read_backup(_altered(dump, change), shared_engine)


def test_a_dump_cut_inside_its_last_line_is_refused(shared_engine, dump):
    with gzip.open(dump, "rt", encoding="utf-8") as f:
        content = f.read()
    with gzip.open(dump, "wt", encoding="utf-8") as f:
        f.write(content[:-10])
    with pytest.raises(BackupProblem, match="skadad eller avkortad"):
        read_backup(dump, shared_engine)


def test_a_dump_in_a_later_format_is_refused_with_the_format_named(shared_engine, dump):
    with pytest.raises(BackupProblem, match="format 2"):
        read_backup(_altered(dump, lambda lines: lines[0].update(version=2)), shared_engine)


@pytest.mark.parametrize(
    "content",
    [b"", b"Projekt;Status\nBotnia;pagar\n", gzip.compress(b'{"name": "annan app"}\n'), gzip.compress(b"\xff\xfe")],
    ids=["empty", "csv", "gzip-of-other-json", "gzip-of-binary"],
)
def test_a_file_that_is_no_backup_is_refused_as_foreign(shared_engine, tmp_path, content):
    path = tmp_path / "fil"
    path.write_bytes(content)
    with pytest.raises(BackupProblem, match="ingen säkerhetskopia"):
        read_backup(path, shared_engine)
