"""Reading a verksamhetsplan: the seed plan against its hand-checked answer key, and the rules on made-up passages."""

from __future__ import annotations

import json
import textwrap
import time
import unicodedata
from pathlib import Path

import pytest

from data.documents.plan import extract_plan, funder_kind, municipalities_in, parse_date

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SEED = SEEDS / "002_c534bd840d8e5979.txt"
KEY = ROOT / "tests" / "fixtures" / "documents" / "002_c534bd840d8e5979.answer.json"
PROJECT_FIELDS = (
    "name", "start", "end", "phases", "total_budget_sek", "budget_period", "budget_parts", "funders",
    "funding_gap_sek", "owner_org", "contact", "municipalities",
)  # fmt: skip


def plan(text: str) -> dict:
    result = extract_plan(text)
    assert result["kind"] == "plan"
    return result["plan"]


def projects(text: str) -> list[dict]:
    return [p for area in plan(text)["focus_areas"] for p in area["projects"]]


def one_project(body: str, name: str = "Testprojektet") -> dict:
    found = projects(f"Verksamhetsplan 2010\n\nNÄRINGSLIV\n\nProjekt\n\n{name}\n\n{body}\n")
    assert [p["name"] for p in found] == [name]
    return found[0]


# ---------------------------------------------------------------- the seed plan


@pytest.fixture(scope="module")
def seed_result():
    if not SEED.exists():
        pytest.skip(f"{SEED} saknas (../shared/seeds ligger bredvid utcheckningen i CI)")
    return extract_plan(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def key():
    return json.loads(KEY.read_text(encoding="utf-8"))


def test_seed_plan_year_and_adoption(seed_result, key):
    found = seed_result["plan"]
    assert seed_result["kind"] == key["kind"] == "plan"
    assert (found["year"], found["adopted_on"], found["adopted_by"]) == (2005, "2004-12-03", "Regionrådet")
    assert {k: found[k] for k in ("year", "adopted_on", "adopted_by")} == {
        k: key["plan"][k] for k in ("year", "adopted_on", "adopted_by")
    }


def test_seed_focus_areas_in_order(seed_result, key):
    assert [a["name"] for a in seed_result["plan"]["focus_areas"]] == [a["name"] for a in key["plan"]["focus_areas"]]
    assert len(key["plan"]["focus_areas"]) == 7


def test_seed_activities(seed_result, key):
    source = " ".join(SEED.read_text(encoding="utf-8").replace("**", "").split())
    for found, expected in zip(seed_result["plan"]["focus_areas"], key["plan"]["focus_areas"], strict=True):
        assert [a["title"] for a in found["activities"]] == [a["title"] for a in expected["activities"]], found["name"]
        for activity in found["activities"]:
            assert activity["text"] and activity["text"] in source, activity["title"]
            assert activity["source"] == activity["text"]


@pytest.mark.parametrize("field", PROJECT_FIELDS)
def test_seed_projects_field_by_field(seed_result, key, field):
    for found, expected in zip(seed_result["plan"]["focus_areas"], key["plan"]["focus_areas"], strict=True):
        assert [p["name"] for p in found["projects"]] == [p["name"] for p in expected["projects"]]
        for got, want in zip(found["projects"], expected["projects"], strict=True):
            assert got[field] == want[field], f"{want['name']}: {field}"


def test_seed_has_every_project_of_the_key(seed_result, key):
    names = [p["name"] for a in seed_result["plan"]["focus_areas"] for p in a["projects"]]
    assert len(names) == 8 == sum(len(a["projects"]) for a in key["plan"]["focus_areas"])


def test_seed_funding_gap_flagged(seed_result):
    botnia = next(
        p for a in seed_result["plan"]["focus_areas"] for p in a["projects"] if p["name"].startswith("Botnia")
    )
    assert botnia["funding_gap_sek"] == 750_000
    assert any("3 900 000" in note and "4 650 000" in note for note in botnia["uncertain"])
    assert "Total budget 4 650 000 kr/år" in botnia["source"]


def test_seed_uncertain_notes_for_what_is_not_said(seed_result):
    by_name = {p["name"]: p for a in seed_result["plan"]["focus_areas"] for p in a["projects"]}
    assert any("Alla finansiärers belopp" in n for n in by_name["Stad och Land"]["uncertain"])
    assert any("kommunerna i Umeåregionen" in n for n in by_name["Stad och Land"]["uncertain"])
    assert any("två-årigt" in n for n in by_name["Tillväxt i Umeåregionens kranskommuner (TURK)"]["uncertain"])
    assert any("Ettapp" in n for n in by_name["Bibliotek 2007"]["uncertain"])


# ---------------------------------------------------------------- plan-level rules


@pytest.mark.parametrize(
    ("text", "year", "adopted_on", "adopted_by"),
    [
        ("Verksamhetsplan 2005\n\nNÄRINGSLIV\n\nText.\n\nAntagen av Regionrådet den 2004-12-03.", 2005, "2004-12-03",
         "Regionrådet"),
        ("VERKSAMHETSPLAN FÖR 2012\n\nFastställd av Regionrådet 7 december 2011\n\n1. Näringsliv\n\nText.", 2012,
         "2011-12-07", "Regionrådet"),
        ("Umeåregionens verksamhetsplan för år 2019\n\nBeslutad av Kommunchefsgruppen den 3/12-2018.", 2019,
         "2018-12-03", "Kommunchefsgruppen"),
        ("Verksamhetsplan 2020-2022\n\nRegionrådet antog planen den 2019-11-29.", 2020, "2019-11-29", "Regionrådet"),
        ("Verksamhetsplan 2006\n\nINFRASTRUKTUR\n\nVägar ska byggas.", 2006, None, None),
        ("Verksamhetsplan\n\nINFRASTRUKTUR\n\nVägar ska byggas.", None, None, None),
    ],
)  # fmt: skip
def test_year_and_adoption(text, year, adopted_on, adopted_by):
    found = plan(text)
    assert (found["year"], found["adopted_on"], found["adopted_by"]) == (year, adopted_on, adopted_by)
    if adopted_on is None:
        assert any("antogs" in note for note in found["uncertain"])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n  ",
        "Kanelbullar\n\nBlanda mjöl och smör. Grädda i 10 minuter.\n\nINGREDIENSER\n\nMjöl 500 g\n",
        "Hej!\n\nHär kommer bilderna från sommarfesten. Vi ses i augusti.\n\nMvh Anna",
        "MINNESANTECKNINGAR\n\nNärvarande: Anna, Bo\n\n1. Mötet öppnas\n\nOrdföranden öppnade mötet.",
    ],
)
def test_not_a_plan_gives_no_invented_items(text):
    found = plan(text)
    assert found["focus_areas"] == []
    assert found["year"] is None


