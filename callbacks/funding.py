"""Finansiering: the router draws the page from aggregates; the project table fetches its rows a page at a time; the
year and kind selectors write the URL (fran, till, typ), which the router then redraws."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from dash import Input, Output, State, no_update

from callbacks.routing import Page, params_from_search, search_with, url_number
from callbacks.shell import kommun_from_search
from dashboard.database import session_scope
from data.filters import Filter, UnknownMunicipality, parse_filter
from data.funding import TABLE_COLUMNS, funding_mix, funding_table
from data.models import FUNDER_KINDS
from layouts import ids
from layouts.format import format_kr, format_number
from layouts.funding import ALL, FROM_SELECT, KIND_SELECT, PROJECT_GRID, TO_SELECT, funding_page

MAX_BLOCK = 100  # rows per request at most, whatever the client asks for


def _year(value: str | None) -> int | None:
    year = url_number(value)
    return year if year is not None and 1900 <= year <= 2200 else None


def page_params(params: dict[str, str]) -> tuple[str | None, int | None, int | None]:
    """The kind and the year range from the URL (anything not understood is ignored; a reversed range is turned)."""
    kind = params.get("typ") if params.get("typ") in FUNDER_KINDS else None
    first, last = _year(params.get("fran")), _year(params.get("till"))
    if first and last and first > last:
        first, last = last, first
    return kind, first, last


def csv_href(kommun: str | None) -> str:
    return "/api/funding?" + urlencode({"format": "csv", **({"kommun": kommun} if kommun else {})})


def totals_row(totals: dict) -> dict:
    """The grid's pinned bottom row: sums over the projects' whole time frames."""
    unknown = totals["projects_gap_unknown"]
    gap = format_number(totals["unspecified_whole"])
    return {
        "id": "summa",
        "name_md": f"**Summa, {format_number(totals['projects'])} projekt**",
        "period_text": "",
        "budget_text": "",
        "funding_text": "",
        "gap_text": "",
        "mix_text": "",
        "budget_whole_text": format_number(totals["budget_whole"]),
        "funding_whole_text": format_number(totals["funding_whole"]),
        "unspecified_whole_text": gap + (f" (okänt i {format_number(unknown)} projekt)" if unknown else ""),
    }


def build_funding(session, flt: Filter, params: dict[str, str]):
    kind, first, last = page_params(params)
    mix = funding_mix(session, flt, kind=kind, first_year=first, last_year=last)
    return funding_page(
        mix,
        kommun=flt.kommun,
        kind=kind,
        first_year=first,
        last_year=last,
        totals_row=totals_row(mix["totals"]),
        csv_href=csv_href(flt.kommun),
    )


PAGES = [Page("/finansiering", build_funding)]


# --- the project table ---------------------------------------------------------------------------------------------


def _markdown_escape(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]()#+-!<>|~" else c for c in text)


def _period_text(start: str | None, end: str | None) -> str:
    if not start and not end:
        return "saknar datum"
    return f"{start or 'okänd'} – {end or 'okänd'}"


def _mix_text(mix: list[dict]) -> str:
    """'kommunerna 2 400 000 kr/år; EU 750 000 kr/år', then the kinds whose funders gave no amount."""
    parts = [
        f"{m['kind']} {format_kr(m['amount'], m['period'])}"
        + (f" + {m['unknown']} utan belopp" if m["unknown"] else "")
        for m in mix
        if m["amount"] is not None
    ]
    unknown = list(dict.fromkeys(m["kind"] for m in mix if m["amount"] is None))
    if unknown:
        parts.append("belopp ej angivet: " + ", ".join(unknown))
    return "; ".join(parts) or "inga angivna finansiärer"


def project_row(p: dict, kommun: str | None) -> dict:
    """One row of the table as Swedish text: amounts as stated and over the whole time frame."""
    unknown = p["funding_unknown_count"]
    if unknown:
        gap = f"okänt ({unknown} {'finansiär' if unknown == 1 else 'finansiärer'} utan belopp)"
    else:
        gap = format_kr(p["unspecified_amount"], p["budget_period"])
    if not p["funding_lines"]:
        funding = "inga angivna"
    elif p["funding_sum"] is None:
        funding = "olika perioder"
    else:
        funding = format_kr(p["funding_sum"], p["funding_sum_period"]) + (
            f" + {unknown} utan belopp" if unknown else ""
        )
    suffix = "?" + urlencode({"kommun": kommun}) if kommun else ""
    return {
        "id": p["id"],
        "name_md": f"[{_markdown_escape(p['name'])}](/projekt/{p['id']}{suffix})",
        "period_text": _period_text(p["start"], p["end"]),
        "budget_text": format_kr(p["budget_amount"], p["budget_period"]),
        "funding_text": funding,
        "gap_text": gap,
        "mix_text": _mix_text(p["mix"]),
        "budget_whole_text": format_number(p["budget_whole"]),
        "funding_whole_text": format_number(p["funding_whole"]) + (f" + {unknown} utan belopp" if unknown else ""),
        "unspecified_whole_text": format_number(p["unspecified_whole"]),
    }


def _number(value):
    finite = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return value if finite else None


def _row_index(value, default: int) -> int:
    number = _number(value)
    return default if number is None else min(max(int(number), 0), 10**9)


def table_query(request: dict) -> dict:
    """AG Grid's request (startRow, endRow, sortModel, filterModel) as the arguments of data.funding.funding_table."""
    sort = [
        (item["colId"], item.get("sort") == "desc")
        for item in request.get("sortModel") or []
        if isinstance(item, dict) and isinstance(item.get("colId"), str) and item["colId"] in SORTABLE
    ]
    filters = []
    models = request.get("filterModel")
    for column, model in (models if isinstance(models, dict) else {}).items():
        if column not in FILTERABLE or not isinstance(model, dict):
            continue
        conditions = model.get("conditions") if isinstance(model.get("conditions"), list) else [model]
        tests = []
        for c in conditions:
            if not isinstance(c, dict):
                continue
            if c.get("filterType") == "number":
                value, value_to = _number(c.get("filter")), _number(c.get("filterTo"))
            else:
                value, value_to = c.get("filter") if isinstance(c.get("filter"), str) else None, None
            if value is not None or c.get("type") in ("blank", "notBlank"):
                tests.append((c.get("type"), value, value_to))
        if tests:
            filters.append((column, tests, "OR" if model.get("operator") == "OR" else "AND"))
    start = _row_index(request.get("startRow"), 0)
    end = min(_row_index(request.get("endRow"), start + 25), start + MAX_BLOCK)
    return {"sort": sort, "filters": filters, "start": start, "end": max(start, end)}


