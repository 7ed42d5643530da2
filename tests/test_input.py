"""Bad input: every case ends with one line naming the file and the reason, the good files ingested, exit 1."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

import relations.article.reader as reader_mod
from conftest import cmd
from relations.article.reader import MAX_BYTES
from relations.cli import main
from relations.ingest import ingest
from relations.store.archive import Archive

GOOD = " date 2024-03-05 Vietnam and Laos held talks in Hanoi on trade cooperation.\n"


@pytest.fixture
def run(archive_path):
    def _run(*args):
        return CliRunner().invoke(main, ["--archive", str(archive_path), *args])

    return _run


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


def records(archive_path):
    return [json.loads(x) for x in archive_path.read_text(encoding="utf-8").splitlines()]


def assert_one_failure(res, archive_path, message, added=1):
    """The bad file is named with its reason on one line; the good file went in; exit 1; no traceback."""
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines.count(f"failed {message}") == 1, res.output
    assert lines[-1] == f"{added} added, 0 already present, 1 failed"
    assert len(records(archive_path)) == added


CASES = {
    "empty": (b"", "the file is empty"),
    "whitespace": (b"  \n\t\r\n   \n", "the file holds only white space"),
    "png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file (binary data)"),
    "nul": (b" date 2024-01-01 Vietnam\x00 and Laos", "not a text file (binary data)"),
    "impossible-date": (b" date 2023-02-30 Vietnam and Laos held talks.\n", "header date '2023-02-30' is not a real date"),
    "bad-month": (b" date 2023-13-01 Vietnam and Laos held talks.\n", "header date '2023-13-01' is not a real date"),
    "future": (b" date 2999-01-01 Vietnam and Laos held talks.\n", "publication date 2999-01-01 is in the future"),
    "no-date": (b"Vietnam and Laos held talks in Hanoi.\n",
                "no publication date in the header or the text; give one with --date YYYY-MM-DD"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_named_and_the_good_file_goes_in(run, archive_path, tmp_path, good, name):
    content, reason = CASES[name]
    bad = tmp_path / f"{name}.txt"
    bad.write_bytes(content)
    res = run("ingest", str(bad), str(good))
    assert_one_failure(res, archive_path, f"{bad}: {reason}")


def test_no_date_goes_in_with_the_date_option(run, archive_path, tmp_path):
    p = tmp_path / "nodate.txt"
    p.write_text("Vietnam and Laos held talks in Hanoi.\n")
    res = run("ingest", "--date", "2024-02-03", str(p))
    assert res.exit_code == 0 and res.output == "1 added, 0 already present, 0 failed\n"
    rec = records(archive_path)[0]
    assert (rec["date"], rec["date_how"]) == ("2024-02-03", "given with --date")


def test_utf8_bom_and_crlf_are_read_cleanly(run, archive_path, tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeff date 2024-03-05 Việt Nam and Laos held talks.\r\nThey met in Hà Nội.\r\n".encode("utf-8"))
    res = run("ingest", str(p))
    assert res.exit_code == 0 and res.output == "1 added, 0 already present, 0 failed\n"
    rec = records(archive_path)[0]
    assert rec["date"] == "2024-03-05" and rec["date_how"] == "header"
    assert rec["text"] == "Việt Nam and Laos held talks.\nThey met in Hà Nội.\n"
    for actor in rec["actors"]:
        for s, e in actor["spans"]:
            assert rec["text"][s:e] in actor["name"] or actor["kind"] != "country" or e > s


def test_windows_1252_is_read_with_a_stated_fallback(run, archive_path, tmp_path):
    p = tmp_path / "cp1252.txt"
    p.write_bytes(" date 2024-03-05 The \u201cCaf\u00e9\u201d talks: Vietnam and Laos met in Hanoi.\n".encode("cp1252"))
    res = run("ingest", str(p))
    assert res.exit_code == 0
    assert res.output == (f"warning: {p}: not valid UTF-8; read as Windows-1252\n"
                          "1 added, 0 already present, 0 failed\n")
    assert "The \u201cCaf\u00e9\u201d talks" in records(archive_path)[0]["text"]  # no mojibake


def test_latin1_when_not_even_windows_1252(run, archive_path, tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes(b" date 2024-03-05 Caf\xe9 \x81 talks between Vietnam and Laos.\n")  # 0x81 is unassigned in cp1252
    res = run("ingest", str(p))
    assert res.exit_code == 0
    assert res.output.splitlines()[0] == f"warning: {p}: not valid UTF-8; read as Latin-1"
    assert "Caf\u00e9 \x81 talks" in records(archive_path)[0]["text"]


def test_a_50_mb_file_is_refused_by_size_without_being_read(run, archive_path, tmp_path, good, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    opened = []
    real_open = open

    def spy(path, *a, **kw):
        opened.append(str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(reader_mod, "open", spy, raising=False)
    res = run("ingest", str(big), str(good))
    assert_one_failure(res, archive_path, f"{big}: file is 52.4 MB, over the 2 MB limit for one article")
    assert str(big) not in opened
    assert MAX_BYTES == 2_000_000


def test_a_file_growing_past_the_limit_is_read_no_further(tmp_path, monkeypatch):
    p = tmp_path / "grows.txt"
    p.write_bytes(b"x" * 100)
    real_stat = os.stat
    monkeypatch.setattr(reader_mod.os, "stat", lambda path, *a, **kw: real_stat(tmp_path / "small"))
    (tmp_path / "small").write_bytes(b"")
    p.write_bytes(b"a" * (MAX_BYTES + 5000))
    from relations.errors import InputError

    with pytest.raises(InputError, match=r"file is 2\.0 MB, over the 2 MB limit for one article"):
        reader_mod.read_article(str(p))


def test_a_folder_of_10000_files(run, archive_path, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i:05d}.txt").write_text(f" date 2024-01-02 Laos and Vietnam talks {i}.\n")
    (folder / "00042.txt").write_bytes(b"")
    (folder / "ignored.md").write_text("not an article")
    res = run("ingest", str(folder))
    assert res.exit_code == 1
    assert res.output.splitlines() == [f"failed {folder / '00042.txt'}: the file is empty",
                                       "9999 added, 0 already present, 1 failed, 1 skipped (not an article suffix)"]
    assert len(archive_path.read_bytes().splitlines()) == 9999


def test_a_file_that_disappears_mid_ingest(archive_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(GOOD.replace("cooperation", f"cooperation {i}"))

    def progress(out):
        if out.path.endswith("0.txt"):
            os.remove(folder / "1.txt")

    s = ingest([str(folder)], Archive(archive_path), progress=progress)
    assert s.added == 2
    assert [f.error for f in s.failed] == [f"{folder / '1.txt'}: the file disappeared before it could be read"]


def test_a_file_that_becomes_unreadable_mid_ingest(run, archive_path, tmp_path, good, monkeypatch):
    bad = tmp_path / "locked.txt"
    bad.write_text(GOOD.replace("trade", "energy"))
    real_open = open

    def deny(path, *a, **kw):
        if str(path) == str(bad):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **kw)

    monkeypatch.setattr(reader_mod, "open", deny, raising=False)
    res = run("ingest", str(bad), str(good))
    assert_one_failure(res, archive_path, f"{bad}: cannot read (Permission denied)")


def test_an_unreadable_file(shared_dir):
    # as root the command runs as nobody (conftest.cmd), so the file really cannot be read
    arch, bad, good = shared_dir / "archive.jsonl", shared_dir / "locked.txt", shared_dir / "good.txt"
    bad.write_text(GOOD)
    bad.chmod(0)
    good.write_text(GOOD.replace("trade", "energy"))
    res = cmd("--archive", arch, "ingest", bad, good, unprivileged=True)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert res.stderr.splitlines() == [f"failed {bad}: cannot read (Permission denied)"]
    assert res.stdout == "1 added, 0 already present, 1 failed\n"
    assert len(records(arch)) == 1


def test_a_path_that_does_not_exist(run, archive_path, tmp_path, good):
    missing = tmp_path / "nowhere" / "x.txt"
    res = run("ingest", str(missing), str(good))
    assert_one_failure(res, archive_path, f"{missing}: no such file or folder")


def test_symlink_loops_and_broken_links(run, archive_path, tmp_path, good):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    res = run("ingest", str(loop), str(good))
    assert_one_failure(res, archive_path, f"{loop}: a symbolic link loop")
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    res = run("ingest", str(broken))
    assert res.exit_code == 1 and f"failed {broken}: a broken symbolic link" in res.output


def test_a_folder_with_a_symlink_loop_inside(run, archive_path, tmp_path):
    folder = tmp_path / "tree"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(GOOD)
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)   # tree/sub/up -> tree
    (folder / "self.txt").symlink_to(folder / "self.txt")
    res = run("ingest", str(folder))
    assert res.exit_code == 1
    assert res.output.splitlines() == [f"failed {folder / 'self.txt'}: a symbolic link loop",
                                       "1 added, 0 already present, 1 failed"]


def test_archive_in_a_folder_that_does_not_exist(tmp_path, good):
    arch = tmp_path / "no" / "such" / "archive.jsonl"
    res = CliRunner().invoke(main, ["--archive", str(arch), "ingest", str(good)])
    assert res.exit_code == 1
    assert res.output == f"error: {arch}: the folder {arch.parent} does not exist\n"


def test_archive_in_a_read_only_folder(tmp_path, good, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    arch = folder / "archive.jsonl"
    import relations.store.archive as archive_mod

    real = os.access
    monkeypatch.setattr(archive_mod.os, "access", lambda p, m: False if str(p) == str(folder) else real(p, m))
    res = CliRunner().invoke(main, ["--archive", str(arch), "ingest", str(good)])
    assert res.exit_code == 1
    assert res.output == f"error: {arch}: the folder {folder} is not writable\n"
    assert list(folder.iterdir()) == []


def test_archive_in_a_really_read_only_folder(shared_dir):
    folder = shared_dir / "ro"
    folder.mkdir()
    good = shared_dir / "good.txt"
    good.write_text(GOOD)
    folder.chmod(0o555)
    arch = folder / "archive.jsonl"
    res = cmd("--archive", arch, "ingest", good, unprivileged=True)
    folder.chmod(0o755)
    assert res.returncode == 1
    assert res.stdout + res.stderr == f"error: {arch}: the folder {folder} is not writable\n"
    assert list(folder.iterdir()) == []


def test_archive_path_is_a_folder(tmp_path, good):
    res = CliRunner().invoke(main, ["--archive", str(tmp_path), "ingest", str(good)])
    assert res.exit_code == 2  # click refuses a folder for --archive before anything runs
    assert "is a directory" in res.output


def test_a_file_name_with_markup_is_shown_literally(run, archive_path, tmp_path):
    bad = tmp_path / "[bold red]x[bold red].txt"
    bad.write_bytes(b"")
    res = run("ingest", str(bad))
    assert res.exit_code == 1
    assert f"failed {bad}: the file is empty" in res.output.splitlines()
