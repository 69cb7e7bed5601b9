"""Möten: the meetings newest first (a page at a time), and one meeting with its agenda, decisions, tasks and the
follow-up list for the next meeting."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from layouts.components import data_table, empty_state, page_header, status_badge
from layouts.format import format_date, format_number

LIST_TABLE = "meetings-table"
PAGER = "meetings-pager"
FOLLOW_UP = "meeting-follow-up"
AGENDA = "meeting-agenda"
PARTICIPANTS = "meeting-participants"


def meeting_name(kind: str, date: str) -> str:
    return f"{kind[:1].upper()}{kind[1:]} {format_date(date, long=True)}"


def _times(m: dict) -> str | None:
    if not m["start_time"]:
        return None
    return m["start_time"] + (f"–{m['end_time']}" if m["end_time"] else "")


# --- /moten ----------------------------------------------------------------------------------------------------------


def meeting_pager(page: int, pages: int, href, *, pager_id: str = PAGER) -> html.Nav | None:
    """ "← Nyare möten · Sida n av m · Äldre möten →" (None with one page); `href(n)` is the address of page n."""
    if pages <= 1:
        return None
    links = []
    if page > 1:
        links.append(dcc.Link("← Nyare möten", href=href(page - 1), className="btn btn-outline-primary btn-sm"))
    links.append(html.Span(f"Sida {page} av {pages}", className="mx-3"))
    if page < pages:
        links.append(dcc.Link("Äldre möten →", href=href(page + 1), className="btn btn-outline-primary btn-sm"))
    return html.Nav(
        links, id=pager_id, className="d-flex align-items-center my-3 d-print-none", **{"aria-label": "Sidor med möten"}
    )


def meetings_page(data: dict, *, kommun: str | None, suffix: str, page_href) -> html.Div:
    """The list: date (a link to the meeting), kind and title, place, agenda items and open tasks; `page_href(n)`
    is the address of page n, `suffix` the query string that keeps the municipality filter on links."""
    header = html.Div(
        [
            page_header("Möten", "Kommunchefsmöten, regionråd och andra möten, senaste först"),
            html.P(dcc.Link("Uppföljningslista inför nästa möte →", href=f"/uppfoljning{suffix}")),
        ]
    )
    if not data["rows"]:
        return html.Div([header, empty_state("Inga möten är inlästa ännu.")])
    first = (data["page"] - 1) * data["page_size"] + 1
    last = first + len(data["rows"]) - 1
    rows = [
        [
            dcc.Link(format_date(m["date"], long=True), href=f"/moten/{m['id']}{suffix}", className="text-nowrap"),
            html.Span([m["kind"][:1].upper() + m["kind"][1:], html.Br() if m["title"] else None, m["title"]]),
            m["place"] or "–",
            format_number(m["agenda_item_count"]),
            format_number(m["open_task_count"]),
        ]
        for m in data["rows"]
    ]
    counted = f" Öppna uppdrag räknar de uppdrag som berör {kommun}." if kommun else ""
    return html.Div(
        [
            header,
            html.P(
                f"{format_number(data['total'])} möten. Öppna uppdrag är de med status öppen eller pågår.{counted}",
                className="text-body-secondary",
            ),
            html.Div(
                data_table(
                    ["Datum", "Möte", "Plats", "Dagordningspunkter", "Öppna uppdrag"],
                    rows,
                    caption=f"Möten {format_number(first)}–{format_number(last)} av {format_number(data['total'])}, "
                    "senaste först",
                ),
                id=LIST_TABLE,
            ),
            meeting_pager(data["page"], data["pages"], page_href),
        ]
    )


# --- /moten/<id> -----------------------------------------------------------------------------------------------------


def _due(t: dict) -> list:
    parts: list = [f"Klart senast {t['due_date']}" if t["due_date"] else "Inget datum"]
    if t["due_text"]:
        parts.append(f" (”{t['due_text']}”)")
    if t["overdue"]:
        parts += [" ", html.Span("Försenat", className="badge text-bg-danger")]
    return parts


def _task_item(t: dict, *, with_owners: bool = True) -> html.Li:
    owners = ", ".join(t["owners"]) or "ingen ansvarig angiven"
    return html.Li(
        [
            status_badge(t["status"]),
            " ",
            t["text"],
            html.Div(
                ([f"Ansvarig: {owners}. "] if with_owners else []) + _due(t) + ["."],
                className="small text-body-secondary",
            ),
        ],
        className="mb-2",
    )


def _agenda_item(a: dict) -> html.Section:
    parts: list = [html.H3(f"{a['number']}. {a['title']}", className="h5 mt-4")]
    if a["presenter"]:
        parts.append(html.P(f"Föredragande: {a['presenter']}", className="small text-body-secondary mb-1"))
    if a["notes"]:
        parts.append(html.P(a["notes"]))
    if a["decisions"]:
        parts += [html.H4("Beslut", className="h6"), html.Ul([html.Li(d) for d in a["decisions"]])]
    if a["tasks"]:
        parts += [html.H4("Uppdrag", className="h6"), html.Ul([_task_item(t) for t in a["tasks"]], className="ps-3")]
    return html.Section(parts)


def _participants(m: dict):
    if not m["participants"]:
        return html.P("Inga deltagare antecknade.")
    return data_table(
        ["Namn", "Roll", "Anteckning"],
        [[p["name"], ", ".join(p["roles"]) or "–", p["note"] or "–"] for p in m["participants"]],
        caption="Deltagare och deras roller",
    )


def _next_meeting(m: dict, suffix: str):
    nxt = m["next_meeting"]
    if nxt is None:
        return "Inget nästa möte inläst."
    when = format_date(nxt["date"], long=True)
    label = meeting_name(nxt["kind"], nxt["date"]) if nxt["kind"] else when
    text = dcc.Link(label, href=f"/moten/{nxt['id']}{suffix}") if nxt["id"] else f"{when} (inte inläst ännu)"
    return [text, "" if nxt["stated"] else " (nästa inlästa möte; protokollet anger inget datum)"]


def follow_up_sections(sections: list[dict], task_item) -> list:
    """A follow-up list (data.meetings.follow_up): per agenda item a heading, per owner or owners a subheading, and
    each task drawn by `task_item`."""
    out = []
    for section in sections:
        heading = (
            f"Punkt {section['number']}: {section['title']}" if section["number"] is not None else section["title"]
        )
        out.append(html.H3(heading, className="h5 mt-3"))
        for group in section["groups"]:
            out += [
                html.H4(
                    f"Ansvarig: {', '.join(group['owners'])}" if group["owners"] else "Ingen ansvarig angiven",
                    className="h6 fw-bold mt-3 mb-2",
                ),
                html.Ul([task_item(t) for t in group["tasks"]], className="ps-3"),
            ]
    return out


def _follow_up(m: dict) -> list:
    if not m["follow_up"]:
        return [html.P("Inga öppna uppdrag från det här mötet.")]
    return follow_up_sections(m["follow_up"], lambda t: _task_item(t, with_owners=False))


def _follow_up_href(meeting_id: int, suffix: str) -> str:
    """The follow-up list for this meeting (the open tasks of the meetings before it), keeping the filter."""
    return f"/uppfoljning?mote={meeting_id}" + ("&" + suffix.lstrip("?") if suffix else "")


def meeting_detail_page(m: dict | None, *, requested_id: str, kommun: str | None, suffix: str) -> html.Div:
    back = dcc.Link("← Alla möten", href=f"/moten{suffix}", className="d-inline-block mb-3")
    if m is None:
        return html.Div(
            [
                page_header("Mötet finns inte"),
                html.P(f"Det finns inget möte med nummer {requested_id}. Det kan ha tagits bort."),
                back,
            ]
        )
    facts = [
        ("Datum", format_date(m["date"], long=True)),
        ("Tid", _times(m) or "ej angiven"),
        ("Plats", m["place"] or "ej angiven"),
        ("Sekreterare", m["secretary"] or "ej angiven"),
        ("Nästa möte", _next_meeting(m, suffix)),
        ("Uppföljning", html.A("Öppna uppdrag inför nästa möte", href=f"#{FOLLOW_UP}")),
        ("Inför mötet", dcc.Link("Uppföljningslista inför detta möte", href=_follow_up_href(m["id"], suffix))),
    ]
    scope = []
    if kommun:
        total = m["task_count"] + m["hidden_task_count"]
        scope = [
            dbc.Alert(
                f"Visar de uppdrag som berör {kommun}: {format_number(m['task_count'])} av {format_number(total)}.",
                color="info",
            )
        ]
    agenda = [_agenda_item(a) for a in m["agenda_items"]] or [html.P("Ingen dagordning inläst.")]
    if m["other_tasks"]:
        agenda.append(
            html.Section(
                [
                    html.H3("Uppdrag utan dagordningspunkt", className="h5 mt-4"),
                    html.Ul([_task_item(t) for t in m["other_tasks"]], className="ps-3"),
                ]
            )
        )
    nxt = m["next_meeting"]
    follow_title = "Uppföljning inför nästa möte" + (
        f" ({format_date(nxt['date'], long=True)})" if nxt and nxt["stated"] else ""
    )
    return html.Div(
        [
            back,
            page_header(meeting_name(m["kind"], m["date"]), m["title"]),
            *scope,
            html.Dl(
                [
                    x
                    for term, value in facts
                    for x in (html.Dt(term, className="col-sm-3"), html.Dd(value, className="col-sm-9"))
                ],
                className="row",
            ),
            html.Section([html.H2("Deltagare", className="h4 mt-4"), _participants(m)], id=PARTICIPANTS),
            html.Section([html.H2("Dagordning", className="h4 mt-4"), *agenda], id=AGENDA),
            html.Section(
                [
                    html.H2(follow_title, className="h4 mt-5"),
                    html.P(
                        "Mötets uppdrag som är öppna eller pågår, per dagordningspunkt och ansvarig.",
                        className="text-body-secondary",
                    ),
                    *_follow_up(m),
                ],
                id=FOLLOW_UP,
                className="border-top mt-4",
            ),
        ]
    )
