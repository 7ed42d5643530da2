"""`--engine dask`: the same parser on a Dask cluster, the same archive byte for byte."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import orjson
import pytest

from conftest import CORPUS, ROOT, bench_module, needs_corpus

distributed = pytest.importorskip("distributed")

from relations.cluster import DaskEngine, partition_size  # noqa: E402
from relations.errors import ClusterError  # noqa: E402
from relations.ingest import ingest, reparse  # noqa: E402
from relations.store.archive import Archive  # noqa: E402

DEV = CORPUS / "dev"
pytestmark = needs_corpus   # the generated articles are made from the dev corpus too


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes of one thread each; every port picked by the system."""
    import logging

    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=logging.ERROR) as c:
        yield c


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """2,000 generated articles, and the archive `--jobs 1` writes from them."""
    generate = bench_module("generate")
    folder = tmp_path_factory.mktemp("gen")
    generate.write_articles(folder / "articles", 2000, seed=3)
    ref = Archive(folder / "ref.jsonl")
    ingest([str(folder / "articles")], ref)
    return folder / "articles", ref.path.read_bytes()


def _engine(cluster, **kw) -> DaskEngine:
    return DaskEngine(scheduler=cluster.scheduler_address, **kw)


def test_dev_articles_byte_identical_to_jobs_1(cluster, tmp_path):
    ref, out = Archive(tmp_path / "ref.jsonl"), Archive(tmp_path / "dask.jsonl")
    local = ingest([str(DEV)], ref)
    parts = []
    s = ingest([str(DEV)], out, engine=_engine(cluster, on_partition=lambda done, total: parts.append((done, total))))
    assert out.path.read_bytes() == ref.path.read_bytes()
    assert (s.added, s.present) == (local.added, local.present)
    assert [f.path for f in s.failed] == [f.path for f in local.failed]
    assert [f.error for f in s.failed] == [f.error for f in local.failed]
    total = parts[-1][1]
    assert total > 1 and parts == [(k, total) for k in range(1, total + 1)]   # one tick per partition, in order
    again = ingest([str(DEV)], out, engine=_engine(cluster))
    assert (again.added, again.present) == (0, local.added)


def test_generated_articles_byte_identical(cluster, generated, tmp_path):
    folder, ref = generated
    out = Archive(tmp_path / "dask.jsonl")
    s = ingest([str(folder)], out, engine=_engine(cluster))
    assert s.added == 2000 and not s.failed
    assert out.path.read_bytes() == ref


def test_a_killed_worker_is_retried(cluster, generated, tmp_path):
    folder, ref = generated
    out = Archive(tmp_path / "dask.jsonl")
    client = distributed.Client(cluster.scheduler_address)
    killed = []

    def kill_a_busy_worker(done, total):
        if killed:
            return
        busy = [w for w, tasks in client.processing().items() if tasks]
        pids = client.run(os.getpid, workers=busy[:1])
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    try:
        s = ingest([str(folder)], out, engine=_engine(cluster, on_partition=kill_a_busy_worker))
        assert killed
        assert s.added == 2000 and not s.failed
        assert out.path.read_bytes() == ref
        client.wait_for_workers(2, timeout=60)  # the nanny starts a new one, for the tests after this
    finally:
        client.close()


def test_interrupted_run_resumes_with_only_the_missing_records(cluster, tmp_path):
    ref, out = Archive(tmp_path / "ref.jsonl"), Archive(tmp_path / "dask.jsonl")
    ingest([str(DEV)], ref)
    seen = []

    def interrupt(parsed):
        seen.append(parsed.path)
        if len(seen) == 45:
            raise KeyboardInterrupt

    stopped = ingest([str(DEV)], out, engine=_engine(cluster), progress=interrupt, batch=10)
    first = out.path.read_bytes().count(b"\n")
    assert stopped.interrupted and stopped.added == first  # the summary says what was stored
    assert 10 <= first < 45 and first % 10 == 0   # the whole batches written before the interrupt, fsynced
    s = ingest([str(DEV)], out, engine=_engine(cluster), batch=10)
    total = ref.path.read_bytes().count(b"\n")
    assert (s.added, s.present) == (total - first, first)
    assert out.path.read_bytes() == ref.path.read_bytes()


