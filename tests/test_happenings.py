"""Reports of one happening grouped across outlets: the decision, the stored grouping, the commands."""

from __future__ import annotations

import json
import random
import shutil

import pytest
from click.testing import CliRunner

from conftest import CORPUS, needs_corpus
from relations import grouping, happenings
from relations.cli import main

TALKS = """ date 2024-03-12
HANOI (VNA) — Prime Minister Pham Minh Chinh held talks with visiting Malaysian Prime Minister Anwar Ibrahim in Hanoi on Tuesday morning.
The two leaders agreed to raise two-way trade to 18 billion USD and to step up cooperation in digital economy and energy.
Chinh thanked Anwar for his support to the Vietnamese community in Malaysia.
Anwar said Malaysia wants to work closely with Vietnam within ASEAN.
"""
SIGNING = """ date 2024-03-12
HANOI — Vietnamese Minister of Industry and Trade Nguyen Hong Dien and Malaysian Minister of Investment, Trade and Industry Tengku Zafrul Aziz signed a memorandum of understanding on rice trade in Hanoi on Tuesday afternoon.
Under the memorandum, Vietnam will supply rice to Malaysia for the next five years.
Dien said the document opens a new phase in trade between the two countries.
"""
WIRE = """ date 2024-03-12
HANOI (VNA) — Prime Minister Pham Minh Chinh held talks with visiting Malaysian Prime Minister Anwar Ibrahim in Hanoi on March 12.
The two leaders agreed to raise two-way trade to 18 billion USD and to step up cooperation in digital economy and energy.
Anwar said Malaysia wants to work closely with Vietnam within ASEAN.
Chinh thanked Anwar for his support to the Vietnamese community in Malaysia.
"""
REWRITE = """ date 2024-03-13
KUALA LUMPUR (Bernama) — Malaysian Prime Minister Anwar Ibrahim and his Vietnamese counterpart Pham Minh Chinh agreed in Hanoi on Tuesday to raise two-way trade to 18 billion USD and to step up cooperation in digital economy and energy.
Anwar said Malaysia wants to work closely with Vietnam within ASEAN.
"""


def _rec(text, name, kb):
    from relations.parser import parse

    return parse(text, {"path": name, "name": name}, kb=kb)


def test_same_day_same_pair_other_happening_stays_apart(kb):
    talks, signing = _rec(TALKS, "talks.txt", kb), _rec(SIGNING, "signing.txt", kb)
    assert talks["parties"] == signing["parties"] == ["MYS", "VNM"]
    assert not grouping.same_happening(grouping.signature(talks), grouping.signature(signing))
    assert len(grouping.group([talks, signing])) == 2


def test_wire_story_and_rewrite_merge(kb):
    wire, rewrite = _rec(WIRE, "wire.txt", kb), _rec(REWRITE, "rewrite.txt", kb)
    a, b = grouping.signature(wire), grouping.signature(rewrite)
    assert grouping.same_happening(a, b) and grouping.same_happening(b, a)
    talks = _rec(TALKS, "talks.txt", kb)
    groups = grouping.group([wire, _rec(SIGNING, "signing.txt", kb), rewrite, talks])
    assert sorted(len(g) for g in groups) == [1, 3]
    assert _rec(SIGNING, "signing.txt", kb)["id"] in [g[0] for g in groups if len(g) == 1]


def test_a_phone_call_is_not_the_visit(kb):
    a = grouping.signature(_rec(WIRE, "wire.txt", kb))
    b = grouping.Signature(**{**a.__dict__, "rid": "x", "kind": "call"})
    assert not grouping.same_happening(a, b)


def test_reports_far_apart_in_time_stay_apart(kb):
    a = grouping.signature(_rec(WIRE, "wire.txt", kb))
    b = grouping.Signature(**{**a.__dict__, "rid": "x", "day": a.day + 30})
    assert grouping.same_happening(a, grouping.Signature(**{**a.__dict__, "rid": "y"}))
    assert not grouping.same_happening(a, b)


