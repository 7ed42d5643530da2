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
