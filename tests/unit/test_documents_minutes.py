"""Minutes extraction: the seed minutes against the hand-checked answer key, and many small made-up passages."""

import json
import time
from pathlib import Path

import pytest

from data.documents.minutes import extract_minutes

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
KEY = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "000_97e14613fcf6c3ba.answer.json"

HEADER = """Kommunchefsmöte, Umeåregionen

2019-05-16 14.30-16:00

Beslutande: Karin Ahnqvist, Karolina Johansson, Per-Eric Magnusson, Magnus Haglund, Jimmy Johansson

Sekreterare: Maria Persson

Plats: Umeå stadshus

"""


def minutes(body: str, header: str = HEADER, **kw) -> dict:
    return extract_minutes(header + body, **kw)


def assignments(result: dict) -> list[dict]:
    return [a for item in result["agenda_items"] for a in item["assignments"]]


def only(result: dict) -> dict:
    found = assignments(result)
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------------------------------------ the seed minutes


@pytest.fixture(scope="module")
def seed_result():
    return extract_minutes((SEEDS / "000_97e14613fcf6c3ba.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def key():
    return json.loads(KEY.read_text(encoding="utf-8"))


def test_seed_meeting_matches_key(seed_result, key):
    got = seed_result["meeting"]
    want = key["meeting"]
    for field in ("kind", "title", "date", "start_time", "end_time", "place", "next_meeting"):
        assert got[field] == want[field], field
    assert [{k: p[k] for k in ("name", "role", "roles", "note")} for p in got["participants"]] == want["participants"]


def test_seed_agenda_items_match_key(seed_result, key):
    got = seed_result["agenda_items"]
    assert [(i["number"], i["title"], i["presenter"]) for i in got] == [
        (i["number"], i["title"], i["presenter"]) for i in key["agenda_items"]
    ]


def test_seed_decisions_match_key(seed_result, key):
    for got, want in zip(seed_result["agenda_items"], key["agenda_items"], strict=True):
        assert [{"text": d["text"]} for d in got["decisions"]] == want["decisions"], got["number"]


def test_seed_assignments_match_key(seed_result, key):
    fields = ("owners", "what", "status", "due_text", "due_date", "due_rule", "source")
    for got, want in zip(seed_result["agenda_items"], key["agenda_items"], strict=True):
        assert [{f: a[f] for f in fields} for a in got["assignments"]] == want["assignments"], got["number"]


def test_seed_key_facts(key):
    """The key agrees with data/seed/meetings.json on the facts chosen there (see the report for the differences)."""
    owners = {tuple(a["owners"]) for i in key["agenda_items"] for a in i["assignments"]}
    assert ("Maria Persson", "Karin Ahnqvist") in owners
    assert ("Karolina Johansson", "Per-Eric Magnusson") in owners
    assert ("Kansliet",) in owners and ("Näringslivsgruppen",) in owners and ("KC-gruppen",) in owners
    dues = {a["due_text"]: a["due_date"] for i in key["agenda_items"] for a in i["assignments"] if a["due_text"]}
    assert dues["till kommunchefsmötet i augusti"] == "2019-08-22"
    assert dues["under hösten"] == "2019-11-30"


def test_seed_known_meetings_override(seed_result):
    text = (SEEDS / "000_97e14613fcf6c3ba.txt").read_text(encoding="utf-8")
    result = extract_minutes(text, known_meetings=[{"date": "2019-08-22"}])
    assert assignments(result) == assignments(seed_result)


# ------------------------------------------------------------------------------------------------ header


def test_header_inline_and_heading_styles():
    text = """Protokoll Regionrådet
Datum: 16 maj 2019
Tid: kl. 09.00–12.00
Plats
Folkets hus, Vännäs
Närvarande
Anna Berg, Lars Nilsson (Ordförande)
Frånvarande: Eva Ek
Protokollförare: Olle Ström

§ 1 Mötets öppnande
Ordföranden öppnade mötet.
"""
    r = extract_minutes(text)
    m = r["meeting"]
    assert (m["kind"], m["date"], m["start_time"], m["end_time"]) == ("regionråd", "2019-05-16", "09:00", "12:00")
    assert m["place"] == "Folkets hus, Vännäs"
    roles = {p["name"]: p["role"] for p in m["participants"]}
    assert roles == {
        "Anna Berg": "deltagare",
        "Lars Nilsson": "beslutande",
        "Eva Ek": "frånvarande",
        "Olle Ström": "sekreterare",
    }
    assert [(i["number"], i["title"]) for i in r["agenda_items"]] == [(1, "Mötets öppnande")]


def test_participant_time_note_and_organiser():
    r = minutes(
        "1. Mötet öppnas\n", header=HEADER + "Deltagare\n\nMaria Persson (Organisatör), Lisa Ek 13.00-14.15\n\n"
    )
    people = {p["name"]: p for p in r["meeting"]["participants"]}
    assert people["Maria Persson"]["roles"] == ["sekreterare", "organisatör", "deltagare"]
    assert people["Lisa Ek"]["note"] == "närvarande 13.00–14.15"


@pytest.mark.parametrize(
    ("line", "date_", "place"),
    [
        ("Nästa möte: 22/8-2019, Umeå stadshus Ryttargången 16 Bv.", "2019-08-22", "Umeå stadshus Ryttargången 16 Bv"),
        ("Nästa möte 2019-09-12 kl 13.00 i Vindeln.", "2019-09-12", "Vindeln"),
        ("Nästa möte är 12 september 2019.", "2019-09-12", None),
    ],
)
def test_next_meeting(line, date_, place):
    r = minutes(f"1. Nästa möte\n\n{line}\n")
    assert r["meeting"]["next_meeting"] == {"date": date_, "place": place}


@pytest.mark.parametrize(
    ("line", "presenter"),
    [
        ("Föredragande: Jimmy Johansson", "Jimmy Johansson"),
        ("Föredragande via telefon: Sara Gustavsson, Visit Umeå AB", "Sara Gustavsson"),
        ("Föredragande Lisa Ek", "Lisa Ek"),
    ],
)
def test_presenter(line, presenter):
    r = minutes(f"1. Växeln\n\n{line}\n\nInformation om växeln.\n")
    assert r["agenda_items"][0]["presenter"] == presenter
    assert any(p["name"] == presenter and "föredragande" in p["roles"] for p in r["meeting"]["participants"])


# ------------------------------------------------------------------------------------------------ decisions


@pytest.mark.parametrize(
    "sentence",
    [
        "Beslut att ändå genomföra dagen.",
        "Anteckningarna lades till handlingarna.",
        "Kommunchefsgruppen beslutar att ställa sig bakom förslaget.",
        "Mötet beslutade att avsiktsförklaringen skickas ut på remiss.",
        "Beslut: Förslaget godkänns.",
    ],
)
def test_decisions(sentence):
    r = minutes(f"1. Ärende\n\nBakgrund till ärendet.\n{sentence}\n")
    assert [d["text"] for d in r["agenda_items"][0]["decisions"]] == [sentence.removeprefix("Beslut: ")]


def test_decision_on_the_line_after_beslut():
    r = minutes("1. Ärende\n\nBeslut:\nFörslaget godkänns.\n")
    assert [d["text"] for d in r["agenda_items"][0]["decisions"]] == ["Förslaget godkänns."]


def test_earlier_decision_is_not_a_decision():
    r = minutes("1. Ärende\n\nKarin har haft ett möte utifrån tidigare beslut om en träff.\n")
    assert r["agenda_items"][0]["decisions"] == []


# ------------------------------------------------------------------------------------------------ assignments


@pytest.mark.parametrize(
    ("sentence", "owners", "what"),
    [
        ("Magnus får i uppdrag att kontakta personalavdelningen.", ["Magnus Haglund"], "Kontakta personalavdelningen"),
        ("Kansliet ges i uppdrag att ta fram ett förslag.", ["Kansliet"], "Ta fram ett förslag"),
        ("Kansliet uppdras att sammanställa synpunkterna.", ["Kansliet"], "Sammanställa synpunkterna"),
        ("Det uppdras åt Karin att boka lokal.", ["Karin Ahnqvist"], "Boka lokal"),
        ("Kansliet har fortfarande uppdraget att ta fram en grundoffert.", ["Kansliet"], "Ta fram en grundoffert"),
        (
            "Kommunchefsgruppen ger Näringslivsgruppen i uppdrag att presentera två områden.",
            ["Näringslivsgruppen"],
            "Presentera två områden",
        ),
        ("Mötet beslutar att ge Kansliet i uppdrag att skriva ett svar.", ["Kansliet"], "Skriva ett svar"),
        ("Magnus återkommer i frågan.", ["Magnus Haglund"], "Återkomma i frågan"),
        ("Karin mailar ut presentationen.", ["Karin Ahnqvist"], "Maila ut presentationen"),
        (
            "Karin och Maria tittar vidare på ett upplägg.",
            ["Karin Ahnqvist", "Maria Persson"],
            "Titta vidare på ett upplägg",
        ),
        (
            "Karin, Magnus och Jimmy tar fram ett underlag.",
            ["Karin Ahnqvist", "Magnus Haglund", "Jimmy Johansson"],
            "Ta fram ett underlag",
        ),
        (
            "Karonlina och Per-Eric får i uppdrag att stämma av.",
            ["Karolina Johansson", "Per-Eric Magnusson"],
            "Stämma av",
        ),
        (
            "Vindelns kommuns ekonomiavdelning får i uppdrag att räkna på kostnaden.",
            ["Vindelns kommuns ekonomiavdelning"],
            "Räkna på kostnaden",
        ),
        ("Övik får i uppdrag att bjuda in till mötet.", ["Örnsköldsviks kommun"], "Bjuda in till mötet"),
        ("Kommunchefergruppen fick i uppdrag att slå samman projekten.", ["KC-gruppen"], "Slå samman projekten"),
        (
            "Lisa får i uppdrag att beställa materialet.",
            ["Lisa"],
            "Beställa materialet",
        ),  # not a participant: as written
        (
            "Ta fram en enklare power point som kommunerna kan använda.",
            [],
            "Ta fram en enklare power point som kommunerna kan använda",
        ),
    ],
)
def test_assignment_phrasings(sentence, owners, what):
    a = only(minutes(f"1. Ärende\n\n{sentence}\n"))
    assert a["owners"] == owners
    assert a["what"] == what
    assert a["source"] == sentence


def test_unknown_owner_is_flagged_not_invented():
    a = only(minutes("1. Ärende\n\nLisa får i uppdrag att beställa materialet.\n"))
    assert any("deltagarlistan" in u for u in a["uncertain"])


@pytest.mark.parametrize(
    "sentence",
    [
        "Vi får i uppdrag att se över rutinerna.",
        "Det finns ett gemensamt uppdrag att ta fram en avfallsplan.",
        "Rapporten ska vara klar till nästa möte.",
    ],
)
def test_assignment_without_named_owner_has_no_owner(sentence):
    a = only(minutes(f"1. Ärende\n\n{sentence}\n\n2. Nästa möte\n\nNästa möte: 22/8-2019, Umeå.\n"))
    assert a["owners"] == []


def test_steering_sentence_names_the_owner_of_a_common_assignment():
    a = only(
        minutes(
            "1. Avfall\n\nDet finns ett gemensamt uppdrag att ta fram en avfallsplan. Vännäs har styrningen i "
            "uppdraget.\n"
        )
    )
    assert a["owners"] == ["Vännäs kommun"]
    assert a["status"] == "pågår"


@pytest.mark.parametrize(
    ("sentence", "due_text", "due_date"),
    [
        ("Magnus får i uppdrag att återkomma senast 22/8-2019.", "senast 22/8-2019", "2019-08-22"),
        ("Magnus får i uppdrag att kalla till en träff den 20/6.", "den 20/6", "2019-06-20"),
        ("Karin får i uppdrag att ta fram ett förslag i augusti.", "i augusti", "2019-08-31"),
        (
            "Kansliet får i uppdrag att ta fram ett förslag till kommunchefsmötet i augusti.",
            "till kommunchefsmötet i augusti",
            "2019-08-22",
        ),
        ("Kansliet får i uppdrag att redovisa till nästa möte.", "till nästa möte", "2019-08-22"),
        ("Karin och Maria tittar vidare på ett upplägg under hösten.", "under hösten", "2019-11-30"),
        ("Kansliet får i uppdrag att ta fram ett förslag under försommaren.", "under försommaren", "2019-06-30"),
        ("Kansliet får i uppdrag att följa upp efter årsskiftet.", "efter årsskiftet", "2020-01-01"),
        ("Kansliet får i uppdrag att skicka ut enkäten vecka 34.", "vecka 34", "2019-08-23"),
        ("Karin mailar ut underlaget snarast.", "snarast", "2019-05-30"),
        (
            "Magnus återkommer efter att han fått kontakt med Industrigruppen.",
            "efter att han fått kontakt med Industrigruppen",
            None,
        ),
        ("Karin mailer ut detta så snart hon fått tagit del av den.", "så snart hon fått tagit del av den", None),
    ],
)
def test_assignment_due(sentence, due_text, due_date):
    r = minutes(f"1. Ärende\n\n{sentence}\n\n2. Nästa möte\n\nNästa möte: 22/8-2019, Umeå stadshus.\n")
    a = only(r)
    assert (a["due_text"], a["due_date"]) == (due_text, due_date)
    assert (a["due_rule"] is None) == (due_date is None)


def test_feedback_sentence_completes_the_assignment_before_it():
    a = only(
        minutes(
            "1. Näringsliv\n\nKommunchefergruppen ger Näringslivsgruppen i uppdrag att presentera två "
            "områden. Återkoppling till KC-gruppen under hösten.\n"
        )
    )
    assert a["owners"] == ["Näringslivsgruppen"]
    assert (a["due_text"], a["due_date"]) == ("under hösten", "2019-11-30")


def test_standalone_feedback_sentence_is_an_assignment_without_owner():
    a = only(minutes("1. Näringsliv\n\nÅterkoppling till KC-gruppen under hösten.\n"))
    assert a["owners"] == [] and a["due_date"] == "2019-11-30"


def test_assignment_in_the_right_agenda_item():
    r = minutes("1. Första\n\nInformation.\n\n2. Andra\n\nMagnus får i uppdrag att ringa.\n")
    assert [len(i["assignments"]) for i in r["agenda_items"]] == [0, 1]


@pytest.mark.parametrize(
    "sentence",
    [
        "Karin informerar om att Sören har ett grundförslag.",
        "Jimmy aviserar att han inte kan delta den 20/6.",
        "Karin föreslår att vi genomför en större insats.",
        "Lisa har precis fått klart med att skicka in en beställning.",
        "1 januari 2019 sjösatte Visit Umeå AB det nu gällande avtalet.",
        "Jimmy känner sig trygg i att projektet fortgår enligt plan.",
    ],
)
def test_information_is_not_an_assignment(sentence):
    assert assignments(minutes(f"1. Ärende\n\n{sentence}\n")) == []


# ------------------------------------------------------------------------------------------------ damaged text


def test_damaged_text_line_breaks_page_numbers_and_lost_diacritics():
    text = """Kommunchefsmote, Umearegionen
2019-05-16 14.30-16:00
Beslutande: Karin Ahnqvist, Magnus Haglund
Sekreterare: Maria Persson

1. Motet oppnas
Motet oppnas.
2(8)
2. Uppfoljning
Karin och Maria
tittar vidare pa ett mojligt upplagg under hosten. Magnus far i
uppdrag att kontakta personalavdelningen i Ornskoldsvik.
Beslut att genomfora
dagen.
"""
    r = extract_minutes(text)
    assert r["meeting"]["kind"] == "kommunchefsmöte"
    assert [i["number"] for i in r["agenda_items"]] == [1, 2]
    found = assignments(r)
    assert [a["owners"] for a in found] == [["Karin Ahnqvist", "Maria Persson"], ["Magnus Haglund"]]
    assert found[0]["due_date"] == "2019-11-30"
    assert found[1]["what"] == "Kontakta personalavdelningen i Ornskoldsvik"
    assert [d["text"] for d in r["agenda_items"][1]["decisions"]] == ["Beslut att genomfora dagen."]


def test_markdown_minutes():
    text = (
        "# Kommunchefsmöte\n\n**Datum:** 2019-05-16\n\n**Beslutande:** Karin Ahnqvist\n\n## 1. Ärende\n\n"
        "Karin får i uppdrag att *ringa* Lisa.\n"
    )
    r = extract_minutes(text)
    assert r["meeting"]["date"] == "2019-05-16"
    assert only(r)["owners"] == ["Karin Ahnqvist"]


# ------------------------------------------------------------------------------------------------ not minutes


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "Det här är en vanlig text om väder och vind. Solen skiner. Vi ska ut och gå.",
        "Inköpslista\n\nmjölk\nbröd\nsmör\n",
    ],
)
def test_not_minutes_gives_no_invented_items(text):
    r = extract_minutes(text)
    assert r["agenda_items"] == []
    assert r["meeting"]["participants"] == []
    assert r["meeting"]["date"] is None
    assert r["uncertain"]