SORTABLE = set(TABLE_COLUMNS)
FILTERABLE = SORTABLE - {"start"} | {"kinds"}


def _filter_from_search(session, search: str | None) -> Filter:
    try:
        return parse_filter(session, kommun_from_search(search))
    except UnknownMunicipality:
        return Filter()


def update_project_rows(request: dict | None, search: str | None):
    """One page of the project table, for the grid's infinite row model, under the URL's filter and kind."""
    if not request or not isinstance(request, dict):
        return no_update
    kind, _, _ = page_params(params_from_search(search))
    with session_scope() as s:
        flt = _filter_from_search(s, search)
        rows, count = funding_table(s, flt, kind=kind, **table_query(request))
    return {"rowData": [project_row(r, flt.kommun) for r in rows], "rowCount": count}


def update_search(first: str | None, last: str | None, kind: str | None, search: str | None):
    """The selectors → the URL (fran, till, typ), keeping the municipality; the router then redraws the page."""

    def chosen(value: str | None) -> str | None:
        return None if value in (None, "", ALL) else value

    new = search_with(search, fran=chosen(first), till=chosen(last), typ=chosen(kind))
    return new if new != (search or "") else no_update


def register(app) -> None:
    app.callback(
        Output(PROJECT_GRID, "getRowsResponse"),
        Input(PROJECT_GRID, "getRowsRequest"),
        State(ids.URL, "search"),
    )(update_project_rows)
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(FROM_SELECT, "value"),
        Input(TO_SELECT, "value"),
        Input(KIND_SELECT, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(update_search)
