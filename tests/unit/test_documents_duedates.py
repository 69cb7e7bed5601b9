"""Due phrases in Swedish minutes: found as written and resolved against the meeting date, with the rule shown."""

from datetime import date

import pytest

from data.documents.duedates import find_due, parse_date, resolve_due

MEETING = date(2019, 5, 16)
NEXT = date(2019, 8, 22)


@pytest.mark.parametrize(
    ("sentence", "due_text"),
    [
        ("Kansliet återkommer senast 22/8-2019 med ett förslag.", "senast 22/8-2019"),
        ("Underlaget skickas ut den 20/6.", "den 20/6"),
        ("Förslaget ska vara klart i augusti.", "i augusti"),
        (
            "Avtalsförslaget ska vara färdigställt till kommunchefsmötet i augusti för att sedan",
            "till kommunchefsmötet i augusti",
        ),
        ("Magnus redovisar till nästa möte.", "till nästa möte"),
        (
            "Maria och Karin tittar vidare på ett upplägg under hösten för genomförande efter årsskiftet.",
            "under hösten",
        ),
        ("Under försommaren kommer ett avtalsförslag tas fram.", "Under försommaren"),
        ("Genomförande sker efter årsskiftet.", "efter årsskiftet"),
        ("Enkäten skickas ut vecka 34.", "vecka 34"),
        ("Enkäten skickas ut v. 34.", "v. 34"),
        ("Karin mailar ut förslaget snarast.", "snarast"),
        ("Karin mailer ut detta så snart hon fått tagit del av den.", "så snart hon fått tagit del av den"),
        (
            "Magnus återkommer efter att han fått kontakt med Industrigruppen.",
            "efter att han fått kontakt med Industrigruppen",
        ),
        ("Rapporten ska vara klar 2019-09-30.", "2019-09-30"),
        ("Rapporten ska vara klar senast den 15 september.", "senast den 15 september"),
        ("Taxan tas under hosten.", "under hosten"),  # lost diacritics
        ("Presentera förslaget före sommaren.", "före sommaren"),
        ("Gruppen tittar på frågan.", None),
        ("", None),
    ],
)
def test_find_due_returns_the_phrase_as_written(sentence, due_text):
    assert find_due(sentence) == due_text


@pytest.mark.parametrize(
    ("due_text", "expected", "rule_part"),
    [
        ("22/8-2019", date(2019, 8, 22), "2019-08-22"),
        ("senast 22/8-19", date(2019, 8, 22), "2019-08-22"),
        ("den 20/6", date(2019, 6, 20), "utan år"),
        ("den 10/2", date(2020, 2, 10), "efter mötet"),  # before the meeting's date -> next year
        ("2019-09-30", date(2019, 9, 30), "2019-09-30"),
        ("senast den 15 september", date(2019, 9, 15), "2019-09-15"),
        ("1 mars 2020", date(2020, 3, 1), "2020-03-01"),
        ("i augusti", date(2019, 8, 31), "sista dagen i augusti 2019"),
        ("i slutet av augusti", date(2019, 8, 31), "sista dagen i augusti 2019"),
        ("i mitten av september", date(2019, 9, 15), "den 15 september 2019"),
        ("i februari", date(2020, 2, 29), "sista dagen i februari 2020"),
        ("i maj", date(2019, 5, 31), "maj 2019"),  # the meeting's own month
        ("under hösten", date(2019, 11, 30), "hösten = september–november"),
        ("under hosten", date(2019, 11, 30), "hösten = september–november"),
        ("under försommaren", date(2019, 6, 30), "försommaren = juni"),
        ("under våren", date(2019, 5, 31), "våren = mars–maj"),  # the spring still under way at the meeting
        ("under sommaren", date(2019, 8, 31), "sommaren = juni–augusti"),
        ("under vintern", date(2020, 2, 29), "vintern = december–februari"),
        ("före sommaren", date(2019, 5, 31), "dagen innan den börjar"),
        ("till hösten", date(2019, 8, 31), "dagen innan den börjar"),
        ("under hösten 2020", date(2020, 11, 30), "hösten"),
        ("efter årsskiftet", date(2020, 1, 1), "från 1 januari 2020"),
        ("före årsskiftet", date(2019, 12, 31), "sista dagen 2019"),
        ("vecka 34", date(2019, 8, 23), "fredagen i vecka 34 2019"),
        ("v. 3", date(2020, 1, 17), "fredagen i vecka 3 2020"),
        ("snarast", date(2019, 5, 30), "två veckor efter mötet"),
        ("snarast möjligt", date(2019, 5, 30), "två veckor efter mötet"),
        ("under året", date(2019, 12, 31), "sista dagen i år 2019"),
    ],
)
def test_resolve_due(due_text, expected, rule_part):
    got, rule = resolve_due(due_text, MEETING, next_meeting=NEXT, known_meetings=None)
    assert got == expected
    assert rule_part in rule
    assert due_text in rule  # the rule quotes what was written