def test_large_document_is_fast():
    block = (
        "{n}. Punkt {n}\n\nKarin och Maria tittar vidare på ett möjligt upplägg under hösten för eventuellt "
        "genomförande efter årsskiftet. Kansliet har fortfarande uppdraget att ta fram en grundoffert.\n"
        "Beslut att ändå genomföra dagen. " + "Ett långt stycke text utan något särskilt innehåll, " * 20 + "\n\n"
    )
    text = HEADER + "".join(block.format(n=n) for n in range(1, 400))
    assert len(text) > 400_000
    started = time.perf_counter()
    r = extract_minutes(text)
    assert time.perf_counter() - started < 5
    assert len(r["agenda_items"]) == 399
    assert sum(len(i["assignments"]) for i in r["agenda_items"]) == 2 * 399


def test_pathological_line_is_fast():
    text = HEADER + "1. Punkt\n\n" + ("Aaa Bbb Ccc, " * 30_000) + "får i uppdrag att göra något.\n"
    started = time.perf_counter()
    extract_minutes(text)
    assert time.perf_counter() - started < 5


# ------------------------------------------------------------------------------------------------ other styles


def test_participants_one_per_line_with_organisation():
    header = """Kommunchefsmöte
Datum: 2019-05-16
Närvarande:
Karin Ahnqvist, Umeå
Magnus Haglund, Örnsköldsvik
Lisa Ek (Visit Umeå AB)
Frånvarande: Eva Ek
Sekreterare: Maria Persson

"""
    r = minutes("1. Ärende\n\nInformation.\n", header=header)
    roles = {p["name"]: p["role"] for p in r["meeting"]["participants"]}
    assert roles == {
        "Karin Ahnqvist": "deltagare",
        "Magnus Haglund": "deltagare",
        "Lisa Ek": "deltagare",
        "Eva Ek": "frånvarande",
        "Maria Persson": "sekreterare",
    }


