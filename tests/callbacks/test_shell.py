"""The municipality filter is kept in the URL and in every navigation link."""

from dash import no_update

from callbacks.shell import canonical_kommun, kommun_from_search, search_with_kommun, sync_kommun, update_nav_links
from layouts import ids
from layouts.shell import NAV_ITEMS

SPELLINGS = {"Umeå": "Umeå", "Umea": "Umeå", "Vännäs": "Vännäs"}
CANONICAL = SPELLINGS.get


def test_choosing_a_municipality_puts_it_in_the_url():
    assert sync_kommun("", "Vännäs", ids.KOMMUN_SELECT, CANONICAL) == ("?kommun=V%C3%A4nn%C3%A4s", no_update)


def test_choosing_all_removes_it_from_the_url_and_keeps_other_parameters():
    assert sync_kommun("?kommun=Ume%C3%A5&ar=2005", "alla", ids.KOMMUN_SELECT, CANONICAL) == ("?ar=2005", no_update)


def test_opening_a_shared_url_sets_the_select():
    assert sync_kommun("?kommun=Ume%C3%A5", "alla", ids.URL, CANONICAL) == (no_update, "Umeå")


def test_a_url_with_another_spelling_sets_the_select_to_the_municipality():
    assert sync_kommun("?kommun=Umea", "alla", ids.URL, CANONICAL) == (no_update, "Umeå")


def test_a_url_with_an_unknown_name_leaves_the_select_on_all():
    assert sync_kommun("?kommun=Stockholm", "Umeå", ids.URL, CANONICAL) == (no_update, "alla")


def test_canonical_kommun_reads_the_database(as_user):
    as_user()
    assert canonical_kommun("Ornskoldsviks kommun") == "Örnsköldsvik"
    assert canonical_kommun("Övik") == "Örnsköldsvik"
    assert canonical_kommun("Stockholm") is None


def test_nav_links_keep_the_municipality():
    links = update_nav_links("?kommun=V%C3%A4nn%C3%A4s")
    assert len(links) == len(NAV_ITEMS)
    assert all(link.endswith("?kommun=V%C3%A4nn%C3%A4s") for link in links)
    assert update_nav_links("")[0] == "/"


def test_kommun_from_search():
    assert kommun_from_search("?kommun=alla") is None
    assert kommun_from_search("") is None
    assert kommun_from_search("?kommun=Bjurholm") == "Bjurholm"
    assert search_with_kommun("?x=1", None) == "?x=1"


def test_the_pack_links_follow_the_filter_on_the_page():
    from callbacks.shell import export_hrefs

    assert export_hrefs("") == ("/export/paket.pptx", "/export/paket.xlsx")
    pptx, xlsx = export_hrefs("?kommun=V%C3%A4nn%C3%A4s&ar=2005&insatsomrade=Infrastruktur&sida=3&status=pågår")
    assert pptx == "/export/paket.pptx?kommun=V%C3%A4nn%C3%A4s&insatsomrade=Infrastruktur&ar=2005"
    assert xlsx == "/export/paket.xlsx?kommun=V%C3%A4nn%C3%A4s&insatsomrade=Infrastruktur&ar=2005"
    assert export_hrefs("?kommun=alla&sedan=2019-05-16") == (
        "/export/paket.pptx?sedan=2019-05-16",
        "/export/paket.xlsx?sedan=2019-05-16",
    )
