"""Property-based tests: parse never fails with a foreign exception; the archive round-trips."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations.errors import ParseError
from relations.ingest import delete, ingest
from relations.knowledge import loader as knowledge
from relations.parser import parse
from relations.store.archive import Archive
from relations.text import fold

KB = knowledge.load()

WORDS = ["Vietnam", "Việt Nam", "Laos", "Cuba", "China", "the", "and", "of", "signed", "an", "agreement",
         "memorandum", "on", "trade", "energy", "cooperation", "talks", "visit", "met", "Minister", "President",
         "Prime", "Mr.", "Ms.", "General", "Nguyễn", "Văn", "Hùng", "Ministry", "Foreign", "Affairs", "(VNA)",
         "HÀ NỘI —", "HANOI,", "May", "17", "2023", "on Friday", "last year", "anniversary", "60th", "\n", "\n\n",
         ".", ",", "—", "-", "(", ")", "'", "\u2019", "Committee", "for", "Solidarity", "Party", "UN", "ASEAN",
         "Published", "Date:", "10:30", "Jan.", "1", "the 50th anniversary", "2024-01-05", "[bold]", "\x1b[31m"]

texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join),
    st.builds(lambda d, body: f" date {d} {body}",
              st.dates().map(str), st.lists(st.sampled_from(WORDS), max_size=80).map(" ".join)),
    st.builds(lambda body, noise: body + noise,
              st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join), st.text(max_size=60)),
)

FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def inside(span, n):
    return (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)
            and 0 <= span[0] <= span[1] <= n)


def check_spans(rec: dict) -> None:
    text = rec["text"]
    n = len(text)
    for a in rec["actors"]:
        for sp in a["spans"]:
            assert inside(sp, n) and sp[1] > sp[0], (a, sp)
            assert text[sp[0]:sp[1]].strip(), (a, sp)
        if a.get("title_span"):
            s, e = a["title_span"]
            assert inside([s, e], n)
    for t, spans in rec["topic_evidence"].items():
        assert t in rec["topics"]
        for sp in spans:
            assert inside(sp, n) and sp[1] > sp[0], (t, sp)
    for ag in rec["agreements"]:
        assert inside(ag["span"], n), ag
    for pe in rec["past_events"]:
        s, e = pe["span"]
        assert inside([s, e], n), pe
        assert pe["text"] == text[s:e].strip(), pe
    ev = rec["event"]["evidence"]
    for key in ("type", "date", "place"):
        if ev.get(key):
            assert inside(ev[key], n), (key, ev)
    if ev.get("place") and rec["event"]["place"]:
        s, e = ev["place"]
        assert fold(rec["event"]["place"]) in fold(text[s:e]) or fold(text[s:e]) in fold(rec["event"]["place"])


@FUZZ
@given(texts)
def test_parse_returns_a_record_or_a_parse_error(text):
    try:
        rec = parse(text, kb=KB, default_date="2024-01-01")
    except ParseError:
        return
    orjson.dumps(rec)  # it can be stored
    check_spans(rec)


@FUZZ
@given(st.text(max_size=300))
def test_parse_without_a_date_fails_only_with_parse_error(text):
    try:
        rec = parse(text, kb=KB)
    except ParseError:
        return
    check_spans(rec)


# the archive round-trips --------------------------------------------------------------------------------------------

bodies = st.lists(st.sampled_from(WORDS[:30]), min_size=1, max_size=12).map(" ".join)
articles = st.builds(lambda d, b, extra: f" date 2024-01-{d:02d} Vietnam and Laos {b}{extra}\n",
                     st.integers(1, 28), bodies, st.text(max_size=20).filter(lambda s: "\x00" not in s))
operations = st.lists(st.one_of(
    st.tuples(st.just("ingest"), st.lists(articles, min_size=1, max_size=4)),
    st.tuples(st.just("again"), st.integers(0, 50)),      # ingest a text written before, under another name
    st.tuples(st.just("check"), st.none()),
    st.tuples(st.just("delete"), st.integers(0, 50)),
), min_size=1, max_size=8)


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_the_archive_round_trips(ops):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        arch = Archive(tmp / "archive.jsonl")
        model: dict[str, dict] = {}   # what was reported written, by id
        written: list[str] = []        # every text written to a file so far
        gone: set[tuple[str, str]] = set()   # (date, text) of deleted records: not added again
        k = 0
        for op, arg in ops:
            if op in ("ingest", "again"):
                texts_ = arg if op == "ingest" else ([written[arg % len(written)]] if written else [])
                paths = []
                for t in texts_:
                    k += 1
                    p = tmp / f"f{k}.txt"
                    p.write_text(t, encoding="utf-8")
                    paths.append(str(p))
                    written.append(t)
                if not paths:
                    continue
                if op == "again":
                    t = texts_[0]
                    body = t[len(" date 2024-01-01 "):].replace("\r\n", "\n").replace("\r", "\n")
                    expected_present = any(r["text"].strip() == body.strip() and r["date"] == t[6:16]
                                           for r in model.values())
                    expected_deleted = not expected_present and (t[6:16], body.strip()) in gone
                s = ingest(paths, arch, progress=None)
                added = [o for o in s.added_ids]
                assert s.added == len(added)
                assert s.added + s.present + s.deleted + len(s.failed) == len(paths)
                for rec in arch.records():
                    if rec["id"] in added:
                        model[rec["id"]] = rec
                if op == "again" and not s.failed:
                    # the same text under another name adds nothing; nor does one whose record was deleted
                    assert s.present == (1 if expected_present else 0)
                    assert s.deleted == (1 if expected_deleted else 0)
            elif op == "check":
                assert arch.check() == []
            elif op == "delete" and model:
                victim = sorted(model)[arg % len(model)]
                out = delete(arch, victim)
                assert out.removed == [victim]
                gone.add((model[victim]["date"], model[victim]["text"].strip()))
                del model[victim]
            got = {r["id"]: r for r in arch.records()}
            assert got == model
        if arch.path.exists():
            assert arch.check() == []


# known defects found by these properties (owned by the parser stages; strict, so a fix shows up as XPASS) ------------

def test_past_event_text_is_exactly_its_span():
    rec = parse("THE 1TH ANNIVERSARY .", kb=KB, default_date="2024-01-01")
    for pe in rec["past_events"]:
        s, e = pe["span"]
        assert pe["text"] == rec["text"][s:e]


# pathological text parses in time linear in its size ------------------------------------------------------------------

import time as _time  # noqa: E402

from conftest import bench_module  # noqa: E402

CASES = bench_module("pathological").CASES


def _seconds(text: str, runs: int = 3) -> float:
    """The best of a few parses: a busy machine only ever makes a run slower."""
    best = float("inf")
    for _ in range(runs):
        t0 = _time.perf_counter()
        try:
            parse(text, kb=KB, default_date="2024-01-01")
        except ParseError:
            pass
        best = min(best, _time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("case", [c for c in CASES])
def test_pathological_text_parses_in_linear_time(case):
    # four times the text: about four times the time when linear, sixteen when quadratic
    n = 16 * 1024
    make = CASES[case]
    small, big = _seconds(make(n)), _seconds(make(4 * n))
    assert big < 8 * max(small, 0.005), f"{case}: {small:.3f} s for {n:,} chars, {big:.3f} s for {4 * n:,}"