def test_long_participant_line_is_not_joined_with_the_next_heading():
    header = (
        "Kommunchefsmöte 2019-05-16\nBeslutande: Karin Ahnqvist, Karolina Johansson, Per-Eric Magnusson, "
        "Magnus Haglund\nSekreterare: Maria Persson\n"
    )
    r = minutes("1. Ärende\n\nInformation.\n", header=header)
    assert {p["name"]: p["role"] for p in r["meeting"]["participants"]}["Maria Persson"] == "sekreterare"


@pytest.mark.parametrize(
    "body",
    [
        "Åtgärd: Ta fram ett förslag. Ansvarig: Karin. Klart: 22/8.\n",
        "Åtgärd: Ta fram ett förslag\nAnsvarig: Karin\nKlart till: 22/8\n",
        "Atgard: Ta fram ett förslag\nAnsvarig: Karin\nKlart: 22/8\n",  # lost diacritics
    ],
)
def test_labelled_action_lines(body):
    a = only(minutes("1. Ärende\n\nBakgrund.\n" + body))
    assert a["owners"] == ["Karin Ahnqvist"]
    assert a["what"] == "Ta fram ett förslag"
    assert a["due_date"] == "2019-08-22"


@pytest.mark.parametrize(
    ("sentence", "owners"),
    [
        ("Kansliet ska ta fram ett förslag till nästa möte.", ["Kansliet"]),
        ("Magnus kommer att kontakta Industrigruppen.", ["Magnus Haglund"]),
        ("Kansliet har i uppdrag att ta fram ett förslag.", ["Kansliet"]),
    ],
)
def test_named_owner_with_ska(sentence, owners):
    assert only(minutes(f"1. Ärende\n\n{sentence}\n"))["owners"] == owners


