"""Engine rows of the benchmark: `ingest --engine dask` against the local process pool.

    .venv/bin/python benchmarks/run.py --engines --articles 10000      # these rows alone

The Dask clusters (1 and 2 worker processes of one thread) are started here, before the
timed command, which joins them with `--scheduler`: the timed process is the client
alone, so its peak RSS is the client's, and the wall time is what a user of a running
cluster sees. One more row times `--engine dask --jobs 2` starting its own LocalCluster.
The client's append rate (lines appended and fsynced in batches of 500, as ingest
does) and the whole writer loop fed finished lines (duplicate check, append, index
update) bound what any number of workers can give a single-writer archive: the
scaling table is the measured rate per worker times N, capped by that ceiling.
"""

from __future__ import annotations

import hashlib
import logging
import os
import statistics
import time
from pathlib import Path

SIZES = (1, 2, 4, 8, 16, 32)


def append_rate(lines: list[bytes], folder: Path, batch: int = 500) -> float:
    """Lines per second through `Archive.append_lines`, in batches, each fsynced."""
    from relations.store.archive import Archive

    arch = Archive(folder / "append-rate.jsonl")
    for p in folder.glob("append-rate.jsonl*"):
        p.unlink()
    start = time.perf_counter()
    with arch.writing():
        for i in range(0, len(lines), batch):
            arch.append_lines(lines[i:i + batch])
    return len(lines) / (time.perf_counter() - start)


class Replay:
    """An engine that yields lines parsed before: ingest's writer loop with no parsing at all."""

    def __init__(self, parsed):
        self.parsed = parsed

    def outcomes(self, paths, default_date=None, dict_dirs=(), today=None):
        return iter(self.parsed)


def writer_rate(lines: list[bytes], folder: Path) -> float:
    """Lines per second through `ingest` itself (duplicate check, append, index update) fed finished lines."""
    import orjson

    from relations.ingest import Parsed, _content_key, _file_key, ingest
    from relations.store.archive import Archive

    parsed = []
    for line in lines:
        rec = orjson.loads(line)
        parsed.append(Parsed("x", line, rec["id"], _content_key(rec), _file_key(rec)))
    arch = Archive(folder / "writer-rate.jsonl")
    for p in folder.glob("writer-rate.jsonl*"):
        p.unlink()
    start = time.perf_counter()
    s = ingest([], arch, engine=Replay(parsed))
    wall = time.perf_counter() - start
    assert s.added == len(lines), s
    return len(lines) / wall


