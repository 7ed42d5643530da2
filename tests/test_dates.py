from datetime import date

from relations.parser.dates import find_dates


def _values(text, pub):
    return [(text[m.start:m.end], m.value) for m in find_dates(text, pub)]


def test_weekday_with_day_in_brackets_uses_that_day():
    text = "The information was revealed this Tuesday (13) by the Prime Minister."
    got = find_dates(text, date(2023, 6, 1), "month")
    assert [m.value for m in got] == ["2023-06-13"]
    assert "day of the month" in got[0].how


def test_weekday_with_month_and_day_in_brackets():
    text = "Singapore and Vietnam signed an MOU on Thursday (Feb 9)."
    assert [m.value for m in find_dates(text, date(2023, 2, 9))] == ["2023-02-09"]


def test_weekday_in_brackets_that_does_not_match_the_calendar_is_ignored():
    # 13 June 2023 is a Tuesday, not a Friday
    text = "They met this Friday (13) in Moscow."
    assert all(m.value != "2023-06-13" for m in find_dates(text, date(2023, 6, 20)))


def test_plain_weekday_is_the_most_recent_one():
    text = "Xi held talks with Lam in Beijing on Monday."
    assert _values(text, date(2024, 8, 19)) == [("on Monday", "2024-08-19")]


def test_future_weekday_is_the_next_one():
    text = "The two ministers will meet on Friday."
    assert _values(text, date(2023, 5, 17)) == [("on Friday", "2023-05-19")]


def test_span_of_days_is_dated_by_its_first_day():
    text = "an official visit to Cuba from May 19-21 at the invitation"
    assert find_dates(text, date(2019, 5, 21))[0].value == "2019-05-19"
