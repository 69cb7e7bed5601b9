"""Presentation: the slide in the URL (?bild=N, ?kommun kept, ?spela=ja while it advances by itself); each render
queries only what the current slide shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dash import Input, Output, State, ctx, no_update

from callbacks.routing import Page, params_from_search, search_with
from callbacks.shell import search_with_kommun
from data.municipalities import list_municipality_names
from data.overview import overview_figures
from data.presentation import (
    focus_area_counts,
    focus_area_slide,
    funding_overview,
    latest_plan_outline,
    open_tasks_slide,
    project_status_counts,
    timeline_rows,
)
from layouts import ids
from layouts import presentation as view

PLAYING = "ja"


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    focus_area_id: int | None = None
    number_in_plan: int | None = None


def slide_list(outline: dict | None) -> list[Slide]:
    """The slides in order: overview, one per focus area of the latest plan, timeline, funding, open tasks."""
    areas = outline["focus_areas"] if outline else []
    return [
        Slide("oversikt", "Översikt"),
        *(Slide("insatsomrade", fa["name"], fa["id"], n) for n, fa in enumerate(areas, start=1)),
        Slide("tidslinje", "Projektens tidslinje"),
        Slide("finansiering", "Finansiering"),
        Slide("uppdrag", "Öppna uppdrag"),
    ]


def slide_number(value: str | int | None, total: int) -> int:
    """The URL's ?bild as a slide number 1…total: anything unreadable is 1, anything beyond the ends is the end."""
    try:
        number = int(value) if value is not None else 1
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), total)


def _kicker(slide: Slide, outline: dict | None, kommun: str | None) -> str:
    scope = kommun or "Alla sju kommuner"
    if slide.kind == "insatsomrade":
        return f"Insatsområde {slide.number_in_plan} av {len(outline['focus_areas'])} · {outline['title']} · {scope}"
    return scope


def slide_body(session, slide: Slide, flt, outline: dict | None, today: dt.date) -> list:
    """The content of one slide, from the queries that slide needs and no others."""
    if slide.kind == "oversikt":
        areas = outline["focus_areas"] if outline else []
        counts = focus_area_counts(session, [fa["id"] for fa in areas], flt)
        return view.overview_slide(
            overview_figures(session, flt, today=today),
            project_status_counts(session, flt),
            outline,
            [{**fa, **counts[fa["id"]]} for fa in areas],
            flt.kommun,
        )
    if slide.kind == "insatsomrade":
        return view.focus_area_slide(focus_area_slide(session, slide.focus_area_id, flt, limit=10), flt.kommun)
    if slide.kind == "tidslinje":
        return view.timeline_slide(timeline_rows(session, flt, today=today, limit=8), today, flt.kommun)
    if slide.kind == "finansiering":
        return view.funding_slide(funding_overview(session, flt, limit=6), flt.kommun)
    return view.tasks_slide(open_tasks_slide(session, flt, today=today, limit=5), flt.kommun)


def build_presentation(session, flt, params, *, today: dt.date | None = None):
    today = today or dt.date.today()
    outline = latest_plan_outline(session)
    slides = slide_list(outline)
    number = slide_number(params.get("bild"), len(slides))
    slide = slides[number - 1]
    return view.presentation_page(
        slide=slide_body(session, slide, flt, outline, today),
        title=slide.title,
        kicker=_kicker(slide, outline, flt.kommun),
        position=number,
        total=len(slides),
        kommun=flt.kommun,
        municipalities=list_municipality_names(session),
        playing=params.get("spela") == PLAYING,
        exit_href="/" + search_with("", kommun=flt.kommun),
    )


PAGES = [Page("/presentation", build_presentation, shell_class="presentation-mode")]


def go_to_slide(search: str | None, state: dict | None, step: int | str) -> str:
    """The query string for the slide `step` away (+1, −1) or at an end ("first", "last"); the same string when
    there is nowhere to go, so that the caller can leave the URL alone."""
    total = (state or {}).get("antal") or 1
    current = slide_number(params_from_search(search).get("bild"), total)
    if step == "first":
        target = 1
    elif step == "last":
        target = total
    else:
        target = min(max(current + int(step), 1), total)
    if target == current and "bild" in params_from_search(search):
        return search or ""
    return search_with(search, bild=str(target))


# Dash runs a callback whose Input is in a newly drawn page and whose Output (the URL) is outside it, even with
# prevent_initial_call. The router draws the page anew on every URL change, with n_clicks and n_intervals at 0:
# only a count above 0 is a real click or tick.


def navigate(prev, next_, first, last, search, state, trigger):
    """A click on Föregående, Nästa (or the hidden first/last buttons that Home and End click)."""
    clicks = {view.PREV: (prev, -1), view.NEXT: (next_, 1), view.FIRST: (first, "first"), view.LAST: (last, "last")}
    count, step = clicks.get(trigger, (0, 0))
    if not count:
        return no_update
    new = go_to_slide(search, state, step)
    return new if new != (search or "") else no_update


def advance(n_intervals, search, state):
    """The next slide, and after the last the first again (automatic advance runs until paused)."""
    if not n_intervals:
        return no_update
    total = (state or {}).get("antal") or 1
    current = slide_number(params_from_search(search).get("bild"), total)
    return search_with(search, bild=str(current % total + 1))


def toggle_autoplay(n_clicks, search):
    if not n_clicks:
        return no_update
    playing = params_from_search(search).get("spela") == PLAYING
    return search_with(search, spela=None if playing else PLAYING)


def choose_kommun(value, search, state):
    """The municipality the presenter picked, into the URL (the slide stays). The value the page was drawn with is
    no choice: Dash reports it too when the page is drawn anew, and an unknown ?kommun must keep its notice."""
    if value == (state or {}).get("kommun"):
        return no_update
    new = search_with_kommun(search, value)
    return new if new != (search or "") else no_update


def register(app) -> None:
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(view.PREV, "n_clicks"),
        Input(view.NEXT, "n_clicks"),
        Input(view.FIRST, "n_clicks"),
        Input(view.LAST, "n_clicks"),
        State(ids.URL, "search"),
        State(view.STATE, "data"),
        prevent_initial_call=True,
    )(lambda p, n, f, la, search, state: navigate(p, n, f, la, search, state, ctx.triggered_id))
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(view.INTERVAL, "n_intervals"),
        State(ids.URL, "search"),
        State(view.STATE, "data"),
        prevent_initial_call=True,
    )(advance)
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(view.PLAY, "n_clicks"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )(toggle_autoplay)
    app.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(view.KOMMUN_SELECT, "value"),
        State(ids.URL, "search"),
        State(view.STATE, "data"),
        prevent_initial_call=True,
    )(choose_kommun)
