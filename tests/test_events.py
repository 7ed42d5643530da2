from relations.knowledge import loader as knowledge
from relations.parser import parse


def _event(text):
    return parse(text, require_date=False, kb=knowledge.load())["event"]


def test_visit_as_setting_gives_way_to_the_signing():
    ev = _event(" date 2024-06-20 During the visit of Russian President Vladimir Putin to Vietnam, the two "
                "countries signed a number of agreements on deepening cooperation.")
    assert ev["type"] == "signing"


def test_signing_in_the_headline_makes_a_signing():
    ev = _event("Laos, Vietnam ink deals to broaden cooperation\n"
                "Prime Minister Thongloun Sisoulith and his Vietnamese counterpart Nguyen Xuan Phuc have agreed to "
                "work together to enhance the friendly relations between Laos and Vietnam.")
    assert ev["type"] == "signing"


def test_story_after_a_caption_starts_at_the_dateline():
    text = (" date 2024-08-19 Xi Jinping and his wife pose for a group photo with To Lam, who is on a state visit "
            "to China, before talks in Beijing, capital of China, Aug. 19, 2024. (Xinhua/Xie Huanchi)\n\n"
            "BEIJING, Aug. 19 (Xinhua) — Xi Jinping held talks with To Lam in Beijing on Monday.")
    ev = _event(text)
    assert (ev["type"], ev["date"], ev["place"]) == ("talks", "2024-08-19", "Beijing")


def test_dateline_date_when_the_opening_has_none():
    text = (" date 2021-05-10 HAVANA, Cuba, May 7 (ACN) Cuban foreign minister Bruno Rodriguez held a telephone "
            "conversation with his counterpart, Vietnamese Bui Thanh Son.")
    ev = _event(text)
    assert (ev["type"], ev["date"]) == ("call", "2021-05-07")
    s, e = ev["evidence"]["date"]
    assert text[len(" date 2021-05-10 "):][s:e] == "May 7"


def test_an_old_month_in_the_opening_is_not_the_event_date():
    text = (" date 2023-04-18 Son spoke highly of the online high-level talks between the two leaders, and the "
            "Vietnam visit by President of the Mozambican Assembly Esperanca Bias in June 2022.")
    assert _event(text)["date"] is None


def test_capital_of_a_country_is_its_capital():
    text = ("Vientiane, Oct 2 (Prensa Latina) Cuban Prime Minister Manuel Marrero Cruz will arrive in the capital "
            "of Laos to complete the second stage of a journey, which began on September 28th in Hanoi, Vietnam.")
    assert _event(text)["place"] == "Vientiane"


def test_place_stops_at_the_end_of_a_sentence():
    text = (" date 2023-11-27 President Vo Van Thuong held talks in Tokyo. Khái said the two sides agreed to "
            "deepen cooperation.")
    assert _event(text)["place"] == "Tokyo"


def test_country_of_the_visit_with_a_dateline_city_in_it():
    text = ("Tokyo (VNA) – Vietnam and Japan issued a joint statement on the occasion of the State visit to Japan "
            "by President Tran Dai Quang.")
    assert _event(text)["place"] == "Tokyo"


def test_place_that_goes_with_the_event_cue():
    text = ("HAVANA, (Reuters) – A delegation of high-level Cuban officials wrapped up an extended visit to Russia, "
            "following up on the trade agreements signed between the allies in Havana in May.")
    assert _event(text)["place"] == "Russia"
