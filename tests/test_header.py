from conftest import CORPUS, needs_corpus
from relations.knowledge import loader as knowledge
from relations.parser.header import credit, date_from_text
from relations.parser.organizations import vocab


def _agencies():
    return set(vocab(knowledge.load()).agencies)


def test_reported_by_gives_the_agency():
    text = "The two countries signed a number of agreements. This is reported by UNN with reference to Vnexpress."
    assert credit(text, _agencies()).agency == "UNN"


def test_photo_credit_keeps_only_the_agencies_of_a_slash_list():
    text = ("The two prime ministers met in Moscow | Photo: EFE/EPA/ALEXANDER ASTAFYEV/SPUTNIK\n\n"
            "Russia and Cuba are preparing an agreement.")
    assert credit(text, _agencies()).agency == "EFE/EPA"


def test_taken_from_credit_at_the_end():
    text = "Both sides signed a joint declaration.\n\n(Taken from Prensa Latina)"
    assert credit(text, _agencies()).agency == "Prensa Latina"


def test_a_cut_off_word_after_a_hyphen_is_not_a_credit():
    text = "It reflected the priority that both Parties place on Vietnam -Chi"
    assert credit(text, _agencies()).agency is None


def test_trailing_credit_glued_to_the_last_sentence():
    text = "The delegation visited the Air Defence-Air Force Service's Division 371.-VNA"
    assert credit(text, _agencies()).agency == "VNA"


def test_dateline_with_a_colon():
    text = "SINGAPORE: Singapore and Vietnam signed Memorandum of Understanding (MOU) on Thursday (Feb 9)."
    assert credit(text, _agencies()).dateline == "SINGAPORE"


def test_dateline_after_a_photo_credit():
    text = ("Leaders witness the signing. — VNA/VNS Photo Thống Nhất HAVANA — First Secretary Miguel Díaz Canel "
            "chaired an official welcome ceremony.")
    c = credit(text, _agencies())
    assert c.dateline == "HAVANA"
    assert text[c.dateline_span[0]:c.dateline_span[1]] == "HAVANA"


def test_no_date_anywhere_gives_none():
    assert date_from_text("Vietnam and Cuba held talks on Tuesday in Havana.") == (None, None)


def _is_city(name: str) -> bool:
    from relations.parser.events import known_places
    from relations.text import fold
    return fold(name) in known_places(knowledge.load()).cities


def test_credit_in_brackets_opening_the_story_without_a_place():
    c = credit("(MENAFN- Gulf Times) Qatar and Kenya signed an agreement on trade.", _agencies())
    assert c.agency == "MENAFN"
    assert credit("(ECNS) — A shipment of supplies arrived in Havana.", _agencies()).agency == "ECNS"


def test_wire_credits_joined_by_a_slash_before_a_dash():
    assert credit("NDO/VNA - Prime Minister Pham Minh Chinh received the ambassador.", _agencies()).agency == "NDO/VNA"


def test_an_acronym_in_brackets_after_an_office_is_not_a_credit():
    for text in ("Prime Minister (PM) Lawrence Wong has concluded his trip to China.",
                 "The Ministry of External Affairs (MEA) said the visit went well."):
        c = credit(text, _agencies(), is_place=_is_city)
        assert (c.agency, c.dateline) == (None, None)


def test_a_label_in_brackets_keeps_the_dateline_but_is_no_agency():
    c = credit("Kyodo News\n\nTOKYO (UPDATE) — Japan and the Philippines agreed to work together.", _agencies())
    assert (c.agency, c.dateline) == ("Kyodo News", "TOKYO")


def test_credit_closing_the_last_paragraph_before_a_footer():
    assert credit("They met in Hanoi on Monday. — VNS\n\nE-paper", _agencies()).agency == "VNS"
    assert credit("They talked by phone.\n\n— YONHAP News", _agencies()).agency == "YONHAP News"
    assert credit("They talked by phone about trade and energy between the two countries. (EFE)",
                  _agencies()).agency == "EFE"


