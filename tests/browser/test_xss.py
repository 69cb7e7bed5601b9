"""HTML and script in every text a person can set are shown as text (issue 7).

The hostile values go in through the real write paths (uploads through data.imports.import_file with a hostile file
name, a follow-up note through update_task, a document through preview_document and save_document) and then every
page is opened in headless Chromium: no script ran (`window.__xss` stays undefined), no injected element exists, no
link to the attacker's site was drawn (Plotly draws `<a href>` in its labels as a real link), and the literal text
is on the page, in chart ticks and hover labels included. The exports (PowerPoint, Excel, the API's CSV) hold the
same text literally, and no cell of theirs is a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from pptx import Presentation
from sqlalchemy import select

from data.db import make_engine, make_session_factory, session_scope
from data.documents.extract import extract_document
from data.documents.save import preview_document, save_document
from data.imports import Actor, import_file
from data.models import Meeting, Project, Task
from data.presentation import latest_plan_outline
from data.tasks import update_task
from tests.browser.conftest import login, normalise, open_page, serving, wait, wait_for_dash_idle
from tests.browser.test_documents import upload_document
from tests.conftest import do_login
from tests.web.attack_helpers import FORMULAS, IMG, LINK, SCRIPT, SVG

ADMIN = Actor("admin", "admin")

T = {
    "area": f"Område {SVG}",
    "activity": f"Aktivitet {SCRIPT}",
    "activity_text": f"Beskrivning {IMG}",
    "responsible": f"Ansvarig {LINK}",
    "project": f"Projekt {IMG} {LINK}",
    "description": f"Beskrivning {SCRIPT}",
    "owner_org": f"Ägare {SVG}",
    "contact": f"Kontakt {IMG}",
    "phase": f"Etapp {LINK} {SCRIPT}",
    "funder": f"Finansiär {LINK} {IMG}",
    "task": f"Uppdrag {SCRIPT} {IMG}",
    "task_owner": f"Person {SVG}",
    "note": f"Notering {IMG} {LINK}",
    "meeting_title": f"Möte {SCRIPT}",
    "meeting_place": f"Lokal {IMG}",
    "doc_place": f"Rådhuset {SVG}",
    "doc_item": f"Punkt {SCRIPT}",
    "doc_decision": f"Beslutet {LINK}",
    "doc_task": f"Skriva {IMG}",
}
FILES = {
    "plan": f"verksamhetsplan {SVG}.csv",
    "projects": f"projekt {IMG}.xlsx",
    "document": f"protokoll {IMG}.txt",
}
FORMULA_FUNDER, FORMULA_OWNER = FORMULAS[0], FORMULAS[3]

MINUTES = f"""Kommunchefsmöte, Umeåregionen

2031-03-06 14.30-16:00

Plats

{T["doc_place"]}

1. {T["doc_item"]}