def test_event_id_is_independent_of_order(kb):
    recs = [_rec(t, f"{i}.txt", kb) for i, t in enumerate((WIRE, REWRITE, TALKS, SIGNING))]
    first = grouping.group(recs)
    for seed in range(5):
        random.Random(seed).shuffle(recs)
        assert grouping.group(recs) == first
    assert grouping.event_id(first[-1] if len(first[-1]) > 1 else first[0]).startswith("ev-")


def test_planned_then_signed_is_one_agreement():
    def rec(rid, day, status):
        return {"id": rid, "date": day, "parties": ["CUB", "RUS"],
                "agreements": [{"kind": "agreement", "status": status, "parties": ["CUB", "RUS"],
                                "topics": ["energy"], "text": "an agreement on oil supplies"}]}

    recs = {r["id"]: r for r in (rec("a", "2023-05-01", "planned"), rec("b", "2023-08-01", "signed"),
                                  rec("c", "2023-08-01", "signed"))}
    rep = {k: happenings.Report(k, v["date"], v["date"], "talks", None, ("CUB", "RUS"), None, "") for k, v in recs.items()}
    hs = [happenings.Happening("a", [rep["a"]]), happenings.Happening("ev-b", [rep["b"], rep["c"]])]
    ags = happenings.agreements(hs, recs)
    assert len(ags) == 1
    assert [(s.status, s.date, s.records) for s in ags[0].steps] == [("planned", "2023-05-01", ["a"]),
                                                                    ("signed", "2023-08-01", ["b", "c"])]
    # another topic: not the same document, kept apart
    recs["b"]["agreements"][0]["topics"] = ["tourism"]
    recs["c"]["agreements"][0]["topics"] = ["tourism"]
    assert len(happenings.agreements(hs, recs)) == 2


