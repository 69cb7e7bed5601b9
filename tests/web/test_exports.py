"""The meeting pack over HTTP (/export/paket.pptx|xlsx) and from the command line, and both files opened by
LibreOffice headless, which refuses what PowerPoint and Excel would want to repair."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from sqlalchemy import func, select

from dashboard.database import session_scope
from data.models import ChangeRecord

INSTALL_LIBREOFFICE = "Installera LibreOffice: apt-get install -y libreoffice-impress libreoffice-calc"


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail(f"LibreOffice saknas. {INSTALL_LIBREOFFICE}", pytrace=False)
    return found


def convert_to_pdf(path: Path, workdir: Path) -> bytes:
    """The file converted by LibreOffice headless (own profile, so that runs never share a lock)."""
    out = workdir / "pdf"
    result = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{workdir / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(workdir)},
    )
    pdf = out / (path.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    assert "Error" not in result.stderr, result.stderr
    return pdf.read_bytes()


def pdf_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def reader(login, client):
    login("lasare")
    return client


def test_both_packs_download_for_a_reader_with_the_filter_in_the_name(reader):
    pptx = reader.get("/export/paket.pptx?kommun=Vannas")
    assert pptx.status_code == 200
    assert pptx.mimetype == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    disposition = pptx.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "-vannas.pptx" in disposition
    assert pptx.headers["Cache-Control"] == "no-store"
    prs = Presentation(io.BytesIO(pptx.data))
    assert "Kommun: Vännäs" in prs.slides[0].placeholders[1].text_frame.text

    xlsx = reader.get("/export/paket.xlsx?kommun=Vännäs&ar=2005&sedan=2019-05-16")
    assert xlsx.status_code == 200 and "-vannas-2005.xlsx" in xlsx.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert wb["Projekt"]["A2"].value.startswith("Kommun: Vännäs · Insatsområde: alla · Verksamhetsplan: 2005")


def test_an_export_writes_nothing_to_the_database(app, reader):
    with session_scope(app.server) as s:
        before = s.scalar(select(func.count(ChangeRecord.id)))
    assert reader.get("/export/paket.xlsx").status_code == 200
    with session_scope(app.server) as s:
        assert s.scalar(select(func.count(ChangeRecord.id))) == before


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kommun=Ingenstans", "Okänd kommun"),
        ("insatsomrade=Rymdfart", "Insatsområdet ”Rymdfart” finns inte"),
        ("ar=1999", "ingen verksamhetsplan"),
        ("sedan=igår", "förstods inte"),
    ],
)
def test_a_bad_filter_is_a_400_page_in_swedish(reader, query, message):
    response = reader.get(f"/export/paket.pptx?{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_an_unknown_format_is_404(reader):
    assert reader.get("/export/paket.docx").status_code == 404


def test_the_pack_needs_a_login(client):
    response = client.get("/export/paket.pptx")
    assert response.status_code in (302, 401)
    assert not response.data.startswith(b"PK")


def test_flask_export_writes_both_formats(app, tmp_path):
    runner = app.server.test_cli_runner()
    out = tmp_path / "paket.pptx"
    result = runner.invoke(args=["export", "pptx", str(out), "--kommun", "Vännäs", "--since", "2019-05-16"])
    assert result.exit_code == 0, result.output
    assert "Kommun: Vännäs" in result.output
    assert "Kommun: Vännäs" in Presentation(str(out)).slides[0].placeholders[1].text_frame.text
    xlsx = tmp_path / "paket.xlsx"
    assert runner.invoke(args=["export", "xlsx", str(xlsx)]).exit_code == 0
    assert "Uppdrag" in load_workbook(xlsx).sheetnames


def test_flask_export_refuses_a_bad_filter_in_swedish(app, tmp_path):
    runner = app.server.test_cli_runner()
    result = runner.invoke(args=["export", "xlsx", str(tmp_path / "x.xlsx"), "--since", "16/5"])
    assert result.exit_code != 0 and "förstods inte" in result.output
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("fmt", ["pptx", "xlsx"])
def test_libreoffice_opens_the_vannas_pack(reader, tmp_path, fmt):
    response = reader.get(f"/export/paket.{fmt}?kommun=Vännäs")
    path = tmp_path / f"paket.{fmt}"
    path.write_bytes(response.data)
    pdf = convert_to_pdf(path, tmp_path)
    pages = pdf_pages(pdf)
    if fmt == "pptx":
        assert pages == len(Presentation(str(path)).slides)
    else:
        assert pages >= len(load_workbook(path).sheetnames)
