"""The seven municipalities: matching the many spellings, suggesting near misses, Swedish order."""

from __future__ import annotations

import pytest

from data.municipalities import (
    UnknownMunicipality,
    fold,
    list_municipality_names,
    municipality_lookup,
    normalise_municipality,
    swedish_sort_key,
)

from .helpers import SEVEN, seed


@pytest.fixture
def lookup(seeded):
    return municipality_lookup(seeded)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Umeå", "umea"),
        ("UMEÅ", "umea"),
        ("Örnsköldsviks kommun", "ornskoldsviks"),
        ("  Vännäs   kommun ", "vannas"),
        ("Bjurholm", "bjurholm"),
        ("Per-Eric", "per-eric"),
    ],
)
def test_fold_lowercases_strips_diacritics_the_word_kommun_and_extra_spaces(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("Örnsköldsviks kommun", "Örnsköldsvik"),
        ("Ornskoldsvik", "Örnsköldsvik"),
        ("Övik", "Örnsköldsvik"),
        ("Umea", "Umeå"),
        ("UMEÅ", "Umeå"),
        ("Umeå kommun", "Umeå"),
        (" vännäs ", "Vännäs"),
        ("Vindelns kommun", "Vindeln"),
        ("Nordmalings kommun", "Nordmaling"),
        ("robertsfors", "Robertsfors"),
        ("Bjurholms kommun", "Bjurholm"),
    ],
)
def test_normalise_municipality_maps_spellings_to_the_short_name(lookup, value, canonical):
    assert normalise_municipality(value, lookup) == canonical


@pytest.mark.parametrize("value", ["Stockholm", "Skellefteå", "Lycksele", "Kommunen", "x"])
def test_normalise_municipality_refuses_names_outside_the_seven(lookup, value):
    with pytest.raises(UnknownMunicipality) as info:
        normalise_municipality(value, lookup)
    assert info.value.value == value
    assert value in str(info.value)
    assert str(info.value).startswith("Okänd kommun")


def test_unknown_municipality_far_from_every_name_gets_no_suggestion(lookup):
    with pytest.raises(UnknownMunicipality) as info:
        normalise_municipality("Stockholm", lookup)
    assert info.value.suggestion is None
    assert "Menade du" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [("Vänäs", "Vännäs"), ("Umeaa", "Umeå"), ("Robertfors", "Robertsfors"), ("Örnsköldvik", "Örnsköldsvik")],
)
def test_near_miss_suggests_the_right_name_in_the_message(lookup, value, suggestion):
    with pytest.raises(UnknownMunicipality) as info:
        normalise_municipality(value, lookup)
    assert info.value.suggestion == suggestion
    assert f"Menade du {suggestion}?" in str(info.value)


def test_unknown_municipality_is_a_value_error():
    assert issubclass(UnknownMunicipality, ValueError)


def test_swedish_sort_key_puts_a_ring_a_umlaut_o_umlaut_after_z_in_that_order():
    assert sorted(["Ö", "Z", "Ä", "Å", "A", "O"], key=swedish_sort_key) == ["A", "O", "Z", "Å", "Ä", "Ö"]


def test_swedish_sort_key_orders_words_by_swedish_letters():
    words = ["Örnsköldsvik", "Vännäs", "Vindeln", "Zeta", "Åsele", "Ärla", "Umeå", "Umea"]
    assert sorted(words, key=swedish_sort_key) == [
        "Umea",
        "Umeå",
        "Vindeln",
        "Vännäs",
        "Zeta",
        "Åsele",
        "Ärla",
        "Örnsköldsvik",
    ]


def test_swedish_sort_key_ignores_case():
    assert swedish_sort_key("ÅSELE") == swedish_sort_key("åsele")
    assert sorted(["b", "A", "c"], key=swedish_sort_key) == ["A", "b", "c"]


def test_swedish_sort_key_puts_a_shorter_prefix_first():
    assert sorted(["Umeåregionen", "Umeå"], key=swedish_sort_key) == ["Umeå", "Umeåregionen"]


def test_list_municipality_names_returns_the_seven_in_swedish_order(seeded):
    assert list_municipality_names(seeded) == SEVEN


def test_municipality_lookup_knows_every_name_official_name_and_alias(seeded):
    table = municipality_lookup(seeded)
    for m in seed("municipalities.json"):
        for spelling in [m["name"], m["official_name"], *m["aliases"]]:
            assert table[fold(spelling)] == m["name"], spelling
