"""The gazetteer: cities and provinces of every country from GeoNames and ISO 3166-2."""

from relations.knowledge import gazetteer
from relations.knowledge import loader as knowledge
from relations.parser import parse
from relations.parser.events import known_places


def test_towns_no_one_listed_by_hand_have_their_country():
    cities = known_places(knowledge.load()).cities
    # (none of these is in places.yaml)
    assert (cities["thika"], cities["kitale"], cities["machakos"]) == ("KEN", "KEN", "KEN")


def test_alternate_names_of_large_cities_and_provinces():
    table = gazetteer.cities()
    assert table["bombay"] == "IND" and table["saigon"] == "VNM"
    assert table["bayern"] == "DEU"          # a subdivision, from ISO 3166-2


def test_country_names_and_common_words_are_not_places():
    assert "mexico" not in gazetteer.cities() and "philippines" not in gazetteer.cities()
    cities = known_places(knowledge.load()).cities
    for word in ("union", "summit", "independence", "david"):
        assert word not in cities, word
    assert "jiao qu" not in gazetteer.cities()    # a romanised name English text does not write


def test_an_event_in_an_unlisted_town_and_its_dateline():
    rec = parse(" date 2024-03-01 Machakos - President William Ruto on Friday received the Ethiopian Prime "
                "Minister Abiy Ahmed at his residence in Machakos.", kb=knowledge.load())
    assert (rec["dateline"], rec["event"]["place"]) == ("Machakos", "Machakos")
