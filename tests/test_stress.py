"""Hand-written stress articles: other outlets, other country pairs, other name forms.

The six articles in tests/fixtures/stress/ were written for this test (they are
original text, not copies of real stories) in the styles the dev corpus lacks:
a PTI dateline with an Indian initial (`S. Jaishankar`), an AFP page with a menu
line, `Published …` and Arabic names with `bin`, an AP story with Spanish
particles (`de la Fuente`), a Yonhap story with Korean and Polish names, a
Nigerian government press release (`Mallam`, `Ambassador` as a courtesy
title), and an EFE story without a header (`Santiago de Chile, Jan 22 (EFE).-`,
plural offices `the presidents of Chile and Argentina, X and Y`). Their gold
files follow ../shared/corpus/GUIDE.md.

The floors are the scores the parser reached when they were written: a change
that makes any field worse on this set fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

STRESS = Path(__file__).parent / "fixtures" / "stress"

# field -> F1 (or accuracy) reached on tests/fixtures/stress
FLOORS = {
    "persons": 1.0,
    "person.country": 0.906,
    "person.title": 0.966,
    "organizations": 1.0,
    "countries": 1.0,
    "topics": 0.914,
    "agreements": 1.0,
    "date": 1.0,
    "parties": 1.0,
    "event.type": 1.0,
    "event.date": 1.0,
    "event.place": 1.0,
    "agency": 1.0,
    "dateline": 1.0,
}


@pytest.fixture(scope="module")
def stress_scores(kb):
    from relations.evaluate import evaluate

    return evaluate([str(STRESS)], kb)


def test_stress_set_is_complete():
    texts = sorted(p.stem for p in STRESS.glob("*.txt"))
    golds = sorted(p.stem for p in STRESS.glob("*.yaml"))
    assert texts == golds and len(texts) == 6


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_stress_field_does_not_fall(field, stress_scores):
    from relations.evaluate import summarise

    rows = {r["field"]: r for r in summarise(stress_scores)}
    assert field in rows, f"the evaluator no longer reports {field}"
    now = rows[field]["f1"]
    assert now + 1e-9 >= FLOORS[field], f"{field}: {now} on the stress set, floor {FLOORS[field]}"


def test_stress_spans_point_at_their_text(kb):
    """Every actor span and agreement span of the stress records points into the article text."""
    from relations.parser import parse

    for txt in sorted(STRESS.glob("*.txt")):
        rec = parse(txt.read_text(encoding="utf-8"), require_date=False, kb=kb)
        body = rec["text"]
        for a in rec["actors"]:
            for s, e in a["spans"]:
                assert 0 <= s < e <= len(body), (txt.name, a["name"], s, e)
            if a.get("kind") == "person":
                assert any(w in body[s:e] for s, e in a["spans"] for w in a["name"].split()), (txt.name, a["name"])
        for ag in rec["agreements"]:
            s, e = ag["span"]
            assert body[s:e].strip() == ag["text"], (txt.name, ag["text"])
