"""Plotly figures the Swedish way: colour-blind-safe colours, `4 650 000` and `0,5`, Swedish month names,
and a table alternative for every chart."""

from __future__ import annotations

import plotly.graph_objects as go
from dash import dcc, html

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
# Patterns as well as colours, so that a series can be told apart in greyscale or by a colour-blind viewer.
PATTERNS = ["", "/", ".", "x", "-", "\\", "+", "|"]

GRAPH_CONFIG = {
    "locale": "sv",
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png"},
}


def plotly_text(text: str) -> str:
    """Text from the data as Plotly shows it, as written: Plotly reads a subset of HTML in every label, tick and hover
    text (`<b>`, `<br>`, `<span style>`, `<a href>` as a link), and decodes `&lt;` `&gt;` `&amp;` (but not `&quot;`).
    Escaping these three makes a name like `<a href="…">` literal text instead of a link in the chart."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_figure(*, title: str | None = None, height: int | None = None) -> go.Figure:
    """An empty figure with the app's look: Swedish separators (decimal comma, space for thousands)."""
    fig = go.Figure()
    fig.update_layout(
        separators=", ",
        colorway=PALETTE,
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 14, "color": "#212529"},
        title={"text": title, "x": 0, "xanchor": "left"} if title else None,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"size": 14}},
        height=height,
    )
    fig.update_xaxes(gridcolor="#e9ecef", automargin=True)
    fig.update_yaxes(gridcolor="#e9ecef", automargin=True)
    return fig


def graph(graph_id: str, figure: go.Figure, *, label: str, class_name: str = "") -> html.Div:
    """A chart in a labelled figure region (its numbers are in the table beside it)."""
    return html.Div(
        dcc.Graph(id=graph_id, figure=figure, config=GRAPH_CONFIG, className=class_name),
        role="figure",
        **{"aria-label": label},
    )


def chart_with_table(chart, table, *, summary: str = "Visa som tabell") -> html.Div:
    """The chart, and under it its numbers as a table behind a native, keyboard-usable disclosure."""
    return html.Div(
        [chart, html.Details([html.Summary(summary, className="btn btn-link px-0"), table], className="chart-table")]
    )