def _cli(archive, *args):
    res = CliRunner().invoke(main, ["--archive", str(archive), *args], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def dev_files(tmp_path_factory):
    if not (CORPUS / "dev").is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (it is in CI)")
    return sorted((CORPUS / "dev").glob("*.txt"))


def _archive(tmp, files, name):
    d = tmp / name
    d.mkdir()
    for i, f in enumerate(files):  # the order of ingest is the order of the file names
        shutil.copy(f, d / f"{i:03d}_{f.name}")
    arch = tmp / f"{name}.jsonl"
    CliRunner().invoke(main, ["--archive", str(arch), "ingest", str(d)])
    return arch


@needs_corpus
def test_stored_grouping_equals_a_scan_in_any_order(dev_files, tmp_path, monkeypatch):
    a = _archive(tmp_path, dev_files, "forward")
    b = _archive(tmp_path, list(reversed(dev_files)), "backward")
    one = [{k: v for k, v in json.loads(ln).items()} for ln in _cli(a, "events", "--format", "jsonl").splitlines()]
    two = [json.loads(ln) for ln in _cli(b, "events", "--format", "jsonl").splitlines()]
    assert one == two
    assert any(r["reports"] >= 3 for r in one)
    monkeypatch.setenv("RELATIONS_NO_INDEX", "1")
    assert [json.loads(ln) for ln in _cli(a, "events", "--format", "jsonl").splitlines()] == one


@needs_corpus
def test_append_groups_like_a_rebuild(dev_files, tmp_path):
    arch = _archive(tmp_path, dev_files[:-12], "part")
    d = tmp_path / "rest"
    d.mkdir()
    for f in dev_files[-12:]:
        shutil.copy(f, d / f.name)
        CliRunner().invoke(main, ["--archive", str(arch), "ingest", str(d / f.name)])
    appended = _cli(arch, "events", "--format", "jsonl")
    for suffix in ("", "-wal", "-shm"):
        p = arch.with_name(arch.name + ".idx" + suffix)
        if p.exists():
            p.unlink()
    assert _cli(arch, "events", "--format", "jsonl") == appended


@needs_corpus
def test_commands_on_the_dev_articles(dev_files, tmp_path):
    arch = _archive(tmp_path, dev_files, "dev")
    rows = json.loads(_cli(arch, "events", "--country", "china", "--country", "vietnam", "--format", "json"))
    beijing = [r for r in rows if r["date"] == "2024-08-19"]
    assert len(beijing) == 1 and beijing[0]["reports"] == 3 and "Xinhua" in beijing[0]["outlets"]
    grouped = json.loads(_cli(arch, "timeline", "china", "vietnam", "--format", "json"))
    every = json.loads(_cli(arch, "timeline", "china", "vietnam", "--all-reports", "--format", "json"))
    main_lines = [e for e in grouped if e["date"] == "2024-08-19" and e["kind"] == "talks"]
    assert len(main_lines) == 1 and main_lines[0]["reports"] == 3
    assert len([e for e in every if e["date"] == "2024-08-19" and e["kind"] == "talks"]) == 3
    table = _cli(arch, "timeline", "china", "vietnam", "--format", "table")
    assert "(3 reports:" in table.replace("\n", " ").replace("│", " ") or "3 reports" in table
    shown = json.loads(_cli(arch, "show", main_lines[0]["record"], "--format", "json"))[0]
    assert len(shown["also_reported_by"]) == 2
    assert "Also reported by:" in _cli(arch, "show", main_lines[0]["record"], "--format", "table")
    ags = json.loads(_cli(arch, "agreements", "singapore", "vietnam", "--format", "json"))
    assert ags and all(a["steps"] and a["steps"][0]["records"] for a in ags)
    assert any(len(s["records"]) > 1 for a in ags for s in a["steps"]) or len(ags) >= 2
    csv = _cli(arch, "events", "--country", "vietnam", "--format", "csv")
    assert csv.splitlines()[0] == ",".join(happenings.EVENT_COLUMNS)


@needs_corpus
def test_eval_prints_the_events_row():
    res = CliRunner().invoke(main, ["eval", str(CORPUS / "dev"), "--format", "json"], catch_exceptions=False)
    row = next(r for r in json.loads(res.output) if r["field"] == "events")
    assert row["n"] == 20
    assert row["precision"] >= 0.95 and row["f1"] >= 0.90


def test_a_damaged_record_is_an_event_of_its_own(tmp_path, monkeypatch):
    from conftest import SEEDS

    arch = tmp_path / "a.jsonl"
    _cli(arch, "ingest", str(SEEDS))
    with arch.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "2025-08-15-odd", "date": "2025-08-15", "parties": ["CUB", "VNM"],
                             "actors": 7, "agreements": {"x": 1}, "event": "talks", "text": None}) + "\n")
    stored = _cli(arch, "events", "--country", "cuba", "--country", "vietnam", "--format", "jsonl")
    monkeypatch.setenv("RELATIONS_NO_INDEX", "1")
    assert _cli(arch, "events", "--country", "cuba", "--country", "vietnam", "--format", "jsonl") == stored
    assert len(stored.splitlines()) == 3


@needs_corpus
def test_generated_rewrites_are_reports_of_the_same_happening(kb):
    from conftest import bench_module
    from relations.parser import parse

    generate = bench_module("generate")
    merged = total = 0
    for i, text in enumerate(generate.dev_texts(CORPUS / "dev")):
        text = generate.redate(text, "2024-03-05")
        original = parse(text, None, kb=kb)
        if len(original["parties"]) < 2:
            continue
        rewritten = generate.rewrite(text, random.Random(i))
        assert rewritten != text and rewritten.startswith(" date 2024-03-05\n")
        total += 1
        merged += grouping.same_happening(grouping.signature(original),
                                          grouping.signature(parse(rewritten, None, kb=kb)))
    assert total > 40 and merged >= total // 2