Kansliet får i uppdrag att skriva {IMG} till nästa möte.
"""


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plant(url: str) -> dict:
    """Every hostile text into the database through the app's own write paths; the ids the pages need."""
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:

        def upload(kind: str, content: bytes, filename: str) -> None:
            preview, result = import_file(s, kind, content, filename, actor=ADMIN)
            assert result is not None, preview.to_dict()["errors"]

        upload(
            "verksamhetsplan",
            _csv(
                [
                    ["År", "Insatsområde", "Aktivitet", "Beskrivning", "Ansvarig", "Status"],
                    [2005, T["area"], T["activity"], T["activity_text"], T["responsible"], "pågår"],
                ]
            ),
            FILES["plan"],
        )
        project_header = ["Projekt", "Insatsområde", "Status", "Start", "Slut", "Budget (kr)", "Budgetperiod"]
        project_header += ["Kommuner", "Projektägare", "Kontaktperson", "Kontaktpersonens roll", "Beskrivning"]
        project_row = [T["project"], T["area"], "pågår", "2005-01-01", "2030-12-31", 5_000_000, "år", "Umeå"]
        project_row += [T["owner_org"], T["contact"], FORMULA_OWNER, T["description"]]
        upload(
            "projekt",
            _xlsx(
                {
                    "Projekt": [project_header, project_row],
                    "Faser": [
                        ["Projekt", "Fas", "Start", "Slut"],
                        [T["project"], T["phase"], "2005-01-01", "2010-12-31"],
                    ],
                }
            ),
            FILES["projects"],
        )
        upload(
            "finansiering",
            _csv(
                [
                    ["Projekt", "Finansiär", "Typ", "Belopp (kr)", "Period"],
                    [T["project"], T["funder"], "kommunerna", 4_000_000, "år"],
                    [T["project"], FORMULA_FUNDER, "EU", 100_000, "år"],
                ]
            ),
            "finansiering.csv",
        )
        upload(
            "moten",
            _csv(
                [
                    ["Typ", "Datum", "Rubrik", "Plats"],
                    ["kommunchefsmöte", "2030-02-01", T["meeting_title"], T["meeting_place"]],
                ]
            ),
            "moten.csv",
        )
        upload(
            "uppdrag",
            _csv(
                [
                    ["Uppdrag", "Ansvariga", "Kommun", "Möte", "Punkt", "Klart senast", "Status"],
                    [T["task"], T["task_owner"], "Umeå", "2019-05-16", 3, "2029-12-31", "öppen"],
                ]
            ),
            "uppdrag.csv",
        )
        task_id = s.scalar(select(Task.id).where(Task.text == T["task"]))
        update_task(
            s,
            task_id,
            status="pågår",
            note=T["note"],
            username="admin",
            role="admin",
            user_municipality=None,
            today=dt.date.today(),
        )

        content = MINUTES.encode()
        staged = preview_document(s, content, FILES["document"], actor=ADMIN)
        assert staged["token"], staged
        found = extract_document(content, FILES["document"], known_meetings=[])
        found["agenda_items"][0]["decisions"] = [{"text": T["doc_decision"], "source": None}]
        found["agenda_items"][0]["assignments"][0]["what"] = T["doc_task"]
        save_document(s, staged["token"], found, actor=ADMIN)

        ids = {
            "project": s.scalar(select(Project.id).where(Project.name == T["project"])),
            "meeting": s.scalar(select(Meeting.id).where(Meeting.date == dt.date(2019, 5, 16))),
            "new_meeting": s.scalar(select(Meeting.id).where(Meeting.place == T["meeting_place"])),
            "document_meeting": s.scalar(select(Meeting.id).where(Meeting.place == T["doc_place"])),
            "slides": len(latest_plan_outline(s)["focus_areas"]) + 4,
        }
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def hostile(databases):
    """The app over HTTP on a seeded database holding every hostile text: (base URL, app, ids)."""
    url = databases.fresh()
    found = plant(url)
    with serving(url) as (base_url, app):
        yield base_url, app, found


# --- the pages ----------------------------------------------------------------------------------------------------

# What each page must show as text (in the HTML, or in a chart's ticks and hover labels: `plot`).
PAGES = {
    "/": {"html": ["area"]},
    "/verksamhetsplan": {"html": ["area", "activity"]},
    "/projekt": {"html": ["project"], "plot": ["project", "area", "phase"]},
    "/projekt/{project}": {
        "html": ["project", "description", "owner_org", "contact", "phase", "funder", "area"],
    },
    "/finansiering": {"html": ["project"], "plot": ["funder"]},
    "/uppdrag?sok=Uppdrag": {"html": ["task", "task_owner", "note"]},
    "/moten": {"html": ["meeting_title", "meeting_place"]},
    "/moten/{meeting}": {"html": ["task", "task_owner"]},
    "/moten/{document_meeting}": {"html": ["doc_place", "doc_item", "doc_decision", "doc_task"]},
    "/uppfoljning?historik=1": {"html": ["task", "task_owner", "note"]},
    "/forandringar?sedan=2019-05-17": {"html": ["project"]},
    "/ladda-upp": {"html": []},
}

