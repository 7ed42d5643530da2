"""The scorer follows the guide's matching rules."""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import CORPUS, needs_corpus
from relations.cli import main
from relations.evaluate import Counts, name_match, score_file, token_f1


def test_names_match_by_contained_words():
    assert name_match("Díaz-Canel", "Miguel Díaz-Canel Bermúdez")
    assert name_match("To Lam", "Tô Lâm")
    assert not name_match("Tran Luu Quang", "Tran Dai Quang")
    assert not name_match("", "Tô Lâm")


def test_token_f1_of_titles():
    assert token_f1("Prime Minister", "prime minister") == 1.0
    assert token_f1(None, None) == 1.0
    assert token_f1("Minister of Public Security", None) == 0.0
    assert round(token_f1("Minister of the Interior", "Minister"), 3) == 0.4


def test_counts():
    c = Counts(tp=3, fp=1, fn=2)
    assert round(c.precision, 3) == 0.75 and round(c.recall, 3) == 0.6 and round(c.f1, 3) == 0.667
    assert Counts().f1 == 0.0 or Counts().precision == 1.0


def _record(**kw):
    base = {"text": "x", "actors": [], "topics": [], "agreements": [], "parties": [], "event": {},
            "date": None, "agency": None, "dateline": None}
    base.update(kw)
    return base


def test_agreements_match_on_status_and_topic_or_kind(kb):
    gold = {"agreements": [{"kind": "memorandum", "status": "signed", "topics": ["trade"]},
                           {"kind": "plan", "status": "planned", "topics": []}]}
    rec = _record(agreements=[{"kind": "agreement", "status": "signed", "topics": ["trade"], "span": [0, 1]},
                              {"kind": "plan", "status": "signed", "topics": [], "span": [0, 1]}])
    fs = score_file(gold, rec, kb, "t")
    c = fs.counts["agreements"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)


def test_organisations_match_without_country_adjective(kb):
    gold = {"organizations": [{"name": "Ministry of the Interior", "country": "CUB"}]}
    rec = _record(actors=[{"kind": "organization", "name": "Cuban Ministry of the Interior", "spans": [[0, 1]]}])
    assert score_file(gold, rec, kb, "t").counts["organizations"].tp == 1


@needs_corpus
def test_eval_command_json_and_details():
    runner = CliRunner()
    res = runner.invoke(main, ["eval", str(CORPUS / "seeds"), "--format", "json"])
    assert res.exit_code == 0
    rows = {r["field"]: r for r in json.loads(res.output)}
    assert set(rows) >= {"persons", "organizations", "countries", "topics", "agreements", "date", "parties",
                         "event.type", "event.date", "event.place", "agency", "dateline"}
    det = runner.invoke(main, ["eval", str(CORPUS / "dev"), "--details", "--format", "jsonl"])
    assert det.exit_code == 0
    first = json.loads(det.output.splitlines()[0])
    assert set(first) >= {"field", "kind", "file", "value"}


def test_eval_refuses_a_folder_without_gold(tmp_path):
    res = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert res.exit_code == 1 and res.output.startswith("error: no gold files")
