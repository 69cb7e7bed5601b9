"""The municipality filter every view shares: parsed from the URL, strict about unknown names."""

from __future__ import annotations

import pytest

from data.filters import Filter, UnknownMunicipality, parse_filter


@pytest.mark.parametrize("value", [None, "", "   ", "alla", "Alla", "ALL", " all "])
def test_parse_filter_without_a_municipality_means_all_seven(seeded, value):
    assert parse_filter(seeded, value) == Filter()
    assert parse_filter(seeded, value).kommun is None


@pytest.mark.parametrize(
    ("value", "kommun"),
    [
        ("Vännäs", "Vännäs"),
        ("vannas", "Vännäs"),
        ("Vännäs kommun", "Vännäs"),
        ("Övik", "Örnsköldsvik"),
        ("Örnsköldsvik", "Örnsköldsvik"),
        ("umea", "Umeå"),
        ("Bjurholm", "Bjurholm"),
    ],
)
def test_parse_filter_narrows_to_the_canonical_name(seeded, value, kommun):
    assert parse_filter(seeded, value) == Filter(kommun=kommun)


@pytest.mark.parametrize("value", ["Stockholm", "Lycksele", "Umeåregionen", "alla kommuner"])
def test_parse_filter_raises_for_a_name_that_is_none_of_the_seven(seeded, value):
    with pytest.raises(UnknownMunicipality):
        parse_filter(seeded, value)


def test_parse_filter_suggests_the_nearest_name(seeded):
    with pytest.raises(UnknownMunicipality, match="Menade du Vännäs"):
        parse_filter(seeded, "Vänäs")


def test_filter_is_immutable_and_compares_by_value():
    assert Filter("Umeå") == Filter(kommun="Umeå")
    assert Filter("Umeå") != Filter("Vännäs")
    with pytest.raises(AttributeError):
        Filter("Umeå").kommun = "Vännäs"
