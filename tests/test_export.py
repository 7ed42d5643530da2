"""The archive exported as Parquet, JSON Lines and CSV, and read back: nested fields kept."""

from __future__ import annotations

import csv
import json
import sys

import orjson
import pytest
from click.testing import CliRunner

from conftest import SEEDS
from relations.cli import main
from relations.store.archive import Archive
from relations.store.export import COLUMNS, NESTED

STRESS = SEEDS.parent / "tests" / "fixtures" / "stress"


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The seeds and the stress articles (other pairs and outlets): persons, agreements, past events."""
    path = tmp_path_factory.mktemp("export") / "archive.jsonl"
    res = CliRunner().invoke(main, ["--archive", str(path), "ingest", "--date", "2024-01-15", str(SEEDS),
                                    str(STRESS)])
    assert res.output.splitlines()[-1].split()[0] != "0", res.output
    return path


def run(archive, *args):
    return CliRunner().invoke(main, ["--archive", str(archive), "export", *args])


def stored(archive) -> list[dict]:
    return list(Archive(archive).records())


def test_jsonl_is_the_records(archive, tmp_path):
    out = tmp_path / "all.jsonl"
    res = run(archive, "-o", str(out))
    assert res.exit_code == 0, res.output
    recs = stored(archive)
    assert res.output == f"{len(recs)} records written to {out} (jsonl)\n"
    assert [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()] == recs


def test_parquet_read_back_with_pyarrow_is_the_records(archive, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra is not installed")
    out = tmp_path / "archive.parquet"
    assert run(archive, "--format", "parquet", "-o", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.column_names == list(COLUMNS)
    assert str(table.schema.field("actors").type).startswith("list<element: struct<kind: string")
    back = table.to_pylist()
    recs = stored(archive)
    assert len(back) == len(recs) > 5
    for got, rec in zip(back, recs):
        got["topic_evidence"] = dict(got["topic_evidence"])
        # a struct has every field of every actor kind; the record has only its kind's own
        got["actors"] = [{k: v for k, v in a.items() if k in r} for a, r in zip(got["actors"], rec["actors"])]
        got["source"] = {k: v for k, v in got["source"].items() if k in rec["source"]}
        assert got == rec


def test_duckdb_reads_the_parquet_file_as_it_is(archive, tmp_path, monkeypatch):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    out = tmp_path / "archive.parquet"
    assert run(archive, "-o", str(out)).exit_code == 0
    monkeypatch.chdir(tmp_path)
    recs = stored(archive)
    rows = duckdb.sql("SELECT id, event.type, parties, len(actors), source.name FROM 'archive.parquet' "
                      "ORDER BY id").fetchall()
    assert rows == sorted((r["id"], r["event"]["type"], r["parties"], len(r["actors"]), r["source"]["name"])
                          for r in recs)
    persons = duckdb.sql("SELECT a.name, a.country FROM (SELECT unnest(actors) AS a FROM 'archive.parquet') "
                         "WHERE a.kind = 'person' ORDER BY 1, 2").fetchall()
    assert persons == sorted((a["name"], a["country"]) for r in recs for a in r["actors"] if a["kind"] == "person")
    signed = duckdb.sql("SELECT count(*) FROM (SELECT unnest(agreements) AS g FROM 'archive.parquet') "
                        "WHERE g.status = 'signed'").fetchall()[0][0]
    assert signed == sum(g["status"] == "signed" for r in recs for g in r["agreements"]) > 0


def test_csv_keeps_nested_fields_as_json_cells(archive, tmp_path):
    out = tmp_path / "archive.csv"
    assert run(archive, "-o", str(out)).exit_code == 0
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    recs = stored(archive)
    assert len(rows) == len(recs)
    for row, rec in zip(rows, recs):
        assert list(row) == list(COLUMNS)
        for col in NESTED:
            assert json.loads(row[col]) == rec[col], col
        assert row["id"] == rec["id"] and row["text"] == rec["text"] and row["schema"] == str(rec["schema"])
        assert row["agency"] == (rec["agency"] or "")


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(tmp_path):
    arch = tmp_path / "a.jsonl"
    arch.write_bytes(orjson.dumps({"id": "2024-01-01-abcdef", "title": "=HYPERLINK(\"x\")", "text": "@SUM(1)",
                                   "actors": []}) + b"\n")
    out = tmp_path / "x.csv"
    assert run(arch, "-o", str(out)).exit_code == 0
    row = next(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert (row["title"], row["text"], row["actors"]) == ("'=HYPERLINK(\"x\")", "'@SUM(1)", "[]")


def test_csv_is_readable_by_duckdb(archive, tmp_path):
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed")
    out = tmp_path / "archive.csv"
    assert run(archive, "-o", str(out)).exit_code == 0
    got = duckdb.sql(f"SELECT id, json_extract_string(source, '$.name') FROM read_csv('{out}') ORDER BY id").fetchall()
    assert got == sorted((r["id"], r["source"]["name"]) for r in stored(archive))


def test_a_record_that_does_not_fit_is_skipped_with_a_warning(archive, tmp_path):
    pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
    import pyarrow.parquet as pq

    arch = tmp_path / "a.jsonl"
    lines = archive.read_bytes().splitlines(keepends=True)
    bad = orjson.loads(lines[0])
    bad["id"], bad["parties"] = "2024-01-01-badbad", {"not": "a list"}
    arch.write_bytes(b"".join(lines[:3]) + orjson.dumps(bad) + b"\n")
    out = tmp_path / "x.parquet"
    res = run(arch, "-o", str(out))
    assert res.exit_code == 0
    assert "warning: record 2024-01-01-badbad: skipped: does not fit the record format" in res.output
    assert res.output.splitlines()[-1] == f"3 records written to {out} (parquet), 1 skipped"
    assert pq.read_table(out).num_rows == 3


def test_missing_parquet_extra_is_one_line(archive, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)   # as if it were not installed
    out = tmp_path / "x.parquet"
    res = run(archive, "-o", str(out))
    assert res.exit_code == 1 and not out.exists()
    assert res.output == ("error: Parquet export needs the 'parquet' extra (pyarrow is not installed): "
                          "pip install 'relations[parquet]'\n")


@pytest.mark.parametrize("args, message", [
    (["-o", "x.xlsx"], "error: cannot tell the format from 'x.xlsx': give --format parquet, jsonl or csv"),
    (["-o", "{tmp}/no/such/folder/x.csv"], "error: {tmp}/no/such/folder/x.csv: cannot write (No such file or directory)"),
])
def test_export_errors_are_one_line(archive, tmp_path, args, message):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    res = run(archive, *args)
    assert res.exit_code == 1 and res.output == message.replace("{tmp}", str(tmp_path)) + "\n"


def test_no_archive(tmp_path):
    res = run(tmp_path / "none.jsonl", "-o", str(tmp_path / "x.jsonl"))
    assert res.exit_code == 1 and res.output == f"error: {tmp_path / 'none.jsonl'}: no such archive\n"


def test_an_existing_file_is_replaced_whole(archive, tmp_path):
    out = tmp_path / "x.jsonl"
    out.write_text("old content\n")
    assert run(archive, "-o", str(out)).exit_code == 0
    assert out.read_text().splitlines()[0].startswith('{"id":')
    assert [p.name for p in tmp_path.iterdir()] == ["x.jsonl"]   # no temporary file left behind
