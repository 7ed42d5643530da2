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


# --- event type: the lead sentence's verb ---------------------------------------------------------

def test_lead_verbs_of_the_genre_give_the_type():
    cases = {
        "call": ["Chilean President Gabriel Boric spoke by phone on Tuesday with Argentine President Javier Milei.",
                 "Prime Minister Fumio Kishida on Friday congratulated Ferdinand Marcos Jr. on his victory during a "
                 "phone call."],
        "statement": ["Prime Minister Sitiveni Rabuka has conveyed a congratulatory message to New Zealand’s Prime "
                      "Minister Christopher Luxon.",
                      "In a letter to President Abdel Fattah El-Sisi, King Salman emphasized the historical ties."],
        "aid": ["The Chinese Embassy on Monday presented 500 tonnes of rice to the people of Laos.",
                "Viet Nam decided to support Laos with US$2 million and medical supplies in aid of its fight "
                "against COVID-19, announced Deputy Minister Nguyễn Quốc Dũng."],
        "talks": ["The two prime ministers co-chaired the fifth meeting of the joint commission in Hanoi.",
                  "The leaders of Japan and the Philippines agreed to negotiate a troop access arrangement."],
        "anniversary": ["Li Hongzhong and Prime Minister Oyun-Erdene attended a reception to celebrate the 75th "
                        "anniversary of China-Mongolia diplomatic ties in Beijing on Friday."],
    }
    for expected, leads in cases.items():
        for lead in leads:
            assert _event(" date 2024-10-19 " + lead)["type"] == expected, lead


def test_a_weak_cue_gives_way_to_a_stronger_one_in_its_sentence_only():
    ev = _event(" date 2024-01-23 Santiago de Chile, Jan 22 (EFE).- The presidents of Chile and Argentina will "
                "meet next week in Buenos Aires to sign an agreement, Foreign Minister Alberto van Klaveren "
                "announced on Tuesday.\n\nHe said the meeting would take place on January 29.")
    assert ev["type"] == "statement"


def test_a_visit_under_way_is_the_setting_of_the_talks_it_reports():
    ev = _event(" date 2019-05-21 Foreign Minister Pham Binh Minh is paying an official visit to Cuba from May "
                "19-21.During their talks on May 20, the two ministers discussed cooperation.")
    assert ev["type"] == "talks"


def test_a_commemoration_still_to_come_is_not_the_event():
    ev = _event(" date 2024-05-06 Prime Minister Phạm Minh Chính welcomed Cambodian Deputy Prime Minister Neth "
                "Savoeun in Hà Nội on Monday.\n\nDuring his visit, the Cambodian leader is scheduled to attend the "
                "ceremony celebrating the 70th anniversary of Điện Biên Phủ Victory.")
    assert ev["type"] == "talks"


# --- event place ----------------------------------------------------------------------------------

def test_a_building_is_not_the_place_but_its_city_is():
    ev = _event(" date 2024-02-29 President William Ruto received Prime Minister Abiy Ahmed at State House Nairobi "
                "on Wednesday.")
    assert ev["place"] == "Nairobi"
    ev = _event(" date 2024-01-31 Prime Minister Srettha Thavisin welcomed his Cambodian counterpart Hun Manet to "
                "Government House on his first official visit to Thailand.")
    assert ev["place"] == "Thailand"
    ev = _event(" date 2022-09-06 Prime Minister Narendra Modi and Sheikh Hasina signed seven MoUs on Tuesday in "
                "New Delhi’s Hyderabad House.")
    assert ev["place"] == "New Delhi"


def test_the_owner_of_an_office_is_not_a_place():
    ev = _event(" date 2023-12-09 Prime Minister Sitiveni Rabuka has conveyed a congratulatory message to New "
                "Zealand’s newly appointed Prime Minister Christopher Luxon.")
    assert ev["place"] is None


def test_a_country_written_with_the_article_or_its_form_of_state():
    ev = _event(" date 2024-03-01 President Joko Widodo arrived for a state visit to the Philippines on Friday.")
    assert ev["place"] == "Philippines"
    ev = _event(" date 2022-12-19 The Nicaraguan Foreign Minister will conclude his official visit to the Islamic "
                "Republic of Iran on Monday.")
    assert ev["place"] == "Iran"
    ev = _event(" date 2021-10-26 HÀ NỘI — Việt Nam handed over medical supplies to the Lao side on Monday.")
    assert ev["place"] == "Hà Nội"


