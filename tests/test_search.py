"""`relations search`: the query language, the FTS5 table in the index, and its agreement with a scan."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEEDS, needs_corpus
from relations.cli import main
from relations.errors import QueryError
from relations.store import search as fts
from relations.store.archive import Archive

SEED_A = "2025-08-15-46b756cf"   # talks in Hà Nội, a signed cybersecurity agreement
SEED_B = "2023-05-17-63cca63d"   # PM Chính meets the Cuban interior minister


@pytest.fixture
def run(tmp_path):
    runner = CliRunner()
    path = tmp_path / "archive.jsonl"

    def _run(*args):
        return runner.invoke(main, ["--archive", str(path), *args], catch_exceptions=False)

    _run.path = path
    return _run


@pytest.fixture
def filled(run):
    assert run("ingest", str(SEEDS)).exit_code == 0
    return run


def ids(res) -> list[str]:
    assert res.exit_code == 0, res.output
    return [json.loads(line)["id"] for line in res.output.splitlines() if line.strip()]


# the query language ---------------------------------------------------------

def test_parse_makes_quoted_terms_only():
    assert fts.parse("water sharing").expr == '("water" AND "sharing")'
    assert fts.parse('"water sharing" OR river*').expr == '(("water" AND "sharing") OR "river" *)'
    assert fts.parse("U.S. aid").expr == '(("u" AND "s") AND "aid")'   # punctuation is never FTS5 syntax
    assert fts.parse("Việt Nam NOT Cuba").expr == '("viet" AND ("nam" NOT "cuba"))'
    assert fts.parse("Đà Nẵng").expr == '("da" AND "nang")'
    assert fts.parse("(talks OR visit) AND Hà-Nội").expr == '(("talks" OR "visit") AND ("ha" AND "noi"))'
    # a phrase under NOT cannot be excluded by its words alone: it is left to the check of each record
    assert fts.parse('cuba NOT "prime minister"').expr == '"cuba"'
    assert fts.parse("cuba").exact and not fts.parse('"prime minister"').exact


def test_phrases_are_checked_in_the_text():
    q = fts.parse('"ministry of the interior" NOT "prime minister"')
    assert q.matches({"title": "", "text": "The Ministry of the Interior met."})
    assert not q.matches({"title": "", "text": "The Ministry of the Interior met the Prime Minister."})
    assert not q.matches({"title": "", "text": "The interior of the ministry."})
    assert not q.matches({"title": "Ministry of the", "text": "Interior"})   # a phrase stays in one field
    assert fts.parse('"minist* of"').matches({"text": "nothing"}) is False


def test_terms_under_not_are_not_highlighted():
    q = fts.parse("security NOT (cuba OR laos)")
    assert q.terms == (fts.Term(("security",)),)


@pytest.mark.parametrize("bad", ['"water sharing', "water OR", "OR water", "NOT water", "water AND",
                                 "(water", "water)", "", "   ", "*", '""', "water AND OR sharing"])
def test_malformed_queries_are_query_errors(bad):
    with pytest.raises(QueryError) as exc:
        fts.parse(bad)
    assert "\n" not in str(exc.value) and str(exc.value).startswith("search: ")


def test_malformed_query_is_one_line_on_the_command_line(filled):
    for bad in ('"water sharing', "water OR", "(((x"):
        res = filled("search", bad)
        assert res.exit_code == 1
        assert res.output.count("\n") == 1 and res.output.startswith("error: search: ")
        assert "Traceback" not in res.output and "sqlite" not in res.output.lower()


# answers on the seeds ---------------------------------------------------------

def test_accent_and_case_insensitive(filled):
    for q in ("Viet Nam", "VIỆT NAM", "việt nam", '"viet nam"'):
        assert ids(filled("search", q, "--format", "jsonl")) == [SEED_A, SEED_B]
    assert ids(filled("search", "Lam", "--format", "jsonl")) == [SEED_A]   # Tô Lâm, only in the newer seed


def test_phrase_prefix_and_operators(filled):
    assert ids(filled("search", '"cooperation agreement"', "--format", "jsonl")) == [SEED_A]
    assert ids(filled("search", '"agreement cooperation"', "--format", "jsonl")) == []
    assert ids(filled("search", "biotech*", "--format", "jsonl")) == [SEED_A, SEED_B]
    assert ids(filled("search", "biotech", "--format", "jsonl")) == []      # a word, not a prefix
    assert ids(filled("search", "Castro NOT Lâm", "--format", "jsonl")) == [SEED_B]
    assert ids(filled("search", "Castro OR counterintelligence", "--format", "jsonl")) == [SEED_A, SEED_B]


def test_combined_with_list_filters(filled):
    assert ids(filled("search", "Cuba", "--since", "2025", "--format", "jsonl")) == [SEED_A]
    assert ids(filled("search", "Cuba", "--until", "2024", "--country", "vietnam", "--format", "jsonl")) == [SEED_B]
    assert ids(filled("search", "Cuba", "--country", "laos", "--format", "jsonl")) == []
    assert ids(filled("search", "Cuba", "--actor", "phạm minh", "--format", "jsonl")) == [SEED_B]
    assert ids(filled("search", "Cuba", "--topic", "consular", "--format", "jsonl")) == [SEED_B]
    assert ids(filled("search", "Cuba", "--limit", "1", "--format", "jsonl")) == [SEED_A]


def test_json_carries_spans_that_point_at_the_words(filled):
    res = filled("search", "counterintelligence", "--format", "json")
    (hit,) = json.loads(res.output)
    rec = Archive(filled.path).records()
    text = next(r for r in rec if r["id"] == SEED_A)["text"]
    assert hit["matches"]["text"] and all(text[s:e].lower() == "counterintelligence" for s, e in hit["matches"]["text"])
    s, e = hit["snippet_spans"][0]
    assert hit["snippet"][s:e].lower() == "counterintelligence"
    assert isinstance(hit["score"], float) and hit["score"] > 0


def test_snippet_highlighted_on_a_terminal_and_plain_when_piped(filled):
    from relations.render.output import Marked

    piped = filled("search", "counterintelligence", "--format", "table")
    assert "\x1b[" not in piped.output and "Counterintelligence" in piped.output
    row = fts.hit_row(fts.search(Archive(filled.path), fts.parse("counterintelligence"))[0])
    assert isinstance(row["snippet"], Marked)
    text = row["snippet"].rich()
    styled = [text.plain[sp.start:sp.end] for sp in text.spans]
    assert styled and all(w.lower() == "counterintelligence" for w in styled)


def test_csv_is_plain(filled):
    res = filled("search", "Castro", "--format", "csv")
    lines = res.output.splitlines()
    assert lines[0] == "id,date,parties,title,snippet" and lines[1].startswith(SEED_B)


def test_article_markup_stays_literal():
    from relations.render.output import Marked

    text = Marked("[bold red]x[/] \x1b[31m water", ((15, 20),)).rich()
    assert text.plain == "[bold red]x[/] \\x1b[31m water" and text.spans[0].style == "bold yellow"


def test_formats_that_make_no_sense_are_one_line_errors(filled):
    for args in (("search", "Cuba", "--format", "html"), ("list", "--format", "ics"), ("show", SEED_A, "--format", "html")):
        res = filled(*args)
        assert res.exit_code == 1 and res.output.startswith("error: --format") and res.output.count("\n") == 1


# the index: built with it, kept fresh, never a source of truth ---------------

def test_after_an_append_the_new_record_is_found(run, tmp_path):
    only_b = tmp_path / "one"
    only_b.mkdir()
    shutil.copy(SEEDS / "004_e09393c693991b1a.txt", only_b)
    run("ingest", str(only_b))
    assert ids(run("search", "Cuba", "--format", "jsonl")) == [SEED_B]
    run("ingest", str(SEEDS))
    assert ids(run("search", "Cuba", "--format", "jsonl")) == [SEED_A, SEED_B]


def test_rewrite_and_missing_index_give_the_right_answer(filled):
    assert ids(filled("search", "Castro", "--format", "jsonl")) == [SEED_B]
    assert filled("delete", SEED_B).exit_code == 0
    assert ids(filled("search", "Castro", "--format", "jsonl")) == []
    idx = filled.path.with_name(filled.path.name + ".idx")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(str(idx) + suffix):
            os.unlink(str(idx) + suffix)
    assert ids(filled("search", "Cuba", "--format", "jsonl")) == [SEED_A]
    assert idx.exists()


def test_archive_replaced_behind_the_index(filled, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SEEDS / "004_e09393c693991b1a.txt", other)
    assert ids(filled("search", "Lâm", "--format", "jsonl")) == [SEED_A]
    fresh = CliRunner().invoke(main, ["--archive", str(tmp_path / "b.jsonl"), "ingest", str(other)])
    assert fresh.exit_code == 0
    os.replace(tmp_path / "b.jsonl", filled.path)   # a new file under the old name, index left as it was
    assert ids(filled("search", "Lâm", "--format", "jsonl")) == []
    assert ids(filled("search", "Cuba", "--format", "jsonl")) == [SEED_B]


def test_index_table_lives_and_dies_with_the_index(filled):
    import sqlite3

    filled("search", "Cuba")
    conn = sqlite3.connect(filled.path.with_name(filled.path.name + ".idx"))
    try:
        assert conn.execute("SELECT count(*) FROM fts").fetchone()[0] == 2
        rowids = sorted(r for r, in conn.execute("SELECT rowid FROM fts"))
    finally:
        conn.close()
    assert [r >> fts.LINE_BITS for r in rowids] == [20230517, 20250815]


def test_date_keys_keep_the_order_of_list():
    assert fts.date_key("2024-09") < fts.date_key("2024-09-01") < fts.date_key("2024-10")
    assert fts.date_key(None) == fts.date_key("garbled") == 0
    lo, hi = fts.key_range("2024-09", "2024")
    assert lo >> 32 == 20240000 and hi >> 32 == 20249999
    # a date stated to the month or year touches every range it overlaps, as in list and timeline
    assert fts.in_since(20240900, "2024-09-15") and fts.in_since(20240000, "2024-09-15")
    assert not fts.in_since(20240914, "2024-09-15") and fts.in_since(20240915, "2024-09-15")
    assert not fts.in_since(20240800, "2024-09")


@needs_corpus
def test_index_and_scan_agree_on_the_dev_corpus(run, monkeypatch):
    assert run("ingest", str(CORPUS / "dev"), "--date", "2024-01-01").exit_code in (0, 1)
    queries = ["minister", '"prime minister"', "coop*", "Viet Nam", "trade OR investment", "visit NOT talks",
               "president AND (china OR india)", "water"]
    for sort in ("date", "rank"):
        for q in queries:
            for extra in ((), ("--since", "2024"), ("--country", "china"), ("--limit", "5")):
                args = ("search", q, "--sort", sort, "--format", "jsonl", *extra)
                monkeypatch.delenv("RELATIONS_NO_INDEX", raising=False)
                with_index = run(*args).output
                monkeypatch.setenv("RELATIONS_NO_INDEX", "1")
                assert run(*args).output == with_index, args


@needs_corpus
def test_newest_first_and_ranked(run):
    run("ingest", str(CORPUS / "dev"), "--date", "2024-01-01")
    hits = [json.loads(x) for x in run("search", "minister", "--format", "jsonl").output.splitlines()]
    assert len(hits) > 10
    keys = [(h["date"], h["score"]) for h in hits]
    assert keys == sorted(keys, reverse=True)
    assert len({h["score"] for h in hits}) > len(hits) // 2   # the scores tell records apart
    ranked = [json.loads(x) for x in run("search", "minister", "--sort", "rank", "--format", "jsonl").output.splitlines()]
    assert [h["score"] for h in ranked] == sorted((h["score"] for h in ranked), reverse=True)
    assert {h["id"] for h in ranked} == {h["id"] for h in hits}
    top = [json.loads(x)["id"] for x in run("search", "minister", "--limit", "3", "--format", "jsonl").output.splitlines()]
    assert top == [h["id"] for h in hits[:3]]


def test_scores_follow_bm25():
    """More occurrences, a shorter text, a rarer word and a word in the title each score higher."""
    recs = [{"title": "t", "text": "water " + "x " * 20}, {"title": "t", "text": "water water water " + "x " * 18},
            {"title": "water", "text": "y " * 21}, {"title": "t", "text": "water " + "x " * 60}]
    recs += [{"title": "t", "text": "filler words only"}] * 6
    scores = {i: h.score for i, h in enumerate(fts.scan(recs, fts.parse("water"), sort="rank"))}
    hits = fts.scan(recs, fts.parse("water"), sort="rank")
    order = [recs.index(h.record) for h in hits]
    assert order == [1, 2, 0, 3] and all(h.score > 0 for h in hits)
    assert len(scores) == 4


def test_averages_record_is_read():
    import sqlite3

    conn = sqlite3.connect(":memory:")
    fts.create(conn)
    conn.executemany(fts.INSERT, [(1, "a b", "c d e"), (2, "f", "g")])
    conn.commit()   # FTS5 writes the averages record on commit
    assert fts._averages(conn) == (2, 3.5)
    big = [(n, "w", " ".join(["v"] * 300)) for n in range(1, 200)]
    conn.executemany(fts.INSERT, [(n + 10, t, x) for n, t, x in big])
    conn.commit()
    rows, mean = fts._averages(conn)
    assert rows == 201 and abs(mean - (7 + 199 * 301) / 201) < 1e-9
