"""Per-article quality ratchet: no dev article may score below what it scored
when the ratchet was last raised (tests/ratchet.json, written by
scripts/update_ratchet.py). Improvements raise it; regressions fail here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS, needs_corpus

RATCHET = Path(__file__).with_name("ratchet.json")


def _floors() -> dict:
    return json.loads(RATCHET.read_text(encoding="utf-8")) if RATCHET.exists() else {}


@pytest.fixture(scope="module")
def scores(kb):
    from relations.evaluate import evaluate, file_f1

    return {s.name: file_f1(s) for s in evaluate([str(CORPUS / "dev"), str(CORPUS / "seeds")], kb)}


@needs_corpus
@pytest.mark.parametrize("article", sorted(_floors()))
def test_article_scores_do_not_fall(article, scores):
    floor = _floors()[article]
    now = scores[article]
    fallen = {f: (now.get(f), v) for f, v in floor.items() if now.get(f, 0.0) + 1e-9 < v}
    assert not fallen, f"{article}: scores fell below the ratchet (now, floor): {fallen}"


@needs_corpus
def test_ratchet_covers_every_article(scores):
    assert set(_floors()) == set(scores), "run scripts/update_ratchet.py after adding gold files"