def test_focus_areas_in_capitals_keep_proper_nouns():
    text = (
        "Verksamhetsplan 2005\n\nDEN HÅLLBARA UMEÅREGIONEN\n\nUmeåregionen ska vara hållbar.\n\n"
        "KULTUR OCH IT\n\nIT-frågor och IT ska lyftas.\n"
    )
    assert [a["name"] for a in plan(text)["focus_areas"]] == ["Den hållbara Umeåregionen", "Kultur och IT"]


@pytest.mark.parametrize(
    "heading",
    [
        "1. Näringsliv",
        "1 Näringsliv",
        "Insatsområde 1: Näringsliv",
        "# Näringsliv",
        "NÄRINGSLIV",
        "Fokusområde: Näringsliv",
    ],
)
def test_focus_area_heading_styles(heading):
    text = f"Verksamhetsplan 2010\n\n{heading}\n\nFöretagslots\n\nEn lots för företag ska tas fram.\n"
    areas = plan(text)["focus_areas"]
    assert [a["name"] for a in areas] == ["Näringsliv"]
    assert [a["title"] for a in areas[0]["activities"]] == ["Företagslots"]


def test_numbered_sections_under_capital_headings_are_subheadings():
    text = "Verksamhetsplan 2010\n\nNÄRINGSLIV\n\n1. Företagslots\n\nEn lots ska tas fram.\n\n2. Mässa\n\nEn mässa.\n"
    areas = plan(text)["focus_areas"]
    assert [a["name"] for a in areas] == ["Näringsliv"]
    assert [a["title"] for a in areas[0]["activities"]] == ["Företagslots", "Mässa"]


