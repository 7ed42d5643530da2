"""Persons: names found by the genre's patterns, their offices and their states."""

from __future__ import annotations

import pytest

from relations.parser import parse


def persons(text: str) -> dict[str, dict]:
    rec = parse(" date 2024-05-20 " + text, require_date=False)
    out = {}
    for a in rec["actors"]:
        if a["kind"] == "person":
            for s, e in a["spans"]:
                assert rec["text"][s:e] in a["name"] or a["name"].endswith(rec["text"][s:e]) or \
                    set(rec["text"][s:e].split()) <= set(a["name"].split()), "a span must point at a mention"
            out[a["name"]] = a
    return out


def test_title_stops_at_the_previous_name():
    p = persons("First Secretary of the Communist Party of Cuba Central Committee and President of Cuba Miguel "
                "Díaz Canel and Vietnamese President Nguyễn Xuân Phúc witness the signing of cooperation documents.")
    assert p["Nguyễn Xuân Phúc"]["title"] == "President"
    assert p["Nguyễn Xuân Phúc"]["country"] == "VNM"
    assert p["Miguel Díaz Canel"]["country"] == "CUB"


def test_counterpart_takes_the_office_and_the_adjective():
    p = persons("Cuban Foreign Minister Bruno Rodriguez and his Vietnamese counterpart, Pham Binh Minh, met on "
                "Monday in Havana.")
    assert p["Pham Binh Minh"]["title"] == "Foreign Minister"
    assert p["Pham Binh Minh"]["country"] == "VNM"
    assert p["Bruno Rodriguez"]["country"] == "CUB"


def test_counterpart_makes_the_first_person_the_other_country():
    p = persons("The memorandums were exchanged after a meeting between Prime Minister Narendra Modi and his "
                "Australian counterpart Anthony Albanese in Sydney. India and Australia agreed to deepen ties. "
                "India will host the next round.")
    assert p["Anthony Albanese"]["country"] == "AUS"
    assert p["Anthony Albanese"]["title"] == "Prime Minister"
    assert p["Narendra Modi"]["country"] == "IND"


def test_ambassador_to_a_country():
    p = persons("The message was conveyed during a meeting between Lam and South Korean Ambassador to Vietnam "
                "Choi Young-sam in Hanoi.")
    assert p["Choi Young-sam"]["title"] == "Ambassador to Vietnam"
    assert p["Choi Young-sam"]["country"] == "KOR"


def test_country_word_in_front_of_the_office_is_dropped():
    p = persons("Those restrictions, reinforced by then-U.S. President Donald Trump, have hurt the economy.")
    assert p["Donald Trump"]["country"] == "USA"
    assert p["Donald Trump"]["title"] == "President"
    p = persons("Japan Prime Minister Fumio Kishida met the press in Tokyo.")
    assert p["Fumio Kishida"]["title"] == "Prime Minister"


def test_acronym_in_brackets_inside_a_title():
    p = persons("The Deputy PM met the President of the Japan International Cooperation Agency (JICA) Tanaka "
                "Akihiko earlier the same day.")
    assert p["Tanaka Akihiko"]["title"] == "President of the Japan International Cooperation Agency"


def test_hyphenated_office_and_abbreviation():
    p = persons("Party General Secretary To Lam received Indonesian President-elect Prabowo Subianto in Hanoi.")
    assert p["Prabowo Subianto"]["title"] == "President-elect"
    assert p["Prabowo Subianto"]["country"] == "IDN"
    p = persons("Japanese PM Fumio Kishida welcomed the delegation.")
    assert p["Fumio Kishida"]["title"] == "Prime Minister"


def test_shared_adjective_for_two_officials():
    p = persons("The 11-day trip by Cuban Prime Minister Manuel Marrero and Foreign Vice Minister Gerardo "
                "Penalver came on the heels of a trade forum.")
    assert p["Gerardo Penalver"]["country"] == "CUB"
    assert p["Gerardo Penalver"]["title"] == "Foreign Vice Minister"


def test_naming_tradition_of_the_other_party():
    p = persons("Prime Minister Pham Minh Chinh and Prime Minister Lee Hsien Loong held talks. Vietnam and "
                "Singapore agreed to expand trade. Singapore and Vietnam will meet again.")
    assert p["Lee Hsien Loong"]["country"] == "SGP"   # Lee is a Korean family name, but Korea is not in the story
    assert p["Pham Minh Chinh"]["country"] == "VNM"


def test_not_persons():
    p = persons("During their talks on May31, President Quang and PM Abe expressed their delight. The two General "
                "Secretaries and Presidents reached consensus. The two ministers signed a Political Consultation "
                "Plan. They discussed it under Article 6 of the Paris Agreement.")
    assert "May31" not in p and "Secretaries" not in p and "Consultation Plan" not in p and "Article" not in p


def test_photographer_credit_is_not_a_person():
    p = persons("Xi Jinping holds talks with To Lam in Beijing on Monday. (Xinhua/Xie Huanchi) BEIJING, Aug. 19 "
                "(Xinhua) — Xi Jinping, general secretary of the Communist Party of China Central Committee, held talks.")
    assert "Xie Huanchi" not in p
    assert "Xi Jinping" in p


def test_place_is_not_a_person():
    p = persons("President Nguyễn Xuân Phúc said Hà Nội and Hồ Chí Minh City will host the forum. Hà Nội said "
                "it was ready.")
    assert set(p) == {"Nguyễn Xuân Phúc"}


def test_a_bare_name_that_speaks():
    p = persons("Regarding the talks with Premier Li Keqiang, Díaz-Canel commented that he reaffirmed the ties.")
    assert "Díaz-Canel" in p
    p = persons("Hanoi said the talks went well. The Kremlin said the talks went well. The Kremlin said more.")
    assert p == {}


@pytest.mark.parametrize("text,name,title", [
    ("Russian Prime Minister Mikhail Mishustin met Cuban officials.\n\nCuba and Russia signed deals.",
     "Mikhail Mishustin", "Prime Minister"),
    ("Cong Liang, vice-president of the National Development and Reform Commission of China, attended.",
     "Cong Liang", "vice-president of the National Development and Reform Commission of China"),
])
def test_titles(text, name, title):
    assert persons(text)[name]["title"] == title


def test_fullest_title_wins():
    p = persons("Party General Secretary and State President To Lam arrived in Beijing. General Secretary of the "
                "Communist Party of Vietnam (CPV) Central Committee and President To Lam held talks.")
    assert p["To Lam"]["title"] == "General Secretary of the Communist Party of Vietnam Central Committee and President"


def test_written_out_office_beats_abbreviation():
    p = persons("Vietnam's Deputy PM Tran Luu Quang (L) & Venezuelan President Nicolas Maduro are seen.\n"
                "On Thursday, Venezuelan President Nicolas Maduro and Vietnamese Vice Prime Minister Tran Luu Quang "
                "signed agreements.")
    assert p["Tran Luu Quang"]["title"] == "Vice Prime Minister"


def test_office_in_an_organisation_gives_its_country():
    p = persons("Rosneft chief executive Igor Sechin signed a deal with Indian companies in New Delhi. India and "
                "Russia agreed. India will host talks.")
    assert p["Igor Sechin"]["country"] == "RUS"


def test_visit_makes_the_visitor_from_the_other_party():
    rec = parse(" date 2024-05-20 India and Russia held talks in New Delhi. Kremlin spokesman Dmitry Peskov said "
                "President Vladimir Putin would visit India next year. Russia and India agreed.", require_date=False)
    putin = next(a for a in rec["actors"] if a.get("name") == "Vladimir Putin")
    assert putin["country"] == "RUS"
