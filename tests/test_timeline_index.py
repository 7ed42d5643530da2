"""Timelines served from the lines the index keeps, byte for byte what query.timeline makes of the
records; odd records, appends and files that are not archives at all."""

from __future__ import annotations

import os
from collections import Counter

import orjson
import pytest
from click.testing import CliRunner

from relations import query
from relations.cli import main
from relations.store import index
from relations.store.archive import Archive

RANGES = [(None, None), ("2015", None), (None, "2003-06"), ("2010-02", "2012"), ("2020-05-03", "2020-05-03"),
          ("", ""), ("1960", "1961-01")]


@pytest.fixture
def arch(tmp_path, synthetic_archive):
    return synthetic_archive(tmp_path / "archive.jsonl", 300, seed=5, pool=20, variation=11)


def reference_jsonl(records: list[dict], x, y, **kw) -> bytes:
    return b"".join(orjson.dumps(e) + b"\n" for e in query.timeline(records, x, y, **kw))


def top_pair(a: Archive) -> tuple[str, str]:
    """The pair of parties with the most records (the generator swaps partners at random)."""
    count = Counter(tuple(sorted({p for p in r.get("parties") or [] if isinstance(p, str)})) for r in a.records())
    return next(p for p, _ in count.most_common() if len(p) == 2)


def check_all(a: Archive) -> int:
    """Every pair, range and topic agrees with query.timeline over a scan; returns the entries seen."""
    seen = 0
    top_x, top_y = top_pair(a)
    records = list(a.records())
    for x, y in [(top_x, top_y), (top_y, top_x), (top_x, top_x), ("USA", "CUB"), ("CUB", "RUS")]:
        for since, until in RANGES:
            for topic in (None, "trade", "diplomacy"):
                kw = dict(since=since, until=until, topic=topic)
                want = reference_jsonl(records, x, y, **kw)
                assert b"".join(index.timeline_jsonl(a, x, y, **kw)) == want, (x, y, kw)
                if topic is None:
                    assert index.timeline(a, x, y, **kw) == query.timeline(records, x, y, **kw)
                seen += want.count(b"\n")
    return seen


def test_stored_lines_are_the_reference_output(arch):
    assert check_all(arch) > 100
    conn = index.Index(arch)
    conn.ensure()
    assert conn.conn.execute("SELECT sum(length(ns)) / 8 FROM tl").fetchone()[0] > 100
    assert conn.conn.execute("SELECT count(*) FROM tlodd").fetchone()[0] == 0
    conn.close()


def test_odd_records_are_answered_from_the_records(arch):
    recs = list(arch.records())
    x, y = top_pair(arch)
    base = next(r for r in recs if {x, y} <= set(r.get("parties") or []))
    odd = [
        dict(base, id="odd-party", parties=[x, 5, y]),
        dict(base, id="odd-topics", topics="trade,diplomacy"),
        dict(base, id="odd-event", event=["not", "an", "object"]),
        dict(base, id="odd-kind", event={"type": 7, "date": "2020-01-01"}),
        dict(base, id="odd-past", past_events=[{"date": ["2020"], "text": "x"}]),
        dict(base, id="quote\"in\\id", date="2020-01-0\"1"),
        dict(base, id="odd-agreement", agreements=["signed"]),
    ]
    first = odd[:2] + odd[5:6]
    arch.append(first)
    check_all(arch)
    ix = index.Index(arch)
    ix.ensure()
    assert ix.conn.execute("SELECT count(*) FROM tlodd WHERE a = ? AND b = ?", (x, y)).fetchone()[0] == 2
    ix.close()
    arch.append(odd[2:5] + odd[6:])
    check_all(arch)
    # a damaged field counts as absent: the event that is not an object leaves the record's own date
    own = [e for e in query.timeline([odd[2]], x, y) if not e["referenced"]]
    assert own and {e["date"] for e in own} == {base["date"]} and own[0]["kind"] == "other"
    assert [e["kind"] for e in query.timeline([odd[3]], x, y) if not e["referenced"]][0] == "other"
    assert not [e for e in query.timeline([odd[4]], x, y) if e["referenced"]]
    assert not [e for e in query.timeline([odd[6]], x, y) if e["kind"].startswith("signed")]


def test_appends_keep_the_stored_lines_in_order(arch, monkeypatch):
    check_all(arch)
    builds = []
    orig = index.Index._create
    monkeypatch.setattr(index.Index, "_create", lambda self, conn: (builds.append(1), orig(self, conn)))
    x, y = top_pair(arch)
    recs = [r for r in arch.records() if {x, y} <= set(r.get("parties") or [])]
    assert recs
    # records sharing dates and ids with what is indexed: the new lines must sort in among the old ones
    more = [dict(r, id=r["id"], title=f"again {i}") for i, r in enumerate(recs[:5])]
    more += [dict(r, id="0000-" + r["id"], date="1999-01-01", event=dict(r.get("event") or {}, date=None))
             for r in recs[5:8]]
    arch.append(more)
    index.refresh(arch)
    assert builds == []
    check_all(arch)
    assert builds == []