def test_bullets_are_activities():
    text = (
        "Verksamhetsplan 2010\n\n1. Näringsliv\n\nAktiviteter:\n- Ta fram en företagslots.\n"
        "- Genomföra en företagarfrukost i varje kommun.\n• Marknadsföring: Ny broschyr tas fram.\n"
    )
    activities = plan(text)["focus_areas"][0]["activities"]
    assert [a["title"] for a in activities] == [
        "Ta fram en företagslots",
        "Genomföra en företagarfrukost i varje kommun",
        "Marknadsföring",
    ]
    assert activities[2]["text"] == "Ny broschyr tas fram."
    assert {a["group"] for a in activities} == {"Aktiviteter"}


def test_bold_bullet_titles_with_text_on_the_next_line():
    text = (
        "Verksamhetsplan 2005\n\nFÖRNYELSE\n\nGemensamt stöd:\n\n- **Telefoni**\nTelefonin ska följas upp.\n"
        "- **Löner**\nLönerna ses över.\n"
    )
    activities = plan(text)["focus_areas"][0]["activities"]
    assert [(a["title"], a["text"]) for a in activities] == [
        ("Telefoni", "Telefonin ska följas upp."),
        ("Löner", "Lönerna ses över."),
    ]


def test_unheaded_paragraphs_are_one_activity_titled_by_its_first_sentence():
    text = "Verksamhetsplan 2005\n\nOMVÄRLDSANALYS\n\nVi ska bevaka frågor. Och delta i organ.\n"
    (activity,) = plan(text)["focus_areas"][0]["activities"]
    assert activity["title"] == "Vi ska bevaka frågor"
    assert activity["text"] == "Vi ska bevaka frågor. Och delta i organ."
    assert activity["uncertain"]


def test_adoption_line_and_signature_are_not_activities():
    text = (
        "Verksamhetsplan 2005\n\nOMVÄRLDSANALYS\n\nVi ska bevaka frågor.\n\n"
        "Antagen av Regionrådet den 2004-12-03.\n\n/CA/\n"
    )
    activities = plan(text)["focus_areas"][0]["activities"]
    assert [a["text"] for a in activities] == ["Vi ska bevaka frågor."]


# ---------------------------------------------------------------- damaged text


def test_damaged_text_broken_lines_page_numbers_and_lost_diacritics():
    text = (
        "Verksamhetsplan 2010 - 2012\nINSATSOMRÅDE 1: ATTRAKTIV REGION\nUngdomsforum\n"
        "Ungdomsforum ar ett treårigt projekt med start i mars 2010. Total budget 900 000 kr/år. Projektet "
        "finansieras\n"
        "av EU:s regionalfond 450 000 kr/år och Ornskoldsviks kommun 450 000 kr/år. Kontaktperson ar Erik\n"
        "Nilsson, samordnare.\n3\n2(8)\nEtapp 1: 2010-03-01 – 2010-12-31\n"
    )
    found = plan(text)
    (area,) = found["focus_areas"]
    assert area["name"] == "Attraktiv region"
    (p,) = area["projects"]
    assert (p["name"], p["start"], p["end"]) == ("Ungdomsforum", "2010-03-01", "2013-02-28")
    assert p["phases"] == [{"name": "Etapp 1", "start": "2010-03-01", "end": "2010-12-31"}]
    assert (p["total_budget_sek"], p["budget_period"], p["funding_gap_sek"]) == (900_000, "per_year", 0)
    assert [(f["name"], f["kind"], f["amount_sek"]) for f in p["funders"]] == [
        ("EU:s regionalfond", "EU", 450_000),
        ("Ornskoldsviks kommun", "kommunerna", 450_000),
    ]
    assert p["contact"] == {"name": "Erik Nilsson", "role": "samordnare"}
    assert p["municipalities"] == ["Örnsköldsvik"]
    assert "2(8)" not in p["text"]


def test_paragraph_broken_by_a_blank_line_is_joined():
    text = (
        "Verksamhetsplan 2005\n\nINTERNATIONALISERING\n\nFokus ska läggas på ungdomar. Detta ska bli en del inom "
        "ramen för Europaforum, på vilket\n\nUmeåregionen ska delta i Åre, september 2005.\n"
    )
    (activity,) = plan(text)["focus_areas"][0]["activities"]
    assert activity["text"].endswith("på vilket Umeåregionen ska delta i Åre, september 2005.")


