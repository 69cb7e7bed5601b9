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
