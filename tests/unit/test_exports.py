"""The meeting pack: what it holds for a filter, and the PowerPoint and Excel files read back."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.util import Inches
from sqlalchemy import select

from data.exports import PackError, PackFilter, export_pack, gather_pack, pack_filename, pack_filter
from data.exports.excel import EMPTY, HEADER_ROW, SHEETS
from data.filters import Filter
from data.history import utcnow
from data.imports import import_file
from data.imports.engine import Actor
from data.models import OPEN_TASK_STATUSES, FocusArea, FundingLine, Meeting, Municipality, Project, Task
from data.projects import list_projects
from data.tasks import list_tasks

TODAY = dt.date(2026, 12, 4)
VANNAS = "Vännäs"
BOTNIA = "Botniabanan som tillväxtfaktor"


def _municipality(session, name: str) -> Municipality:
    return session.scalars(select(Municipality).where(Municipality.name == name)).one()


def _add_project(session, name: str, kommun: str | None, **values) -> Project:
    area = session.scalars(select(FocusArea).order_by(FocusArea.position)).first()
    p = Project(
        name=name,
        focus_area_id=area.id,
        status=values.pop("status", "pågår"),
        start_date=values.pop("start_date", dt.date(2026, 1, 1)),
        end_date=values.pop("end_date", dt.date(2027, 12, 31)),
        budget_amount=values.pop("budget_amount", 1_000_000),
        budget_period=values.pop("budget_period", "totalt"),
        **values,
    )
    session.add(p)
    if kommun:
        p.municipalities.append(_municipality(session, kommun))
    p.funding_lines.append(FundingLine(funder=f"{name} finansiär", kind="EU", amount=400_000, period="totalt"))
    session.add(p)
    session.flush()
    return p


def _add_task(session, text: str, kommun: str | None, due: dt.date | None = None) -> Task:
    meeting = session.scalars(select(Meeting).order_by(Meeting.date)).first()
    t = Task(text=text, meeting_id=meeting.id, status="öppen", due_date=due)
    if kommun:
        t.municipality_id = _municipality(session, kommun).id
    session.add(t)
    session.flush()
    return t


def pptx_texts(data: bytes) -> list[str]:
    """Every piece of text in the presentation: text boxes, table cells and chart categories and series names."""
    out = []
    for slide in Presentation(io.BytesIO(data)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.append(shape.text_frame.text)
            if shape.has_table:
                out += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                plot = shape.chart.plots[0]
                out += [str(c) for c in plot.categories] + [s.name for s in plot.series]
    return out


def slide_titles(data: bytes) -> list[str]:
    return [s.shapes.title.text for s in Presentation(io.BytesIO(data)).slides]


def sheet_rows(data: bytes, title: str) -> list[tuple]:
    """The sheet's rows under its header (none when the sheet says it has none)."""
    ws = load_workbook(io.BytesIO(data))[title]
    rows = [row for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(v is not None for v in row)]
    return [] if rows and rows[0][0] == EMPTY else rows


def all_cells(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb for row in ws.iter_rows() for c in row]


