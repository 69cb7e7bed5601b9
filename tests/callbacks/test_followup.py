"""Inför mötet (`/uppfoljning`) through the router: the default meeting, a chosen one, Vännäs, a bad or unknown
`?mote=`, nothing left open, every history open, pages; the chooser writes `?mote=` into the URL; the links to it
from Möten."""

from __future__ import annotations

import datetime as dt

from dash import no_update
from sqlalchemy import select, update

from callbacks.followup import build_followup, choose_meeting
from callbacks.router import PAGE_MODULES, render_page
from dashboard.database import session_scope
from data.filters import Filter
from data.models import Meeting, Task
from layouts.followup import MEETING_SELECT, followup_page
from layouts.shell import NAV_ITEMS
from tests.callbacks.test_router import text_of
from tests.callbacks.tree import find_in

VANNAS_Q = "?kommun=V%C3%A4nn%C3%A4s"
BASAVTAL = "Ta fram avtalsförslag till basavtal"
AVFALL = "gemensam avfallsplan"


def meeting_id(app, date: str) -> int:
    with session_scope(app.server) as s:
        return s.scalars(select(Meeting.id).where(Meeting.date == dt.date.fromisoformat(date))).one()


def components(component, kind: str) -> list[dict]:
    """The props of every component of type `kind` (e.g. "Select", "Details") in the tree."""
    return [n["props"] for n in find_in(component, lambda n: n.get("type") == kind)]


