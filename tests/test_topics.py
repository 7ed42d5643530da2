from relations.knowledge import loader as knowledge
from relations.parser.topics import find_topics
from relations.text import fold


def _topics(text):
    return set(find_topics(text, fold(text), knowledge.load(), []))


def test_press_conference_is_not_media():
    assert "culture" not in _topics("Kishida spoke at a joint press conference following their meeting.")


def test_construction_of_socialism_is_not_infrastructure():
    assert "infrastructure" not in _topics("He wished Vietnam greater successes in the construction of socialism.")


def test_capital_city_is_not_investment():
    assert "investment" not in _topics("talks between Xi and Lam in Beijing, capital of China")


def test_flights_are_transport():
    got = _topics("The two sides agreed to reopen flights between Vietnam and Japan.")
    assert "infrastructure" in got and "culture" not in got


def test_crimes_in_trade_stay_crime():
    got = _topics("They will fight crimes in trade and tourism.")
    assert "crime" in got and "trade" not in got


def test_military_aid_is_defence():
    got = _topics("They agreed to discuss Japanese military aid.")
    assert "defence" in got and "humanitarian" not in got