def test_a_vannas_pack_holds_only_rows_that_concern_vannas(seeded):
    _add_project(seeded, "Bjurholms skidspår", "Bjurholm")
    _add_project(seeded, "Vännäs stationsområde", VANNAS)
    _add_task(seeded, "Umeå utreder busslinjen", "Umeå", dt.date(2026, 1, 15))
    _add_task(seeded, "Vännäs bjuder in till workshop", VANNAS, dt.date(2026, 1, 20))
    flt = Filter(VANNAS)
    vannas_projects = {p["name"] for p in list_projects(seeded, flt)}
    other_projects = {p["name"] for p in list_projects(seeded)} - vannas_projects
    vannas_tasks = {t["text"] for t in list_tasks(seeded, flt) if t["status"] in OPEN_TASK_STATUSES}
    other_tasks = {t["text"] for t in list_tasks(seeded)} - {t["text"] for t in list_tasks(seeded, flt)}
    assert "Vännäs stationsområde" in vannas_projects and "Bjurholms skidspår" in other_projects
    assert "Umeå utreder busslinjen" in other_tasks and "Vännäs bjuder in till workshop" in vannas_tasks

    pptx, _, _ = export_pack(seeded, "pptx", PackFilter(kommun=VANNAS), today=TODAY)
    xlsx, name, _ = export_pack(seeded, "xlsx", PackFilter(kommun=VANNAS), today=TODAY)

    assert name == "umearegionen-uppfoljning-2026-12-04-vannas.xlsx"
    assert {r[0] for r in sheet_rows(xlsx, "Projekt")} == vannas_projects
    assert all("Vännäs" in r[9] for r in sheet_rows(xlsx, "Projekt"))
    assert {r[0] for r in sheet_rows(xlsx, "Finansiering")} <= vannas_projects
    assert {r[0] for r in sheet_rows(xlsx, "Etapper")} <= vannas_projects
    assert {r[0] for r in sheet_rows(xlsx, "Uppdrag")} == vannas_tasks
    text = "\n".join(pptx_texts(pptx))
    cells = "\n".join(str(c.value) for c in all_cells(xlsx) if c.value is not None)
    for unrelated in other_projects | other_tasks:
        assert unrelated[:40] not in text, unrelated
        assert unrelated[:40] not in cells, unrelated
    assert "Vännäs stationsområde" in text and "Vännäs bjuder in till workshop" in text
    # the same pack for all seven has the others
    everything, _, _ = export_pack(seeded, "xlsx", PackFilter(), today=TODAY)
    assert "Bjurholms skidspår" in {r[0] for r in sheet_rows(everything, "Projekt")}
    assert "Umeå utreder busslinjen" in {r[0] for r in sheet_rows(everything, "Uppdrag")}