# Everything the page shows (text, chart texts, hover labels of the points that carry hostile text) and everything
# that would mean the markup was taken as markup.
INSPECT = """
const done = arguments[arguments.length - 1];
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));
(async () => {
    const root = document.getElementById('react-entry-point');
    const hostile = /xss|evil\\.example/;
    const plots = [];
    const hoverLinks = [];  // Plotly draws <a href> in a label as a link (only while the label is shown)
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
        plots.push(...[...gd.querySelectorAll('.xtick text, .ytick text, .annotation-text, .legendtext')]
            .map(e => e.textContent));
        const data = gd.data || [];
        for (let c = 0; c < data.length; c++) {
            const trace = data[c];
            const n = Math.max((trace.y || []).length, (trace.x || []).length);
            for (let p = 0; p < n; p++) {
                const values = [trace.hovertext, trace.text, trace.y, trace.x]
                    .map(v => Array.isArray(v) ? v[p] : v);
                if (trace.hoverinfo === 'skip' || !hostile.test(JSON.stringify(values))) continue;
                try {
                    window.Plotly.Fx.hover(gd, [{curveNumber: c, pointNumber: p}]);
                    await pause(150);  // Plotly draws a hover label at most every 100 ms
                    const label = gd.querySelector('.hoverlayer');
                    plots.push(label ? label.textContent : '');
                    hoverLinks.push(...[...gd.querySelectorAll('.hoverlayer a')].map(a => a.outerHTML.slice(0, 200)));
                    window.Plotly.Fx.unhover(gd);
                } catch (e) { plots.push('hover failed: ' + e); }
            }
        }
    }
    done({
        xss: typeof window.__xss,
        injected: [...document.querySelectorAll(
            'img[src="x"], #react-entry-point script, svg[onload], [onerror], [onload], iframe, object, embed'
        )].map(e => e.outerHTML.slice(0, 200)),
        links: [...document.querySelectorAll('a[href*="evil.example"], a[*|href*="evil.example"]')]
            .map(e => e.outerHTML.slice(0, 200)).concat(hoverLinks),
        visible: root.innerText,
        fields: [...root.querySelectorAll('input, textarea')].map(e => e.value).filter(v => v),
        plots: plots,
    });
})();
"""


GRAPHS_DRAWN = """
return [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.js-plotly-plot .main-svg'));
"""


def inspect(driver) -> dict:
    """What the page shows, once its charts are drawn (Plotly draws after Dash has settled)."""
    wait(driver).until(lambda d: d.execute_script(GRAPHS_DRAWN), "diagrammen ritades aldrig")
    found = driver.execute_async_script(INSPECT)
    found["visible"] = normalise(found["visible"])
    found["plots"] = [normalise(t) for t in found["plots"]]
    return found


def assert_inert(found: dict, where: str) -> None:
    assert found["xss"] == "undefined", f"{where}: ett skript kördes"
    assert not found["injected"], f"{where}: inskjutna element {found['injected']}"
    assert not found["links"], f"{where}: länk till angriparens sida {found['links']}"