def test_sentence_continued_in_lower_case_after_a_blank_line_is_joined():
    p = one_project("Projektet planeras\n\när inriktat på turism i Bjurholm. Tidsram 2005-01-01 – 2005-12-31.")
    assert p["text"].startswith("Projektet planeras är inriktat på turism i Bjurholm.")
    assert (p["start"], p["end"], p["municipalities"]) == ("2005-01-01", "2005-12-31", ["Bjurholm"])


# ---------------------------------------------------------------- project rules


@pytest.mark.parametrize(
    ("body", "start", "end"),
    [
        ("Tidsram 2005-01-01 – 2006-12-31.", "2005-01-01", "2006-12-31"),
        ("Projektet tidsram är 2003-01-01 -- 2006-03-01.", "2003-01-01", "2006-03-01"),
        ("Tidsram 2001-05-01—2005-12-31.", "2001-05-01", "2005-12-31"),
        ("Projektid 2003-11-01 –2005-06-30.", "2003-11-01", "2005-06-30"),
        ("Projekttid: jan 2008 – dec 2009.", "2008-01-01", "2009-12-31"),
        ("Projektperiod 1 mars 2010 till 28 februari 2011.", "2010-03-01", "2011-02-28"),
        ("Tidsram: 2007–2009.", "2007-01-01", "2009-12-31"),
        ("Ett två-årigt mål 1-projekt med start 2005.", "2005-01-01", "2006-12-31"),
        ("Ett treårigt projekt med start i mars 2010.", "2010-03-01", "2013-02-28"),
        ("Driften sker t o m juli 2005.", None, "2005-07-31"),
        ("Projektet saknar datum. Kontaktperson är Anna Berg.", None, None),
    ],
)
def test_time_frame(body, start, end):
    p = one_project(body)
    assert (p["start"], p["end"]) == (start, end)


def test_phases_are_not_the_time_frame():
    p = one_project(
        "Tidsram 2001-05-01—2005-12-31. (Ettapp 1 2001-05-01—2002-12-31. Etapp 2 2003-01-01 – 2005-12-31.) "
        "Fas 3: utvärdering."
    )
    assert (p["start"], p["end"]) == ("2001-05-01", "2005-12-31")
    assert p["phases"] == [
        {"name": "Etapp 1", "start": "2001-05-01", "end": "2002-12-31"},
        {"name": "Etapp 2", "start": "2003-01-01", "end": "2005-12-31"},
        {"name": "Fas 3", "start": None, "end": None},
    ]


def test_phases_only_no_time_frame_label():
    p = one_project("Etapp 1 2005-01-01 – 2005-06-30. Etapp 2 2005-07-01 – 2005-12-31. Kontaktperson är Bo Ek.")
    assert [ph["name"] for ph in p["phases"]] == ["Etapp 1", "Etapp 2"]
    assert (p["start"], p["end"]) == (None, None)


@pytest.mark.parametrize(
    ("body", "total", "period"),
    [
        ("Total budget 4 650 000 kr/år.", 4_650_000, "per_year"),
        ("Total budget 12.6 milj.", 12_600_000, "total"),
        ("Total budget 27.5 milj. Kontaktperson är Bo Ek.", 27_500_000, "total"),
        ("Total budget 6256 KKR.", 6_256_000, "total"),
        ("Total budget: 10 milj kr.", 10_000_000, "total"),
        ("Projektets budget är 5 400 000:-.", 5_400_000, "total"),
        ("Budget: 2,4 mkr.", 2_400_000, "total"),
        ("Totalbudget 1,5 miljoner kronor per år.", 1_500_000, "per_year"),
        ("Budgeten uppgår till 800 tkr.", 800_000, "total"),
        ("Kostnaden beräknas till 300 000 kr.", 300_000, "total"),
        ("Projektet kostar inget. Kontaktperson är Bo Ek.", None, None),
    ],
)
def test_total_budget(body, total, period):
    p = one_project(body)
    assert (p["total_budget_sek"], p["budget_period"]) == (total, period)


