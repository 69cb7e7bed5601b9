"""The meeting pack as PowerPoint (16:9, Swedish): a title slide with the filter and date, the overview figures, the
signals that need attention, one slide per focus area, the timeline, the funding mix, the gap between budget and
funders, what changed since the last meeting, and the open tasks.

Charts are native PowerPoint charts (a kommun can restyle them); the timeline is a stacked bar chart whose first,
unfilled series places each bar at its start date. Every slide has a real title placeholder, so that the slide list
and screen readers name it. Long tables continue on further slides ("forts."), up to a limit per section after
which the slide says how many rows are left and that the Excel pack has them all.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from data.format import format_date, format_kr, format_number

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
INK = RGBColor(0x1F, 0x1F, 0x1F)
MUTED = RGBColor(0x59, 0x59, 0x59)  # 7:1 on white
ACCENT = RGBColor(0x00, 0x5A, 0x9C)
ROWS_PER_SLIDE = 11
MAX_SLIDES_PER_SECTION = 15
TIMELINE_ROWS = 12
EXCEL_EPOCH = dt.date(1899, 12, 30)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STATUS_WORDS = {"pågår": "Pågår", "planerad": "Planerad", "pausad": "Pausad", "avslutad": "Avslutad", "klar": "Klar"}


def clean(value: Any) -> str:
    """Text safe for the file's XML: characters XML cannot hold are dropped (a pasted control character would
    otherwise make PowerPoint refuse the file)."""
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


def _short(text: str, limit: int) -> str:
    text = clean(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Deck:
    def __init__(self, pack: dict[str, Any]):
        self.pack = pack
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = WIDTH, HEIGHT
        self.footer = f"Umeåregionen – strategisk uppföljning · {pack['filter_text']} · {format_date(pack['today'])}"

    def slide(self, title: str):
        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # "Title Only": a real title placeholder
        t = s.shapes.title
        t.left, t.top, t.width, t.height = MARGIN, Inches(0.3), WIDTH - 2 * MARGIN, Inches(0.9)
        t.text_frame.text = clean(title)
        p = t.text_frame.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        p.runs[0].font.size = Pt(30 if len(title) <= 45 else 24)
        p.runs[0].font.bold, p.runs[0].font.color.rgb = True, INK
        self.text(s, self.footer + f" · bild {len(self.prs.slides)}", top=HEIGHT - Inches(0.45), size=11, color=MUTED)
        return s

    def text(
        self,
        slide,
        lines: str | Iterable[str],
        *,
        top,
        left=MARGIN,
        width=None,
        height=Inches(0.4),
        size=18,
        color=INK,
        bold=False,
    ):
        box = slide.shapes.add_textbox(left, top, width or (WIDTH - 2 * MARGIN), height)
        tf = box.text_frame
        tf.word_wrap = True
        for i, line in enumerate([lines] if isinstance(lines, str) else list(lines)):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = clean(line)
            run.font.size, run.font.color.rgb, run.font.bold = Pt(size), color, bold
        return box

    def table(self, slide, columns: list[tuple[str, float]], rows: list[list[str]], *, top, left=MARGIN, size=13):
        """A table of text; `columns` are (header, width in inches)."""
        shape = slide.shapes.add_table(
            len(rows) + 1, len(columns), left, top, Inches(sum(w for _, w in columns)), Inches(0.4) * (len(rows) + 1)
        )
        table = shape.table
        for c, (header, width) in enumerate(columns):
            table.columns[c].width = Inches(width)
            self._cell(table.cell(0, c), header, size, bold=True)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                self._cell(table.cell(r, c), value, size)
        return shape

    @staticmethod
    def _cell(cell, value: str, size: int, bold: bool = False):
        cell.text = clean(value)
        for p in cell.text_frame.paragraphs:
            for run in p.runs:
                run.font.size, run.font.bold = Pt(size), bold
        cell.margin_top = cell.margin_bottom = Emu(45720)

    def table_slides(
        self,
        title: str,
        columns,
        rows: list[list[str]],
        *,
        empty: str,
        intro: str | None = None,
        per_slide: int = ROWS_PER_SLIDE,
    ):
        """A table over as many slides as it needs (up to MAX_SLIDES_PER_SECTION), "forts." on the later ones."""
        if not rows:
            s = self.slide(title)
            self.text(s, [intro, empty] if intro else empty, top=Inches(1.4), height=Inches(1))
            return
        chunks = [rows[i : i + per_slide] for i in range(0, len(rows), per_slide)]
        shown = chunks[:MAX_SLIDES_PER_SECTION]
        for i, chunk in enumerate(shown):
            count = "" if len(shown) == 1 else f" ({i + 1}/{len(shown)})"
            s = self.slide(f"{title}{count}" if i == 0 else f"{title}, forts.{count}")
            top = Inches(1.3)
            if intro and i == 0:
                self.text(s, intro, top=top, size=16, color=MUTED)
            top = Inches(1.8)
            self.table(s, columns, chunk, top=top)
        left = sum(len(c) for c in chunks[MAX_SLIDES_PER_SECTION:])
        if left:
            self.text(
                s,
                f"… och {format_number(left)} rader till: Excel-paketet har alla.",
                top=HEIGHT - Inches(0.95),
                size=14,
                color=MUTED,
            )

    def bar_chart(
        self,
        slide,
        categories: list[str],
        series: list[tuple[str, list[float]]],
        *,
        top,
        left=MARGIN,
        width=None,
        height=Inches(4.8),
        number_format='#,##0 "kr"',
        kind=XL_CHART_TYPE.BAR_CLUSTERED,
        title: str | None = None,
        alt: str,
    ):
        """A native chart (restylable in PowerPoint) with `alt` as its alternative text for screen readers."""
        data = CategoryChartData(number_format=number_format)
        data.categories = [_short(c, 45) for c in categories]
        for name, values in series:
            data.add_series(clean(name), values)
        frame = slide.shapes.add_chart(kind, left, top, width or (WIDTH - 2 * MARGIN), height, data)
        frame._element.nvGraphicFramePr.cNvPr.set("descr", clean(alt))  # python-pptx has no API for alt text
        chart = frame.chart
        chart.font.size = Pt(14)
        chart.has_legend = len(series) > 1
        if title:
            chart.has_title = True
            chart.chart_title.text_frame.text = clean(title)
        return chart


def _title_slide(deck: _Deck, pack: dict) -> None:
    s = deck.prs.slides.add_slide(deck.prs.slide_layouts[0])
    title, subtitle = s.shapes.title, s.placeholders[1]
    title.left, title.top, title.width, title.height = MARGIN, Inches(1.8), WIDTH - 2 * MARGIN, Inches(1.6)
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.6), WIDTH - 2 * MARGIN, Inches(2.4)
    title.text_frame.text = "Umeåregionen – strategisk uppföljning"
    plan = pack["plan"]
    lines = [
        f"Underlag {format_date(pack['today'], long=True)}",
        pack["filter_text"],
        f"Förändringar {pack['changes']['label']}",
    ]
    if plan:
        lines.append(f"Verksamhetsplan {plan['year']}" + (f": {plan['title']}" if plan.get("title") else ""))
    if pack["filter"].kommun:
        kommun = pack["filter"].kommun
        lines.append(f"Projekt och uppdrag som berör {kommun}; planens aktiviteter gäller hela regionen.")
    tf = subtitle.text_frame
    tf.text = clean(lines[0])
    for line in lines[1:]:
        tf.add_paragraph().text = clean(line)
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for run in p.runs:
            run.font.size = Pt(20)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT


def _figures_slide(deck: _Deck, pack: dict) -> None:
    f = pack["figures"]
    s = deck.slide("Översikt")
    tiles = [
        ("Projekt", format_number(f["project_count"])),
        ("Pågående projekt", format_number(f["active_projects"])),
        ("Total budget (kr)", format_number(f["total_budget"])),
        ("Öppna uppdrag", format_number(f["open_tasks"])),
        ("Försenade uppdrag", format_number(f["overdue_tasks"])),
    ]
    width = (WIDTH - 2 * MARGIN - Inches(0.2) * 4) / 5
    for i, (label, value) in enumerate(tiles):
        left = MARGIN + i * (width + Inches(0.2))
        box = s.shapes.add_shape(1, left, Inches(1.4), width, Inches(1.5))  # 1 = rectangle
        box.fill.solid()
        box.fill.fore_color.rgb = RGBColor(0xF2, 0xF5, 0xF9)
        box.line.color.rgb = ACCENT
        tf = box.text_frame
        tf.word_wrap = True
        tf.text = value
        tf.paragraphs[0].runs[0].font.size, tf.paragraphs[0].runs[0].font.bold = Pt(22), True
        tf.paragraphs[0].runs[0].font.color.rgb = INK
        p = tf.add_paragraph()
        p.text = label
        p.runs[0].font.size, p.runs[0].font.color.rgb = Pt(15), MUTED
    notes = []
    if f["projects_without_budget"]:
        notes.append(f"{f['projects_without_budget']} projekt saknar budget eller tidsram och räknas inte i totalen.")
    notes.append("Budget: varje projekts angivna budget över hela dess tidsram.")
    deck.text(s, notes, top=Inches(3.0), size=13, color=MUTED, height=Inches(0.6))
    counts: dict[str, int] = {}
    for p in pack["projects"]:
        counts[p["status"]] = counts.get(p["status"], 0) + 1
    if counts:
        order = [k for k in STATUS_WORDS if k in counts] + [k for k in counts if k not in STATUS_WORDS]
        chart = deck.bar_chart(
            s,
            [STATUS_WORDS.get(k, k) for k in order],
            [("Antal projekt", [counts[k] for k in order])],
            top=Inches(3.7),
            height=Inches(3.2),
            number_format="0",
            kind=XL_CHART_TYPE.COLUMN_CLUSTERED,
            title="Projekt per status",
            alt="Antal projekt per status: " + ", ".join(f"{STATUS_WORDS.get(k, k)} {counts[k]}" for k in order) + ".",
        )
        chart.value_axis.major_unit = max(1, -(-max(counts.values()) // 8))
        chart.value_axis.tick_labels.number_format = "0"
        chart.value_axis.tick_labels.number_format_is_linked = False


def _signals_slides(deck: _Deck, pack: dict) -> None:
    rows = [
        [group["label"], _short(sig["title"], 70), _short(sig["reason"], 160)]
        for group in pack["signals"]["groups"]
        for sig in group["signals"]
    ]
    deck.table_slides(
        f"Att uppmärksamma ({format_number(len(rows))})",
        [("Typ", 3.2), ("Vad", 3.6), ("Varför", 5.5)],
        rows,
        empty="Inget att uppmärksamma.",
        per_slide=7,
    )


def _time(p: dict) -> str:
    if p["start"] or p["end"]:
        return f"{format_date(p['start'])} – {format_date(p['end'])}"
    return p.get("time_frame_text") or "ingen tidsram"


def _focus_area_slides(deck: _Deck, pack: dict) -> None:
    per = 8
    for fa in pack["focus_areas"]:
        acts = [[_short(a["title"], 80), _short(a["responsible"] or "–", 30), a["status"]] for a in fa["activities"]]
        projs = [[_short(p["name"], 60), STATUS_WORDS.get(p["status"], p["status"]), _time(p)] for p in fa["projects"]]
        pages = max(1, -(-max(len(acts), len(projs)) // per))
        for i in range(min(pages, MAX_SLIDES_PER_SECTION)):
            title = f"Insatsområde: {fa['name']}" + (f" ({i + 1}/{pages})" if pages > 1 else "")
            s = deck.slide(title)
            status = f"Status: {fa['label']}"
            parts = [x for x in (fa["activities_text"], fa["projects_text"]) if x]
            deck.text(s, status + (" · " + " · ".join(parts) if parts else ""), top=Inches(1.2), size=16, bold=True)
            a_chunk, p_chunk = acts[i * per : (i + 1) * per], projs[i * per : (i + 1) * per]
            deck.text(s, "Aktiviteter", top=Inches(1.75), width=Inches(6.1), size=16, color=ACCENT, bold=True)
            deck.text(
                s, "Projekt", top=Inches(1.75), left=Inches(6.85), width=Inches(6), size=16, color=ACCENT, bold=True
            )
            if a_chunk:
                deck.table(
                    s, [("Aktivitet", 3.6), ("Ansvarig", 1.5), ("Status", 1.0)], a_chunk, top=Inches(2.2), size=12
                )
            else:
                deck.text(s, "Inga aktiviteter." if i == 0 else "", top=Inches(2.2), width=Inches(6), size=14)
            if p_chunk:
                deck.table(
                    s,
                    [("Projekt", 2.9), ("Status", 1.0), ("Tid", 2.1)],
                    p_chunk,
                    top=Inches(2.2),
                    left=Inches(6.85),
                    size=12,
                )
            else:
                deck.text(
                    s,
                    "Inga projekt i urvalet." if i == 0 else "",
                    top=Inches(2.2),
                    left=Inches(6.85),
                    width=Inches(6),
                    size=14,
                )


def _serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def _timeline_slides(deck: _Deck, pack: dict) -> None:
    dated = [p for p in pack["projects"] if p["start"] and p["end"] and p["status"] != "avslutad"]
    dated.sort(key=lambda p: (p["start"], p["end"], p["name"]))
    undated = sum(1 for p in pack["projects"] if not (p["start"] and p["end"]))
    closed = sum(1 for p in pack["projects"] if p["status"] == "avslutad")
    note = [f"Idag: {format_date(pack['today'])}."]
    if undated:
        note.append(f"{undated} projekt saknar start- eller slutdatum och visas inte.")
    if closed:
        note.append(f"{closed} avslutade projekt visas inte.")
    if not dated:
        s = deck.slide("Tidslinje")
        deck.text(
            s,
            ["Inga pågående, planerade eller pausade projekt med tidsram.", *note],
            top=Inches(1.4),
            height=Inches(1.2),
        )
        return
    chunks = [dated[i : i + TIMELINE_ROWS] for i in range(0, len(dated), TIMELINE_ROWS)]
    shown = chunks[:MAX_SLIDES_PER_SECTION]
    lo = min(_serial(p["start"]) for p in dated)
    hi = max(_serial(p["end"]) for p in dated)
    for i, chunk in enumerate(shown):
        s = deck.slide("Tidslinje" + (f" ({i + 1}/{len(shown)})" if len(shown) > 1 else ""))
        deck.text(s, " ".join(note), top=Inches(1.15), size=13, color=MUTED)
        chart = deck.bar_chart(
            s,
            [f"{p['name']} ({STATUS_WORDS.get(p['status'], p['status']).lower()})" for p in chunk],
            [
                ("Start", [_serial(p["start"]) for p in chunk]),
                ("Tid (dagar)", [(p["end"] - p["start"]).days + 1 for p in chunk]),
            ],
            top=Inches(1.6),
            height=HEIGHT - Inches(2.2),
            number_format="yyyy-mm-dd",
            kind=XL_CHART_TYPE.BAR_STACKED,
            alt="Tidslinje: "
            + "; ".join(f"{p['name']} {format_date(p['start'])} – {format_date(p['end'])}" for p in chunk)
            + ".",
        )
        chart.has_legend = False
        offset, length = chart.plots[0].series
        offset.format.fill.background()
        offset.format.line.fill.background()
        length.format.fill.solid()
        length.format.fill.fore_color.rgb = ACCENT
        chart.plots[0].gap_width = 60
        chart.category_axis.reverse_order = True
        chart.category_axis.tick_labels.font.size = Pt(12)
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale = lo - 15, hi + 15
        axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "yyyy-mm", False
        axis.has_major_gridlines = True
    left = sum(len(c) for c in chunks[MAX_SLIDES_PER_SECTION:])
    if left:
        deck.text(
            s, f"… och {left} projekt till: Excel-paketet har alla.", top=HEIGHT - Inches(0.95), size=14, color=MUTED
        )


def _funding_slides(deck: _Deck, pack: dict) -> None:
    mix = pack["funding_mix"]
    s = deck.slide("Finansieringsmix")
    rows = [r for r in mix["rows"] if r["amount"]]
    intro = [
        f"Summa {format_kr(mix['total'])} över projektens hela tidsram. "
        "”Ej specificerat” är den del av budgeten som finansiärerna inte täcker."
    ]
    if mix["uncounted_lines"]:
        intro.append(f"{mix['uncounted_lines']} finansieringsrader saknar belopp eller tidsram och räknas inte.")
    deck.text(s, intro, top=Inches(1.2), size=14, color=MUTED, height=Inches(0.7))
    if rows:
        chart = deck.bar_chart(
            s,
            [r["label"] for r in rows],
            [("Belopp (kr)", [r["amount"] for r in rows])],
            top=Inches(2.0),
            height=HEIGHT - Inches(2.6),
            alt="Finansiering per typ av finansiär: "
            + "; ".join(f"{r['label']} {format_kr(r['amount'])}" for r in rows)
            + ".",
        )
        chart.category_axis.reverse_order = True
        chart.value_axis.tick_labels.number_format = "#,##0"
        chart.value_axis.tick_labels.number_format_is_linked = False
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format, labels.number_format_is_linked = '#,##0 "kr"', False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(13)
    else:
        deck.text(s, "Inga belopp att visa.", top=Inches(2.2))
    gap_rows = []
    for p in pack["projects"]:
        if p["budget_amount"] is None and not p["funding"]:
            continue
        gap = p["unspecified_amount"]
        gap_rows.append(
            (
                -(gap or 0),
                p["name"],
                [
                    _short(p["name"], 60),
                    format_kr(p["budget_amount"], p["budget_period"]),
                    format_kr(p["funding_sum"], p["funding_sum_period"]) if p["funding_sum"] is not None else "–",
                    "kan inte beräknas" if gap is None else format_kr(gap, p["budget_period"]),
                ],
            )
        )
    gap_rows.sort(key=lambda r: (r[0], r[1]))
    deck.table_slides(
        "Budget och finansiärer per projekt",
        [("Projekt", 5.0), ("Budget", 2.4), ("Finansiärerna", 2.4), ("Ej specificerat", 2.5)],
        [r[2] for r in gap_rows],
        empty="Inga projekt med budget eller finansiärer.",
        intro="Störst lucka först. En negativ lucka betyder att finansiärerna ger mer än budgeten.",
    )


def _change_rows(changes: dict) -> list[list[str]]:
    rows = []
    tasks = changes["tasks"]
    for key, word in (("added", "Nytt uppdrag"), ("completed", "Klart"), ("overdue", "Nu försenat")):
        for t in tasks[key]:
            rows.append([word, _short(t["text"], 80), "", _when(t)])
    for t in tasks["redated"]:
        rows.append(
            ["Nytt datum", _short(t["text"], 80), f"{t['old_due_date'] or '–'} → {t['due_date'] or '–'}", _when(t)]
        )
    for p in changes["projects"]:
        for c in p["changes"]:
            rows.append(
                [f"Projekt: {c['label']}", _short(p["name"], 80), f"{_value(c['old'])} → {_value(c['new'])}", _when(c)]
            )
    for a in changes["activities"]:
        rows.append(["Aktivitet", _short(a["title"], 80), f"{a['old_status']} → {a['new_status']}", _when(a)])
    for b in changes["imports"]:
        counts = b["counts"] or {}
        what = ", ".join(f"{v} {k}" for k, v in counts.items() if v) or "inga rader"
        rows.append([f"Import ({b['kind']})", _short(b["filename"] or "", 60), what, _when(b)])
    return rows


def _value(v: Any) -> str:
    if v is None or v == "":
        return "–"
    if isinstance(v, int | float) and not isinstance(v, bool):
        return format_number(v)
    return clean(v)


def _when(d: dict) -> str:
    at = d.get("at") or ""
    who = d.get("username")
    return at[:10] + (f", {who}" if who else "")


def _changes_slides(deck: _Deck, pack: dict) -> None:
    changes = pack["changes"]
    deck.table_slides(
        f"Förändringar {changes['label']}",
        [("Vad", 2.6), ("Vilket", 4.6), ("Före → efter", 3.1), ("När, av vem", 2.0)],
        _change_rows(changes),
        empty=f"Inga förändringar {changes['label']}.",
    )


def _tasks_slides(deck: _Deck, pack: dict) -> None:
    tasks = sorted(pack["tasks"], key=lambda t: (not t["overdue"], t["due"] is None, t["due"] or dt.date.min, t["id"]))
    overdue = sum(t["overdue"] for t in tasks)
    rows = []
    for t in tasks:
        due = format_date(t["due"]) if t["due"] else (t["due_text"] or "–")
        if t["due"] and t["due_text"]:
            due += f" ({_short(t['due_text'], 30)})"
        status = ("Försenat, " if t["overdue"] else "") + t["status"]
        source = format_date(t["meeting"]) if t["meeting"] else "–"
        if t["agenda_item_number"]:
            source += f" § {t['agenda_item_number']}"
        rows.append([_short(t["text"], 110), _short(", ".join(t["owners"]) or "–", 40), due, status, source])
    deck.table_slides(
        f"Öppna uppdrag ({len(tasks)}, varav {overdue} försenade)",
        [("Uppdrag", 5.2), ("Ansvarig", 2.0), ("Klart senast", 2.2), ("Status", 1.5), ("Möte", 1.43)],
        rows,
        empty="Inga öppna uppdrag.",
        per_slide=8,
    )


def build_pptx(pack: dict[str, Any]) -> bytes:
    """The pack as a .pptx file's bytes."""
    deck = _Deck(pack)
    _title_slide(deck, pack)
    _figures_slide(deck, pack)
    _signals_slides(deck, pack)
    _focus_area_slides(deck, pack)
    _timeline_slides(deck, pack)
    _funding_slides(deck, pack)
    _changes_slides(deck, pack)
    _tasks_slides(deck, pack)
    core = deck.prs.core_properties
    core.title = "Umeåregionen – strategisk uppföljning"
    core.subject = pack["filter_text"]
    core.language = "sv-SE"
    core.author = "Umeåregionen – strategisk uppföljning"
    out = io.BytesIO()
    deck.prs.save(out)
    return out.getvalue()


__all__ = ["build_pptx", "clean"]
