"""`flask --app app:server import KIND FILE`: the very same parse, check and write as the upload page."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from dashboard.database import session_scope
from data.imports import build_template
from data.models import ImportBatch, Project

ROOT = Path(__file__).resolve().parents[2]
CSV = (
    "Projekt;Status;Budget (kr);Kommuner;Start;Slut\n"
    "Botniabanan som tillväxtfaktor;pågår;5 000 000;Umeå, Örnsköldsvik, Nordmaling;2005-01-01;2006-12-31\n"
    "Cykelled Vännäs–Umeå;planerad;1,6 milj;Vännäs, Umea;jan 2027;dec 2028\n"
)


@pytest.fixture
def cli(app):
    runner = app.server.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


@pytest.fixture
def projects_csv(tmp_path) -> Path:
    path = tmp_path / "projekt.csv"
    path.write_bytes(CSV.encode("utf-8-sig"))
    return path


def budgets(app) -> dict[str, int | None]:
    with session_scope(app.server) as s:
        return {p.name: p.budget_amount for p in s.scalars(select(Project))}


def test_dry_run_json_prints_the_preview_and_writes_nothing(app, cli, projects_csv):
    before = budgets(app)
    result = cli("import", "projekt", str(projects_csv), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["dry_run"] is True and out["saved"] is False and out["can_confirm"] is True
    assert out["counts"] == {"new": 1, "changed": 1, "unchanged": 0, "removed": 0}
    assert [r["key"] for r in out["new"]] == ["Cykelled Vännäs–Umeå"]
    [changed] = out["changed"]
    assert changed["row"] == 2 and changed["key"] == "Botniabanan som tillväxtfaktor"
    assert {"field": "budget_amount", "label": "Budget (kr)", "old": 4650000, "new": 5000000} in changed["changes"]
    assert out["errors"] == [] and out["refused"] == []
    assert budgets(app) == before


def test_import_writes_and_records_the_batch(app, cli, projects_csv):
    result = cli("import", "projekt", str(projects_csv))
    assert result.exit_code == 0, result.output
    assert "Importen av projekt.csv är sparad: 1 ny, 1 ändrad och 0 borttagna." in result.output
    after = budgets(app)
    assert after["Botniabanan som tillväxtfaktor"] == 5_000_000 and after["Cykelled Vännäs–Umeå"] == 1_600_000
    with session_scope(app.server) as s:
        batch = s.scalars(select(ImportBatch).where(ImportBatch.kind == "projekt")).one()
        assert batch.source == "projekt.csv" and batch.username == "kommandorad" and batch.counts["new"] == 1


def test_errors_name_row_and_column_exit_1_and_write_nothing(app, cli, tmp_path):
    path = tmp_path / "fel.csv"
    path.write_text("Projekt;Budget (kr);Start;Slut\nNytt;-5 000;2005-01-01;2004-01-01\n", encoding="utf-8")
    before = budgets(app)
    result = cli("import", "projekt", str(path), "--json")
    assert result.exit_code == 1
    out = json.loads(result.output)
    assert out["saved"] is False
    by_column = {e["column"]: e for e in out["errors"]}
    assert by_column["Budget (kr)"]["row"] == 2 and "negativt" in by_column["Budget (kr)"]["message"]
    assert by_column["Slut"]["row"] == 2 and "före" in by_column["Slut"]["message"]
    assert budgets(app) == before
    human = cli("import", "projekt", str(path))
    assert human.exit_code == 1 and "Rad 2, kolumn Budget (kr): ”-5 000” – Beloppet kan inte vara negativt." in (
        human.output
    )


def test_user_option_applies_role_and_municipality(app, cli, projects_csv, tmp_path):
    before = budgets(app)
    reader = cli("import", "projekt", str(projects_csv), "--user", "lasare")
    assert reader.exit_code != 0 and "behörighet" in reader.output
    vannas = cli("import", "projekt", str(projects_csv), "--user", "vannas", "--json")
    assert vannas.exit_code == 1
    out = json.loads(vannas.output)
    # Botniabanan concerns Vännäs, but the file drops Vännäs from its municipalities.
    assert [(r["row"], r["value"]) for r in out["refused"]] == [(2, "Botniabanan som tillväxtfaktor")]
    assert out["refused"][0]["message"] == "Vännäs måste finnas kvar bland projektets kommuner."
    other = tmp_path / "umeaco.csv"
    other.write_text("Projekt;Budget (kr)\nUME&Co;100 000\n", encoding="utf-8")
    refused = json.loads(cli("import", "projekt", str(other), "--user", "vannas", "--json").output)["refused"]
    assert [(r["row"], r["message"]) for r in refused] == [(2, "Du kan bara ändra projekt som berör Vännäs.")]
    assert budgets(app) == before
    missing = cli("import", "projekt", str(projects_csv), "--user", "finnsinte")
    assert missing.exit_code != 0 and "finns inte" in missing.output


def test_the_pre_filled_template_imports_as_unchanged(app, cli, tmp_path):
    with session_scope(app.server) as s:
        content = build_template(s, "projekt")
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Projekt", "Faser", "Instruktioner"]
    path = tmp_path / "projekt.xlsx"
    path.write_bytes(content)
    result = cli("import", "projekt", str(path), "--json")
    out = json.loads(result.output)
    assert result.exit_code == 0 and out["counts"]["new"] == out["counts"]["changed"] == 0
    assert out["saved"] is False


def test_the_documented_command_runs_in_a_shell(app, projects_csv):
    """Exactly as the README says: `flask --app app:server import projekt FILE --dry-run --json`."""
    env = {
        **os.environ,
        "DATABASE_URL": app.server.config["DATABASE_URL"],
        "SECRET_KEY": "cli-test-secret",
        "SEED_DEMO": "false",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app:server",
            "import",
            "projekt",
            str(projects_csv),
            "--dry-run",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["changed"] == 1
