"""The two seed articles: their records match the hand-made gold files field for field,
and the shipped archive is exactly what a fresh ingest of seeds/ gives."""

from __future__ import annotations

import shutil

import pytest
import yaml
from click.testing import CliRunner

from conftest import CORPUS, ROOT, SEEDS, needs_corpus
from relations.cli import main
from relations.record import countries, validate


@needs_corpus
def test_eval_on_seeds_is_perfect(kb):
    from relations.evaluate import evaluate, summarise

    rows = summarise(evaluate([str(CORPUS / "seeds")], kb))
    imperfect = {r["field"]: r["f1"] for r in rows if r["f1"] != 1.0}
    assert imperfect == {}


@needs_corpus
@pytest.mark.parametrize("name", ["000_8d0f82977c284667", "004_e09393c693991b1a"])
def test_seed_record_fields_equal_gold(name, seed_records):
    gold = yaml.safe_load((CORPUS / "seeds" / f"{name}.yaml").read_text(encoding="utf-8"))
    rec = seed_records[f"{name}.txt"]
    assert rec["date"] == str(gold["date"])
    assert rec["agency"] == gold["agency"]
    assert rec["dateline"] == gold["dateline"]
    assert rec["event"]["type"] == gold["event"]["type"]
    assert rec["event"]["date"] == str(gold["event"]["date"])
    assert rec["event"]["place"] == gold["event"]["place"]
    assert rec["parties"] == gold["parties"]
    assert countries(rec) == gold["countries"]
    assert rec["topics"] == gold["topics"]
    persons = {a["name"]: (a["country"], a["title"]) for a in rec["actors"] if a["kind"] == "person"}
    assert persons == {p["name"]: (p["country"], p["title"]) for p in gold["persons"]}
    got = sorted((a["status"], a["kind"], tuple(a["topics"])) for a in rec["agreements"])
    assert got == sorted((a["status"], a["kind"], tuple(a["topics"])) for a in gold["agreements"])
    assert sorted(p["date"] for p in rec["past_events"] if p["date"] in {str(g["date"]) for g in gold["past_events"]}) \
        == sorted(str(g["date"]) for g in gold["past_events"])


def test_seed_records_are_sound(seed_records):
    for rec in seed_records.values():
        assert validate(rec) == []
        text = rec["text"]
        for a in rec["actors"]:
            for s, e in a["spans"]:
                mention = text[s:e]
                assert mention, a
                if a["kind"] == "person":
                    # a mention of a person is part of the person's name
                    assert mention.split("’")[0] in a["name"] or a["name"].split()[-1] in mention


def test_seed_record_shape(seed_records):
    rec = seed_records["000_8d0f82977c284667.txt"]
    assert rec["id"].startswith("2025-08-15-") and len(rec["id"]) == len("2025-08-15-") + 8
    assert rec["source"]["name"] == "000_8d0f82977c284667.txt"
    assert not rec["text"].startswith(" date")
    mps = next(a for a in rec["actors"] if a["name"] == "Ministry of Public Security")
    assert mps["acronym"] == "MPS" and mps["country"] == "VNM"
    assert {rec["text"][s:e] for s, e in mps["spans"]} == {"Ministry of Public Security", "MPS"}
    quang = next(a for a in rec["actors"] if a["name"] == "Lương Tam Quang")
    assert {rec["text"][s:e] for s, e in quang["spans"]} >= {"Lương Tam Quang", "Quang"}
    assert rec["event"]["date_how"].startswith("'on Friday'")
    for topic, spans in rec["topic_evidence"].items():
        assert topic in rec["topics"] and spans


def test_ids_are_stable_and_content_derived(seed_texts, kb):
    from relations.parser import parse

    text = seed_texts["004_e09393c693991b1a.txt"]
    a = parse(text, {"path": "x/a.txt", "name": "a.txt"}, kb=kb)
    b = parse(text, {"path": "y/b.txt", "name": "b.txt"}, kb=kb)
    assert a["id"] == b["id"] == "2023-05-17-63cca63d"
    c = parse(text + " Extra sentence.", kb=kb)
    assert c["id"] != a["id"]


def test_shipped_archive_equals_fresh_ingest(tmp_path):
    shipped = ROOT / "examples" / "archive.jsonl"
    fresh = tmp_path / "archive.jsonl"
    work = tmp_path / "repo"
    shutil.copytree(SEEDS, work / "seeds")
    runner = CliRunner()
    import os

    old = os.getcwd()
    os.chdir(work)
    try:
        res = runner.invoke(main, ["--archive", str(fresh), "ingest", "seeds/"])
    finally:
        os.chdir(old)
    assert res.exit_code == 0, res.output
    assert fresh.read_bytes() == shipped.read_bytes(), "examples/archive.jsonl is stale: ingest seeds/ into it anew"
