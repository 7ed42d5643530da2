"""Two writers never interleave; readers never block and never see a half line."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time

import pytest
from click.testing import CliRunner

from relations.cli import main
from relations.store.archive import Archive


def article(i: int) -> str:
    return (f" date 2024-{1 + i % 12:02d}-{1 + i % 28:02d} Vietnam and Laos held talks in Hanoi on trade "
            f"cooperation, meeting number {i}.\n")


def write_articles(folder, ids):
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"a{i:05d}.txt").write_text(article(i), encoding="utf-8")
    return folder


def env():
    e = dict(os.environ)
    e["RELATIONS_NO_INDEX"] = "1"
    return e


def ingest_proc(archive_path, *paths, wait=60):
    return subprocess.Popen([sys.executable, "-m", "relations", "--archive", str(archive_path), "ingest",
                             "--wait", str(wait), *map(str, paths)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


@pytest.fixture
def locked(archive_path):
    """Hold the writers' lock as another process would."""
    fd = os.open(str(archive_path) + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    yield fd
    os.close(fd)


def test_two_concurrent_ingests_end_with_the_union(tmp_path, archive_path):
    a = write_articles(tmp_path / "a", range(0, 700))
    b = write_articles(tmp_path / "b", range(1000, 1700))
    shared = write_articles(tmp_path / "shared", [5000])
    p1 = ingest_proc(archive_path, a, shared)
    p2 = ingest_proc(archive_path, b, shared)
    out1, err1 = p1.communicate(timeout=120)
    out2, err2 = p2.communicate(timeout=120)
    assert p1.returncode == 0 and p2.returncode == 0, (err1, err2)
    # exactly one of them added the shared article; the other found it present
    assert sorted([out1, out2]) == sorted(["701 added, 0 already present, 0 failed\n",
                                           "700 added, 1 already present, 0 failed\n"])
    # the writers' lock is held only while a batch is appended, so neither waits through the other's parsing
    lines = archive_path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    ids = [json.loads(x)["id"] for x in lines[:-1]]  # every line whole JSON
    assert len(ids) == len(set(ids)) == 1401
    assert Archive(archive_path).check() == []


def test_a_second_writer_waits_then_fails_clearly(archive_path, tmp_path, locked):
    src = write_articles(tmp_path / "in", [1])
    t0 = time.monotonic()
    res = CliRunner().invoke(main, ["--archive", str(archive_path), "ingest", "--wait", "1", str(src)])
    elapsed = time.monotonic() - t0
    assert res.exit_code == 1
    assert res.output == ("warning: waiting for another process writing archive.jsonl (up to 1 s)\n"
                          f"error: {archive_path}: another process is still writing after 1 s; try again later\n")
    assert 1.0 <= elapsed < 5
    assert not archive_path.exists()
    for cmd in (["reparse", "--wait", "0.2"], ["delete", "--wait", "0.2", "x"]):
        archive_path.write_bytes(b"")
        res = CliRunner().invoke(main, ["--archive", str(archive_path), *cmd])
        assert res.exit_code == 1
        assert res.output.endswith("another process is still writing after 0.2 s; try again later\n")


def test_a_second_writer_goes_ahead_when_the_first_finishes(archive_path, tmp_path, locked):
    src = write_articles(tmp_path / "in", [1, 2])
    threading.Timer(0.5, fcntl.flock, [locked, fcntl.LOCK_UN]).start()  # the other writer finishes
    res = CliRunner().invoke(main, ["--archive", str(archive_path), "ingest", "--wait", "10", str(src)])
    assert res.exit_code == 0
    assert res.output == ("warning: waiting for another process writing archive.jsonl (up to 10 s)\n"
                          "2 added, 0 already present, 0 failed\n")


def test_readers_never_block_on_a_writer(archive_path, tmp_path, locked):
    recs = [json.dumps({"id": f"r{i}", "date": "2024-01-01"}) for i in range(3)]
    archive_path.write_text("\n".join(recs) + "\n")
    for cmd in (["list", "--format", "jsonl"], ["check"]):
        t0 = time.monotonic()
        res = CliRunner().invoke(main, ["--archive", str(archive_path), *cmd])
        assert time.monotonic() - t0 < 2
        assert "waiting" not in res.output
    assert [r["id"] for r in Archive(archive_path).records()] == ["r0", "r1", "r2"]


def test_readers_never_see_a_half_line_while_a_writer_appends(archive_path, tmp_path):
    src = write_articles(tmp_path / "in", range(0, 1500))
    proc = ingest_proc(archive_path, src)
    arch = Archive(archive_path)
    seen, warnings, reads = 0, [], 0
    while proc.poll() is None:
        ids = [r["id"] for r in arch.records(warnings.append)]
        assert len(ids) >= seen and len(ids) == len(set(ids))
        seen = len(ids)
        reads += 1
    assert proc.returncode == 0
    assert reads > 1
    # a reader may meet a line still being written; it ignores it, it never parses half of it
    assert [w for w in warnings if "incomplete last line ignored" not in w] == []
    assert len(list(arch.records())) == 1500


def test_processes_building_the_dictionary_cache_at_once_all_succeed(tmp_path):
    cache = tmp_path / "cache"
    code = "from relations import knowledge; print(knowledge.load().country_code('vietnam'))"
    e = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    e.pop("RELATIONS_NO_CACHE", None)
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=e) for _ in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.strip() == "VNM"
    files = sorted(x.name for x in (cache / "relations").iterdir())
    assert len(files) == 1 and files[0].startswith("knowledge-")  # one whole file, no temporary left behind
    assert json.loads((cache / "relations" / files[0]).read_bytes())["key"]