def test_a_photo_credit_in_a_caption_is_the_last_resort():
    text = "Maduro (R) was one of Petro's first moves as president. / AFP\n\nThe two leaders met in Caracas."
    assert credit(text, _agencies()).agency == "AFP"


def test_datelines_in_plain_case_need_a_known_place():
    assert credit("Pretoria - The Chinese Embassy donated equipment.", _agencies(), is_place=_is_city).dateline == "Pretoria"
    assert credit("Abu Dhabi: The UAE and India signed three MoUs.", _agencies(), is_place=_is_city).dateline == "Abu Dhabi"
    assert credit("Olalekan Adetayo, Abuja\n\nThe two presidents agreed to cooperate.", _agencies(),
                  is_place=_is_city).dateline == "Abuja"
    assert credit("TNI Bureau: Prime Minister Narendra Modi signed seven MoUs.", _agencies(),
                  is_place=_is_city).dateline is None


def test_dateline_in_capitals_with_a_date_and_no_comma():
    assert credit("PARIS Jan 21 Foreign ministers of France and Germany agreed on Tuesday.", _agencies()).dateline == "PARIS"


def test_a_date_alone_under_the_headline_in_the_page_format():
    head = "Serbia and Hungary sign a strategic partnership agreement\n\n"
    assert date_from_text(head + "21.01.2014 - Press release\n\nThe ministers met.")[0] == "2014-01-21"
    assert date_from_text(head + "08. Sep 2021.\nThe prime ministers signed.")[0] == "2021-09-08"
    assert date_from_text(head + "Monday, 8 July 2024 10:45\n\nText.")[0] == "2024-07-08"


def test_month_names_of_the_site_language():
    head = "Indonesia and Malaysia sign a border pact in Jakarta\n"
    assert date_from_text(head + "3 Mei 2018\nJakarta.")[0] == "2018-05-03"
    assert date_from_text(head + "lunes, 8 de julio de 2024\nText.")[0] == "2024-07-08"


def test_a_date_in_a_byline():
    assert date_from_text("Leaders meet for talks in Hanoi\nBy Jane Doe | July 8, 2024\n")[0] == "2024-07-08"
    assert date_from_text("Published: 2024-07-08\nThe leaders met.")[0] == "2024-07-08"


def test_a_date_above_the_headline_or_read_either_way_is_not_the_articles():
    # the site's date on the page's first line, above its menu
    assert date_from_text("Tuesday, November 05, 2024\nEnglish Edition\n\nCuban PM tour of Asia continues\n\n"
                          "Vientiane, Oct 2 (Prensa Latina) Cuban Prime Minister Manuel Marrero Cruz will arrive.") \
        == (None, None)
    assert date_from_text("Leaders meet for talks in Hanoi\n07/08/2024\nText.") == (None, None)


@needs_corpus
def test_corpus_pages_with_their_own_date_lines():
    from relations.parser.pipeline import parse
    for stem, expected in (("p164", "2014-01-21"), ("p165", "2021-09-08"), ("p012", None)):
        text = (CORPUS / "dev" / f"{stem}.txt").read_text(encoding="utf-8")
        assert parse(text, require_date=False)["date"] == expected


def test_an_outlet_before_the_date_of_a_byline():
    text = ("Monday, December 29, 2025\nInternational\n\nModi, Trump Talk Over Phone, Discuss Key Bilateral Issues\n\n"
            "IANS, 09 Jan, 2019 01:49 AM\n\nNarendra Modi and Donald Trump held a telephonic conversation.")
    assert credit(text, _agencies()).agency == "IANS"
    assert date_from_text(text)[0] == "2019-01-09"


def test_dateline_with_a_building_a_country_and_a_date():
    text = "State House, Nairobi, Kenya, Monday 30 May 2022 – The Minister of Foreign Affairs presided over the signing."
    assert credit(text, _agencies(), is_place=_is_city).dateline == "Nairobi"