@pytest.mark.parametrize(
    ("body", "parts"),
    [
        ("Total budget 12.6 milj; varav 10.1 milj till kust och 2.5 milj inland.",
         [("kust", 10_100_000), ("inland", 2_500_000)]),
        ("Total budget: 10 milj kr. Budget för Umeåregionens arbetsmarknadsområde är 1.6 milj kr.",
         [("Umeåregionens arbetsmarknadsområde", 1_600_000)]),
        ("Total budget 3 mkr, varav 1 mkr för förstudien, 2 mkr för genomförandet.",
         [("förstudien", 1_000_000), ("genomförandet", 2_000_000)]),
        ("Total budget 3 mkr.", []),
    ],
)  # fmt: skip
def test_budget_parts(body, parts):
    assert [(x["name"], x["amount_sek"]) for x in one_project(body)["budget_parts"]] == parts


def test_funders_with_amounts_and_gap():
    p = one_project(
        "Total budget 4 650 000 kr/år. Partner är kommunerna i Umeåregionen med en insats av totalt 2,4 mkr per år, "
        "Umeå universitet, 200 000 kr/år, AC läns landsting, 350 000 kr/år och FöreningsSparbanken, 200 000 kr/år. "
        "EG:s strukturfond 750 000 kr/år."
    )
    assert [(f["name"], f["kind"], f["amount_sek"], f["period"]) for f in p["funders"]] == [
        ("Kommunerna i Umeåregionen", "kommunerna", 2_400_000, "per_year"),
        ("Umeå universitet", "universitet", 200_000, "per_year"),
        ("AC läns landsting", "region/landsting", 350_000, "per_year"),
        ("FöreningsSparbanken", "privat", 200_000, "per_year"),
        ("EG:s strukturfond", "EU", 750_000, "per_year"),
    ]
    assert p["funding_gap_sek"] == 750_000


@pytest.mark.parametrize(
    ("body", "funders", "gap", "note"),
    [
        ("Budget: 2,4 mkr. Finansiärer: Tillväxtverket 1 200 000 kr, Region Västerbotten 600 000 kr och kommunerna "
         "400 000 kr.", [("Tillväxtverket", "stat", 1_200_000), ("Region Västerbotten", "region/landsting", 600_000),
                         ("Kommunerna", "kommunerna", 400_000)], 200_000, "skillnaden"),
        ("Budget: 1 mkr. Finansiärer: Vinnova 500 000 kr och Umeå kommun 500 000 kr.",
         [("Vinnova", "stat", 500_000), ("Umeå kommun", "kommunerna", 500_000)], 0, None),
        ("Total budget 27.5 milj. Programmet finansieras av pengar från EU: s mål 1, Länsstyrelsen, Västerbottens läns "
         "landsting samt av kommunerna i Umeåregionen.", [("EU:s mål 1", "EU", None), ("Länsstyrelsen", "stat", None),
         ("Västerbottens läns landsting", "region/landsting", None), ("Kommunerna i Umeåregionen", "kommunerna", None)],
         None, "Alla finansiärers belopp"),
        ("Total budget 2 mkr/år. Finansiärer: Leader 1 mkr och Nordea 1 mkr.",
         [("Leader", "EU", 1_000_000), ("Nordea", "övrigt", 1_000_000)], None, "olika perioder"),
        ("Ett mål 2-projekt. Total budget 2 mkr.", [("EU:s mål 2", "EU", None)], None, "härledd"),
        ("Total budget 2 mkr. Kontaktperson är Bo Ek.", [], None, None),
    ],
)  # fmt: skip
def test_funders_and_gap_rules(body, funders, gap, note):
    p = one_project(body)
    assert [(f["name"], f["kind"], f["amount_sek"]) for f in p["funders"]] == funders
    assert p["funding_gap_sek"] == gap
    if note:
        assert any(note in n for n in p["uncertain"]), p["uncertain"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Kommunerna i Umeåregionen", "kommunerna"),
        ("Vännäs kommun", "kommunerna"),
        ("EG:s strukturfond", "EU"),
        ("Interreg Nord", "EU"),
        ("Europeiska socialfonden", "EU"),
        ("Länsstyrelsen i Västerbotten", "stat"),
        ("Tillväxtverket", "stat"),
        ("Västerbottens läns landsting", "region/landsting"),
        ("Region Västerbotten", "region/landsting"),
        ("Umeå universitet", "universitet"),
        ("SLU", "universitet"),
        ("FöreningsSparbanken", "privat"),
        ("Norrlandsfonden", "övrigt"),
    ],
)
def test_funder_kinds(name, kind):
    assert funder_kind(name) == kind