@pytest.mark.parametrize(
    "sentence",
    ["Taxorna ska gälla från 2020.", "Resursen ska säkerställa att planerna genomförs.", "Vi ska ses igen."],
)
def test_ska_without_a_known_owner_is_not_an_assignment(sentence):
    assert assignments(minutes(f"1. Ärende\n\n{sentence}\n")) == []


def test_ambiguous_first_name_is_kept_as_written_and_flagged():
    header = HEADER.replace("Magnus Haglund", "Magnus Haglund, Magnus Berg")
    a = only(minutes("1. Ärende\n\nMagnus får i uppdrag att ringa.\n", header=header))
    assert a["owners"] == ["Magnus"]
    assert any("flera deltagare" in u for u in a["uncertain"])


def test_department_in_a_municipality_as_owner():
    a = only(minutes("1. Ärende\n\nSocialchefen i Vännäs får i uppdrag att ta fram siffror.\n"))
    assert a["owners"] == ["Socialchefen i Vännäs"]


def test_paragraph_style_agenda_and_punkt_numbers():
    r = minutes("Punkt 1 Mötet öppnas\nMötet öppnas.\nPunkt 2 Växeln\nKarin får i uppdrag att ringa.\n")
    assert [(i["number"], i["title"]) for i in r["agenda_items"]] == [(1, "Mötet öppnas"), (2, "Växeln")]
    assert only(r)["owners"] == ["Karin Ahnqvist"]