def test_a_city_named_as_its_government_places_a_visit():
    ev = _event(" date 2022-09-06 Dhaka and New Delhi on Tuesday signed seven memorandums of understanding during "
                "Prime Minister Sheikh Hasina’s state visit to India.")
    assert ev["place"] == "New Delhi"


def test_a_phone_call_has_no_country_for_a_place():
    ev = _event(" date 2022-05-20 Prime Minister Fumio Kishida spoke by phone on Friday with Ferdinand Marcos Jr., "
                "the Japanese Embassy in the Philippines said.")
    assert ev["place"] is None


def test_a_caption_dating_another_happening_does_not_place_the_event():
    text = (" date 2023-11-21 The president of Chile, Gabriel Boric, during the Asia-Pacific summit in San "
            "Francisco on November 15. Presidency of Chile (EFE)\n\nChilean President Gabriel Boric spoke by phone "
            "this Tuesday with the elected president of Argentina, Javier Milei.")
    ev = _event(text)
    assert (ev["type"], ev["date"], ev["place"]) == ("call", "2023-11-21", None)


# --- event date -----------------------------------------------------------------------------------

def test_the_date_that_goes_with_the_cue_over_the_span_of_the_visit():
    ev = _event(" date 2019-05-21 Foreign Minister Pham Binh Minh is paying an official visit to Cuba from May "
                "19-21 at the invitation of Bruno Rodriguez.During their talks on May 20, the two ministers "
                "discussed cooperation.")
    assert (ev["type"], ev["date"]) == ("talks", "2019-05-20")


def test_a_standfirst_recalling_an_earlier_meeting_is_not_the_story():
    text = (" date 2023-03-18 Argentina and Uruguay: Foreign Ministers agree on presidential summit next month\n\n"
            "The meeting between Cafiero and Bustillo was a follow-up on the one they had in Buenos Aires on Feb. 16\n\n"
            "Foreign Ministers Francisco Bustillo of Uruguay and Santiago Cafiero of Argentina Friday agreed to "
            "broker a presidential summit in April, during which a joint declaration is expected to be reached.\n\n"
            "Bustillo and Cafiero met Friday in Montevideo.")
    ev = _event(text)
    assert (ev["type"], ev["date"]) == ("talks", "2023-03-17")


def test_a_hard_wrapped_wire_story_starts_at_its_dateline():
    text = (" date 2014-01-21 PARIS Jan 21 Foreign ministers of France and\nGermany agreed on Tuesday a closer "
            "coordination of foreign\npolicy, including joint trips abroad.\n")
    rec = parse(text, require_date=False, kb=knowledge.load())
    assert (rec["dateline"], rec["event"]["type"], rec["event"]["date"], rec["event"]["place"]) == \
        ("PARIS", "talks", "2014-01-21", "Paris")


def test_the_place_after_the_kind_of_place():
    ev = _event(" date 2023-05-05 Foreign Minister Bilawal Bhutto-Zardari on Thursday held a bilateral meeting with "
                "his Russian counterpart Sergey Lavrov in a beach resort of Goa.")
    assert ev["place"] == "Goa"
    ev = _event(" date 2023-05-05 Bilawal Bhutto-Zardari met his Russian counterpart, Sergey Lavrov, on the "
                "sidelines of the meeting in the Indian city of Goa on Thursday.")
    assert ev["place"] == "Goa"


def test_a_visiting_official_and_a_source_statement_are_not_the_event():
    ev = _event(" date 2023-06-01 Islamabad: Foreign Minister Bilawal Bhutto Zardari and visiting Belarusian Foreign "
                "Minister Sergei Aleinik have envisioned closer cooperation, according to a joint statement.\n\n"
                "Zardari held talks with Aleinik on Tuesday on a variety of topics.")
    assert (ev["type"], ev["date"], ev["place"]) == ("talks", "2023-05-30", "Islamabad")


def test_a_telephonic_conversation_last_evening():
    ev = _event(" date 2019-01-09 Narendra Modi and US President Donald Trump held a telephonic conversation last "
                "evening and exchanged New Year greetings.")
    assert (ev["type"], ev["date"], ev["place"]) == ("call", "2019-01-08", None)


def test_the_dateline_country_is_the_other_party_of_a_lone_one():
    rec = parse(" date 2023-05-08 ISLAMABAD - Foreign Minister Bilawal Bhutto Zardari and his Afghan counterpart "
                "have emphasised the need for enhanced coordination to counter terrorism.", kb=knowledge.load())
    assert rec["parties"] == ["AFG", "PAK"]
