"""Countries: names, demonyms and exact forms; a currency sign is not a country."""

from __future__ import annotations

from relations.parser.countries import find_countries
from relations.text import fold


def codes(text: str, kb) -> list[str]:
    return [m.code for m in find_countries(text, fold(text), kb)]


def test_currency_is_not_a_country(kb):
    assert codes("trade reaching nearly US$3 billion in the first three months", kb) == []
    assert codes("a total volume of 100 billion JPY (US $636 million)", kb) == []
    assert codes("bilateral trade to VNĐ20 billion (US$20 billion)", kb) == []


def test_names_demonyms_and_exact_forms(kb):
    assert codes("Those restrictions, reinforced by then-U.S. President Donald Trump", kb) == ["USA"]
    assert codes("the US and the Vietnamese side agreed", kb) == ["USA", "VNM"]
    assert codes("Việt Nam and Cuba, and the Cuban people", kb) == ["VNM", "CUB", "CUB"]


def test_spans_point_at_the_words(kb):
    text = "Speaker of the NA of the Republic of Korea (RoK) Woo Won Shik"
    ms = find_countries(text, fold(text), kb)
    assert [text[m.start:m.end] for m in ms] == ["Republic of Korea", "RoK"]
