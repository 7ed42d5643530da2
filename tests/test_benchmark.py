"""A tiny run of the side-by-side benchmark, to prove it works (no timing is asserted)."""

from __future__ import annotations

import pytest

from conftest import CORPUS, bench_module, needs_corpus


@needs_corpus
def test_tiny_benchmark_runs(tmp_path, capsys):
    run = bench_module("run")
    out = tmp_path / "RESULTS.md"
    assert run.main(["--records", "2000", "--articles", "40", "--runs", "1", "--pool", "60", "--pages", "20",
                     "--no-peers", "--page-entries", "200",
                     "--work", str(tmp_path / "work"), "--out", str(out), "--dev", str(CORPUS / "dev")]) == 0
    text = out.read_text()
    for row in ("`relations --help`", "`relations --version`", "parse throughput", "`ingest --jobs 2`",
                "`list --since 2025 --limit 20`", "`timeline vietnam cuba`", "`show ", "append one article",
                "index build with event grouping", "grouping one appended article", "`events --country vietnam",
                "`timeline vietnam cuba --all-reports`",
                "peak memory", "spaCy", "archives byte-identical", "saved news pages",
                "`search economic cooperation --limit 20`",
                "search table (FTS5)", "`timeline --format html`, a pair with 200 entries: page size"):
        assert row in text, row
    assert "Machine:" in text and "2,000 records" in text
    assert "ARCHIVES DIFFER" not in text


@needs_corpus
@pytest.mark.slow
def test_tiny_engine_benchmark_runs(tmp_path):
    pytest.importorskip("distributed")
    run = bench_module("run")
    out = tmp_path / "RESULTS-engines.md"
    assert run.main(["--engines", "--articles", "60", "--runs", "1", "--work", str(tmp_path / "work"),
                     "--out", str(out), "--dev", str(CORPUS / "dev")]) == 0
    text = out.read_text()
    for row in ("`ingest --jobs 1`", "`ingest --jobs 2`", "`ingest --engine dask`, 1 worker",
                "`ingest --engine dask`, 2 workers", "client peak RSS", "client append rate", "Scaling model",
                "| 32 |"):
        assert row in text, row
    assert "archives byte-identical to --jobs 1" in text and "ARCHIVES DIFFER" not in text