def test_meeting_in_month_uses_the_minutes_next_meeting():
    got, rule = resolve_due("till kommunchefsmötet i augusti", MEETING, next_meeting=NEXT, known_meetings=None)
    assert got == NEXT
    assert "mötet i augusti" in rule


def test_meeting_in_month_uses_known_meetings():
    known = [{"date": "2019-06-13"}, {"date": "2019-08-29", "kind": "kommunchefsmöte"}]
    got, _ = resolve_due("till kommunchefsmötet i augusti", MEETING, next_meeting=None, known_meetings=known)
    assert got == date(2019, 8, 29)


def test_meeting_in_month_unknown_is_the_end_of_the_month_and_says_so():
    got, rule = resolve_due("till kommunchefsmötet i augusti", MEETING, next_meeting=None, known_meetings=None)
    assert got == date(2019, 8, 31)
    assert "inget känt möte" in rule


def test_next_meeting():
    assert resolve_due("till nästa möte", MEETING, next_meeting=NEXT, known_meetings=None)[0] == NEXT
    known = [{"date": date(2019, 3, 1)}, {"date": date(2019, 6, 13)}]
    assert resolve_due("till nästa möte", MEETING, next_meeting=None, known_meetings=known)[0] == date(2019, 6, 13)


@pytest.mark.parametrize(
    "due_text",
    [
        "till nästa möte",  # no next meeting known
        "så snart hon fått tagit del av den",
        "efter att han fått kontakt med Ornsköldsviks Industrigrupp",
        "någon gång",
        "",
        None,
        "den 31/2",
        "vecka 60",
    ],
)
def test_unresolvable_stays_unresolved(due_text):
    assert resolve_due(due_text, MEETING, next_meeting=None, known_meetings=None) == (None, None)


def test_no_meeting_date_resolves_nothing():
    assert resolve_due("under hösten", None, next_meeting=None, known_meetings=None) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-16 14.30-16:00", date(2019, 5, 16)),
        ("Nästa möte: 22/8-2019, Umeå stadshus", date(2019, 8, 22)),
        ("Torsdag 16 maj 2019", date(2019, 5, 16)),
        ("16.5.2019", date(2019, 5, 16)),
        ("Kommunchefsmöte, Umeåregionen", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("due_text", "meeting", "expected"),
    [
        ("i januari", date(2019, 5, 16), date(2020, 1, 31)),  # the next January
        ("under våren", date(2019, 9, 12), date(2020, 5, 31)),  # spring is over: the next one
        ("under hösten", date(2019, 12, 5), date(2020, 11, 30)),
        ("under vintern", date(2019, 1, 10), date(2019, 2, 28)),  # the winter under way
        ("efter årsskiftet", date(2019, 12, 5), date(2020, 1, 1)),
        ("vecka 2", date(2019, 12, 5), date(2020, 1, 10)),
        ("den 5/1", date(2019, 12, 5), date(2020, 1, 5)),
    ],
)
def test_relative_dues_roll_forward_from_the_meeting(due_text, meeting, expected):
    assert resolve_due(due_text, meeting, next_meeting=None, known_meetings=None)[0] == expected
