"""query.timeline (rewritten for speed) means exactly what the first version meant."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relations import query
from relations.query import in_range


def timeline_v1(records, a, b, *, since=None, until=None, topic=None):
    """The first implementation, kept as the oracle."""
    entries = []
    for r in records:
        parties = set(r.get("parties") or [])
        if not (a in parties and b in parties):
            continue
        if topic and topic not in (r.get("topics") or []):
            continue
        ev = r.get("event") or {}
        when = ev.get("date") or r.get("date")
        place = ev.get("place")
        entries.append({"date": when, "kind": ev.get("type") or "other",
                        "what": r.get("title") or "", "place": place, "record": r["id"], "referenced": False})
        for ag in r.get("agreements") or []:
            if ag.get("status") == "signed":
                entries.append({"date": when, "kind": f"signed {ag.get('kind')}", "what": ag.get("text", ""),
                                "place": place, "record": r["id"], "referenced": False})
        for pe in r.get("past_events") or []:
            entries.append({"date": pe.get("date"), "kind": "referenced", "what": pe.get("text", ""),
                            "place": None, "record": r["id"], "referenced": True})
    entries = [e for e in entries if e["date"] and in_range(e["date"], since, until)]
    order = {"referenced": 2}
    entries.sort(key=lambda e: (e["date"], order.get(e["kind"], 0 if not e["kind"].startswith("signed") else 1),
                                e["record"]))
    return entries


DATES = st.sampled_from([None, "", "2019", "2020", "2020-05", "2020-05-03", "2020-05-30", "2021-01-01", "1999-12"])
CODES = st.sampled_from(["VNM", "CUB", "JPN"])
record = st.fixed_dictionaries({
    "id": st.sampled_from(["a", "b", "c", "d"]),
    "date": DATES,
    "title": st.one_of(st.none(), st.sampled_from(["T1", "T2", ""])),
    "parties": st.lists(CODES, max_size=3),
    "topics": st.lists(st.sampled_from(["trade", "defense"]), max_size=2),
    "event": st.one_of(st.none(), st.fixed_dictionaries({
        "type": st.sampled_from([None, "talks", "visit", "signing", "referenced", "signed-ish"]),
        "date": DATES, "place": st.sampled_from([None, "Hà Nội"])})),
    "agreements": st.lists(st.fixed_dictionaries({
        "status": st.sampled_from(["signed", "planned"]), "kind": st.sampled_from(["agreement", "treaty"]),
        "text": st.sampled_from(["x", "y"])}), max_size=2),
    "past_events": st.lists(st.fixed_dictionaries({"date": DATES, "text": st.sampled_from(["p", "q"])}), max_size=2),
})


@settings(max_examples=300, deadline=None)
@given(st.lists(record, max_size=12), CODES, CODES, st.sampled_from([None, "2020", "2020-05-03"]),
       st.sampled_from([None, "2020-05", "2021"]), st.sampled_from([None, "trade"]))
def test_timeline_matches_the_first_version(records, a, b, since, until, topic):
    assert query.timeline(records, a, b, since=since, until=until, topic=topic) == \
        timeline_v1(records, a, b, since=since, until=until, topic=topic)


def test_list_row():
    r = {"id": "x", "date": "2020", "event": {"type": "talks"}, "parties": ["CUB", "VNM"], "title": "T"}
    assert query.list_row(r) == {"id": "x", "date": "2020", "event": "talks", "parties": "CUB–VNM", "title": "T",
                                 "topics": []}
    assert list(query.list_row(r)) == query.LIST_COLUMNS
