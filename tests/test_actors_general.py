"""Persons, organisations, topics and agreements on outlets and country pairs beyond the studied ones."""

from __future__ import annotations

import pytest
from tests.conftest import CORPUS, needs_corpus

from relations.parser import parse


def record(text: str) -> dict:
    return parse(" date 2024-05-20 " + text, require_date=False)


def persons(rec: dict) -> dict[str, dict]:
    return {a["name"]: a for a in rec["actors"] if a["kind"] == "person"}


def orgs(rec: dict) -> dict[str, dict]:
    return {a["name"]: a for a in rec["actors"] if a["kind"] == "organization"}


def corpus(name: str) -> dict:
    path = CORPUS / "dev" / name
    return parse(path.read_text(encoding="utf-8"), {"path": str(path)}, require_date=False)


# --- the state a person serves -------------------------------------------------------------------

def test_country_written_after_the_name():
    p = persons(record("The ceremony was attended by President Omar Haddad of Tunisia and Prime Minister "
                       "Pedro Alves of Portugal, who discussed trade between Tunisia and Portugal."))
    assert p["Omar Haddad"]["country"] == "TUN"
    assert p["Pedro Alves"]["country"] == "PRT"


def test_signed_for_a_country():
    p = persons(record("Kenya and Ethiopia signed an MoU on energy. Minister of Energy Ruth Wanjiku signed for "
                       "Kenya, and Water Minister Abebe Tadesse signed for Ethiopia."))
    assert p["Ruth Wanjiku"]["country"] == "KEN"
    assert p["Abebe Tadesse"]["country"] == "ETH"


def test_two_like_offices_joined_by_and_are_two_states():
    p = persons(record("The Minister of Foreign Affairs, Marko Petrović, and the Minister of Agriculture of Hungary, "
                       "Gábor Kiss, opened the forum of Serbia and Hungary in Budapest."))
    assert p["Gábor Kiss"]["country"] == "HUN"
    assert p["Marko Petrović"]["country"] == "SRB"


def test_one_adjective_is_not_shared_by_two_holders_of_one_office():
    p = persons(record("French Foreign Minister Jean Martin and Federal Foreign Minister Klaus Weber met in Paris "
                       "to discuss relations between France and Germany."))
    assert p["Jean Martin"]["country"] == "FRA"
    assert p["Klaus Weber"]["country"] == "DEU"


def test_the_other_side_of_a_meeting_and_a_message():
    p = persons(record("Japanese Prime Minister Taro Sato on Friday congratulated president-elect Maria Santos on "
                       "her victory, as Japan and the Philippines prepare talks."))
    assert p["Maria Santos"]["country"] == "PHL"
    p = persons(record("Prime Minister Jone Tuilagi has conveyed a congratulatory message to New Zealand's newly "
                       "appointed Prime Minister Mark Evans. Fiji and New Zealand are close partners."))
    assert p["Jone Tuilagi"]["country"] == "FJI"


def test_an_ambassador_serves_the_state_that_sends_him():
    p = persons(record("President Luis Ortega of Colombia arrived in Caracas, according to the country's "
                       "ambassador in Venezuela Andrés Mejía, for talks on the border between Colombia and Venezuela."))
    assert p["Andrés Mejía"]["country"] == "COL"


def test_the_host_of_a_visit_by_another_country():
    p = persons(record("President Daniel Kiprono, on the first day of a State Visit by Ethiopia Prime Minister "
                       "Abiy Mekonnen, said Kenya and Ethiopia would expand trade."))
    assert p["Daniel Kiprono"]["country"] == "KEN"


def test_his_country_visit_makes_him_a_visitor():
    p = persons(record("External Affairs Minister Rao concluded his Maldives visit on Sunday. India and the "
                       "Maldives signed MoUs. Maldivian President Ali Naseem thanked India."))
    assert p["Rao"]["country"] == "IND"


# --- what is not a person --------------------------------------------------------------------------

def test_portfolios_after_an_office_are_not_persons():
    p = persons(record("Minister for Sustainability and the Environment Grace Lim and the Minister of Technology "
                       "and Innovation Pál Kovács spoke, as did the Minister for National Security and Intelligence "
                       "Tom Hale and the Minister Attached to the Prime Minister Sok Chea."))
    for word in ("Sustainability", "Innovation", "Intelligence", "Attached"):
        assert word not in p
    assert "Pál Kovács" in p


def test_a_list_of_portfolios_does_not_enter_the_name():
    p = persons(record("Minister of Industry, Science, Technology and Innovation Chan Dara signed for Cambodia."))
    assert "Chan Dara" in p and p["Chan Dara"]["country"] == "KHM"
    assert not any(n.startswith("Innovation") for n in p)


def test_the_mous_are_not_a_person():
    p = persons(record("Prior to the signing of the MoUs, Prime Minister Modi and his counterpart held talks."))
    assert "MoUs" not in p


def test_an_office_ending_in_another_name_keeps_the_last_office():
    p = persons(record("Prime Minister Lee Wong met Chinese Premier Zhao Ming. Prime Minister Wong and Premier "
                       "Zhao Ming witnessed the signing of agreements between Singapore and China."))
    assert p["Zhao Ming"]["title"] == "Premier"


# --- organisations ---------------------------------------------------------------------------------

def test_a_country_before_and_is_not_part_of_the_body_after_it():
    o = orgs(record("An MoU was signed between the Council of Scientific and Industrial Research, India and "
                    "Bangladesh Council of Scientific and Industrial Research."))
    assert "Council of Scientific and Industrial Research" in o
    assert not any(n.startswith("India and") for n in o)