def test_section_numbers_may_start_anywhere():
    r = minutes("§ 12 Ekonomi\nInformation.\n§ 13 Övrigt\nKarin får i uppdrag att ringa.\n")
    assert [i["number"] for i in r["agenda_items"]] == [12, 13]


OTHER_SECRETARY = """Minnesanteckningar Regionrådet Umeåregionen
Datum: torsdag 12 september 2019, kl. 09.00-12.00
Plats: Vännäs kommunhus

Närvarande:
Anna Lind, Vännäs (ordförande)
Bo Ek, Umeå
Cecilia Holm, Bjurholm
Övriga: Maria Persson (sekreterare)

§ 1 Mötets öppnande
Ordföranden hälsade välkommen och öppnade mötet.

§ 2 Ekonomisk rapport
Maria redovisade det ekonomiska läget. Prognosen visar ett överskott på 200 000 kr.
Beslut: Rapporten godkänns och läggs till handlingarna.

§ 3 Avsiktsförklaring
Förslaget har skickats ut till kommunerna. Synpunkter ska lämnas senast den 15 oktober.
Regionrådet beslutar att anta avsiktsförklaringen med de ändringar som framkom på mötet.
Kansliet får i uppdrag att skicka ut den slutliga versionen till kommunerna vecka 40.
Bo och Cecilia undersöker möjligheten till gemensam upphandling och rapporterar till nästa möte.

§ 4 Övriga frågor
Anna tar upp frågan om gemensam kompetensdag. Maria återkommer med datumförslag snarast.
Det uppdras åt Näringslivsgruppen att ta fram en lägesrapport till december.

§ 5 Nästa möte
Nästa möte 2019-11-14 i Umeå.
"""


