"""Inför mötet (`/uppfoljning`): the open assignments from earlier meetings, per meeting, agenda item and owner, each
with its history, to walk through at the chosen meeting.

Every text from the database is given to Dash as a plain string (never markdown or HTML).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import empty_state, page_header, status_badge
from layouts.format import format_number
from layouts.meetings import follow_up_sections, meeting_name, meeting_pager
from layouts.tasks import ACTIONS, local_time

MEETING_SELECT = "followup-meeting"
MESSAGE = "followup-message"
SUMMARY = "followup-summary"
LIST = "followup-list"
PAGER = "followup-pager"
HISTORY_TOGGLE = "followup-history-toggle"

KIND_LABELS = {"kommunchefsmöte": "Kommunchefsmöte", "regionråd": "Regionråd", "annat": "Annat möte"}


def meeting_option_label(m: dict) -> str:
    """'Kommunchefsmöte 2019-08-22'; another kind of meeting also says what it was."""
    label = f"{KIND_LABELS.get(m['kind'], m['kind'])} {m['date']}"
    return label + (f" – {m['title']}" if m["kind"] == "annat" and m["title"] else "")


def _plural(n: int, one: str, many: str) -> str:
    return f"{format_number(n)} {one if n == 1 else many}"


def _chooser(data: dict, *, meeting_href: str, history_href: str, history_open: bool) -> html.Div:
    options = [{"label": meeting_option_label(m), "value": str(m["id"])} for m in data["choices"]]
    return html.Div(
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Välj möte", html_for=MEETING_SELECT),
                        dbc.Select(id=MEETING_SELECT, options=options, value=str(data["meeting"]["id"])),
                    ],
                    md=6,
                ),
                dbc.Col(
                    html.Div(
                        [
                            dcc.Link("Visa mötet", href=meeting_href, className="me-3"),
                            dcc.Link(
                                "Stäng all historik" if history_open else "Öppna all historik (för utskrift)",
                                href=history_href,
                                id=HISTORY_TOGGLE,
                            ),
                        ],
                        className="pb-2",
                    ),
                    md=6,
                    className="d-flex align-items-end",
                ),
            ],
            className="g-3",
        ),
        className="mb-3 d-print-none",
    )


def _summary(data: dict) -> html.P | None:
    counts = data["counts"]
    if not counts["open"]:
        return None  # the empty state says it
    scope = f" som berör {data['kommun']}" if data["kommun"] else ""
    overdue = f", varav {format_number(counts['overdue'])} försenade" if counts["overdue"] else ", inga försenade"
    return html.P(
        f"{_plural(counts['open'], 'öppet uppdrag', 'öppna uppdrag')}{scope} från "
        f"{_plural(counts['meetings'], 'tidigare möte', 'tidigare möten')}{overdue}.",
        id=SUMMARY,
        className="lead",
    )


def _due(t: dict) -> list:
    parts: list = [f"Klart senast {t['due_date']}" if t["due_date"] else "Inget datum"]
    if t["due_text"]:
        parts.append(f" (”{t['due_text']}”)")
    parts.append(".")
    if t["overdue"]:
        parts += [" ", html.Span("Försenat", className="badge text-bg-danger")]
    return parts


def _event(e: dict) -> str:
    """One line of history: '2026-11-23 10:15 redaktor: status pågår → klar, ”Offerten kom.”'."""
    if e["action"] == "create":
        what = f"inläst ({e['source']})" if e["source"] else "inläst"
    elif e["action"] == "update" and e["status_before"] != e["status_after"]:
        what = f"status {e['status_before']} → {e['status_after']}"
    elif e["action"] in ("update", "note"):
        what = "notering"
    else:
        what = ACTIONS.get(e["action"], e["action"]).lower()
    return f"{local_time(e['at'])} {e['username']}: {what}" + (f", ”{e['note']}”" if e["note"] else "")


def _history(t: dict, *, history_open: bool):
    """The task's history, newest first, folded away unless `history_open` (a line each: compact on screen and on
    paper, and light for a page of a hundred tasks)."""
    if not t["history"]:
        return html.P("Ingen historik.", className="small text-body-secondary mb-0")
    return html.Details(
        [
            html.Summary(f"Historik ({format_number(len(t['history']))})"),
            html.Ul([html.Li(_event(e)) for e in t["history"]], className="mb-0 mt-1"),
        ],
        open=history_open,
        className="followup-history small",
    )


def _task(t: dict, *, history_open: bool) -> html.Li:
    return html.Li(
        [
            html.Div([status_badge(t["status"]), " ", t["text"]]),
            html.Div(_due(t), className="small text-body-secondary"),
            _history(t, history_open=history_open),
        ],
        className="mb-3",
    )


def _meeting(m: dict, *, suffix: str, history_open: bool) -> html.Section:
    overdue = f", varav {format_number(m['overdue'])} försenade" if m["overdue"] else ""
    parts: list = [
        html.H2(
            dcc.Link(meeting_name(m["kind"], m["date"]), href=f"/moten/{m['id']}{suffix}"),
            className="h4 mt-4 mb-1",
        ),
        html.P(
            (f"{m['title']}. " if m["title"] else "")
            + f"{_plural(m['open'], 'öppet uppdrag', 'öppna uppdrag')}{overdue}.",
            className="text-body-secondary",
        ),
    ]
    parts += follow_up_sections(m["sections"], lambda t: _task(t, history_open=history_open))
    return html.Section(parts, className="followup-meeting border-top mt-3")


def _empty(data: dict) -> dbc.Alert:
    date = data["meeting"]["date"]
    if not data["earlier_meeting_count"]:
        return empty_state(f"Det finns inga möten före {date}, så det finns inga uppdrag att följa upp.")
    scope = f" som berör {data['kommun']}" if data["kommun"] else ""
    return empty_state(f"Inga öppna uppdrag från tidigare möten{scope}.")


def followup_page(
    data: dict, *, message: str | None, suffix: str, page_href, history_href: str, history_open: bool
) -> html.Div:
    """The page: title with the meeting's date, the meeting chooser, a count, then each earlier meeting (newest first)
    with its open tasks per agenda item and owner. `suffix` keeps the municipality filter on links, `page_href(n)` is
    the address of page n, `history_href` opens (or closes) every task's history."""
    notice = dbc.Alert(message, color="warning", id=MESSAGE) if message else None
    m = data["meeting"]
    if m is None:
        return html.Div([page_header("Uppföljning inför mötet"), notice, empty_state("Inga möten är inlästa ännu.")])
    subtitle = meeting_name(m["kind"], m["date"]) + (f" – {m['title']}" if m["title"] else "")
    lead = (
        "Uppdrag från tidigare möten som fortfarande är öppna eller pågår, per möte (senaste först), "
        "dagordningspunkt och ansvarig. Försenat betyder att datumet har passerat i dag."
    )
    body = [_meeting(x, suffix=suffix, history_open=history_open) for x in data["meetings"]] or [_empty(data)]
    return html.Div(
        [
            page_header(f"Uppföljning inför mötet {m['date']}", subtitle),
            notice,
            _chooser(
                data,
                meeting_href=f"/moten/{m['id']}{suffix}",
                history_href=history_href,
                history_open=history_open,
            ),
            _summary(data),
            html.P(lead, className="text-body-secondary"),
            html.Div(body, id=LIST),
            meeting_pager(data["page"], data["pages"], page_href, pager_id=PAGER),
        ]
    )