def visible_text(node) -> str:
    """The text a person sees in a JSON component tree (children only: no ids, hrefs or types)."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return "".join(visible_text(child) for child in node)
    if isinstance(node, dict):
        return visible_text(node.get("props", {}).get("children"))
    return ""


def headings(component, level: str) -> list[str]:
    return [visible_text(p.get("children")) for p in components(component, level)]


def test_the_default_page_is_for_the_latest_meeting_with_mays_open_tasks(app, as_user):
    as_user()
    page, alert, _ = render_page("/uppfoljning", "")
    text = text_of(page)
    assert alert is None
    assert headings(page, "H1") == ["Uppföljning inför mötet 2019-08-22"]
    assert "Kommunchefsmöte 22 augusti 2019" in text
    assert "15 öppna uppdrag från 1 tidigare möte, varav" in text
    assert headings(page, "H2") == ["Kommunchefsmöte 16 maj 2019"]
    h3 = headings(page, "H3")
    assert h3[0] == "Punkt 3: Avstämning struktur turismsamarbete"
    assert "Punkt 9: Avfallsplan och taxa hushållsavfall" in h3
    assert "Ansvarig: Kansliet" in headings(page, "H4") and "Ingen ansvarig angiven" in headings(page, "H4")
    assert BASAVTAL in text and "”till kommunchefsmötet i augusti”" in text and "Försenat" in text
    assert "Historik (1)" in text and "system: inläst (demodata)" in text
    assert len(components(page, "Details")) == 15
    assert not any(d.get("open") for d in components(page, "Details"))
    (select_,) = components(page, "Select")
    assert select_["id"] == MEETING_SELECT and select_["value"] == str(meeting_id(app, "2019-08-22"))
    labels = [o["label"] for o in select_["options"]]
    assert labels[0] == "Kommunchefsmöte 2019-08-22" and "Kommunchefsmöte 2019-05-16" in labels
    assert any(label.startswith("Annat möte 2019-06-20 – Arbetsmöte") for label in labels)
    assert f"/moten/{meeting_id(app, '2019-05-16')}" in text


def test_a_chosen_meeting_before_any_other_says_there_is_nothing_to_follow_up(app, as_user):
    as_user()
    page = render_page("/uppfoljning", f"?mote={meeting_id(app, '2019-05-16')}")[0]
    assert headings(page, "H1") == ["Uppföljning inför mötet 2019-05-16"]
    assert "Det finns inga möten före 2019-05-16, så det finns inga uppdrag att följa upp." in text_of(page)
    assert components(page, "Details") == []


def test_the_workshop_in_june_lists_the_tasks_of_may(app, as_user):
    as_user()
    page = render_page("/uppfoljning", f"?mote={meeting_id(app, '2019-06-20')}")[0]
    assert headings(page, "H1") == ["Uppföljning inför mötet 2019-06-20"]
    assert BASAVTAL in text_of(page)


def test_vannas_sees_only_its_task_and_links_keep_the_filter(app, as_user):
    as_user()
    page = render_page("/uppfoljning", VANNAS_Q)[0]
    text = text_of(page)
    assert "1 öppet uppdrag som berör Vännäs från 1 tidigare möte" in text
    assert AVFALL in text and BASAVTAL not in text
    assert f"/moten/{meeting_id(app, '2019-05-16')}{VANNAS_Q}" in text
    assert len(components(page, "Details")) == 1


def test_a_value_that_is_no_meeting_number_is_explained_in_swedish(app, as_user):
    as_user()
    page = render_page("/uppfoljning", "?mote=augusti")[0]
    text = text_of(page)
    assert "”augusti” är inget mötesnummer. Visar uppföljningen inför mötet 2019-08-22 i stället." in text
    assert headings(page, "H1") == ["Uppföljning inför mötet 2019-08-22"]


def test_an_unknown_meeting_is_explained_in_swedish(app, as_user):
    as_user()
    for missing in ("999999", "123456789012345678"):
        text = text_of(render_page("/uppfoljning", f"?mote={missing}")[0])
        assert f"Det finns inget möte med nummer {missing}. Det kan ha tagits bort." in text
        assert "Visar uppföljningen inför mötet 2019-08-22 i stället." in text


def test_nothing_open_says_so(app, as_user):
    with session_scope(app.server) as s:
        s.execute(update(Task).values(status="klar"))
    as_user()
    page = render_page("/uppfoljning", "")[0]
    assert "Inga öppna uppdrag från tidigare möten." in text_of(page)
    page = render_page("/uppfoljning", VANNAS_Q)[0]
    assert "Inga öppna uppdrag från tidigare möten som berör Vännäs." in text_of(page)


def test_historik_1_opens_every_history_and_the_link_closes_it(app, as_user):
    as_user()
    closed = render_page("/uppfoljning", VANNAS_Q)[0]
    assert "Öppna all historik (för utskrift)" in text_of(closed)
    august = meeting_id(app, "2019-08-22")
    assert f"/uppfoljning?kommun=V%C3%A4nn%C3%A4s&mote={august}&historik=1" in text_of(closed)
    opened = render_page("/uppfoljning", VANNAS_Q + "&historik=1")[0]
    assert all(d["open"] for d in components(opened, "Details"))
    assert "Stäng all historik" in text_of(opened)
    assert f"/uppfoljning?kommun=V%C3%A4nn%C3%A4s&mote={august}\n" in text_of(opened) + "\n"


def test_pages_of_meetings_link_to_each_other(app, as_user, monkeypatch):
    import callbacks.followup as module
    from data.followup import follow_up_list

    with session_scope(app.server) as s:
        july = Meeting(kind="regionråd", date=dt.date(2019, 7, 1))
        s.add(july)
        s.flush()
        s.add(Task(meeting_id=july.id, text="Ett uppdrag från regionrådet.", status="öppen"))
    monkeypatch.setattr(module, "follow_up_list", lambda *a, **k: follow_up_list(*a, **k, per_page=5))
    as_user()
    first = render_page("/uppfoljning", "")[0]
    assert "Sida 1 av 2" in text_of(first) and "Ett uppdrag från regionrådet." in text_of(first)
    second_href = f"/uppfoljning?mote={meeting_id(app, '2019-08-22')}&sida=2"
    assert second_href in text_of(first)
    second = render_page("/uppfoljning", second_href.split("/uppfoljning")[1])[0]
    assert "Sida 2 av 2" in text_of(second) and BASAVTAL in text_of(second)
    assert "Ett uppdrag från regionrådet." not in text_of(second)
    assert "16 öppna uppdrag från 2 tidigare möten" in text_of(second)  # the count is for every page


def test_database_text_is_plain_text_not_markup(app, as_user):
    with session_scope(app.server) as s:
        s.execute(update(Task).where(Task.text.like(f"{BASAVTAL}%")).values(text="<b>Fet</b> [länk](javascript:x)"))
    as_user()
    page = render_page("/uppfoljning", "")[0]
    assert "<b>Fet</b> [länk](javascript:x)" in text_of(page)
    assert components(page, "Markdown") == []
    assert "dangerously_allow_html" not in text_of(page)


def test_build_followup_can_be_called_directly(app, as_user):
    as_user()
    with session_scope(app.server) as s:
        page = build_followup(s, Filter(), {"mote": str(meeting_id(app, "2019-08-22"))})
    assert headings(page, "H1") == ["Uppföljning inför mötet 2019-08-22"]


def test_no_meetings_at_all_says_so():
    data = {"meeting": None, "choices": [], "counts": {"open": 0}, "meetings": [], "page": 1, "pages": 1}
    page = followup_page(data, message=None, suffix="", page_href=str, history_href="", history_open=False)
    assert "Inga möten är inlästa ännu." in text_of(page)


def test_choosing_a_meeting_writes_mote_into_the_url_from_the_first_page():
    assert choose_meeting("3", VANNAS_Q) == VANNAS_Q + "&mote=3"
    assert choose_meeting("1", "?mote=3&sida=2&historik=1") == "?mote=1&historik=1"
    assert choose_meeting("3", "?mote=3") is no_update
    assert choose_meeting("", "?mote=3") is no_update
    assert choose_meeting(None, "") is no_update


def test_the_page_is_routed_and_in_the_navigation_after_moten():
    from callbacks import followup

    assert followup in PAGE_MODULES
    paths = [p for p, _ in NAV_ITEMS]
    assert paths[paths.index("/moten") + 1] == "/uppfoljning"
    assert dict(NAV_ITEMS)["/uppfoljning"] == "Inför mötet"


def test_moten_and_each_meeting_link_to_the_follow_up_list(app, as_user):
    as_user()
    listing = text_of(render_page("/moten", VANNAS_Q)[0])
    assert "Uppföljningslista inför nästa möte →" in listing and f"/uppfoljning{VANNAS_Q}" in listing
    may = meeting_id(app, "2019-05-16")
    detail = text_of(render_page(f"/moten/{may}", VANNAS_Q)[0])
    assert "Uppföljningslista inför detta möte" in detail
    assert f"/uppfoljning?mote={may}&kommun=V%C3%A4nn%C3%A4s" in detail
    assert f"/uppfoljning?mote={may}" in text_of(render_page(f"/moten/{may}", "")[0])


def test_a_status_change_and_a_note_show_in_the_history(app, as_user):
    from data.tasks import update_task

    at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
    with session_scope(app.server) as s:
        reklam = s.scalars(select(Task.id).where(Task.text.like("%reklamfilm%"))).one()
        update_task(
            s,
            reklam,
            status="öppen",
            note="Offerten dröjer.",
            username="redaktor",
            role="admin",
            user_municipality=None,
            at=at,
        )
    as_user()
    text = text_of(render_page("/uppfoljning", "")[0])
    assert "Historik (2)" in text
    assert "redaktor: status pågår → öppen, ”Offerten dröjer.”" in text