@pytest.mark.parametrize(
    ("body", "contact"),
    [
        ("Kontaktperson är Anna Olofsson, projektledare.", {"name": "Anna Olofsson", "role": "projektledare"}),
        ("Kontaktperson är Bengt-Erik Hesse i Nordmalings kommun.", {"name": "Bengt-Erik Hesse", "role": None}),
        ("Kontaktperson: Angela Ekman-Net, projektledare", {"name": "Angela Ekman-Net", "role": "projektledare"}),
        ("Kontaktperson ar Asa Safssten, projektledare.", {"name": "Asa Safssten", "role": "projektledare"}),
        ("Processledare för BioFuelRegion är Per Carstedt, processkoordinator är Mi Ja.",
         {"name": "Per Carstedt", "role": "processledare"}),
        ("Projektledare: Karin Lind.", {"name": "Karin Lind", "role": "projektledare"}),
        ("Arbetet leds av Sara Nordin, projektledare.", {"name": "Sara Nordin", "role": "projektledare"}),
        ("Tidsram 2005-01-01 – 2005-12-31.", None),
    ],
)  # fmt: skip
def test_contact(body, contact):
    assert one_project(body)["contact"] == contact


@pytest.mark.parametrize(
    ("body", "owner"),
    [
        ("Projektägare är Stiftelsen Navet i Nordmaling och projektets budget är 5 400 000:-.",
         "Stiftelsen Navet i Nordmaling"),
        ("Projektägare: Umeå kommun. Total budget 1 mkr.", "Umeå kommun"),
        ("Projektet ägs av Region Västerbotten.", "Region Västerbotten"),
        ("Total budget 1 mkr.", None),
    ],
)  # fmt: skip
def test_owner(body, owner):
    p = one_project(body)
    assert p["owner_org"] == owner
    assert any("Projektägare" in n for n in p["uncertain"]) == (owner is None)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("stärka branscher i Nordmaling, Robertsfors, Bjurholm, Vännäs och Vindeln",
         ["Nordmaling", "Robertsfors", "Bjurholm", "Vännäs", "Vindeln"]),
        ("Umeå universitet och Umeåregionen", []),
        ("regionförstoring mot Örnsköldsvik", []),
        ("Ornskoldsvik, Vannas kommun och Umea", ["Örnsköldsvik", "Vännäs", "Umeå"]),
        ("Nordmalings kommun och Vindelns kommun", ["Nordmaling", "Vindeln"]),
        ("i Övik och i Umeå kommun", ["Örnsköldsvik", "Umeå"]),
        ("Lycksele och Storuman", []),
    ],
)  # fmt: skip
def test_municipalities_named(text, names):
    assert municipalities_in(text) == names


def test_a_heading_with_project_markers_outside_projekt_is_a_project():
    text = (
        "Verksamhetsplan 2005\n\nINFRASTRUKTUR\n\nVia Uma\n\nDatabasen ska utvecklas. Kontaktperson är Anders "
        "Lundgren, projektledare.\n\nVägar\n\nVägarna ska förbättras.\n"
    )
    (area,) = plan(text)["focus_areas"]
    assert [p["name"] for p in area["projects"]] == ["Via Uma"]
    assert [a["title"] for a in area["activities"]] == ["Vägar"]


def test_projects_under_projekt_marker_end_at_next_focus_area():
    text = (
        "Verksamhetsplan 2005\n\nNÄRINGSLIV\n\nProjekt\n\nAlfa\n\nAlfa gör saker.\n\nBeta\n\nBeta gör annat.\n\n"
        "KULTUR\n\nBibliotek\n\nBiblioteken samarbetar.\n"
    )
    areas = plan(text)["focus_areas"]
    assert [p["name"] for p in areas[0]["projects"]] == ["Alfa", "Beta"]
    assert areas[1]["projects"] == []
    assert [a["title"] for a in areas[1]["activities"]] == ["Bibliotek"]