def test_a_stale_or_missing_index_never_answers(arch):
    check_all(arch)
    recs = list(arch.records())
    arch.rewrite([dict(r, title="rewritten " + str(r.get("title"))) for r in reversed(recs[50:250])])
    check_all(arch)
    for suffix in ("", "-wal", "-shm"):
        p = str(index.index_path(arch)) + suffix
        if os.path.exists(p):
            os.unlink(p)
    check_all(arch)
    os.environ[index.NO_INDEX_ENV] = "1"
    try:
        check_all(arch)
    finally:
        del os.environ[index.NO_INDEX_ENV]


NOT_JSONL = [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary data"),
    (b"id,date,title\n1,2024-01-01,hello\n2,2024-01-02,world\n", "none of its first lines is one JSON object"),
]


@pytest.mark.parametrize("content,reason", NOT_JSONL)
@pytest.mark.parametrize("args", [
    ("list",), ("list", "--since", "2025", "--limit", "20", "--format", "jsonl"),
    ("show", "2024"), ("show", "1", "--format", "json"),
    ("timeline", "vietnam", "cuba"), ("timeline", "vietnam", "cuba", "--format", "jsonl"),
])
def test_a_file_that_is_not_json_lines_is_refused_by_questions(tmp_path, content, reason, args):
    path = tmp_path / "picture.png"
    path.write_bytes(content)
    res = CliRunner().invoke(main, ["--archive", str(path), *args], catch_exceptions=False)
    assert res.exit_code == 1
    assert res.output == f"error: {path}: not a JSON Lines archive ({reason})\n"
    assert path.read_bytes() == content
    assert not index.index_path(Archive(path)).exists()


@pytest.mark.parametrize("content,reason", NOT_JSONL)
def test_an_archive_replaced_by_another_file_is_refused(arch, content, reason):
    check_all(arch)
    arch.path.unlink()
    arch.path.write_bytes(content)
    res = CliRunner().invoke(main, ["--archive", str(arch.path), "timeline", "vietnam", "cuba"],
                             catch_exceptions=False)
    assert res.exit_code == 1
    assert res.output == f"error: {arch.path}: not a JSON Lines archive ({reason})\n"


def test_show_by_prefix_reads_one_line(arch):
    recs = list(arch.records())
    mid = recs[len(recs) // 2]
    assert index.find_record(arch, mid["id"][:13]) == query.find_record(arch.records(), mid["id"][:13])
    assert index.find_record(arch, " " + mid["id"] + " ") == mid


@pytest.mark.parametrize("batch,part", [(3, 1), (5, 700), (50, 100_000)])
def test_any_cut_into_runs_gives_the_same_lines(arch, monkeypatch, batch, part):
    monkeypatch.setattr(index, "BATCH", batch)
    monkeypatch.setattr(index, "PART", part)
    check_all(arch)
    x, y = top_pair(arch)
    recs = [r for r in arch.records() if {x, y} <= set(r.get("parties") or [])]
    more = [dict(r, id="z" + r["id"]) for r in recs[:4]] + [dict(r, title="again") for r in recs[4:6]]
    arch.append(more)
    check_all(arch)


def test_a_damaged_agreement_is_left_out_of_every_range(arch):
    x, y = top_pair(arch)
    base = next(r for r in arch.records() if {x, y} <= set(r.get("parties") or []))
    odd = dict(base, id="old-odd", date="1990-01-02", event={"type": "visit", "date": "1990-01-01"},
               agreements=["not an object"], past_events=[])
    arch.append([odd])
    assert [e["kind"] for e in query.timeline([odd], x, y)] == ["visit"]
    records = list(arch.records())
    for kw in (dict(), dict(since="2000"), dict(until="1989"), dict(since="1995", until="2030-01")):
        want = reference_jsonl(records, x, y, **kw)
        assert b"".join(index.timeline_jsonl(arch, x, y, **kw)) == want


def test_stored_lines_follow_the_code_that_makes_them(arch, monkeypatch):
    x, y = top_pair(arch)
    before = b"".join(index.timeline_jsonl(arch, x, y))
    orig = query.record_entries

    def renamed(r, keep=None):
        return [(k, dict(e, kind=e["kind"].upper())) for k, e in orig(r, keep)]

    monkeypatch.setattr(query, "record_entries", renamed)
    after = b"".join(index.timeline_jsonl(arch, x, y))
    assert after == reference_jsonl(list(arch.records()), x, y) != before


def test_the_command_prints_the_reference_lines(arch):
    x, y = top_pair(arch)
    records = list(arch.records())
    for args, kw in [((), {}), (("--since", "2010", "--until", "2020-06"), dict(since="2010", until="2020-06")),
                     (("--topic", "diplomacy"), dict(topic="diplomacy"))]:
        res = CliRunner().invoke(main, ["--archive", str(arch.path), "timeline", x, y, *args, "--format", "jsonl"],
                                 catch_exceptions=False)
        assert res.exit_code == 0
        assert res.output.encode() == reference_jsonl(records, x, y, **kw)
        assert res.output.count("\n") > 0
