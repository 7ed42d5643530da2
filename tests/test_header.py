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