def test_a_failing_file_is_reported_by_name_and_the_rest_go_in(cluster, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    names = sorted(p.name for p in DEV.glob("p00*.txt"))[:4] if DEV.is_dir() else []
    for name in names:
        shutil.copy(DEV / name, src / name)
    (src / "b-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (src / "c-nodate.txt").write_text("Officials of France and Germany met in Paris to talk about trade.\n")
    ref, out = Archive(tmp_path / "ref.jsonl"), Archive(tmp_path / "dask.jsonl")
    local = ingest([str(src)], ref, default_date=None)
    s = ingest([str(src)], out, engine=_engine(cluster))
    failed = {f.path: f.error for f in s.failed}
    assert str(src / "b-binary.txt") in failed and "binary" in failed[str(src / "b-binary.txt")]
    assert str(src / "c-nodate.txt") in failed and "no publication date" in failed[str(src / "c-nodate.txt")]
    assert failed == {f.path: f.error for f in local.failed}
    assert out.path.read_bytes() == ref.path.read_bytes()


def test_a_path_the_workers_cannot_read_is_one_clear_error(cluster, tmp_path, monkeypatch):
    # the client sees the folder; the workers run elsewhere (their cwd) and do not
    (tmp_path / "only-here").mkdir()
    (tmp_path / "only-here" / "a.txt").write_text("date 2024-05-01 France and Germany met.\n")
    monkeypatch.chdir(tmp_path)
    client = distributed.Client(cluster.scheduler_address)
    try:
        cwd = client.run(os.getcwd)
    finally:
        client.close()
    if any(os.path.exists(os.path.join(d, "only-here")) for d in cwd.values()):
        pytest.skip("the workers share this working directory")
    with pytest.raises(ClusterError) as exc:
        ingest(["only-here"], Archive(tmp_path / "a.jsonl"), engine=_engine(cluster))
    msg = str(exc.value)
    assert "\n" not in msg and "cannot read only-here" in msg and "shared filesystem" in msg


def test_reparse_on_the_cluster_is_the_local_rewrite(cluster, generated, tmp_path):
    _, ref = generated
    # records an older parser wrote: no parties, no topics; reparse restores them
    stale = b"".join(orjson.dumps({**orjson.loads(line), "parties": [], "topics": []}) + b"\n"
                     for line in ref.splitlines()[:300])
    (tmp_path / "local").mkdir()
    (tmp_path / "dask").mkdir()
    a, b = Archive(tmp_path / "local" / "a.jsonl"), Archive(tmp_path / "dask" / "a.jsonl")
    a.path.write_bytes(stale + b"not json\n")
    b.path.write_bytes(stale + b"not json\n")
    local = reparse(a)
    remote = reparse(b, engine=_engine(cluster))
    assert local.changed == 300
    assert (remote.kept, remote.changed, remote.failed) == (local.kept, local.changed, local.failed)
    assert remote.warnings == local.warnings
    assert b.path.read_bytes() == a.path.read_bytes()
    assert b.path.read_bytes().startswith(ref.splitlines(keepends=True)[0])


def test_partitions_are_a_few_hundred_files_and_spread_over_workers():
    assert partition_size(100_000, 2) == 250
    assert partition_size(80, 2) == 10
    assert partition_size(1, 32) == 1


def test_without_dask_the_engine_is_a_one_line_error_naming_the_extra(tmp_path):
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from relations.__main__ import main; sys.exit(main())")
    art = tmp_path / "a.txt"
    art.write_text("date 2024-05-01 France and Germany met.\n")
    p = subprocess.run([sys.executable, "-c", code, "--archive", str(tmp_path / "a.jsonl"), "ingest",
                        "--engine", "dask", str(art)], capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr.strip() == "error: --engine dask needs Dask: pip install 'relations[dask]'"
    assert not (tmp_path / "a.jsonl").exists()


def test_cli_with_a_scheduler_address(cluster, tmp_path):
    ref = Archive(tmp_path / "ref.jsonl")
    local = ingest([str(DEV)], ref)
    arch = tmp_path / "cli.jsonl"
    p = subprocess.run([sys.executable, "-m", "relations", "--archive", str(arch), "ingest", "--engine", "dask",
                        "--scheduler", cluster.scheduler_address, str(DEV)], capture_output=True, text=True)
    assert p.returncode == 1   # the dev corpus holds undated articles
    assert p.stdout.strip() == (f"{local.added} added, 0 already present, {len(local.failed)} failed, "
                                f"{local.skipped} skipped (not an article suffix)")
    assert p.stderr.count("failed ") == len(local.failed)
    assert arch.read_bytes() == ref.path.read_bytes()
    p = subprocess.run([sys.executable, "-m", "relations", "--archive", str(arch), "reparse", "--engine", "dask",
                        "--scheduler", cluster.scheduler_address], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == f"{local.added} records re-parsed, 0 changed, 0 kept as they were"
    assert arch.read_bytes() == ref.path.read_bytes()


def test_scheduler_without_the_dask_engine_is_refused(tmp_path):
    p = subprocess.run([sys.executable, "-m", "relations", "--archive", str(tmp_path / "a.jsonl"), "ingest",
                        "--scheduler", "tcp://127.0.0.1:1", str(tmp_path)], capture_output=True, text=True)
    assert p.returncode == 1 and p.stderr.strip() == "error: --scheduler needs --engine dask"


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


@pytest.fixture
def dev_archive(tmp_path, monkeypatch):
    """data/archive.jsonl (the README's path) with the dev articles, as plain records to check against."""
    (tmp_path / "data").mkdir()
    arch = Archive(tmp_path / "data" / "archive.jsonl")
    ingest([str(DEV)], arch)
    monkeypatch.chdir(tmp_path)
    return list(arch.records())


def _blocks(section: str) -> list[str]:
    return [b.split("\n", 1)[1] for b in section.split("```")[1::2] if b.startswith("python\n")]


def test_readme_reads_the_archive_with_dask_bag(dev_archive):
    from collections import Counter

    code = next(b for b in _blocks(_readme_section("Reading the archive at scale")) if "dask.bag" in b)
    ns: dict = {}
    exec(code, ns)
    pairs = Counter("–".join(sorted(r["parties"])) for r in dev_archive if len(r["parties"]) == 2)
    assert all(pairs[p] == n for p, n in ns["pairs"])     # counted right, most frequent first (ties in any order)
    assert [n for _, n in ns["pairs"]] == [n for _, n in pairs.most_common(10)]
    assert dict(ns["by_year"]) == Counter(r["date"][:4] for r in dev_archive)


def test_readme_reads_the_archive_with_duckdb(dev_archive):
    pytest.importorskip("duckdb")
    from collections import Counter

    code = next(b for b in _blocks(_readme_section("Reading the archive at scale")) if "duckdb" in b)
    ns: dict = {}
    exec(code, ns)
    counts = Counter(c for r in dev_archive for c in r["parties"])
    assert ns["top"] == sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]


def test_readme_reads_the_archive_with_dask_dataframe(dev_archive):
    pytest.importorskip("pandas")
    import re

    import dask.dataframe  # noqa: F401 - the name the README's call uses

    call = re.search(r"`(dask\.dataframe\.read_json\(.*?\))`", _readme_section("Reading the archive at scale"))[1]
    df = eval(call).compute()
    assert list(df["id"]) == [r["id"] for r in dev_archive]


def test_a_file_the_parser_trips_on_is_a_failure_of_that_file_only(monkeypatch, tmp_path):
    import relations.cluster as cluster_module

    real = cluster_module.parse_file

    def trips_on_one(path, *args):
        if path.endswith("p006.txt"):
            raise IndexError("list index out of range\n  (a second line)")
        return real(path, *args)

    monkeypatch.setattr(cluster_module, "parse_file", trips_on_one)
    paths = [str(DEV / n) for n in ("p001.txt", "p006.txt", "p007.txt")]
    out = cluster_module.parse_partition(paths, None, (), None)
    assert [o.path for o in out] == paths
    assert out[1].error == f"{paths[1]}: could not be parsed (IndexError: list index out of range)"
    assert out[0].line and out[2].line and not out[0].error


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("date 2024-05-01 France and Germany met.\n")
    with pytest.raises(ClusterError) as exc:
        ingest([str(art)], Archive(tmp_path / "a.jsonl"),
               engine=DaskEngine(scheduler="tcp://127.0.0.1:9", connect_timeout=1))
    assert str(exc.value).startswith("cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert "\n" not in str(exc.value)