@pytest.mark.parametrize(
    ("text", "iso", "end"),
    [
        ("2005-01-01", "2005-01-01", False),
        ("3/12-2004", "2004-12-03", False),
        ("3 december 2004", "2004-12-03", False),
        ("juli 2005", "2005-07-31", True),
        ("feb 2008", "2008-02-01", False),
        ("2005-02-30", None, False),
        ("hösten 2005", None, False),
    ],
)
def test_parse_date(text, iso, end):
    assert parse_date(text, end=end) == iso


# ---------------------------------------------------------------- performance


def test_two_hundred_pages_in_well_under_ten_seconds():
    page = (
        "INSATSOMRÅDE {n}: OMRÅDE {n}\n\nAktivitet {n}\n\nArbetsgruppen fortsätter med arbetet att ta fram en "
        "gemensam webbplats för rekrytering på hemsidan och\nbryter raden mitt i meningen.\n\n{n}({n})\n\nProjekt\n\n"
        "Projekt nummer {n}\n\nProjektet arbetar med tillväxt i Vännäs och Vindeln. Tidsram 2005-01-01 – 2006-12-31. "
        "Total budget 4 650 000 kr/år. Partner är kommunerna med en insats av totalt 2,4 mkr per år, Umeå universitet, "
        "200 000 kr/år och FöreningsSparbanken, 200 000 kr/år. Etapp 1 2005-01-01 – 2005-12-31. Kontaktperson är "
        "Anna Olofsson, projektledare.\n\n- **Punkt**\nEn punkt i listan.\n\n"
    )
    text = "Verksamhetsplan 2005\n\n" + "".join(page.format(n=n) * 5 for n in range(1, 201))
    assert len(text) > 500_000
    began = time.perf_counter()
    found = plan(text)
    elapsed = time.perf_counter() - began
    assert len(found["focus_areas"]) == 1000
    assert sum(len(a["projects"]) for a in found["focus_areas"]) == 1000
    assert elapsed < 5, f"{elapsed:.1f} s"


def test_markdown_plan_with_label_lines():
    text = (
        "# Verksamhetsplan 2015\n\n## Insatsområde 1: Hållbar tillväxt\n\n### Besöksnäring\n\n"
        "Samverkan kring destinationsutveckling fortsätter.\n\n### Projekt: Cykelleden\n\n"
        "Tidsram: 2015-03-01 – 2016-02-28\nBudget: 2,4 mkr\nFinansiärer: Tillväxtverket 1 mkr och Umeå kommun 1,4 mkr\n"
        "Projektägare: Vännäs kommun\nKontaktperson: Anna Berg, projektledare\n\n"
        "## Insatsområde 2: Kompetens\n\n- Kartlägga kompetensbehovet i Robertsfors\n- starta ett lärcentrum\n"
    )
    found = plan(text)
    assert found["year"] == 2015
    first, second = found["focus_areas"]
    assert (first["name"], second["name"]) == ("Hållbar tillväxt", "Kompetens")
    assert [a["title"] for a in first["activities"]] == ["Besöksnäring"]
    (p,) = first["projects"]
    assert (p["name"], p["start"], p["end"], p["total_budget_sek"]) == (
        "Cykelleden",
        "2015-03-01",
        "2016-02-28",
        2_400_000,
    )
    assert [(f["name"], f["amount_sek"]) for f in p["funders"]] == [
        ("Tillväxtverket", 1_000_000),
        ("Umeå kommun", 1_400_000),
    ]
    assert (p["funding_gap_sek"], p["owner_org"]) == (0, "Vännäs kommun")
    assert p["contact"] == {"name": "Anna Berg", "role": "projektledare"}
    assert [a["title"] for a in second["activities"]] == [
        "Kartlägga kompetensbehovet i Robertsfors",
        "Starta ett lärcentrum",
    ]


def test_bullets_after_an_introducing_sentence_belong_to_it():
    text = "Verksamhetsplan 2009\n\nKULTUR\n\nVi ska under året se till att alla har:\n- ett lånekort\n- en e-tjänst\n"
    (activity,) = plan(text)["focus_areas"][0]["activities"]
    assert activity["text"] == "Vi ska under året se till att alla har: ett lånekort en e-tjänst"