def rows(args, table, notes, rel, corpus: Path, work: Path, articles: int, runs: int, timed, log) -> None:
    import distributed

    def ingest_rate(name: str, extra: list[str]) -> tuple[dict, int, str]:
        walls, rss = [], []
        arch = work / f"engine-{name}.jsonl"
        for r in range(runs):
            for p in work.glob(arch.name + "*"):
                p.unlink()
            log(f"ingest {' '.join(extra)}, run {r + 1}")
            w, m, rc, _ = timed(rel + ["--archive", str(arch), "ingest", str(corpus)] + extra)
            walls.append(w)
            rss.append(m)
        rates = [articles / w for w in walls]
        s = {"median": statistics.median(rates), "min": min(rates), "max": max(rates), "n": len(rates)}
        return s, max(rss), hashlib.sha256(arch.read_bytes()).hexdigest()

    res = {}
    for jobs in (1, 2):
        res[f"jobs {jobs}"] = ingest_rate(f"j{jobs}", ["--jobs", str(jobs)])
    for n in (1, 2):
        with distributed.LocalCluster(n_workers=n, processes=True, threads_per_worker=1, dashboard_address=None,
                                      silence_logs=logging.ERROR) as cluster:
            res[f"dask {n}"] = ingest_rate(f"d{n}", ["--engine", "dask", "--scheduler", cluster.scheduler_address])
    res["dask local 2"] = ingest_rate("dl2", ["--engine", "dask", "--jobs", "2"])

    ref = res["jobs 1"][2]
    same = all(v[2] == ref for v in res.values())
    j1, j2 = res["jobs 1"][0]["median"], res["jobs 2"][0]["median"]
    n = f"{articles:,} articles"
    table.add(f"`ingest --jobs 1`, {n}", "(reference)", "articles/s", res["jobs 1"][0],
              note=f"peak RSS {res['jobs 1'][1] / 1024:,.0f} MB")
    table.add(f"`ingest --jobs 2`, {n}", "(reference)", "articles/s", res["jobs 2"][0],
              peer=f"--jobs 1: {j1:,.0f} articles/s", ratio=f"{j2 / j1:.2f}×",
              note=f"peak RSS {res['jobs 2'][1] / 1024:,.0f} MB (with its workers)")
    d1, d2 = res["dask 1"][0]["median"], res["dask 2"][0]["median"]
    table.add(f"`ingest --engine dask`, 1 worker, {n}", "(per-worker rate)", "articles/s", res["dask 1"][0],
              peer=f"--jobs 1: {j1:,.0f} articles/s", ratio=f"{d1 / j1:.2f}×",
              note=f"client peak RSS {res['dask 1'][1] / 1024:,.0f} MB")
    table.add(f"`ingest --engine dask`, 2 workers, {n}", "≥ 1.6× `--jobs 1`, within 10% of `--jobs 2`",
              "articles/s", res["dask 2"][0], peer=f"--jobs 2: {j2:,.0f} articles/s",
              ratio=f"{d2 / j1:.2f}× --jobs 1, {d2 / j2:.2f}× --jobs 2", met=d2 / j1 >= 1.6 and d2 >= 0.9 * j2 and same,
              note=f"client peak RSS {res['dask 2'][1] / 1024:,.0f} MB; "
                   + ("archives byte-identical to --jobs 1" if same else "ARCHIVES DIFFER"))
    dl = res["dask local 2"][0]["median"]
    table.add(f"`ingest --engine dask --jobs 2` (starts its own LocalCluster), {n}", "(for comparison)",
              "articles/s", res["dask local 2"][0], peer=f"--scheduler: {d2:,.0f} articles/s",
              ratio=f"{dl / d2:.2f}×", note="includes starting the scheduler and 2 workers")
    worst = max(res["dask 1"][1], res["dask 2"][1]) / 1024
    table.add(f"client peak RSS, `--engine dask`, {n}", "≤ 300 MB RSS", "MB",
              {k: worst for k in ("median", "min", "max")}, met=worst <= 300)

    lines = (work / "engine-j1.jsonl").read_bytes().splitlines(keepends=True)
    log("client append and writer rates")
    app = [append_rate(lines, work) for _ in range(runs)]
    wr = [writer_rate(lines, work) for _ in range(runs)]
    stat = lambda xs: {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}  # noqa: E731
    table.add(f"client append rate ({len(lines):,} lines, batches of 500, each fsynced)", "(measured)",
              "articles/s", stat(app), note="lines/s: `Archive.append_lines`")
    table.add("client writer loop fed finished lines", "(the single-writer ceiling)", "articles/s", stat(wr),
              note="lines/s: duplicate check + append + fsync + index update")
    ceiling = min(statistics.median(app), statistics.median(wr))
    notes.append(scaling(d1, ceiling, statistics.median(app), statistics.median(wr)))


def scaling(per_worker: float, ceiling: float, append: float, writer: float) -> str:
    """A markdown table: N workers × the measured per-worker rate, capped by the single writer."""
    head = ("Scaling model (not measured beyond 2 workers): N workers × the per-worker rate of "
            f"`--engine dask` with 1 worker ({per_worker:,.0f} articles/s), capped by the single writer "
            f"(min of the append rate {append:,.0f} lines/s and the writer loop {writer:,.0f} lines/s "
            f"= {ceiling:,.0f} lines/s). The single writer becomes the bottleneck at about "
            f"{ceiling / per_worker:,.0f} workers.\n\n"
            "| workers | model (articles/s) | bound by | 1,000,000 articles |\n|---|---|---|---|")
    body = []
    for n in SIZES:
        rate = min(per_worker * n, ceiling)
        body.append(f"| {n} | {rate:,.0f} | {'workers' if per_worker * n < ceiling else 'the writer'} "
                    f"| {1e6 / rate / 60:,.1f} min |")
    return head + "\n" + "\n".join(body)


def have_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("run through benchmarks/run.py --engines")
