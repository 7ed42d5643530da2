"""The archive's promises: O(1) appends, torn tails repaired, atomic rewrites, idempotence, diagnosis."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

import orjson
import pytest
from click.testing import CliRunner

import relations.store.archive as archive_mod
from relations.cli import main
from relations.errors import ArchiveError
from relations.parser import parse
from relations.store.archive import Archive


def article(i: int, extra: str = "") -> str:
    """A tiny, valid, unique article."""
    return (f" date 2024-{1 + i % 12:02d}-{1 + i % 28:02d} Vietnam and Laos held talks in Hanoi on trade "
            f"cooperation, meeting number {i}.{extra}\n")


def write_articles(folder, ids, extra: str = ""):
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"a{i:05d}.txt").write_text(article(i, extra), encoding="utf-8")
    return folder


def synthetic(n: int, start: int = 0) -> list[dict]:
    """n distinct, valid records cheaply: one parse, copied with new ids."""
    base = parse(article(0))
    out = []
    for i in range(start, start + n):
        r = dict(base)
        r["id"] = f"2020-01-01-s{i:07d}"
        r["date"] = "2020-01-01"
        out.append(r)
    return out


def fill(path, records) -> bytes:
    data = b"".join(orjson.dumps(r) + b"\n" for r in records)
    path.write_bytes(data)
    return data


@pytest.fixture
def run(archive_path):
    runner = CliRunner()

    def _run(*args):
        return runner.invoke(main, ["--archive", str(archive_path), *args], catch_exceptions=False)

    return _run


def lines_of(path) -> list[dict]:
    return [json.loads(x) for x in path.read_bytes().splitlines()]


# 1. Appends cost O(1) -----------------------------------------------------------------------------------------------

def test_append_is_one_whole_line_write_then_fsync_before_success(run, archive_path, tmp_path, monkeypatch):
    old = fill(archive_path, synthetic(3000))
    inode = archive_path.stat().st_ino
    src = write_articles(tmp_path / "in", [1])
    events = []
    real_write, real_fsync = os.write, os.fsync

    def spy_write(fd, data):
        events.append(("write", bytes(data)))
        return real_write(fd, data)

    def spy_fsync(fd):
        events.append(("fsync", fd))
        return real_fsync(fd)

    def no_replace(*a):
        raise AssertionError("an append must not rewrite the archive")

    import click
    echo = click.echo

    def spy_echo(msg=None, *a, **kw):
        events.append(("echo", str(msg)))
        return echo(msg, *a, **kw)

    monkeypatch.setattr(archive_mod.os, "write", spy_write)
    monkeypatch.setattr(archive_mod.os, "fsync", spy_fsync)
    monkeypatch.setattr(archive_mod.os, "replace", no_replace)
    monkeypatch.setattr(tempfile, "mkstemp", no_replace)
    monkeypatch.setattr(click, "echo", spy_echo)
    res = run("ingest", str(src))
    assert res.exit_code == 0, res.output
    writes = [e for e in events if e[0] == "write" and e[1].startswith(b"{")]
    assert len(writes) == 1
    line = writes[0][1]
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert orjson.loads(line)["text"].startswith("Vietnam and Laos")
    kinds = [e[0] for e in events]
    w = kinds.index("write")
    f = kinds.index("fsync", w)
    summary = next(i for i, e in enumerate(events) if e[0] == "echo" and "1 added" in e[1])
    assert w < f < summary
    assert archive_path.stat().st_ino == inode  # the same file, not a copy
    data = archive_path.read_bytes()
    assert data == old + line


def test_append_cuts_its_own_partial_line_on_a_failed_write(archive_path, monkeypatch):
    fill(archive_path, synthetic(2))
    before = archive_path.read_bytes()
    real = os.write

    def half(fd, data):
        return real(fd, data[: len(data) // 2])  # a short write, as on a full disk

    monkeypatch.setattr(archive_mod.os, "write", half)
    arch = Archive(archive_path)
    with pytest.raises(ArchiveError, match=r"short write \(\d+ of \d+ bytes; is the disk full\?\)"), arch.writing():
        arch.append(synthetic(1, start=10))
    assert archive_path.read_bytes() == before


# 2. A torn tail is repaired -----------------------------------------------------------------------------------------

def test_torn_tail_is_ignored_by_readers_and_cut_by_the_next_writer(run, archive_path, tmp_path):
    good = fill(archive_path, synthetic(3))
    partial = (orjson.dumps(synthetic(1, start=3)[0]) + b"\n")[:200]
    with open(archive_path, "ab") as fh:
        fh.write(partial)
    res = run("check")
    assert "archive.jsonl:4: incomplete last line ignored (an interrupted write; the next ingest repairs it)" in res.output
    assert res.exit_code == 1
    assert archive_path.read_bytes() == good + partial  # readers never change the archive

    res = run("ingest", str(write_articles(tmp_path / "in", [7])))
    assert res.exit_code == 0, res.output
    warning = (f"warning: archive.jsonl: cut an incomplete last line ({len(partial)} bytes) left by an interrupted "
               f"write; saved in archive.jsonl.torn\n")
    assert warning in res.output
    assert res.output.count("cut an incomplete") == 1
    data = archive_path.read_bytes()
    assert data.startswith(good) and data.count(b"\n") == 4
    assert (tmp_path / "archive.jsonl.torn").read_bytes() == partial + b"\n"
    assert run("check").exit_code == 0


def test_a_torn_first_line_is_repaired_too(archive_path):
    archive_path.write_bytes(b'{"id":"2024-01-01-abc')
    arch = Archive(archive_path)
    warnings = []
    with arch.writing(warn=warnings.append):
        arch.append(synthetic(1))
    assert len(warnings) == 1 and "saved in archive.jsonl.torn" in warnings[0]
    assert len(lines_of(archive_path)) == 1
    assert arch.check() == []


KILL_RUNS = 5


def _env(tmp_path):
    env = dict(os.environ)
    env["RELATIONS_NO_INDEX"] = "1"
    env.pop("RELATIONS_DICTIONARIES", None)
    return env


def _kill_ingests(tmp_path, archive_path, iterations):
    """Start ingests of many files, SIGKILL each at a random moment; the next command finds the archive valid."""
    rng = random.Random(1234)
    env = _env(tmp_path)
    first = write_articles(tmp_path / "first", range(0, 40))
    # the first ingest completes: its records are reported written
    done = subprocess.run([sys.executable, "-m", "relations", "--archive", str(archive_path), "ingest", str(first)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "40 added" in done.stdout, done.stderr
    reported = {r["id"] for r in lines_of(archive_path)}
    # many small articles: ingest appends a batch every few tenths of a second, so kills land around appends
    big = write_articles(tmp_path / "big", range(1000, 2500))
    arch = Archive(archive_path)
    for k in range(iterations):
        before = archive_path.read_bytes()
        proc = subprocess.Popen([sys.executable, "-m", "relations", "--archive", str(archive_path), "ingest",
                                 "--wait", "60", str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(rng.uniform(0.2, 1.4))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        after = archive_path.read_bytes()
        assert after.startswith(before)  # nothing already there changed
        # the next command (a writer) finds the archive valid
        warnings = []
        with arch.writing(warn=warnings.append):
            pass
        repaired = archive_path.read_bytes()
        assert repaired == after[: len(repaired)]
        torn = after[len(repaired):]
        if torn:
            assert not torn.endswith(b"\n") and b"\n" not in torn
            assert arch.torn_path.read_bytes().endswith(torn + b"\n")
            assert len(warnings) == 1
        assert arch.check() == []
        ids = [r["id"] for r in lines_of(archive_path)]
        assert len(ids) == len(set(ids))
        assert reported <= set(ids)
        reported = set(ids)
    # and a complete ingest afterwards gives the union, each record once
    res = subprocess.run([sys.executable, "-m", "relations", "--archive", str(archive_path), "ingest", str(big),
                          str(first)], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr
    ids = [r["id"] for r in lines_of(archive_path)]
    assert len(ids) == len(set(ids)) == 1540
    assert arch.check() == []


def test_sigkill_during_ingest_never_loses_a_reported_record(tmp_path, archive_path):
    _kill_ingests(tmp_path, archive_path, KILL_RUNS)


@pytest.mark.slow
def test_sigkill_during_ingest_50_times(tmp_path, archive_path):
    _kill_ingests(tmp_path, archive_path, 50)


# 3. Rewrites are atomic ---------------------------------------------------------------------------------------------

def test_delete_removes_one_record_atomically(run, archive_path):
    recs = synthetic(5)
    fill(archive_path, recs)
    inode = archive_path.stat().st_ino
    res = run("delete", recs[2]["id"])
    assert res.exit_code == 0
    assert res.output.startswith(f"deleted {recs[2]['id']} (")
    assert [r["id"] for r in lines_of(archive_path)] == [r["id"] for i, r in enumerate(recs) if i != 2]
    assert archive_path.stat().st_ino != inode  # a new file renamed over the old one
    assert [p.name for p in archive_path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_delete_by_unique_prefix_and_its_errors(run, archive_path):
    recs = synthetic(3)
    fill(archive_path, recs)
    before = archive_path.read_bytes()
    res = run("delete", "nope")
    assert res.exit_code == 1 and res.output == "error: no record with id 'nope' (see `relations list`)\n"
    res = run("delete", "2020-01-01-s")
    assert res.exit_code == 1
    assert res.output == ("error: id prefix '2020-01-01-s' matches 3 records: 2020-01-01-s0000000, "
                          "2020-01-01-s0000001, 2020-01-01-s0000002\n")
    assert archive_path.read_bytes() == before
    res = run("delete", "2020-01-01-s0000001")
    assert res.exit_code == 0
    assert len(lines_of(archive_path)) == 2


def test_delete_keeps_a_damaged_line_as_it_is(run, archive_path):
    recs = synthetic(3)
    fill(archive_path, recs)
    with open(archive_path, "ab") as fh:
        fh.write(b"this line is damaged\n")
    res = run("delete", recs[0]["id"])
    assert res.exit_code == 0
    assert "warning: archive.jsonl:4: not a record; kept as it is" in res.output
    assert archive_path.read_bytes().splitlines()[-1] == b"this line is damaged"


def test_delete_without_archive(run):
    res = run("delete", "x")
    assert res.exit_code == 1 and res.output.startswith("error: ") and res.output.endswith("archive.jsonl: no such archive (`relations ingest` creates it)\n")


def test_a_failed_rewrite_leaves_the_old_archive_whole(run, archive_path, monkeypatch):
    recs = synthetic(4)
    before = fill(archive_path, recs)

    def crash(*a):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(archive_mod.os, "replace", crash)
    res = run("delete", recs[0]["id"])
    assert res.exit_code == 1
    assert res.output == f"error: {archive_path}: cannot rewrite (Input/output error); the archive was not changed\n"
    assert archive_path.read_bytes() == before
    assert [p.name for p in archive_path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_reparse_applies_a_dictionary_change_and_keeps_ids(run, archive_path, tmp_path):
    src = write_articles(tmp_path / "in", [1, 2, 3])
    assert run("ingest", str(src)).exit_code == 0
    before = lines_of(archive_path)
    assert all("zz-test" not in r["topics"] for r in before)
    res = run("reparse")
    assert res.exit_code == 0 and res.output == "3 records re-parsed, 0 changed, 0 kept as they were\n"
    assert lines_of(archive_path) == before  # the same dictionaries give the same records
    dicts = tmp_path / "dicts"
    dicts.mkdir()
    (dicts / "topics.yaml").write_text("topics:\n  - id: zz-test\n    label: Test\n    keywords: [meeting number]\n")
    res = CliRunner().invoke(main, ["--archive", str(archive_path), "--dictionaries", str(dicts), "reparse"])
    assert res.exit_code == 0, res.output
    assert res.output == "3 records re-parsed, 3 changed, 0 kept as they were\n"
    after = lines_of(archive_path)
    assert [r["id"] for r in after] == [r["id"] for r in before]
    assert [r["date"] for r in after] == [r["date"] for r in before]
    assert all("zz-test" in r["topics"] for r in after)
    text = after[0]["text"]
    s, e = after[0]["topic_evidence"]["zz-test"][0]
    assert text[s:e] == "meeting number"


def _kill_rewrites(tmp_path, archive_path, iterations):
    rng = random.Random(99)
    env = _env(tmp_path)
    recs = synthetic(15000)
    old = fill(archive_path, recs)
    victim = recs[7000]["id"]
    new = b"".join(orjson.dumps(r) + b"\n" for r in recs if r["id"] != victim)
    outcomes = set()
    for _ in range(iterations):
        archive_path.write_bytes(old)
        proc = subprocess.Popen([sys.executable, "-m", "relations", "--archive", str(archive_path), "delete", victim],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(rng.uniform(0.05, 0.8))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        data = archive_path.read_bytes()
        assert data in (old, new)  # the old archive or the new one, whole
        outcomes.add(data == new)
        # the next writer removes a temporary file the killed rewrite left behind
        warnings = []
        with Archive(archive_path).writing(warn=warnings.append):
            pass
        assert [p for p in archive_path.parent.iterdir() if p.name.endswith(".tmp")] == []
        assert all("left by an interrupted rewrite (the archive was not changed)" in w for w in warnings)
    return outcomes


def test_sigkill_during_a_rewrite_leaves_old_or_new(tmp_path, archive_path):
    _kill_rewrites(tmp_path, archive_path, 5)


@pytest.mark.slow
def test_sigkill_during_a_rewrite_50_times(tmp_path, archive_path):
    assert _kill_rewrites(tmp_path, archive_path, 50) == {False, True}  # kills landed before and after the rename


# 5. Idempotence -----------------------------------------------------------------------------------------------------

def test_same_text_twice_or_renamed_or_crlf_adds_nothing(run, archive_path, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(article(5), encoding="utf-8")
    res = run("ingest", str(a))
    assert res.output == "1 added, 0 already present, 0 failed\n"
    b = tmp_path / "other name.txt"
    b.write_bytes(a.read_bytes())
    c = tmp_path / "crlf.txt"
    c.write_bytes(b"\xef\xbb\xbf" + a.read_bytes().replace(b"\n", b"\r\n"))
    res = run("ingest", str(a), str(b), str(c))
    assert res.exit_code == 0
    assert res.output == "0 added, 3 already present, 0 failed\n"
    d = tmp_path / "dup"
    d.mkdir()
    (d / "x.txt").write_text(article(6))
    (d / "y.txt").write_text(article(6))
    res = run("ingest", str(d))
    assert res.output == "1 added, 1 already present, 0 failed\n"
    assert len(lines_of(archive_path)) == 2


# 6. A damaged archive is diagnosed ----------------------------------------------------------------------------------

def test_check_names_every_problem_with_its_line(run, archive_path):
    good = synthetic(2)
    missing = {k: v for k, v in good[0].items() if k != "title"}
    missing["id"] = "m1"
    wrong = dict(good[0], id="w1", parties="VNM")
    span = dict(good[0], id="s1", agreements=[{"kind": "agreement", "span": [0, 10 ** 6]}])
    lines = [orjson.dumps(good[0]), b"{not json", orjson.dumps(missing), orjson.dumps(wrong), b"",
             orjson.dumps(good[1]), orjson.dumps(good[0]), orjson.dumps(span), b"[1, 2]"]
    archive_path.write_bytes(b"\n".join(lines) + b"\n")
    res = run("check")
    assert res.exit_code == 1
    assert res.output.splitlines() == [
        "archive.jsonl:2: not valid JSON (unexpected character, expected a string key)",
        "archive.jsonl:3: missing key 'title'",
        "archive.jsonl:4: key 'parties' has the wrong type",
        "archive.jsonl:5: empty line",
        f"archive.jsonl:7: id {good[0]['id']} already on line 1",
        "archive.jsonl:8: agreement: span [0, 1000000] is outside the text",
        "archive.jsonl:9: not a JSON object",
        "9 lines checked, 7 problems",
    ]


def test_check_a_sound_archive(run, archive_path):
    fill(archive_path, synthetic(3))
    res = run("check")
    assert res.exit_code == 0 and res.output == "3 lines checked, 0 problems\n"


def test_other_commands_skip_a_bad_line_with_one_warning(run, archive_path, tmp_path, monkeypatch):
    recs = synthetic(3)
    archive_path.write_bytes(orjson.dumps(recs[0]) + b"\n<<garbage>>\n" + orjson.dumps(recs[1]) + b"\n"
                             + orjson.dumps(recs[2]) + b"\n")
    for no_index in ("1", "0"):
        monkeypatch.setenv("RELATIONS_NO_INDEX", no_index)
        res = run("list", "--format", "jsonl")
        assert res.exit_code == 0
        out = res.output.splitlines()
        assert out.count("warning: archive.jsonl:2: skipped: not valid JSON") == 1
        assert sorted(json.loads(x)["id"] for x in out if x.startswith("{")) == [r["id"] for r in recs]
    # and ingest still answers from the rest: the damaged line stays, the new record goes in
    res = run("ingest", str(write_articles(tmp_path / "in", [3])))
    assert res.exit_code == 0
    assert res.output.count("warning: archive.jsonl:2: skipped: not valid JSON") == 1
    assert "1 added, 0 already present, 0 failed" in res.output
    assert archive_path.read_bytes().splitlines()[1] == b"<<garbage>>"


@pytest.mark.parametrize("content,reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    (b"id,date,title\n1,2024-01-01,hello\n", "none of its first lines is one JSON object"),
    # a pretty-printed JSON export: lines that start like objects, none of them one
    (b'[\n  {\n    "id": "2023-05-17-63cca63d",\n    "date": "2023-05-17"\n  },\n  {\n    "id": "b"\n  }\n]\n',
     "none of its first lines is one JSON object"),
    (b'{\n  "id": "2023-05-17-63cca63d",\n  "date": "2023-05-17"\n}\n', "none of its first lines is one JSON object"),
])
def test_a_file_that_is_not_json_lines_is_refused_untouched(run, archive_path, tmp_path, content, reason):
    archive_path.write_bytes(content)
    src = write_articles(tmp_path / "in", [1])
    res = run("ingest", str(src))
    assert res.exit_code == 1
    assert res.output == f"error: {archive_path}: not a JSON Lines archive ({reason})\n"
    assert archive_path.read_bytes() == content
    assert not (tmp_path / "archive.jsonl.torn").exists()
    res = run("check")
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == f"archive.jsonl:1: not a JSON Lines archive ({reason})"
    for cmd in (("reparse",), ("delete", "x")):
        res = run(*cmd)
        assert res.exit_code == 1 and res.output == f"error: {archive_path}: not a JSON Lines archive ({reason})\n"
    assert archive_path.read_bytes() == content
    with pytest.raises(ArchiveError, match="not a JSON Lines archive"):
        list(Archive(archive_path).records())
