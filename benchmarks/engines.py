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
import shutil
import statistics
import subprocess
import tempfile
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

    from relations.ingest import Parsed, ingest
    from relations.record import content_key, file_key
    from relations.store.archive import Archive

    parsed = []
    for line in lines:
        rec = orjson.loads(line)
        parsed.append(Parsed("x", line, rec["id"], content_key(rec), file_key(rec)))
    arch = Archive(folder / "writer-rate.jsonl")
    for p in folder.glob("writer-rate.jsonl*"):
        p.unlink()
    # ingest hands the engine only the files it has not stored: one small stand-in file per line
    stand_ins = folder / "writer-rate-files"
    stand_ins.mkdir(exist_ok=True)
    for i in range(len(lines)):
        (stand_ins / f"{i:07d}.txt").write_text(f"{i}\n")
    start = time.perf_counter()
    s = ingest([str(stand_ins)], arch, engine=Replay(parsed))
    wall = time.perf_counter() - start
    assert s.added == len(lines), s
    return len(lines) / wall


def client_run(cmd: list[str]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in KiB) of one command and the processes it waits for.

    With `--scheduler` the workers are not its children: the CPU and RSS are the client's own."""
    time_bin = shutil.which("time", path="/usr/bin:/bin")
    fd, out = tempfile.mkstemp(suffix=".time")
    os.close(fd)
    start = time.perf_counter()
    p = subprocess.run(([time_bin, "-f", "%M %U %S", "-o", out] if time_bin else []) + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(cmd)} exited {p.returncode}: {p.stderr.decode()[-2000:]}")
    fields = Path(out).read_text().split()[-3:] if time_bin else ["0", "0", "0"]
    os.unlink(out)
    return wall, float(fields[1]) + float(fields[2]), int(fields[0])


def rows(args, table, notes, rel, corpus: Path, work: Path, articles: int, runs: int, timed, log) -> None:
    import distributed

    cpu: dict[str, float] = {}

    def ingest_rate(name: str, extra: list[str]) -> tuple[dict, int, str]:
        walls, rss, cpus = [], [], []
        arch = work / f"engine-{name}.jsonl"
        for r in range(runs):
            for p in work.glob(arch.name + "*"):
                p.unlink()
            log(f"ingest {' '.join(extra)}, run {r + 1}")
            w, c, m = client_run(rel + ["--archive", str(arch), "ingest", str(corpus)] + extra)
            walls.append(w)
            rss.append(m)
            cpus.append(c)
        cpu[name] = statistics.median(cpus)
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
            one = next(corpus.rglob("*.txt"))   # the client's fixed cost: start, connect, one file
            cpu[f"start {n}"] = statistics.median(
                client_run(rel + ["--archive", str(work / "engine-one.jsonl"), "ingest", str(one), "--engine", "dask",
                                  "--scheduler", cluster.scheduler_address])[1] for _ in range(runs))
            for p in work.glob("engine-one.jsonl*"):
                p.unlink()
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
              note=f"client peak RSS {res['dask 1'][1] / 1024:,.0f} MB, client CPU {cpu['d1']:.1f} s")
    table.add(f"`ingest --engine dask`, 2 workers, {n}", "≥ 1.6× `--jobs 1`, within 10% of `--jobs 2`",
              "articles/s", res["dask 2"][0], peer=f"--jobs 2: {j2:,.0f} articles/s",
              ratio=f"{d2 / j1:.2f}× --jobs 1, {d2 / j2:.2f}× --jobs 2", met=d2 / j1 >= 1.6 and d2 >= 0.9 * j2 and same,
              note=f"client peak RSS {res['dask 2'][1] / 1024:,.0f} MB, client CPU {cpu['d2']:.1f} s; "
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
    stat = lambda xs: {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "n": len(xs)}
    table.add(f"client append rate ({len(lines):,} lines, batches of 500, each fsynced)", "(measured)",
              "articles/s", stat(app), note="lines/s: `Archive.append_lines`")
    table.add("client writer loop fed finished lines", "(the single-writer ceiling)", "articles/s", stat(wr),
              note="lines/s: duplicate check + append + fsync + index update")
    marginal = max(cpu["d1"] - cpu["start 1"], cpu["d2"] - cpu["start 2"], 1e-3)
    client = articles / marginal
    table.add("client CPU rate of `--engine dask` (articles / client CPU seconds beyond start)",
              "(the client's ceiling)", "articles/s", {k: client for k in ("median", "min", "max")},
              note=f"{marginal:.1f} s for {articles:,} articles (start and one file: {cpu['start 2']:.1f} s): "
                   "gather, unpickle, duplicate check, append, index")
    limits = {"append": statistics.median(app), "writer loop": statistics.median(wr), "client CPU": client}
    notes.append(scaling(d1, limits))


def scaling(per_worker: float, limits: dict[str, float]) -> str:
    """A markdown table: N workers × the measured per-worker rate, capped by the single writer."""
    name = min(limits, key=limits.get)
    ceiling = limits[name]
    head = ("Scaling model (measured with 1 and 2 workers only; the rest is arithmetic): N workers × the "
            f"per-worker rate of `--engine dask` with 1 worker ({per_worker:,.0f} articles/s), capped by the "
            "single writer, the lowest of " + ", ".join(f"{k} {v:,.0f}/s" for k, v in limits.items())
            + f" (here: {name}). The writer becomes the bottleneck at about {ceiling / per_worker:,.0f} workers.\n\n"
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
