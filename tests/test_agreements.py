from relations.knowledge import loader as knowledge
from relations.parser import parse


def _ags(text):
    return [(a["status"], a["kind"]) for a in parse(text, require_date=False, kb=knowledge.load())["agreements"]]


def _full(text):
    return parse(text, require_date=False, kb=knowledge.load())


def test_the_same_undescribed_documents_named_twice_are_one():
    text = (" date 2021-09-20 The leaders held talks. After that, they witnessed the signing ceremony of cooperation "
            "documents between the two countries. The cooperation documents between the two countries' ministries "
            "were signed.")
    assert _ags(text) == [("signed", "document")]


def test_anaphoric_mention_is_not_a_new_document():
    text = (" date 2025-11-20 The two sides signed a Memorandum of Understanding (MoU) on Thursday to enhance "
            "parliamentary cooperation. The MoU was signed on the basis that relations are developing well.")
    assert _ags(text) == [("signed", "memorandum")]


def test_counted_umbrella_is_dropped_when_its_documents_are_described():
    text = (" date 2021-10-03 The two premiers witnessed the signing of eight agreements aimed at broadening "
            "cooperation. The documents included a sub-agreement on the construction of the National Assembly "
            "building, and a cooperation agreement on economics, culture and education. An MOU on aviation "
            "development was also signed.")
    got = _ags(text)
    assert ("signed", "memorandum") in got
    assert len(got) == 3


def test_list_items_inherit_the_status_of_their_header():
    text = (" date 2023-08-28 The two prime ministers witnessed the signing of cooperation documents in Hanoi.\n"
            "The documents signed are as follows:\n"
            "- A MoU on cooperation in education between the two Ministries of Education\n"
            "- A letter of intent between the two ministries on continuing cooperation\n")
    assert _ags(text) == [("signed", "memorandum"), ("signed", "document")]


def test_earlier_dated_document_is_existing():
    text = (" date 2025-11-20 The partnership was reinforced in the Joint Statement on Deepening the Comprehensive "
            "Strategic Partnership issued in August 2025.")
    assert _ags(text) == [("existing", "joint-statement")]


def test_vague_agreements_are_not_documents():
    text = (" date 2023-12-01 They agreed to effectively implement the signed agreements and step up the "
            "two economies' connectivity.")
    assert _ags(text) == []


def test_adopt_in_future_is_planned():
    text = (" date 2025-05-27 They agreed to soon formally adopt the 2026–30 action plan for implementing the "
            "partnership.")
    assert _ags(text) == [("planned", "plan")]


def test_plural_noun_with_two_descriptions_is_two_documents():
    text = (" date 2020-06-04 India and Australia on Wednesday signed agreements in the field of migration and "
            "mobility partnership and on the Green Hydrogen task force.")
    r = _full(text)
    assert [(a["status"], a["topics"]) for a in r["agreements"]] == [("signed", ["consular"]), ("signed", ["energy"])]
    for a in r["agreements"]:
        s, e = a["span"]
        assert r["text"][s:e] == a["text"]


def test_named_document_without_cue_is_existing():
    text = (" date 2023-12-10 At the end of November, authorities reviewed the Cuba-Venezuela Comprehensive "
            "Cooperation Agreement, which includes 22 bilateral agreements signed in the areas of health.")
    assert _ags(text) == [("existing", "agreement")]