def test_paragraph_after_bullets_is_its_own_activity():
    text = (
        "Verksamhetsplan 2009\n\nUNGDOM\n\n- Ungdomsråd\n- Sommarjobb\n\nVi ska också bjuda in till ett ungdomsting.\n"
    )
    activities = plan(text)["focus_areas"][0]["activities"]
    assert [a["text"] for a in activities] == [
        "Ungdomsråd",
        "Sommarjobb",
        "Vi ska också bjuda in till ett ungdomsting.",
    ]


def _wrapped(text: str, width: int, *, blank_lines: bool = True, page_marks: bool = False) -> str:
    """The seed text as a PDF gives it: lines wrapped at `width` (dates may break at a hyphen), page marks between."""
    lines: list[str] = []
    for line in text.split("\n"):
        lines += textwrap.wrap(line, width) or [""]
    if not blank_lines:
        lines = [line for line in lines if line.strip()]
    if page_marks:
        marked: list[str] = []
        for k, line in enumerate(lines, start=1):
            marked.append(line)
            if k % 40 == 0:
                marked += ["", f"{k // 40}({len(lines) // 40 + 1})", ""]
        lines = marked
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("width", "blank_lines", "page_marks", "mended"),
    [
        (50, True, False, False),
        (60, True, True, False),
        (60, True, False, True),
        (80, True, False, True),
        (80, False, False, False),
        (100, True, True, False),
        (100, False, False, False),
        (120, True, False, True),
    ],
)
def test_seed_survives_pdf_style_damage(key, width, blank_lines, page_marks, mended):
    if not SEED.exists():
        pytest.skip(f"{SEED} saknas")
    text = _wrapped(SEED.read_text(encoding="utf-8"), width, blank_lines=blank_lines, page_marks=page_marks)
    if mended:
        from data.documents.text import mend_lines

        text = mend_lines(text.split("\n"), join_broken=True)
    found = plan(text)
    assert (found["year"], found["adopted_on"], found["adopted_by"]) == (2005, "2004-12-03", "Regionrådet")
    for got, want in zip(found["focus_areas"], key["plan"]["focus_areas"], strict=True):
        assert got["name"] == want["name"]
        assert [a["title"] for a in got["activities"]] == [a["title"] for a in want["activities"]], got["name"]
        assert [{f: p[f] for f in PROJECT_FIELDS} for p in got["projects"]] == [
            {f: p[f] for f in PROJECT_FIELDS} for p in want["projects"]
        ]


def test_seed_without_diacritics_keeps_every_number(key):
    if not SEED.exists():
        pytest.skip(f"{SEED} saknas")
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", SEED.read_text(encoding="utf-8")) if not unicodedata.combining(ch)
    )
    found = plan(plain)
    assert (found["year"], found["adopted_on"]) == (2005, "2004-12-03")
    numbers = ("start", "end", "phases", "total_budget_sek", "budget_period", "funding_gap_sek")
    got = [{f: p[f] for f in numbers} for a in found["focus_areas"] for p in a["projects"]]
    want = [{f: p[f] for f in numbers} for a in key["plan"]["focus_areas"] for p in a["projects"]]
    assert got == want
    funders = [
        [(f["kind"], f["amount_sek"]) for f in p["funders"]] for a in found["focus_areas"] for p in a["projects"]
    ]
    assert funders == [[(f["kind"], f["amount_sek"]) for f in p["funders"]] for a in key["plan"]["focus_areas"]
                       for p in a["projects"]]  # fmt: skip
    turk = [p for a in found["focus_areas"] for p in a["projects"]][3]
    assert turk["municipalities"] == ["Nordmaling", "Robertsfors", "Bjurholm", "Vännäs", "Vindeln"]


def test_the_seed_minutes_are_not_a_plan():
    minutes = SEEDS / "000_97e14613fcf6c3ba.txt"
    if not minutes.exists():
        pytest.skip(f"{minutes} saknas")
    found = plan(minutes.read_text(encoding="utf-8"))
    assert found["focus_areas"] == []
    assert any("inte ut som en verksamhetsplan" in note for note in found["uncertain"])


def test_a_plan_without_a_title_is_recognised_by_its_project_facts():
    text = "NÄRINGSLIV\n\nProjekt\n\nAlfa\n\nTidsram 2005-01-01 – 2005-12-31. Total budget 1 mkr.\n"
    assert [p["name"] for p in projects(text)] == ["Alfa"]
