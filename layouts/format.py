"""Swedish number and date formats for display (kept in data/ so that exports share them)."""

from data.format import FUNDER_KIND_LABELS, MONTHS, NBSP, format_date, format_kr, format_number

__all__ = ["FUNDER_KIND_LABELS", "MONTHS", "NBSP", "format_date", "format_kr", "format_number"]
