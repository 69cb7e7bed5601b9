"""Tables as AG Grid: Swedish texts, sorting and filtering, and a CSV download from the server's API."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import html

LOCALE_SV = {
    "page": "Sida",
    "of": "av",
    "to": "till",
    "more": "fler",
    "next": "Nästa",
    "last": "Sista",
    "first": "Första",
    "previous": "Föregående",
    "loadingOoo": "Laddar…",
    "noRowsToShow": "Inga rader att visa",
    "filterOoo": "Filtrera…",
    "equals": "Lika med",
    "notEqual": "Inte lika med",
    "contains": "Innehåller",
    "notContains": "Innehåller inte",
    "startsWith": "Börjar med",
    "endsWith": "Slutar med",
    "blank": "Tom",
    "notBlank": "Inte tom",
    "lessThan": "Mindre än",
    "greaterThan": "Större än",
    "inRange": "Mellan",
    "lessThanOrEqual": "Mindre än eller lika med",
    "greaterThanOrEqual": "Större än eller lika med",
    "andCondition": "OCH",
    "orCondition": "ELLER",
    "applyFilter": "Använd",
    "resetFilter": "Återställ",
    "clearFilter": "Rensa",
    "cancelFilter": "Avbryt",
    "searchOoo": "Sök…",
    "selectAll": "Välj alla",
    "pageSizeSelectorLabel": "Rader per sida:",
    "ariaPageSizeSelectorLabel": "Rader per sida",
    "sortAscending": "Sortera stigande",
    "sortDescending": "Sortera fallande",
    "columns": "Kolumner",
    "filters": "Filter",
    "pinColumn": "Lås kolumn",
    "autosizeThisColumn": "Anpassa bredd",
    "resetColumns": "Återställ kolumner",
    "dateFormatOoo": "åååå-mm-dd",
}

NUMBER_FORMATTER = {"function": "params.value == null ? '–' : d3.format(',.0f')(params.value).replace(/,/g, '\\u00a0')"}


def data_grid(
    grid_id: str,
    column_defs: list[dict],
    row_data: list[dict] | None = None,
    *,
    label: str,
    csv_href: str | None = None,
    infinite: bool = False,
    page_size: int = 25,
    height: str = "60vh",
    get_row_id: str | None = "String(params.data.id)",
    grid_options: dict | None = None,
    column_defaults: dict | None = None,
) -> html.Div:
    """A sortable, filterable grid; `infinite=True` asks the server for each page (getRowsRequest)."""
    options = {
        "localeText": LOCALE_SV,
        "pagination": True,
        "paginationPageSize": page_size,
        "paginationPageSizeSelector": [25, 50, 100],
        "animateRows": False,
        "enableCellTextSelection": True,
        "ensureDomOrder": True,
        "suppressDragLeaveHidesColumns": True,
        **(grid_options or {}),
    }
    extra = {}
    if infinite:
        options.update(
            {
                "rowModelType": "infinite",
                "cacheBlockSize": page_size,
                "maxBlocksInCache": 4,
                "infiniteInitialRowCount": page_size,
            }
        )
        extra["rowModelType"] = "infinite"
    else:
        extra["rowData"] = row_data or []
    grid = dag.AgGrid(
        id=grid_id,
        columnDefs=column_defs,
        defaultColDef={
            "sortable": True,
            "filter": True,
            "resizable": True,
            # AG Grid's infinite row model cannot measure rows: autoHeight there only logs a warning.
            "wrapText": not infinite,
            "autoHeight": not infinite,
            "minWidth": 110,
            **(column_defaults or {}),
        },
        dashGridOptions=options,
        columnSize="responsiveSizeToFit",
        getRowId=get_row_id,
        style={"height": height, "width": "100%"},
        **extra,
    )
    download = (
        html.A("Ladda ner som CSV (Excel)", href=csv_href, className="btn btn-outline-primary btn-sm mb-2", download="")
        if csv_href
        else None
    )
    return html.Div([download, html.Div(grid, role="region", **{"aria-label": label})], className="data-grid")
