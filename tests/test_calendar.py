"""`timeline --format ics`: written with icalendar, read back with it."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from relations.cli import main
from relations.errors import ExtraMissing
from relations.render import calendar

icalendar = pytest.importorskip("icalendar", reason="the calendar extra is not installed")

SEED_A = "2025-08-15-46b756cf"
SEED_B = "2023-05-17-63cca63d"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("ics") / "archive.jsonl"
    assert CliRunner().invoke(main, ["--archive", str(path), "ingest", str(SEEDS)]).exit_code == 0
    return path


def ics(archive, *extra) -> bytes:
    res = CliRunner().invoke(main, ["--archive", str(archive), "timeline", "vietnam", "cuba", "--format", "ics", *extra])
    assert res.exit_code == 0, res.output
    return res.stdout_bytes


def test_dated_happenings_are_all_day_events(archive):
    cal = icalendar.Calendar.from_ical(ics(archive))
    events = cal.walk("VEVENT")
    assert [(e.decoded("dtstart"), str(e["categories"].cats[0])) for e in events] == [
        (date(2023, 5, 16), "talks"), (date(2025, 8, 15), "talks"), (date(2025, 8, 15), "signed agreement")]
    for e in events:
        start = e.decoded("dtstart")
        assert type(start) is date and e.decoded("dtend") == start + timedelta(days=1)
        assert str(e["location"]) == "Hà Nội"
        assert e.decoded("dtstamp")
    assert str(events[0]["summary"]).startswith("talks: Việt Nam and Cuba")
    assert f"record: {SEED_B}" in str(events[0]["description"])
    assert "source: VNA/VNS · 000_8d0f82977c284667.txt" in str(events[2]["description"])


def test_month_and_year_entries_are_notes_without_a_day(archive):
    cal = icalendar.Calendar.from_ical(ics(archive))
    notes = cal.walk("VJOURNAL")
    assert [str(j["x-relations-date"]) for j in notes] == ["1963", "1973", "2024-09"]
    for j in notes:
        assert "dtstart" not in j and "dtend" not in j
        assert str(j["summary"]).startswith(str(j["x-relations-date"]) + " (referenced): ")
    assert f"referenced in record {SEED_A}, published 2025-08-15" in str(notes[2]["description"])


def test_uids_are_unique_and_stable(archive):
    first = icalendar.Calendar.from_ical(ics(archive))
    again = icalendar.Calendar.from_ical(ics(archive, "--since", "2020"))
    uids = [str(c["uid"]) for c in first.walk() if c.name in ("VEVENT", "VJOURNAL")]
    assert len(uids) == len(set(uids)) == 6
    assert f"{SEED_A}.event@relations.archive" in uids
    later = [str(c["uid"]) for c in again.walk() if c.name in ("VEVENT", "VJOURNAL")]
    assert later and set(later) <= set(uids)


def test_calendar_metadata(archive):
    cal = icalendar.Calendar.from_ical(ics(archive))
    assert str(cal["version"]) == "2.0" and "relations" in str(cal["prodid"])
    assert str(cal["x-wr-calname"]) == "Vietnam – Cuba: timeline"


def test_missing_extra_is_one_line_naming_it(archive, monkeypatch):
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(ExtraMissing, match=r"relations\[calendar\]"):
        calendar.calendar([], title="x")
    res = CliRunner().invoke(main, ["--archive", str(archive), "timeline", "vietnam", "cuba", "--format", "ics"])
    assert res.exit_code == 1
    assert res.output == "error: --format ics needs the calendar extra: pip install 'relations[calendar]'\n"