def test_the_powerpoint_is_16_9_in_swedish_with_every_section_and_native_charts(seeded):
    data, name, mimetype = export_pack(seeded, "pptx", PackFilter(), today=TODAY)
    prs = Presentation(io.BytesIO(data))

    assert name.endswith(".pptx") and "presentationml" in mimetype
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    titles = slide_titles(data)
    assert titles[0] == "Umeåregionen – strategisk uppföljning"
    subtitle = prs.slides[0].placeholders[1].text_frame.text
    assert "Kommun: alla sju" in subtitle and "4 december 2026" in subtitle
    areas = [fa.name for fa in seeded.scalars(select(FocusArea).order_by(FocusArea.position))]
    for expected in ["Översikt", "Tidslinje", "Finansieringsmix", *(f"Insatsområde: {a}" for a in areas)]:
        assert any(t.startswith(expected) for t in titles), expected
    for prefix in ("Att uppmärksamma", "Budget och finansiärer", "Förändringar sedan", "Öppna uppdrag"):
        assert any(t.startswith(prefix) for t in titles), prefix
    charts = [sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 3  # projects per status, timeline, funding mix: native, restylable
    mix = next(c for c in charts if c.plots[0].series[0].name == "Belopp (kr)")
    assert "Ej specificerat" in list(mix.plots[0].categories)
    frames = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    alts = [f._element.nvGraphicFramePr.cNvPr.get("descr") for f in frames]
    assert all(alts) and any(a.startswith("Finansiering per typ av finansiär: Kommunerna") for a in alts)
    assert prs.core_properties.language == "sv-SE"
    # every slide but the first carries the filter in its footer
    footers = [sh.text_frame.text for s in list(prs.slides)[1:] for sh in s.shapes if sh.has_text_frame]
    assert sum("Kommun: alla sju" in f for f in footers) == len(prs.slides) - 1


def test_a_long_table_continues_on_further_slides_and_loses_no_row(seeded):
    for i in range(30):
        _add_task(seeded, f"Långt uppdrag nummer {i:02d}", VANNAS, TODAY + dt.timedelta(days=i))
    open_count = sum(1 for t in list_tasks(seeded) if t["status"] in OPEN_TASK_STATUSES)
    data, _, _ = export_pack(seeded, "pptx", PackFilter(), today=TODAY)
    prs = Presentation(io.BytesIO(data))

    task_slides = [s for s in prs.slides if s.shapes.title.text.startswith("Öppna uppdrag")]
    assert len(task_slides) == -(-open_count // 8) > 1
    assert (
        task_slides[1].shapes.title.text.startswith("Öppna uppdrag")
        and ", forts. (2/" in task_slides[1].shapes.title.text
    )
    rows = [
        row.cells[0].text for s in task_slides for sh in s.shapes if sh.has_table for row in list(sh.table.rows)[1:]
    ]
    assert len(rows) == open_count
    assert sum(r.startswith("Långt uppdrag nummer") for r in rows) == 30


def test_excel_has_one_sheet_per_table_with_the_filter_numbers_and_dates(seeded):
    data, name, _ = export_pack(seeded, "xlsx", PackFilter(kommun=VANNAS), today=TODAY)
    wb = load_workbook(io.BytesIO(data))

    assert wb.sheetnames == [title for title, _, _ in SHEETS]
    for ws in wb:
        assert ws["A2"].value.startswith("Kommun: Vännäs · Insatsområde: alla · Verksamhetsplan: alla år")
        assert "skapad 2026-12-04" in ws["A2"].value
        assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    projects = wb["Projekt"]
    headers = [c.value for c in projects[HEADER_ROW]]
    assert headers[:6] == ["Projekt", "Insatsområde", "Planår", "Status", "Start", "Slut"]
    botnia = next(r for r in projects.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == BOTNIA)
    by_header = dict(zip(headers, botnia, strict=True))
    assert by_header["Budget (kr)"].value == 4_650_000 and by_header["Budget (kr)"].data_type == "n"
    assert by_header["Budget (kr)"].number_format == '#,##0 "kr"'
    start = by_header["Start"]
    assert isinstance(start.value, dt.datetime) and start.is_date and start.number_format == "yyyy-mm-dd"
    tasks = wb["Uppdrag"]
    due = [r[3] for r in tasks.iter_rows(min_row=HEADER_ROW + 1) if r[3].value is not None]
    assert due and all(c.is_date for c in due)
    mix = {r[0]: r[1] for r in sheet_rows(data, "Finansieringsmix")}
    assert set(mix) >= {"Kommunerna", "EU", "Ej specificerat"} and all(isinstance(v, int) for v in mix.values())


def test_text_that_looks_like_a_formula_is_written_as_text_everywhere(seeded):
    evil = '=HYPERLINK("http://example.invalid","Klicka")'
    _add_project(seeded, evil, VANNAS)
    _add_task(seeded, "+cmd|' /C calc'!A0", VANNAS)
    _add_task(seeded, "@SUM(1+1)\x07 med styrtecken", VANNAS)

    xlsx, _, _ = export_pack(seeded, "xlsx", PackFilter(), today=TODAY)
    pptx, _, _ = export_pack(seeded, "pptx", PackFilter(), today=TODAY)

    assert not [c.coordinate for c in all_cells(xlsx) if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)
    names = [r[0] for r in sheet_rows(xlsx, "Projekt")]
    assert evil in names
    assert "+cmd|' /C calc'!A0" in [r[0] for r in sheet_rows(xlsx, "Uppdrag")]
    assert "@SUM(1+1) med styrtecken" in [r[0] for r in sheet_rows(xlsx, "Uppdrag")]
    text = pptx_texts(pptx)
    assert any(evil in t for t in text)
    assert any("@SUM(1+1) med styrtecken" in t for t in text)


def test_focus_area_and_year_narrow_the_projects_and_the_focus_area_slides(seeded):
    areas = seeded.scalars(select(FocusArea).order_by(FocusArea.position)).all()
    chosen = next(a for a in areas if a.projects)
    pf, since = pack_filter(seeded, {"insatsomrade": chosen.name, "ar": str(chosen.plan.year)})
    assert (pf.focus_area, pf.year, since) == (chosen.name, chosen.plan.year, None)

    pack = gather_pack(seeded, pf, today=TODAY)

    assert {p["name"] for p in pack["projects"]} == {p.name for p in chosen.projects}
    assert [fa["name"] for fa in pack["focus_areas"]] == [chosen.name]
    assert {s["link"] for g in pack["signals"]["groups"] for s in g["signals"] if s["entity"] == "project"} <= {
        f"/projekt/{p.id}" for p in chosen.projects
    }
    titles = slide_titles(export_pack(seeded, "pptx", pf, today=TODAY)[0])
    assert [t for t in titles if t.startswith("Insatsområde:")][0].startswith(f"Insatsområde: {chosen.name}")
    assert len({t.split(" (")[0] for t in titles if t.startswith("Insatsområde:")}) == 1


def test_changes_in_the_pack_show_old_and_new_values_for_the_filter(seeded):
    start = utcnow()
    csv = f"Projekt;Status;Budget (kr)\n{BOTNIA};pågår;5 000 000\nUME&Co;pausad;13 000 000\n"
    preview, result = import_file(seeded, "projekt", csv.encode(), "projekt.csv", actor=Actor("admin", "admin"))
    assert result is not None, preview.problems

    xlsx, _, _ = export_pack(seeded, "xlsx", PackFilter(kommun=VANNAS), since=start, today=TODAY)
    rows = [r for r in sheet_rows(xlsx, "Sedan förra mötet") if r[0] == "Projekt"]

    assert {(r[2], r[3], r[4], r[5]) for r in rows} == {
        (BOTNIA, "Budget (kr)", 4_650_000, 5_000_000),
        (BOTNIA, "Status", "planerad", "pågår"),
    }
    assert not [r for r in sheet_rows(xlsx, "Sedan förra mötet") if r[0] == "Import"]  # imports: the region's
    everything, _, _ = export_pack(seeded, "xlsx", PackFilter(), since=start, today=TODAY)
    changed = {r[2] for r in sheet_rows(everything, "Sedan förra mötet") if r[0] == "Projekt"}
    assert changed == {BOTNIA, "UME&Co"}
    assert "projekt.csv" in {r[2] for r in sheet_rows(everything, "Sedan förra mötet") if r[0] == "Import"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kommun": "Ingenstans"}, "Okänd kommun"),
        ({"insatsomrade": "Rymdfart"}, "Insatsområdet ”Rymdfart” finns inte"),
        ({"ar": "1999"}, "Det finns ingen verksamhetsplan för ”1999”"),
        ({"ar": "tvåtusen"}, "Det finns ingen verksamhetsplan för ”tvåtusen”"),
        ({"sedan": "16 maj"}, "Datumet ”16 maj” förstods inte"),
        ({"sedan": "2019-02-30"}, "Datumet ”2019-02-30” förstods inte"),
    ],
)
def test_a_filter_that_names_nothing_is_refused_in_swedish(seeded, params, message):
    with pytest.raises(PackError, match=message):
        pack_filter(seeded, params)


def test_the_filter_accepts_the_spellings_the_pages_accept(seeded):
    pf, since = pack_filter(seeded, {"kommun": "Vannas", "sedan": "2019-05-16", "ar": "", "insatsomrade": " "})
    assert pf == PackFilter(kommun=VANNAS) and since == dt.date(2019, 5, 16)
    assert pack_filter(seeded, {"kommun": "alla"})[0] == PackFilter()


def test_file_names_are_ascii_and_name_the_filter():
    pf = PackFilter(kommun="Örnsköldsvik", focus_area="Närings- och utveckling", year=2005)
    name = pack_filename(pf, "pptx", TODAY)
    assert name == "umearegionen-uppfoljning-2026-12-04-ornskoldsvik-narings-och-utveckling-2005.pptx"
    assert name.isascii()


def test_an_empty_database_gives_a_pack_with_empty_states(databases):
    from data.db import make_engine, make_session_factory

    engine = make_engine(databases.fresh(seed=False))
    try:
        with make_session_factory(engine)() as s:
            pptx, _, _ = export_pack(s, "pptx", PackFilter(), today=TODAY)
            xlsx, _, _ = export_pack(s, "xlsx", PackFilter(), today=TODAY)
    finally:
        engine.dispose()
    text = "\n".join(pptx_texts(pptx))
    assert "Inga öppna uppdrag." in text and "Inget att uppmärksamma." in text
    assert load_workbook(io.BytesIO(xlsx))["Projekt"].cell(HEADER_ROW + 1, 1).value == EMPTY
    assert sheet_rows(xlsx, "Projekt") == []
