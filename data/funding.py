"""The funding mix: stated budgets against the sum of their funders, on a common basis."""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Integer, case, cast, extract, select
from sqlalchemy.orm import Session

from data.filters import Filter
from data.models import FUNDER_KINDS, FundingLine, Municipality, Project, project_municipality
from data.municipalities import swedish_sort_key


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start's month to end's month, both included (2005-01 … 2006-12 → 24)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def whole_period_amount(
    amount: int | None, period: str | None, start: dt.date | None, end: dt.date | None
) -> int | None:
    """An amount over the project's whole time frame: a yearly amount times the years it runs.

    None where it cannot be known: no amount, or a yearly amount for a project without both dates.
    """
    if amount is None:
        return None
    if period != "år":
        return amount
    if start is None or end is None:
        return None
    return round(amount * months_between(start, end) / 12)


def funding_summary(budget: int | None, budget_period: str | None, funding: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum of the funders in the budget's own period, and the gap to the stated budget ("ej specificerat").

    Lines without an amount are counted in `funding_unknown_count` and leave the gap undetermined; lines stated in
    another period than the budget, or a budget without a period, leave the sum or the gap undetermined (None).
    """
    known = [f for f in funding if f["amount"] is not None]
    unknown = len(funding) - len(known)
    periods = {f["period"] for f in known}
    if budget_period is not None:
        period = budget_period
    else:
        period = next(iter(periods)) if len(periods) == 1 else None
    comparable = all(f["period"] == period for f in known)
    total = sum(f["amount"] for f in known) if comparable else None
    gap = None
    # A gap only where both sides are in one known period (no funders at all: the whole budget is unspecified).
    if budget is not None and budget_period is not None and total is not None and unknown == 0:
        gap = budget - total
    return {
        "funding_sum": total,
        "funding_sum_period": period if total is not None else None,
        "funding_unknown_count": unknown,
        "unspecified_amount": gap,
    }


# --- The funding mix on a common yearly basis ---------------------------------------------------------------------
#
# The rule (the page states it in Swedish): a yearly amount counts for every calendar year the project runs, pro rata
# by months in a partial year; a whole-period amount is spread evenly over the project's months and summed per
# calendar year. A month counts when the project runs on any day of it (as in `months_between`). Lines of a project
# without both dates cannot be placed on years; lines without an amount are "belopp ej angivet". The gap between the
# stated budget and the funders ("ej specificerat") is placed by the same rule.
#
# Every amount thus becomes a rate per month (a yearly amount / 12, a whole-period amount / the project's months),
# and a year gets the rate times the project's months in that year. Two queries fetch a few columns (the projects,
# and their funding lines); numpy and pandas do the rest for all projects at once.

GAP = "ej specificerat"
MIX_CATEGORIES = (*FUNDER_KINDS, GAP)
OTHERS = "Övriga"
TOP_FUNDERS = 10
LIST_LIMIT = 20
_EPSILON = 0.5  # kronor: less than this is nothing (amounts are whole kronor; spreading leaves fractions)


def place_on_years(
    amount: float | None, period: str | None, start: dt.date | None, end: dt.date | None
) -> dict[int, float] | None:
    """One amount on the common yearly basis, {year: kronor}; None when it cannot be placed (no amount, or the
    project lacks a date). A yearly amount ("år") counts for every calendar year, pro rata by months in a partial
    year; any other amount is for the whole period and is spread evenly over the project's months."""
    if amount is None or start is None or end is None:
        return None
    first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
    rate = amount / 12 if period == "år" else amount / (last - first + 1)
    return {y: rate * (min(last, y * 12 + 11) - max(first, y * 12) + 1) for y in range(start.year, end.year + 1)}


def _month_index(column):
    """Months since year 0 (2005-01 → 2005·12), computed by the database (SQLite and PostgreSQL alike)."""
    return cast(extract("year", column), Integer) * 12 + cast(extract("month", column), Integer) - 1


def _concerned(project_id, flt: Filter, kind: str | None) -> list:
    """Conditions on a project id: the project concerns the municipality, and has a funder of the kind."""
    conditions = []
    if flt.kommun:
        conditions.append(
            project_id.in_(
                select(project_municipality.c.project_id)
                .join(Municipality, Municipality.id == project_municipality.c.municipality_id)
                .where(Municipality.name == flt.kommun)
            )
        )
    if kind:
        conditions.append(project_id.in_(select(FundingLine.project_id).where(FundingLine.kind == kind)))
    return conditions


PERIOD_NAMES = (None, "år", "totalt")  # period codes: 0 none, 1 per year, 2 whole period
YEARLY, WHOLE = 1, 2
GAP_CODE = len(FUNDER_KINDS)  # kind codes: FUNDER_KINDS, then "ej specificerat"


@dataclass(frozen=True)
class FundingData:
    """The projects a view concerns (sorted by id) and their funding lines (sorted by project), as numpy columns.

    Missing numbers are NaN; kinds are codes into MIX_CATEGORIES, periods codes into PERIOD_NAMES; `pos` is each
    line's row among the projects.
    """

    ids: np.ndarray
    names: np.ndarray
    start_m: np.ndarray
    end_m: np.ndarray
    budget: np.ndarray
    budget_period: np.ndarray
    pos: np.ndarray
    funder: np.ndarray
    kind: np.ndarray
    amount: np.ndarray
    period: np.ndarray


def _fetch_columns(session: Session, query, count: int) -> list[list]:
    """The query's result as one list per column, read in parts: short-lived rows keep the garbage collector from
    scanning tens of thousands of them (which doubled the time)."""
    columns: list[list] = [[] for _ in range(count)]
    for part in session.connection().execute(query).partitions(500):
        for column, values in zip(columns, zip(*part, strict=True), strict=True):
            column.extend(values)
    return columns


def _period_code(column):
    return case({"år": YEARLY, "totalt": WHOLE}, value=column, else_=0)


def read_funding(session: Session, flt: Filter = Filter(), *, kind: str | None = None) -> FundingData:
    """Two queries of a few columns: the projects that concern the filter (and have a funder of `kind`), and their
    funding lines."""
    pid, name, start_m, end_m, budget, budget_period = _fetch_columns(
        session,
        select(
            Project.id,
            Project.name,
            _month_index(Project.start_date),
            _month_index(Project.end_date),
            Project.budget_amount,
            _period_code(Project.budget_period),
        )
        .where(*_concerned(Project.id, flt, kind))
        .order_by(Project.id),
        6,
    )
    line_pid, funder, line_kind, amount, period = _fetch_columns(
        session,
        select(
            FundingLine.project_id,
            FundingLine.funder,
            case({k: i for i, k in enumerate(FUNDER_KINDS)}, value=FundingLine.kind, else_=len(FUNDER_KINDS) - 1),
            FundingLine.amount,
            _period_code(FundingLine.period),
        )
        .where(*_concerned(FundingLine.project_id, flt, kind))
        .order_by(FundingLine.project_id, FundingLine.id),
        5,
    )
    ids = np.array(pid, dtype=np.int64)
    return FundingData(
        ids=ids,
        names=np.array(name, dtype=object),
        start_m=np.array(start_m, dtype=float),
        end_m=np.array(end_m, dtype=float),
        budget=np.array(budget, dtype=float),
        budget_period=np.array(budget_period, dtype=np.int8),
        pos=np.searchsorted(ids, np.array(line_pid, dtype=np.int64)),
        funder=np.array(funder, dtype=object),
        kind=np.array(line_kind, dtype=np.int8),
        amount=np.array(amount, dtype=float),
        period=np.array(period, dtype=np.int8),
    )


def summarise_projects(d: FundingData) -> pd.DataFrame:
    """Per project (index: id), for all projects at once: the columns of `funding_summary` (funding_sum,
    funding_sum_period, funding_unknown_count, unspecified_amount; NaN/None where it gives None), the same amounts
    over the whole time frame (budget_whole, funding_whole, unspecified_whole, as `whole_period_amount` counts), and
    the gap per month (gap_rate) where it can be placed on years."""
    n = len(d.ids)

    def per_project(mask, weights=None):
        return np.bincount(d.pos[mask], weights=None if weights is None else weights[mask], minlength=n)

    known = ~np.isnan(d.amount)
    is_year = d.period == YEARLY
    lines = np.bincount(d.pos, minlength=n)
    known_n = per_project(known)
    counts = [per_project(known & (d.period == code)) for code in range(len(PERIOD_NAMES))]  # none, år, totalt
    known_sum = per_project(known, d.amount).astype(float)

    months = d.end_m - d.start_m + 1
    line_months = months[d.pos]
    dated_line = ~np.isnan(line_months)
    rate = np.where(is_year, d.amount / 12, d.amount / line_months)
    whole = np.where(is_year, d.amount * line_months / 12, d.amount)
    rate_sum = per_project(known & dated_line, rate).astype(float)
    whole_sum = per_project(known & ~(is_year & ~dated_line), whole).astype(float)
    undetermined = per_project(known & is_year & ~dated_line)

    # The period the funders are summed in: the budget's, or else the one period all known lines share.
    kinds_of_period = sum((c > 0).astype(int) for c in counts)
    own = np.where(kinds_of_period == 1, np.argmax(np.stack(counts) > 0, axis=0) if n else 0, 0)
    period = np.where(d.budget_period > 0, d.budget_period, own)
    same = known_n == np.choose(period, counts) if n else np.zeros(0, dtype=bool)
    unknown = lines - known_n
    gap_ok = ~np.isnan(d.budget) & (d.budget_period > 0) & (unknown == 0)
    yearly_budget = d.budget_period == YEARLY
    budget_whole = np.where(yearly_budget, d.budget * months / 12, d.budget)
    budget_rate = np.where(yearly_budget, d.budget / 12, d.budget / months)
    period_names = np.array(PERIOD_NAMES, dtype=object)
    return pd.DataFrame(
        {
            "name": d.names,
            "start_m": d.start_m,
            "end_m": d.end_m,
            "months": months,
            "budget_amount": d.budget,
            "budget_period": period_names[d.budget_period],
            "funding_lines": lines,
            "funding_unknown_count": unknown,
            "funding_sum": np.where(same, known_sum, np.nan),
            "funding_sum_period": np.where(same, period_names[period], None),
            "unspecified_amount": np.where(gap_ok & same, d.budget - known_sum, np.nan),
            "budget_whole": budget_whole,
            "funding_whole": np.where(undetermined == 0, whole_sum, np.nan),
            "unspecified_whole": np.where(gap_ok & (undetermined == 0), budget_whole - whole_sum, np.nan),
            "gap_rate": np.where(gap_ok & ~np.isnan(months), budget_rate - rate_sum, np.nan),
        },
        index=pd.Index(d.ids, name="id"),
    )


def _spread(start_m: np.ndarray, end_m: np.ndarray, rate: np.ndarray):
    """Amounts at `rate` per month over start…end month, on calendar years: (row, year, kronor) per year."""
    start_m, end_m = start_m.astype(np.int64), end_m.astype(np.int64)
    first = start_m // 12
    count = end_m // 12 - first + 1
    row = np.repeat(np.arange(len(start_m)), count)
    year = first[row] + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    months_in_year = np.minimum(end_m[row], year * 12 + 11) - np.maximum(start_m[row], year * 12) + 1
    return row, year, rate[row] * months_in_year


def _kind_order(kind: str | None) -> int:
    return MIX_CATEGORIES.index(kind) if kind in MIX_CATEGORIES else len(MIX_CATEGORIES)


def funding_mix(
    session: Session,
    flt: Filter = Filter(),
    *,
    kind: str | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
) -> dict[str, Any]:
    """Everything the Finansiering page draws, aggregated (nothing in it grows with the number of projects):

    - `years`: every year with a placed amount; `by_year`: [{year, <category>: kronor, …}] for first_year…last_year;
      `categories`: the kinds (and "ej specificerat") that occur there, in the data model's order;
    - `by_funder`: the ten largest funders over those years, then "Övriga" (`funders`: how many), then
      "ej specificerat"; `funders_total` and `gap_total`: the funders' and the gap's kronor over those years;
    - `totals`: budget, funders and gap over the projects' whole time frames, summed;
    - `unplaced`: amounts in projects without both dates, as stated; `unknown`: funders without an amount, grouped by
      funder (each at most LIST_LIMIT rows, with how many more);
    - `overfunded`: projects whose funders exceed their budget (no negative gap is drawn).
    `kind` narrows to the projects with a funder of that kind, and the charts to that kind (no gap then).
    """
    d = read_funding(session, flt, kind=kind)
    projects = summarise_projects(d)
    months = projects["months"].to_numpy()
    placed = ~np.isnan(d.amount) & ~np.isnan(months[d.pos])
    if kind:
        placed &= d.kind == FUNDER_KINDS.index(kind)
    rate = np.where(d.period == YEARLY, d.amount / 12, d.amount / months[d.pos])[placed]
    line_row, year, value = _spread(d.start_m[d.pos[placed]], d.end_m[d.pos[placed]], rate)
    category = d.kind[placed][line_row]
    gap_rate = projects["gap_rate"].to_numpy()
    gap_whole = gap_rate * months
    overfunded = 0
    if not kind:
        has_gap = gap_whole > _EPSILON
        _, gap_year, gap_value = _spread(d.start_m[has_gap], d.end_m[has_gap], gap_rate[has_gap])
        year = np.concatenate([year, gap_year])
        value = np.concatenate([value, gap_value])
        category = np.concatenate([category, np.full(len(gap_year), GAP_CODE, dtype=np.int8)])
        overfunded = int((gap_whole < -_EPSILON).sum())
    # Kronor per (year, category): one bincount over year × category.
    first = int(year.min()) if len(year) else 0
    span = int(year.max()) - first + 1 if len(year) else 0
    cells = np.bincount(
        (year - first) * len(MIX_CATEGORIES) + category, weights=value, minlength=span * len(MIX_CATEGORIES)
    ).reshape(span, len(MIX_CATEGORIES))
    cells[cells <= _EPSILON] = 0.0
    present = cells.sum(axis=1) > 0
    years = [first + int(i) for i in np.flatnonzero(present)]
    lo, hi = first_year if first_year is not None else -(10**6), last_year if last_year is not None else 10**6
    rows = [i for i in np.flatnonzero(present) if lo <= first + i <= hi]
    codes = [int(c) for c in np.flatnonzero(cells[rows].sum(axis=0) > 0)] if rows else []
    categories = [MIX_CATEGORIES[c] for c in codes]
    by_year = [{"year": first + int(i), **{MIX_CATEGORIES[c]: round(float(cells[i, c])) for c in codes}} for i in rows]
    in_range = (year >= lo) & (year <= hi)
    n_lines = len(line_row)
    gap_total = round(float(value[in_range & (category == GAP_CODE)].sum()))
    funder_codes, funder_names = pd.factorize(d.funder[placed])
    chosen = in_range[:n_lines]
    by_funder = _by_funder(
        funder_codes[line_row][chosen], funder_names, category[:n_lines][chosen], value[:n_lines][chosen], gap_total
    )
    return {
        "years": years,
        "categories": categories,
        "by_year": by_year,
        "by_funder": by_funder,
        "funders_total": round(float(value[: len(line_row)][in_range[: len(line_row)]].sum())),
        "gap_total": gap_total,
        "totals": _totals(projects),
        "unplaced": _unplaced(d, projects, kind),
        "unknown": _unknown(d, kind),
        "overfunded": overfunded,
        "project_count": len(projects),
    }


def _by_funder(
    funder: np.ndarray, names: np.ndarray, kind: np.ndarray, amount: np.ndarray, gap_total: int
) -> list[dict[str, Any]]:
    """The funders' amounts (funder: codes into names): the ten largest, the rest together, then the gap. A funder
    named under several kinds is drawn in the kind that carries most of its money."""
    per_kind = np.bincount(
        funder.astype(np.int64) * len(FUNDER_KINDS) + kind, weights=amount, minlength=len(names) * len(FUNDER_KINDS)
    ).reshape(len(names), len(FUNDER_KINDS))
    totals = per_kind.sum(axis=1)
    funders = pd.DataFrame({"funder": names, "amount": totals, "kind": per_kind.argmax(axis=1) if len(names) else []})
    funders = funders[funders["amount"] > _EPSILON].sort_values(
        ["amount", "funder"], ascending=[False, True], kind="stable"
    )
    rows = [
        {"funder": r.funder, "kind": FUNDER_KINDS[r.kind], "amount": round(r.amount), "funders": 1}
        for r in funders.head(TOP_FUNDERS).itertuples()
    ]
    rest = funders.iloc[TOP_FUNDERS:]
    if len(rest):
        rows.append({"funder": OTHERS, "kind": None, "amount": round(rest["amount"].sum()), "funders": len(rest)})
    if gap_total > _EPSILON:
        rows.append({"funder": GAP, "kind": GAP, "amount": gap_total, "funders": 0})
    return rows


def _whole_kronor(value: float) -> int | None:
    return None if value is None or np.isnan(value) else round(float(value))


def _totals(projects: pd.DataFrame) -> dict[str, Any]:
    has_budget = projects["budget_amount"].notna()
    return {
        "projects": len(projects),
        "budget_whole": round(float(projects["budget_whole"].sum())),
        "funding_whole": round(float(projects["funding_whole"].sum())),
        "unspecified_whole": round(float(projects["unspecified_whole"].sum())),
        "projects_gap_unknown": int((has_budget & projects["unspecified_whole"].isna()).sum()),
        "projects_without_budget": int((~has_budget).sum()),
    }


def _unplaced(d: FundingData, projects: pd.DataFrame, kind: str | None) -> dict[str, Any]:
    """Amounts of projects without both dates, as stated: each funder with an amount, and the gap where known (the
    first LIST_LIMIT in Swedish order of project, and how many more)."""
    undated = projects["months"].isna().to_numpy()
    lines = np.flatnonzero(
        ~np.isnan(d.amount) & undated[d.pos] & (d.kind == FUNDER_KINDS.index(kind) if kind else True)
    )
    gap = projects["unspecified_amount"].to_numpy()
    gaps = np.flatnonzero(undated & ~np.isnan(gap) & (gap != 0)) if not kind else np.zeros(0, dtype=np.int64)
    # Only the first LIST_LIMIT projects (in order of name) can hold the first LIST_LIMIT rows.
    concerned = np.union1d(d.pos[lines], gaps)
    first_projects = set(heapq.nsmallest(LIST_LIMIT, concerned.tolist(), key=lambda p: _quick_key(d.names[p])))
    items = [
        (
            _quick_key(d.names[d.pos[i]]),
            int(d.kind[i]),
            _quick_key(d.funder[i]),
            d.funder[i],
            d.amount[i],
            d.period[i],
            d.pos[i],
        )
        for i in lines
        if d.pos[i] in first_projects
    ]
    items += [
        (_quick_key(d.names[p]), GAP_CODE, "", GAP, gap[p], d.budget_period[p], p) for p in gaps if p in first_projects
    ]
    items.sort(key=lambda t: t[:3])
    rows = [
        {
            "project": d.names[p],
            "funder": funder,
            "kind": MIX_CATEGORIES[k],
            "amount": round(float(amount)),
            "period": PERIOD_NAMES[period],
        }
        for _, k, _, funder, amount, period, p in items[:LIST_LIMIT]
    ]
    return {"rows": rows, "more": max(0, len(lines) + len(gaps) - LIST_LIMIT)}


_SWEDISH_TEXT = str.maketrans(
    {" ": "\x01", "-": "\x01", **{ch: chr(2 + i) for i, ch in enumerate("abcdefghijklmnopqrstuvwxyzåäö")}}
)


def _quick_key(name: str) -> str:
    """The order of `swedish_sort_key` (… Z Å Ä Ö, case-insensitive) for printable text, as a string made by one
    string method: quick enough to sort thousands of names."""
    return name.casefold().translate(_SWEDISH_TEXT)


def _unknown(d: FundingData, kind: str | None) -> dict[str, Any]:
    """Funders without a stated amount, grouped by funder and kind: how many projects, the first three named."""
    lines = np.flatnonzero(np.isnan(d.amount) & (d.kind == FUNDER_KINDS.index(kind) if kind else True))
    funder_codes, funder_names = pd.factorize(d.funder[lines])
    group = funder_codes.astype(np.int64) * len(FUNDER_KINDS) + d.kind[lines]
    keys, group_of_line, counts = np.unique(group, return_inverse=True, return_counts=True)
    order = heapq.nsmallest(
        LIST_LIMIT,
        range(len(keys)),
        key=lambda g: (-counts[g], _quick_key(funder_names[keys[g] // len(FUNDER_KINDS)])),
    )
    rows = []
    for g in order:
        names = [d.names[p] for p in d.pos[lines[group_of_line == g]]]
        rows.append(
            {
                "funder": funder_names[keys[g] // len(FUNDER_KINDS)],
                "kind": FUNDER_KINDS[keys[g] % len(FUNDER_KINDS)],
                "projects": sorted(heapq.nsmallest(3, names, key=_quick_key), key=swedish_sort_key),
                "project_count": int(counts[g]),
            }
        )
    rows.sort(key=lambda r: (-r["project_count"], swedish_sort_key(r["funder"])))
    return {"rows": rows, "more": max(0, len(keys) - LIST_LIMIT), "lines": len(lines)}


# --- The per-project table, a page at a time ----------------------------------------------------------------------

TABLE_COLUMNS = (
    "name",
    "start",
    "budget",
    "funding_sum",
    "unspecified_amount",
    "budget_whole",
    "funding_whole",
    "unspecified_whole",
)
_NUMBER_TESTS = {
    "equals": lambda s, a, b: s == a,
    "notEqual": lambda s, a, b: s != a,
    "lessThan": lambda s, a, b: s < a,
    "lessThanOrEqual": lambda s, a, b: s <= a,
    "greaterThan": lambda s, a, b: s > a,
    "greaterThanOrEqual": lambda s, a, b: s >= a,
    "inRange": lambda s, a, b: (s >= a) & (s <= b),
}
_TEXT_TESTS = {
    "contains": lambda s, v: s.str.contains(v, regex=False),
    "notContains": lambda s, v: ~s.str.contains(v, regex=False),
    "equals": lambda s, v: s == v,
    "notEqual": lambda s, v: s != v,
    "startsWith": lambda s, v: s.str.startswith(v),
    "endsWith": lambda s, v: s.str.endswith(v),
}


def _test(series: pd.Series, test: str, value: Any, value_to: Any) -> np.ndarray:
    """One filter condition on one column (a test that does not fit the column's type keeps every row)."""
    if test == "blank":
        return series.isna().to_numpy()
    if test == "notBlank":
        return series.notna().to_numpy()
    numeric = pd.api.types.is_numeric_dtype(series)
    if isinstance(value, str) and test in _TEXT_TESTS and not numeric:
        return _TEXT_TESTS[test](series.fillna("").astype(str).str.casefold(), value.casefold()).to_numpy(dtype=bool)
    number = isinstance(value, int | float) and not isinstance(value, bool) and np.isfinite(value)
    if number and test in _NUMBER_TESTS and numeric and (test != "inRange" or isinstance(value_to, int | float)):
        return _NUMBER_TESTS[test](series, value, value_to).fillna(False).to_numpy(dtype=bool)
    return np.ones(len(series), dtype=bool)


def funding_table(
    session: Session,
    flt: Filter = Filter(),
    *,
    kind: str | None = None,
    sort: list[tuple[str, bool]] | None = None,
    filters: list[tuple[str, list[tuple[str, Any, Any]], str]] | None = None,
    start: int = 0,
    end: int = 25,
) -> tuple[list[dict[str, Any]], int]:
    """Rows start…end of the per-project table, and how many rows it has in all.

    `sort`: [(column, descending)], then by name in Swedish order; `filters`: [(column, [(test, value, value_to)],
    "AND" | "OR")] with a column of TABLE_COLUMNS or "kinds" (the kinds of funder) and AG Grid's test names
    (contains, greaterThan, inRange, blank, …). Each row has the columns of `funding_summary`, the amounts over the
    whole time frame, and `mix`: [{kind, period, amount, lines, unknown}] (amount None when no line has one).
    """
    d = read_funding(session, flt, kind=kind)
    p = summarise_projects(d)
    columns = p.assign(start=p["start_m"], budget=p["budget_amount"], name=p["name"].astype(object))
    if any(column == "kinds" for column, _, _ in filters or []):
        columns["kinds"] = _kinds_text(d)
    keep = np.ones(len(p), dtype=bool)
    for column, tests, operator in filters or []:
        if column not in (*TABLE_COLUMNS, "kinds") or column == "start":
            continue
        results = [_test(columns[column], test, value, value_to) for test, value, value_to in tests]
        if results:
            keep &= np.logical_or.reduce(results) if operator == "OR" else np.logical_and.reduce(results)
    chosen = columns[keep]
    names = chosen["name"].to_numpy()
    order = sorted(range(len(chosen)), key=lambda i: _quick_key(names[i]))
    chosen = chosen.iloc[order].assign(name=np.arange(len(order)))  # from here on "name" is the Swedish rank
    for column, descending in reversed([(c, desc) for c, desc in (sort or []) if c in TABLE_COLUMNS]):
        chosen = chosen.sort_values(column, ascending=not descending, kind="stable", na_position="last")
    page = chosen.iloc[max(0, start) : max(0, end)]
    rows = [
        _table_row(pid, d.names[int(np.searchsorted(d.ids, pid))], r, _mix_of(d, pid))
        for pid, r in zip(page.index, page.itertuples(), strict=True)
    ]
    return rows, len(chosen)


def _kinds_text(d: FundingData) -> np.ndarray:
    """Per project, its kinds of funder in the data model's order ("kommunerna, EU")."""
    present = np.zeros((len(d.ids), len(FUNDER_KINDS)), dtype=bool)
    present[d.pos, d.kind] = True
    return np.array(
        [", ".join(k for k, has in zip(FUNDER_KINDS, row, strict=True) if has) for row in present], dtype=object
    )


def _mix_of(d: FundingData, project_id: int) -> list[dict[str, Any]]:
    """One project's funding per kind and period: summed amount, number of lines, lines without an amount."""
    p = int(np.searchsorted(d.ids, project_id))
    lo, hi = np.searchsorted(d.pos, p, side="left"), np.searchsorted(d.pos, p, side="right")
    parts: dict[tuple[str, str | None], dict[str, Any]] = {}
    for code, amount, period_code in zip(d.kind[lo:hi], d.amount[lo:hi], d.period[lo:hi], strict=True):
        k, period = MIX_CATEGORIES[code], PERIOD_NAMES[period_code]
        part = parts.setdefault((k, period), {"kind": k, "period": period, "amount": None, "lines": 0, "unknown": 0})
        part["lines"] += 1
        if np.isnan(amount):
            part["unknown"] += 1
        else:
            part["amount"] = (part["amount"] or 0) + int(amount)
    return sorted(parts.values(), key=lambda m: (_kind_order(m["kind"]), m["period"] or ""))


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def _table_row(project_id, name: str, r, mix: list[dict[str, Any]]) -> dict[str, Any]:
    def month(m: float) -> str | None:
        return None if np.isnan(m) else f"{int(m) // 12}-{int(m) % 12 + 1:02d}"

    return {
        "id": int(project_id),
        "name": name,
        "start": month(r.start_m),
        "end": month(r.end_m),
        "budget_amount": _whole_kronor(r.budget_amount),
        "budget_period": _text(r.budget_period),
        "funding_lines": int(r.funding_lines),
        "funding_sum": _whole_kronor(r.funding_sum),
        "funding_sum_period": _text(r.funding_sum_period),
        "funding_unknown_count": int(r.funding_unknown_count),
        "unspecified_amount": _whole_kronor(r.unspecified_amount),
        "budget_whole": _whole_kronor(r.budget_whole),
        "funding_whole": _whole_kronor(r.funding_whole),
        "unspecified_whole": _whole_kronor(r.unspecified_whole),
        "mix": mix,
    }