def test_minutes_in_another_secretarys_style():
    r = extract_minutes(OTHER_SECRETARY)
    m = r["meeting"]
    assert (m["kind"], m["date"], m["start_time"], m["end_time"], m["place"]) == (
        "regionråd",
        "2019-09-12",
        "09:00",
        "12:00",
        "Vännäs kommunhus",
    )
    assert m["next_meeting"] == {"date": "2019-11-14", "place": "Umeå"}
    assert {p["name"]: p["role"] for p in m["participants"]} == {
        "Anna Lind": "beslutande",
        "Bo Ek": "deltagare",
        "Cecilia Holm": "deltagare",
        "Maria Persson": "sekreterare",
    }
    assert [i["number"] for i in r["agenda_items"]] == [1, 2, 3, 4, 5]
    assert [len(i["decisions"]) for i in r["agenda_items"]] == [0, 1, 1, 0, 0]
    got = [(a["owners"], a["due_text"], a["due_date"]) for a in assignments(r)]
    assert got == [
        ([], "senast den 15 oktober", "2019-10-15"),
        (["Kansliet"], "vecka 40", "2019-10-04"),
        (["Bo Ek", "Cecilia Holm"], "till nästa möte", "2019-11-14"),
        (["Maria Persson"], "snarast", "2019-09-26"),
        (["Näringslivsgruppen"], "till december", "2019-12-31"),
    ]


@pytest.mark.parametrize(
    ("body", "owners"),
    [
        (
            "4. Näringsliv\nKC-gruppen ger Näringslivsgruppen i uppdrag att ta fram en plan. "
            "KC-gruppen skickar också med frågan om en gemensam mässmonter.\n",
            ["Näringslivsgruppen"],
        ),
        ("4. Näringsliv\nGruppen skickar med frågan om en gemensam mässmonter till Kansliet.\n", ["Kansliet"]),
    ],
    ids=["to the group just given an assignment", "to the group named"],
)
def test_a_question_passed_on_is_an_assignment(body, owners):
    found = [a for a in assignments(minutes(body)) if a["rule"] == "skickar med frågan"]
    assert [(a["owners"], a["what"]) for a in found] == [(owners, "Ta ställning till frågan om en gemensam mässmonter")]


def test_a_question_passed_on_with_nobody_to_take_it_is_not_invented():
    assert assignments(minutes("4. Näringsliv\nVi skickar med frågan om mässan.\n")) == []
