"""The benchmark's peers answer the same questions: DuckDB's rows are relations' entries, id for id."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import CORPUS, SEEDS, bench_module, needs_corpus

duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    from relations.cli import main

    path = tmp_path_factory.mktemp("peers") / "archive.jsonl"
    res = CliRunner().invoke(main, ["--archive", str(path), "ingest", str(SEEDS), str(CORPUS / "dev")])
    assert res.exit_code in (0, 1), res.output  # a dev file may be refused; the others go in
    return path


def _relations(path, *argv) -> list[dict]:
    from relations.cli import main

    res = CliRunner().invoke(main, ["--archive", str(path), *argv, "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    return [json.loads(line) for line in res.output.splitlines()]


def _duck(sql: str) -> list[tuple]:
    con = duckdb.connect()
    return bench_module("peers").answer(con, sql)


@needs_corpus
def test_list_is_the_same_records_in_the_same_order(small_archive):
    peers = bench_module("peers")
    mine = [(r["date"], (r["event"] or {}).get("type") or "", r["id"]) for r in _relations(small_archive, "list", "--since", "2020",
                                                                        "--limit", "20")]
    assert len(mine) == 20
    assert _duck(peers.queries(str(small_archive), since="2020")["list"]) == mine


@needs_corpus
@pytest.mark.parametrize("pair", [("VNM", "CUB"), ("JPN", "VNM")])
def test_timeline_is_the_same_entries_as_all_reports(small_archive, pair):
    peers = bench_module("peers")
    mine = [(e["date"], e["kind"], e["record"]) for e in _relations(small_archive, "timeline", *pair, "--all-reports")]
    kinds = {k for _, k, _ in mine}
    assert len(mine) >= 6 and kinds & {"referenced", "signed mou", "signed agreement"}  # more than a row a record
    assert _duck(peers.queries(str(small_archive), *pair)["timeline"]) == mine