def test_one_word_name_and_the_next_body():
    o = orgs(record("Roscosmos and the China National Space Administration will cooperate on lunar research."))
    assert any(n.endswith("National Space Administration") and a["country"] == "CHN" for n, a in o.items())
    assert not any("Roscosmos and" in n for n in o)


def test_a_sentence_initial_preposition_is_not_the_name():
    o = orgs(record("Between Thailand's Ministry of Interior and Cambodia's National Committee for Disaster "
                    "Management on cooperation in disaster risk reduction."))
    assert not any(n.startswith("Between") for n in o)
    assert "Ministry of Interior" in o


def test_forums_are_gatherings_but_known_forums_are_bodies():
    o = orgs(record("The leaders met at the Third Dialogue Forum and praised the World Economic Forum."))
    assert "Third Dialogue Forum" not in o
    assert "World Economic Forum" in o


def test_sector_bodies_and_a_news_desk():
    rec = record("PTI Bureau: The Ministry of Railways signed an agreement with Bangladesh Railway and an MoU "
                 "between Prasar Bharati and Bangladesh Television.")
    o = orgs(rec)
    assert not any("Bureau" in n for n in o)
    assert {"Railway", "Television"} <= {n.split()[-1] for n in o}
    assert "infrastructure" in rec["topics"]   # the railway named as a body is the sector itself


# --- agreements ------------------------------------------------------------------------------------

def test_list_items_take_the_status_told_before_the_list():
    rec = record("The two premiers co-chaired the signing ceremony of three MoUs on Monday.\nThe MoUs are:\n"
                 "▪︎ An MoU between the governments on academic cooperation.\n"
                 "▪︎ An MoU on the transit of goods between the two customs departments.\n")
    statuses = {a["status"] for a in rec["agreements"]}
    assert statuses == {"signed"}
    assert {"education", "trade"} <= {t for a in rec["agreements"] for t in a["topics"]}


def test_a_plural_document_over_fields_is_one_per_field():
    rec = record("Bangladesh and India signed documents on nuclear energy and disease prevention on Monday.")
    tops = sorted(tuple(a["topics"]) for a in rec["agreements"])
    assert tops == [("energy",), ("health",)]


def test_an_open_list_of_fields_is_one_summary():
    rec = record("Japan and the Philippines signed key agreements on security, defence, and other industries.")
    assert len(rec["agreements"]) == 1


def test_a_descriptions_words_are_not_its_status():
    rec = record("Pakistan and China signed the fourth document on the Karakoram Highway feasibility study.")
    assert [a["status"] for a in rec["agreements"]] == ["signed"]


def test_a_field_list_ends_at_a_new_clause():
    rec = record("The minister signed MoUs on capacity building and inaugurated six community projects in Male.")
    assert len(rec["agreements"]) == 1


# --- the same classes on corpus articles -----------------------------------------------------------

@needs_corpus
@pytest.mark.parametrize("article, name, code", [
    ("p165.txt", "Nikola Selaković", "SRB"),     # like offices joined by `and`
    ("p164.txt", "Frank-Walter Steinmeier", "DEU"),   # one adjective, one office, two states
    ("p144.txt", "Mohammed bin Zayed Al Nahyan", "ARE"),   # `of the UAE` after the name
    ("p142.txt", "William Ruto", "KEN"),         # host of a visit by the other country
    ("p127.txt", "Armando Benedetti", "COL"),    # ambassador in the other country
    ("p190.txt", "Jaishankar", "IND"),           # `his Maldives visit`
    ("p101.txt", "Hem Vanndy", "KHM"),           # `signed for Cambodia`
])
def test_corpus_person_countries(article, name, code):
    p = persons(corpus(article))
    assert p[name]["country"] == code


@needs_corpus
def test_corpus_no_portfolio_persons():
    for article, word in (("p165.txt", "Innovation"), ("p188.txt", "Intelligence"), ("p150.txt", "Media"),
                          ("p182.txt", "MoUs"), ("p101.txt", "Attached")):
        assert word not in persons(corpus(article)), article


@needs_corpus
def test_corpus_bulleted_mous_are_signed():
    agreements = corpus("p101.txt")["agreements"]
    assert len([a for a in agreements if a["status"] == "signed"]) >= 3
    assert not [a for a in agreements if a["status"] == "existing"]


def test_portfolios_before_the_office_word_and_the_he_honorific():
    p = persons(record("Egypt's Investment and International Cooperation Minister Laila Fahmy signed memorandums "
                       "with Romania, and on the part of the United States, HE Mark Dunn, the US ambassador, signed."))
    assert p["Laila Fahmy"]["country"] == "EGY"
    assert "Mark Dunn" in p


def test_a_dropped_demonym_after_of_leaves_the():
    p = persons(record("Chairman of Vietnamese National Assembly Trần Thanh Mẫn received Cuban guests in Hà Nội."))
    assert p["Trần Thanh Mẫn"]["title"] == "Chairman of the National Assembly"


def test_an_adjective_keeps_an_envoy_and_a_guess_makes_no_counterpart():
    p = persons(record("The minister met the Argentine ambassador in Santiago, Jorge Ruiz, to discuss trade "
                       "between Chile and Argentina."))
    assert p["Jorge Ruiz"]["country"] == "ARG"
    p = persons(record("The presidents of Chile and Argentina, Gabriel Soto and Javier Luna, will meet next week."))
    assert p["Gabriel Soto"]["country"] == "CHL"
