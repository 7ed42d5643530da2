"""What the README's "Guarantees" promise, on what a real machine holds: links, special files,
read-only files, damaged lines, missing paths, failing disks. Each case prints one line and exits 1,
and leaves the archive as it was (or holding exactly the records it reported)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

import relations.store.archive as archive_mod
from conftest import ROOT, SEEDS, cmd
from relations.cli import main
from relations.store.archive import Archive

SEED_A = "000_8d0f82977c284667.txt"   # 2025-08-15
SEED_B = "004_e09393c693991b1a.txt"   # 2023-05-17


def article(i: int) -> str:
    return (f" date 2024-{1 + i % 12:02d}-{1 + i % 28:02d} Vietnam and Laos held talks in Hanoi on trade "
            f"cooperation, meeting number {i}.\n")


def write_articles(folder: Path, ids) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in ids:
        (folder / f"a{i:05d}.txt").write_text(article(i), encoding="utf-8")
    return folder


def cli(*args, env: dict | None = None):
    """One command through click (stderr and stdout together, as a user sees them)."""
    return CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_line_error(res, *, contains: str = "") -> str:
    """The command failed with exit 1 and printed exactly one line, an error, without a traceback."""
    out = (res.stdout + res.stderr) if hasattr(res, "stderr") and isinstance(res.stderr, str) else res.output
    code = res.returncode if hasattr(res, "returncode") else res.exit_code
    lines = out.splitlines()
    assert code == 1, out
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in out, out
    assert contains in lines[0], out
    return lines[0]


@pytest.fixture
def seeded(tmp_path) -> Path:
    arch = tmp_path / "archive.jsonl"
    assert cli("--archive", arch, "ingest", SEEDS).exit_code == 0
    return arch


# 1. the demo never deletes an archive it did not create ------------------------------------------------------------

@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "relations").exists(),
                    reason="scripts/demo.sh installs into .venv first; no .venv here to run it offline")
def test_demo_never_touches_an_archive_it_did_not_create(tmp_path):
    mine = tmp_path / "work" / "archive.jsonl"
    mine.parent.mkdir()
    mine.write_bytes((SEEDS.parent / "examples" / "archive.jsonl").read_bytes() + b'{"id": "mine", "date": "2020-01-01"}\n')
    before = mine.read_bytes()
    env = {**os.environ, "RELATIONS_ARCHIVE": str(mine), "TMPDIR": str(tmp_path)}
    got = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], capture_output=True, text=True,
                         env=env, timeout=300)
    assert got.returncode == 0, got.stderr
    assert mine.read_bytes() == before
    demo = Path(got.stdout.splitlines()[0].removeprefix("demo archive: "))
    assert demo.parent.parent == tmp_path and demo.read_bytes() == (SEEDS.parent / "examples" / "archive.jsonl").read_bytes()
    assert "Vietnam – Cuba" in got.stdout


# 2. no command writes a file under version control ----------------------------------------------------------------

def test_the_default_archive_lives_in_the_user_data_folder(tmp_path):
    data = tmp_path / "xdg"
    res = cmd("ingest", "seeds/", env={"XDG_DATA_HOME": str(data), "RELATIONS_ARCHIVE": ""}, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    arch = data / "relations" / "archive.jsonl"
    assert res.stderr.splitlines() == [f"archive: {arch}"]
    assert arch.read_bytes() == (SEEDS.parent / "examples" / "archive.jsonl").read_bytes()
    assert not (ROOT / "data" / "archive.jsonl").exists()
    helped = cmd("--help", env={"XDG_DATA_HOME": str(data), "RELATIONS_ARCHIVE": ""})
    assert helped.stdout.splitlines()[-1] == f"Archive: {arch}"


def test_no_tracked_file_is_an_archive_a_command_writes():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.splitlines()
    from relations.store.location import default_archive

    assert not Path(default_archive()).resolve().is_relative_to(ROOT)
    assert "data/archive.jsonl" not in tracked and "examples/archive.jsonl" in tracked


# 3. a path that is not a regular file is refused, untouched -------------------------------------------------------

WRITERS = (("ingest", SEEDS / SEED_A), ("reparse",), ("delete", "x"))
READERS = (("list",), ("show", "x"), ("timeline", "vietnam", "cuba"), ("check",))


def _special(kind: str, folder: Path) -> Path:
    path = folder / f"special-{kind}"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(path))
        s.close()
    elif kind == "device":
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
        except (PermissionError, OSError):
            pytest.skip("cannot make a device node here (no CAP_MKNOD)")
    return path


@pytest.mark.parametrize("kind", ["fifo", "socket", "device"])
@pytest.mark.parametrize("args", WRITERS + READERS, ids=lambda a: a[0])
def test_a_special_file_is_refused_untouched(tmp_path, kind, args):
    path = _special(kind, tmp_path)
    mode = os.lstat(path).st_mode
    res = cmd("--archive", path, *args, timeout=30)
    what = {"fifo": "a named pipe (FIFO)", "socket": "a socket", "device": "a device"}[kind]
    assert one_line_error(res) == f"error: {path}: is {what}, not an archive file; left untouched"
    assert os.lstat(path).st_mode == mode
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no lock, index or temporary file


# 4. a symbolic link to an archive: one archive, one lock, the link kept ------------------------------------------

def test_a_linked_archive_is_rewritten_through_its_link(tmp_path, seeded):
    shared = tmp_path / "shared" / "team.jsonl"
    shared.parent.mkdir()
    seeded.rename(shared)
    for stale in tmp_path.glob("archive.jsonl.*"):
        stale.rename(shared.parent / stale.name.replace("archive", "team"))
    link = tmp_path / "archive.jsonl"
    link.symlink_to(shared)
    assert Archive(link).lock_path == Archive(shared).lock_path
    rid = json.loads(shared.read_text().splitlines()[0])["id"]
    assert cli("--archive", link, "delete", rid).exit_code == 0
    assert cli("--archive", link, "reparse").exit_code == 0
    assert link.is_symlink() and link.resolve() == shared
    assert len(shared.read_text().splitlines()) == 1
    assert cli("--archive", link, "ingest", "--force", SEEDS).output.splitlines()[-1] == "1 added, 1 already present, 0 failed"
    assert len(shared.read_text().splitlines()) == 2
    assert not list(tmp_path.glob("archive.jsonl.*"))  # lock and index sit beside the real file


def test_writers_through_a_link_and_the_real_path_share_one_lock(tmp_path):
    real = tmp_path / "real.jsonl"
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    src = write_articles(tmp_path / "in", range(60))
    procs = [subprocess.Popen([sys.executable, "-m", "relations", "--archive", str(p), "ingest", str(src)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in (real, link)]
    for p in procs:
        assert p.wait(timeout=120) == 0, p.stderr.read()
    ids = [json.loads(x)["id"] for x in real.read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 60


# 5. delete removes one record per line it names ----------------------------------------------------------------

def test_delete_of_an_id_present_twice_removes_one_line(tmp_path, seeded):
    lines = seeded.read_bytes().splitlines(keepends=True)
    seeded.write_bytes(lines[0] + lines[1] + lines[0])
    rid = json.loads(lines[0])["id"]
    res = cli("--archive", seeded, "delete", rid)
    assert res.exit_code == 0
    title = json.loads(lines[0])["title"]
    assert res.output == f"deleted {rid} ({title}); 1 more line with this id kept (delete again to remove the next)\n"
    assert seeded.read_bytes() == lines[1] + lines[0]
    res = cli("--archive", seeded, "delete", rid)
    assert res.output == f"deleted {rid} ({title})\n"
    assert seeded.read_bytes() == lines[1]


# 6. not JSON Lines: refused; one damaged first line: named, skipped, and writers refuse ------------------------

def test_a_damaged_first_line_does_not_lock_out_the_good_records(tmp_path, seeded):
    good = seeded.read_bytes()
    seeded.write_bytes(b"x" * (5 << 20) + b"\n" + good)
    before = seeded.read_bytes()
    res = cli("--archive", seeded, "check")
    assert res.exit_code == 1
    assert res.output.splitlines()[0].startswith("archive.jsonl:1: not valid JSON")
    res = cmd("--archive", seeded, "list", "--format", "jsonl")
    assert res.returncode == 0
    assert res.stderr.splitlines() == ["warning: archive.jsonl:1: skipped: not valid JSON"]
    assert len(res.stdout.splitlines()) == 2
    res = cmd("--archive", seeded, "ingest", write_articles(tmp_path / "in", [1]))
    one_line_error(res, contains=f"{seeded}:1: the first line is not a record; nothing was written")
    assert seeded.read_bytes() == before


# 7. a complete last record without its newline is a record --------------------------------------------------------

def test_a_last_record_without_its_newline_is_kept(tmp_path, seeded):
    whole = seeded.read_bytes()
    seeded.write_bytes(whole[:-1])  # a hand edit that dropped the final newline
    listed = cmd("--archive", seeded, "list", "--format", "jsonl")
    assert listed.returncode == 0 and listed.stderr == "" and len(listed.stdout.splitlines()) == 2
    res = cli("--archive", seeded, "ingest", write_articles(tmp_path / "in", [1]))
    assert res.exit_code == 0
    assert res.output.splitlines() == ["warning: archive.jsonl: the last record had no final newline; added one",
                                       "1 added, 0 already present, 0 failed"]
    assert seeded.read_bytes().startswith(whole) and len(seeded.read_bytes().splitlines()) == 3
    assert not (tmp_path / "archive.jsonl.torn").exists()


# 8. no traceback: read-only archives, odd hand edits, incomplete dictionaries -------------------------------------

@pytest.mark.parametrize("args", WRITERS, ids=lambda a: a[0])
def test_a_read_only_archive_is_refused_in_one_line(shared_dir, args):
    arch = shared_dir / "archive.jsonl"
    shutil.copy(SEEDS.parent / "examples" / "archive.jsonl", arch)
    with open(arch, "ab") as fh:
        fh.write(b'{"id": "torn')  # a torn tail, which a writer would otherwise repair first
    arch.chmod(0o444)
    if os.geteuid() != 0 and os.access(arch, os.W_OK):
        pytest.skip("this file system ignores permissions")
    before = arch.read_bytes()
    res = cmd("--archive", arch, *args, unprivileged=True)
    assert one_line_error(res) == f"error: {arch}: the archive is read-only (Permission denied); nothing was changed"
    assert arch.read_bytes() == before


def test_a_date_that_is_not_text_does_not_crash_list(shared_dir):
    arch = shared_dir / "archive.jsonl"
    recs = [json.loads(x) for x in (SEEDS.parent / "examples" / "archive.jsonl").read_text().splitlines()]
    recs[0]["date"] = 20230517
    arch.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))
    shared_dir.chmod(0o555)  # no index can be made: every answer is a scan
    try:
        for env in ({"RELATIONS_NO_INDEX": "1"}, {}):
            res = cmd("--archive", arch, "list", "--format", "jsonl", unprivileged=True, env=env)
            assert res.returncode == 0, res.stderr
            assert [json.loads(x)["id"] for x in res.stdout.splitlines()] == [recs[1]["id"], recs[0]["id"]]
            res = cmd("--archive", arch, "list", "--since", "2023", unprivileged=True, env=env)
            assert res.returncode == 0 and [json.loads(x)["id"] for x in res.stdout.splitlines()] == [recs[1]["id"]]
    finally:
        shared_dir.chmod(0o777)


def test_a_dictionary_entry_without_a_required_key_is_one_line(tmp_path):
    d = tmp_path / "dicts"
    d.mkdir()
    (d / "organizations.yaml").write_text("agencies: [{acronym: XYZ}]\n")
    res = cli("--archive", tmp_path / "a.jsonl", "--dictionaries", d, "ingest", SEEDS)
    assert one_line_error(res) == f"error: {d / 'organizations.yaml'}:1: key 'agencies[0]' needs a 'name'"
    (d / "organizations.yaml").write_text("national: [{name: Bureau of Tests, country: VNM}, {acronym: BT}]\n")
    res = cli("--archive", tmp_path / "a.jsonl", "--dictionaries", d, "ingest", SEEDS)
    assert one_line_error(res) == f"error: {d / 'organizations.yaml'}:1: key 'national[1]' needs a 'name'"


# 13. a missing archive is an error; the archive used is named ---------------------------------------------------

@pytest.mark.parametrize("args", READERS + (("reparse",), ("delete", "x")), ids=lambda a: a[0])
def test_a_missing_archive_is_an_error_naming_it(tmp_path, args):
    arch = tmp_path / "typo.jsonl"
    res = cli("--archive", arch, *args)
    assert one_line_error(res).startswith(f"error: {arch}: no such archive")
    assert list(tmp_path.iterdir()) == []


def test_a_relative_archive_path_is_shown_resolved(tmp_path):
    res = cmd("ingest", SEEDS / SEED_A, env={"RELATIONS_ARCHIVE": "rel.jsonl"}, cwd=tmp_path)
    assert res.returncode == 0
    assert res.stderr.splitlines() == [f"archive: {tmp_path / 'rel.jsonl'}"]
    res = cmd("list", env={"RELATIONS_ARCHIVE": "rel.jsonl"}, cwd=tmp_path / "..")
    assert one_line_error(res).startswith(f"error: {tmp_path.parent / 'rel.jsonl'}: no such archive")


# writes that fail: a full disk, an I/O error ---------------------------------------------------------------------

def _failing(name: str, err: int, after: int = 0):
    real = getattr(os, name)
    calls = {"n": 0}

    def fake(*a, **kw):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(err, os.strerror(err))
        return real(*a, **kw)

    return fake


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("call,after", [("write", 0), ("write", 3), ("fsync", 0)])
def test_a_failing_append_keeps_exactly_the_reported_records(tmp_path, seeded, monkeypatch, err, call, after):
    before = seeded.read_bytes()
    src = write_articles(tmp_path / "in", range(8))
    monkeypatch.setattr(archive_mod.os, call, _failing(call, err, after))
    res = cli("--archive", seeded, "ingest", src)
    monkeypatch.undo()
    line = one_line_error(res)
    assert line == f"error: {seeded}: cannot write ({os.strerror(err)}); nothing of this batch was kept"
    assert seeded.read_bytes() == before
    assert cli("--archive", seeded, "check").exit_code == 0


def test_a_failing_later_batch_says_what_was_kept(tmp_path, seeded, monkeypatch):
    from relations.ingest import ingest

    src = write_articles(tmp_path / "in", range(5))
    monkeypatch.setattr(archive_mod.os, "fsync", _failing("fsync", errno.ENOSPC, after=2))
    summary = ingest([str(src)], Archive(seeded), batch=2)
    monkeypatch.undo()
    assert summary.error.endswith("; the 4 records written before it are in the archive") and summary.added == 4
    assert len(seeded.read_bytes().splitlines()) == 2 + 4
    assert cli("--archive", seeded, "check").exit_code == 0


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO], ids=["ENOSPC", "EIO"])
@pytest.mark.parametrize("call", ["write", "fsync", "replace"])
@pytest.mark.parametrize("args", [("reparse",), ("delete", "2023-05-17")], ids=lambda a: a[0])
def test_a_failing_rewrite_leaves_the_old_archive(tmp_path, seeded, monkeypatch, err, call, args):
    before = seeded.read_bytes()
    if call == "write":  # the temporary file is written through a file object
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *a):
                self.fh.close()

            def write(self, b):
                raise OSError(err, os.strerror(err))

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(archive_mod.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    else:
        monkeypatch.setattr(archive_mod.os, call, _failing(call, err))
    res = cli("--archive", seeded, *args)
    monkeypatch.undo()
    assert one_line_error(res) == f"error: {seeded}: cannot rewrite ({os.strerror(err)}); the archive was not changed"
    assert seeded.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


# 10. Unicode forms and file names ----------------------------------------------------------------------------

def test_an_nfd_text_is_the_same_record_as_its_nfc_text(tmp_path):
    import unicodedata

    from relations.article.reader import read_article
    from relations.parser import parse

    text = (SEEDS / SEED_B).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    nfc, nfd = tmp_path / "nfc.txt", tmp_path / "nfd.txt"
    nfc.write_text(text, encoding="utf-8")
    nfd.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    a, b = (read_article(str(p)) for p in (nfc, nfd))
    assert a.text == b.text
    ra, rb = (parse(x.text, x.source) for x in (a, b))
    for key in ("id", "actors", "dateline", "event", "topics"):
        assert ra[key] == rb[key], key
    arch = tmp_path / "a.jsonl"
    res = cli("--archive", arch, "ingest", nfc, nfd)
    assert res.output.splitlines()[-1] == "1 added, 1 already present, 0 failed"


def test_a_file_name_that_is_not_utf8_is_kept_whole(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write((SEEDS / SEED_B).read_bytes())
    arch = tmp_path / "a.jsonl"
    res = cmd("--archive", arch, "ingest", folder)
    assert res.returncode == 0 and res.stdout == "1 added, 0 already present, 0 failed\n", res.stderr
    src = json.loads(arch.read_text())["source"]
    assert src["name"] == "caf\\xe9.txt" and bytes.fromhex(src["path_bytes"]) == raw
    assert cli("--archive", arch, "check").exit_code == 0
    (folder / "bad\udcff.txt".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_bytes(b"")
    res = cmd("--archive", arch, "ingest", folder)
    assert f"failed {folder}/bad\\xff.txt: the file is empty" in res.stderr.splitlines()


# 15. one size limit, checked before reading --------------------------------------------------------------------

def test_one_size_limit_checked_before_reading(tmp_path, monkeypatch):
    import relations.article.reader as reader_mod
    from relations.parser.pipeline import MAX_CHARS

    assert reader_mod.MAX_BYTES == MAX_CHARS == 2_000_000
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(b" date 2024-03-05 Vietnam and Laos held talks.")
        fh.truncate(9_000_000)
    opened = []
    real_open = open
    monkeypatch.setattr(reader_mod, "open", lambda p, *a, **k: opened.append(p) or real_open(p, *a, **k),
                        raising=False)
    res = cli("--archive", tmp_path / "a.jsonl", "ingest", big)
    assert res.output.splitlines()[0] == f"failed {big}: file is 9.0 MB, over the 2 MB limit for one article"
    assert opened == []


# 12. a month- or year-precision date touches the ranges it overlaps ---------------------------------------------

@pytest.mark.parametrize("no_index", ["0", "1"], ids=["index", "scan"])
def test_a_month_date_is_in_a_range_it_touches(tmp_path, monkeypatch, no_index):
    monkeypatch.setenv("RELATIONS_NO_INDEX", no_index)
    recs = [json.loads(x) for x in (SEEDS.parent / "examples" / "archive.jsonl").read_text().splitlines()]
    month, year = recs[1], recs[0]   # the 2023-05-17 talks, the 2025-08-15 talks
    month["date"], month["event"]["date"] = "2023-06", "2023-06"
    year["date"], year["event"]["date"] = "2024", "2024"
    arch = tmp_path / "a.jsonl"
    arch.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in recs))

    def listed(*opts):
        res = cli("--archive", arch, "list", "--format", "jsonl", *opts)
        assert res.exit_code == 0, res.output
        return [json.loads(x)["date"] for x in res.output.splitlines()]

    def timeline(*opts):
        res = cli("--archive", arch, "timeline", "vietnam", "cuba", "--format", "jsonl", *opts)
        assert res.exit_code == 0, res.output
        return [(e["date"], e["kind"]) for e in map(json.loads, res.output.splitlines()) if e["kind"] == "talks"]

    assert listed("--since", "2023-06-01", "--until", "2023-06-30") == ["2023-06"]
    assert listed("--since", "2023-06-15") == ["2024", "2023-06"]
    assert listed("--since", "2023-07-01") == ["2024"]
    assert listed("--until", "2023-05-31") == []
    assert listed("--since", "2024-12-31", "--until", "2025-01") == ["2024"]
    assert timeline("--since", "2023-06-01", "--until", "2023-06-30") == [("2023-06", "talks")]
    assert timeline("--since", "2024-03-01") == [("2024", "talks")]
    assert timeline("--since", "2023-06-30", "--until", "2024-01-01") == [("2023-06", "talks"), ("2024", "talks")]
    assert timeline("--since", "2025") == []


# 11. the same article is one record: a final newline, a corrected date, a deletion --------------------------------

def test_the_same_text_with_a_final_newline_is_the_same_record(tmp_path, seeded):
    text = (SEEDS / SEED_B).read_text(encoding="utf-8")
    for i, variant in enumerate((text.rstrip("\n"), text + "\n\n", "\n" + text)):
        p = tmp_path / f"v{i}.txt"
        p.write_text(variant, encoding="utf-8")
        res = cli("--archive", seeded, "ingest", p)
        assert res.output == "0 added, 1 already present, 0 failed\n", variant[-20:]
    assert len(seeded.read_text().splitlines()) == 2


def test_an_undated_file_given_another_date_is_not_a_second_record(tmp_path):
    arch = tmp_path / "a.jsonl"
    p = tmp_path / "undated.txt"
    p.write_text("Vietnam and Laos held talks in Hanoi on trade cooperation.\n", encoding="utf-8")
    assert cli("--archive", arch, "ingest", "--date", "2024-03-05", p).exit_code == 0
    rid = json.loads(arch.read_text())["id"]
    res = cli("--archive", arch, "ingest", "--date", "2024-03-06", p)
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        f"warning: {p}: already in the archive as {rid}, with another date; not added again "
        "(to store this date: delete that record, then ingest --force)",
        "0 added, 1 already present, 0 failed"]
    assert cli("--archive", arch, "delete", rid).exit_code == 0
    res = cli("--archive", arch, "ingest", "--force", "--date", "2024-03-06", p)
    assert res.output == "1 added, 0 already present, 0 failed\n"
    assert json.loads(arch.read_text())["date"] == "2024-03-06"


def test_a_deleted_record_stays_deleted_until_forced_back(tmp_path, seeded):
    recs = [json.loads(x) for x in seeded.read_text().splitlines()]
    res = cli("--archive", seeded, "delete", recs[0]["id"])
    assert res.exit_code == 0
    assert (tmp_path / "archive.jsonl.deleted").exists()
    res = cli("--archive", seeded, "ingest", SEEDS)
    assert res.output == "0 added, 1 already present, 0 failed, 1 deleted before (--force adds them again)\n"
    assert [json.loads(x)["id"] for x in seeded.read_text().splitlines()] == [recs[1]["id"]]
    res = cli("--archive", seeded, "ingest", "--force", SEEDS)
    assert res.output == "1 added, 1 already present, 0 failed\n"
    res = cli("--archive", seeded, "ingest", SEEDS)
    assert res.output == "0 added, 2 already present, 0 failed\n"   # back for good: the deletion is forgotten
    assert (tmp_path / "archive.jsonl.deleted").read_bytes() == b""


# 14. the dictionaries that made the records are remembered --------------------------------------------------------

def test_reparse_without_the_ingest_dictionaries_says_so(tmp_path):
    d = tmp_path / "dicts"
    d.mkdir()
    (d / "topics.yaml").write_text("topics:\n  - id: zz-talks\n    label: Talks\n    keywords: [cooperation]\n")
    arch = tmp_path / "a.jsonl"
    assert cli("--archive", arch, "--dictionaries", d, "ingest", SEEDS).exit_code == 0
    assert all("zz-talks" in json.loads(x)["topics"] for x in arch.read_text().splitlines())
    res = cli("--archive", arch, "reparse")
    assert res.exit_code == 0
    assert res.output.splitlines() == [
        f"warning: the archive's records were made with dictionaries {d}, which this reparse does not use: "
        "what only they found (topics, names) will be missing (add --dictionaries)",
        "2 records re-parsed, 2 changed, 0 kept as they were"]
    res = cli("--archive", arch, "reparse")   # the records are now those of the shipped dictionaries
    assert res.output == "2 records re-parsed, 0 changed, 0 kept as they were\n"


@pytest.mark.parametrize("args", [("list",), ("reparse",), ("ingest", SEEDS), ("timeline", "vietnam", "cuba")],
                         ids=lambda a: a[0])
def test_a_missing_dictionary_folder_is_an_error(seeded, tmp_path, args):
    before = seeded.read_bytes()
    res = cli("--archive", seeded, "--dictionaries", tmp_path / "dicst", *args)
    assert one_line_error(res) == f"error: {tmp_path / 'dicst'}: dictionary folder not found"
    assert seeded.read_bytes() == before


@pytest.mark.parametrize("err", [errno.EROFS, errno.EPERM], ids=["read-only mount", "immutable file"])
def test_a_read_only_mount_or_immutable_archive_is_refused_in_one_line(seeded, monkeypatch, err):
    # what open(2) answers for a write on a read-only mount (EROFS) or a `chattr +i` file (EPERM)
    before = seeded.read_bytes()
    real = os.open

    def deny(path, flags, *a, **kw):
        if os.fspath(path) == str(seeded) and flags & (os.O_WRONLY | os.O_RDWR):
            raise OSError(err, os.strerror(err))
        return real(path, flags, *a, **kw)

    monkeypatch.setattr(archive_mod.os, "open", deny)
    for args in WRITERS:
        res = cli("--archive", seeded, *args)
        assert one_line_error(res) == f"error: {seeded}: the archive is read-only ({os.strerror(err)}); nothing was changed"
    monkeypatch.undo()
    assert seeded.read_bytes() == before