def test_hostile_text_is_shown_as_text_on_every_page(hostile, browser):
    base_url, _app, ids = hostile
    login(browser, base_url)
    pages = {path.format(**ids): wanted for path, wanted in PAGES.items()}
    pages.update({f"/presentation?bild={n}": {} for n in range(1, ids["slides"] + 1)})
    seen: dict[str, dict] = {}
    for path, wanted in pages.items():
        open_page(browser, base_url, path)
        found = seen[path] = inspect(browser)
        assert_inert(found, path)
        for key in wanted.get("html", []):
            assert T[key] in found["visible"], f"{path}: {T[key]!r} visas inte som text"
        for key in wanted.get("plot", []):
            assert any(T[key] in text for text in found["plots"]), (
                f"{path}: {T[key]!r} inte i diagrammet: {found['plots']}"
            )
    shown = " ".join(f["visible"] + " ".join(f["plots"]) for f in seen.values())
    assert not [key for key, text in T.items() if text not in shown], "texter som aldrig visades"
    assert FILES["plan"] in seen["/ladda-upp"]["visible"] and FILES["document"] in seen["/ladda-upp"]["visible"]
    slides = [f for path, f in seen.items() if path.startswith("/presentation")]
    assert any(T["area"] in f["visible"] for f in slides)
    assert any(T["project"] in text for f in slides for text in f["plots"]), "projektet i bildspelets diagram"


def test_a_hostile_document_is_reviewed_as_text(hostile, browser, tmp_path):
    """The review of an uploaded document (Ladda upp → Dokument) shows its text, and its file name, as text."""
    base_url, _app, _ids = hostile
    login(browser, base_url)
    path = tmp_path / f"granska {SVG}.txt"
    path.write_text(MINUTES.replace("2031-03-06", "2032-04-07"), encoding="utf-8")
    upload_document(browser, base_url, path)
    wait(browser).until(lambda d: T["doc_item"] in normalise(d.find_element("id", "react-entry-point").text))
    wait_for_dash_idle(browser)
    found = inspect(browser)
    assert_inert(found, "granskningen")
    assert path.name in found["visible"]
    assert T["doc_place"] in found["fields"]  # the place is an input to correct, its value the literal text
    assert T["doc_item"] in found["visible"]  # the agenda item, in its grid


# --- the exports ----------------------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture(scope="module")
def admin_client(hostile):
    _base_url, app, _ids = hostile
    client = app.server.test_client()
    assert do_login(client, "admin").status_code == 302
    return client


@pytest.mark.parametrize(
    "endpoint, keys",
    [
        ("projects", ["project", "description", "owner_org", "contact", "phase", "funder", "area"]),
        ("tasks", ["task", "task_owner"]),
        ("meetings", ["meeting_title", "meeting_place", "doc_place", "doc_item"]),
        ("plan", ["area", "activity", "responsible"]),
        ("funding", ["funder", "project"]),
    ],
)
def test_the_csv_api_keeps_hostile_text_literal_and_runs_no_formula(admin_client, endpoint, keys):
    response = admin_client.get(f"/api/{endpoint}?format=csv")
    assert response.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";") for c in row]
    text = "\n".join(cells)
    for key in keys:
        assert T[key] in text, (endpoint, key)
    assert not [c for c in cells if c.startswith(FORMULA_START) and not NUMBER.fullmatch(c)]
    if endpoint == "projects":
        assert "'" + FORMULA_OWNER in cells  # the contact's role, a cell of its own
    if endpoint == "funding":
        assert "'" + FORMULA_FUNDER in cells


def test_the_meeting_pack_keeps_hostile_text_literal(admin_client):
    response = admin_client.get("/export/paket.xlsx")
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in values if c.data_type == "f"], "formler i Excel-paketet"
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        assert not [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]
    strings = {str(c.value) for c in values}
    text = "\n".join(strings)
    for key in ("project", "task", "funder", "area"):
        assert T[key] in text, key
    assert FORMULA_FUNDER in strings  # as text, exactly as written

    response = admin_client.get("/export/paket.pptx")
    assert response.status_code == 200
    deck = Presentation(io.BytesIO(response.data))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.has_chart:
                texts += [str(c) for plot in shape.chart.plots for c in plot.categories]
    text = "\n".join(texts)
    for literal in (T["task"], T["task_owner"], T["area"], T["doc_task"], *FILES.values()):
        assert literal in text, literal
    assert f"Projekt {IMG}" in text  # long names are shortened with … on the slides
