"""The funding mix: stated budgets against the sum of their funders, on a common basis."""

from __future__ import annotations

import datetime as dt
from typing import Any


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
