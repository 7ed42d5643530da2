"""An analyst's day: output contracts, tables at any width, evidence without colour, steered
timelines, the summary of a relation, filters, and ingest that respects time."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from conftest import ROOT, SEEDS
from relations import filters as filters_mod
from relations import ingest as ingest_mod
from relations.cli import main
from relations.errors import ArchiveError
from relations.store import index
from relations.store.archive import Archive

SEED_A = "000_8d0f82977c284667.txt"   # 2025-08-15, talks in Hà Nội, signed cybersecurity agreement
SEED_B = "004_e09393c693991b1a.txt"   # 2023-05-17, PM Chính meets the Cuban interior minister
CAMBODIA = (" date 2024-03-05 Vietnamese Prime Minister Pham Minh Chinh held talks with Cambodian Prime Minister "
            "Hun Manet in Phnom Penh on Tuesday. The two sides agreed to expand trade.\n")
UNITED_NATIONS = (" date 2024-04-09 Vietnam and Laos held talks in Vientiane on Tuesday. Both sides pledged "
                  "support for the United Nations and for cooperation in energy.\n")


def invoke(archive, *args, env=None, input=None):
    return CliRunner().invoke(main, ["--archive", str(archive), *args], env=env, input=input,
                              catch_exceptions=False)


@pytest.fixture
def seeded(archive_path):
    res = invoke(archive_path, "ingest", str(SEEDS))
    assert res.exit_code == 0, res.output
    return archive_path


def ids_of(archive) -> list[str]:
    return [json.loads(x)["id"] for x in Path(archive).read_text(encoding="utf-8").splitlines()]


# output contracts -------------------------------------------------------------

def test_show_and_eval_default_to_jsonl_when_piped(seeded, tmp_path):
    rid = ids_of(seeded)[0]
    out = invoke(seeded, "show", rid).output
    assert len(out.splitlines()) == 1 and json.loads(out)["id"] == rid
    dev = ROOT.parent / "shared" / "corpus" / "dev"
    if not dev.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (it is in CI)")
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("p001.txt", "p001.yaml"):
        shutil.copy(dev / name, gold / name)
    rows = [json.loads(x) for x in invoke(seeded, "eval", str(gold)).output.splitlines()]
    assert rows and {"field", "f1", "n"} <= set(rows[0])


def test_timeline_csv_has_a_referenced_column(seeded):
    out = invoke(seeded, "timeline", "vietnam", "cuba", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["date", "kind", "what", "place", "record", "referenced"]
    assert {r["referenced"] for r in rows} == {"True", "False"}
    assert all(r["referenced"] == str(r["kind"] == "referenced") for r in rows)
    assert not any("(referenced)" in r["record"] for r in rows)


@pytest.mark.parametrize("args", [["ingest", "--wait", "-5", "x"], ["list", "--limit", "0"],
                                  ["timeline", "VN", "CU", "--limit", "0"], ["reparse", "--wait", "-1"],
                                  ["summary", "VN", "CU", "--top", "0"]])
def test_numeric_options_refuse_nonsense(archive_path, args):
    res = invoke(archive_path, *args)
    assert res.exit_code == 2 and "Invalid value" in res.output


def test_shell_completion_is_clicks_and_documented():
    res = CliRunner().invoke(main, [], prog_name="relations", env={"_RELATIONS_COMPLETE": "bash_source"})
    assert "_relations_completion" in res.output
    assert "_RELATIONS_COMPLETE=bash_source relations" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path, synthetic_archive):
    path = tmp_path / "archive.jsonl"
    synthetic_archive(path, 300, seed=1, pool=30, variation=2)
    for fmt in ("table", "jsonl", "csv", "json"):
        cmd = (f"set -o pipefail; {sys.executable} -m relations --archive {path} list --format {fmt} | head -1")
        p = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and p.stderr == "", (fmt, p.stderr)


def test_packaging_metadata_is_an_spdx_license_with_a_setuptools_that_reads_it():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"
    assert "setuptools>=77" in meta["build-system"]["requires"]


# tables at any width ----------------------------------------------------------

def table_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln[:1] in "┃│┏┡└"]


@pytest.mark.parametrize("width", [80, 160])
def test_list_table_fits_and_never_breaks_ids_dates_or_words(seeded, width):
    out = invoke(seeded, "list", "--format", "table", env={"COLUMNS": str(width)}).output
    assert max(cell_len(ln) for ln in out.splitlines()) <= width
    recs = [json.loads(x) for x in seeded.read_text(encoding="utf-8").splitlines()]
    for r in recs:
        assert any(r["id"] in ln and r["date"] in ln for ln in table_lines(out))
    topics = {t for r in recs for t in r["topics"]}
    if width == 160:
        cells = " ".join(ln.split("│")[-2] for ln in table_lines(out) if ln.count("│") > 2)
        assert topics <= {w.strip(",") for w in cells.split()}  # every topic whole, none cut mid-word
    else:
        assert "not shown at this width: topics" in out  # dropped, not squeezed


def test_narrow_terminal_drops_columns_by_priority(seeded):
    out = invoke(seeded, "list", "--format", "table", env={"COLUMNS": "60"}).output
    header = next(ln for ln in out.splitlines() if ln.startswith("┃"))
    assert "id" in header and "title" in header and "topics" not in header
    assert max(cell_len(ln) for ln in out.splitlines()) <= 60


@pytest.mark.parametrize("width", [80, 160])
def test_timeline_table_at_width(seeded, width):
    out = invoke(seeded, "timeline", "VN", "CU", "--format", "table", env={"COLUMNS": str(width)}).output
    assert max(cell_len(ln) for ln in out.splitlines()) <= width
    rid = ids_of(seeded)[0]
    assert any(rid in ln for ln in table_lines(out))


def test_eval_per_file_is_readable_at_80_columns(tmp_path):
    gold = ROOT.parent / "shared" / "corpus" / "dev"
    if not gold.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout (it is in CI)")
    out = invoke(tmp_path / "a.jsonl", "eval", str(gold), "--per-file", "--format", "table",
                 env={"COLUMNS": "80"}).output
    lines = table_lines(out)
    assert max(cell_len(ln) for ln in out.splitlines()) <= 80
    assert "mean" in lines[1] and "below 1.0" in lines[1]
    assert sum(1 for ln in lines if "dev/p001.txt" in ln) == 1


# evidence without colour ------------------------------------------------------

MARKERS = ["[c:", "[p:", "[o:", "[t:", "[w:", "[a:", "[e:", "[d:", "[l:"]


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {}])
def test_show_marks_every_kind_of_evidence_in_plain_text(seeded, env):
    rid = next(i for i in ids_of(seeded) if i.startswith("2025-08-15"))
    out = invoke(seeded, "show", rid, "--format", "table", env=env).output
    assert "\x1b" not in out
    assert "Evidence: [c:…] country  [p:…] person" in out
    for m in MARKERS:
        assert m in out, m
    assert "[e:held talks] in [l:Hà Nội] [d:on Friday]" in out
    assert "[t:Minister of Public Security], General [p:Lương Tam Quang]" in out


def test_markers_nest_and_close_in_order(seeded):
    from relations.render.show import highlighted

    rec = next(json.loads(x) for x in seeded.read_text(encoding="utf-8").splitlines() if '"2025-08-15' in x)
    plain = highlighted(rec).plain
    depth = 0
    for i, ch in enumerate(plain):
        if ch == "[" and plain[i + 2:i + 3] in (":", ","):
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
    assert depth == 0
    assert highlighted(rec, marks=False).plain == rec["text"]


def test_show_no_text(seeded):
    rid = ids_of(seeded)[0]
    out = invoke(seeded, "show", rid, "--format", "table", "--no-text", "--no-pager").output
    assert "Persons" in out and "Evidence:" not in out and "\nText\n" not in out


def test_long_output_goes_through_the_pager_on_a_terminal(tmp_path, monkeypatch):
    from rich.console import Console

    from relations.render.pager import paged

    seen = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"sh -c 'cat > {seen}'")
    draw = lambda c: [c.print(f"line {i}") for i in range(50)]
    screen = io.StringIO()
    paged(draw, Console(file=screen, force_terminal=True, height=20, width=80, highlight=False))
    assert screen.getvalue() == "" and "line 49" in seen.read_text()
    seen.unlink()
    for enabled, term in ((False, True), (True, False)):  # --no-pager, or not a terminal
        screen = io.StringIO()
        paged(draw, Console(file=screen, force_terminal=term, height=20, width=80, highlight=False), enabled=enabled)
        assert "line 49" in screen.getvalue() and not seen.exists()
    screen = io.StringIO()
    paged(lambda c: c.print("short"), Console(file=screen, force_terminal=True, height=20, width=80, highlight=False))
    assert "short" in screen.getvalue() and not seen.exists()


# a timeline you can steer ----------------------------------------------------

def timeline_json(archive, *args):
    res = invoke(archive, "timeline", "VN", "CU", *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_timeline_kind_referenced_limit_and_order(seeded):
    everything = timeline_json(seeded)
    assert {e["kind"] for e in timeline_json(seeded, "--kind", "talks")} == {"talks"}
    assert {e["kind"] for e in timeline_json(seeded, "--kind", "signed")} == {"signed agreement"}
    both = timeline_json(seeded, "--kind", "talks", "--kind", "referenced")
    assert {e["kind"] for e in both} == {"talks", "referenced"}
    unref = timeline_json(seeded, "--no-referenced")
    assert unref == [e for e in everything if not e["referenced"]] and unref
    assert timeline_json(seeded, "--limit", "2") == everything[:2]
    assert timeline_json(seeded, "--newest") == everything[::-1]
    assert timeline_json(seeded, "--newest", "--limit", "1") == everything[-1:]
    res = invoke(seeded, "timeline", "VN", "CU", "--kind", "parade")
    assert res.exit_code == 1 and res.output.startswith("error: unknown kind 'parade'")


def test_timeline_by_year_gives_the_same_numbers_in_every_format(seeded):
    everything = timeline_json(seeded)
    per_year = timeline_json(seeded, "--by", "year")
    assert sum(p["total"] for p in per_year) == len(everything)
    assert [p["period"] for p in per_year] == sorted({e["date"][:4] for e in everything})
    rows = list(csv.DictReader(io.StringIO(invoke(seeded, "timeline", "VN", "CU", "--by", "year",
                                                  "--format", "csv").output)))
    assert [(r["period"], int(r["total"])) for r in rows] == [(p["period"], p["total"]) for p in per_year]
    for r, p in zip(rows, per_year):
        assert {k: int(v) for k, v in r.items() if k not in ("period", "total") and int(v)} == p["counts"]
    table = invoke(seeded, "timeline", "VN", "CU", "--by", "year", "--format", "table").output
    assert "█" in table and "2025" in table
    monthly = timeline_json(seeded, "--by", "month", "--no-referenced")
    assert [p["period"] for p in monthly] == ["2023-05", "2025-08"]


def test_one_country_twice_is_not_a_timeline(seeded):
    for args in (["timeline", "vietnam", "VNM"], ["timeline", "VN", "Việt Nam"], ["summary", "CU", "cuba"]):
        res = invoke(seeded, *args)
        assert res.exit_code == 1 and "the same country" in res.output and "Traceback" not in res.output


# the summary of a relation ----------------------------------------------------

def test_summary_library_function(seeded):
    from relations.summary import summarise

    recs = list(Archive(seeded).records())
    s = summarise(recs, "VNM", "CUB")
    assert s.records == 2
    assert [(y.year, y.records) for y in s.years if y.records] == [("2023", 1), ("2025", 1)]
    assert {c.name: c.count for c in s.event_types} == {"talks": 2, "signed agreement": 1}
    assert s.topics[0].count == 2
    assert {c.name: c.count for c in s.agreements}.get("signed") == 1
    assert any("Lázaro Alberto Álvarez Casas" in p.name and p.count == 2 for p in s.persons)
    assert summarise(recs, "VNM", "CUB", since="2024").records == 1
    assert summarise(recs, "VNM", "LAO").records == 0


def test_summary_command_in_every_format(seeded):
    data = json.loads(invoke(seeded, "summary", "VN", "CU", "--format", "json").output)[0]
    assert data["records"] == 2 and data["a"] == "VNM"
    rows = list(csv.DictReader(io.StringIO(invoke(seeded, "summary", "VN", "CU", "--format", "csv").output)))
    assert {"section": "records", "name": "all", "count": "2"} in rows
    for t in data["topics"]:
        assert {"section": "topics", "name": t["name"], "count": str(t["count"])} in rows
    table = invoke(seeded, "summary", "vietnam", "cuba", "--format", "table", env={"COLUMNS": "80"}).output
    assert "Vietnam – Cuba: 2 records" in table and "█" in table and "Persons met most often" in table
    assert max(cell_len(ln) for ln in table.splitlines()) <= 80
    since = json.loads(invoke(seeded, "summary", "VN", "CU", "--since", "2024", "--format", "json").output)[0]
    assert since["records"] == 1


# filters ----------------------------------------------------------------------

@pytest.fixture
def mixed(seeded, tmp_path):
    for name, text in (("cambodia.txt", CAMBODIA), ("un.txt", UNITED_NATIONS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert invoke(seeded, "ingest", str(tmp_path / name)).exit_code == 0
    return seeded


def list_ids(archive, *args):
    res = invoke(archive, "list", *args, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    return [json.loads(x)["id"] for x in res.output.splitlines()]


def test_party_event_agency_topic_sort_and_alpha2(mixed):
    recs = {r["id"]: r for r in Archive(mixed).records()}
    vn_cu = {i for i, r in recs.items() if r["parties"] == ["CUB", "VNM"]}
    assert set(list_ids(mixed, "--party", "VN", "--party", "CU")) == vn_cu
    assert set(list_ids(mixed, "--country", "VN")) == set(recs)
    assert list_ids(mixed, "--party", "KH") == [i for i, r in recs.items() if "KHM" in r["parties"]]
    assert set(list_ids(mixed, "--event", "talks")) == {i for i, r in recs.items() if r["event"]["type"] == "talks"}
    assert list_ids(mixed, "--agency", "vns") == [i for i in sorted(recs, reverse=True) if recs[i]["agency"] and "VNS" in recs[i]["agency"]]
    any_ = list_ids(mixed, "--topic", "trade", "--topic", "energy")
    all_ = list_ids(mixed, "--topic", "trade", "--topic", "cybersecurity", "--all-topics")
    assert set(any_) == {i for i, r in recs.items() if {"trade", "energy"} & set(r["topics"])}
    assert set(all_) == {i for i, r in recs.items() if {"trade", "cybersecurity"} <= set(r["topics"])}
    assert set(all_) < set(list_ids(mixed, "--topic", "trade"))
    newest = list_ids(mixed)
    assert list_ids(mixed, "--sort", "oldest") == newest[::-1]
    assert list_ids(mixed, "--sort", "id") == sorted(newest)
    assert list_ids(mixed, "--sort", "oldest", "--limit", "1") == newest[-1:]
    res = invoke(mixed, "list", "--event", "parade")
    assert res.exit_code == 1 and "unknown event type 'parade'" in res.output


def test_actor_matches_whole_words(mixed):
    recs = {r["id"]: r for r in Archive(mixed).records()}
    un = [i for i, r in recs.items() if any(a.get("name") == "United Nations" for a in r["actors"])]
    hun = [i for i, r in recs.items() if any(a.get("name") == "Hun Manet" for a in r["actors"])]
    assert un and hun
    got = set(list_ids(mixed, "--actor", "UN"))
    assert set(un) <= got and not set(hun) & got  # `un` is a word of neither `Hun Manet` nor `Cambodian`
    assert set(hun) <= set(list_ids(mixed, "--actor", "hun")) and set(hun) <= set(list_ids(mixed, "--actor", "HUN MANET"))
    assert not list_ids(mixed, "--actor", "man")  # part of a word is not a name


def test_index_and_scan_agree_on_every_filter(tmp_path, synthetic_archive, monkeypatch):
    path = tmp_path / "archive.jsonl"
    arch = synthetic_archive(path, 300, seed=5, pool=30, variation=3)
    F = filters_mod.Filters
    questions = [dict(filters=F(parties=("VNM", "CUB"))), dict(filters=F(events=("visit", "call"))),
                 dict(filters=F(agency="vns")), dict(filters=F(topics=("trade", "energy"))),
                 dict(filters=F(topics=("trade", "diplomacy"), all_topics=True)),
                 dict(filters=F(), actor="un"), dict(filters=F(), actor="minh"), dict(filters=F(), actor="nguyen van"),
                 dict(filters=F(parties=("VNM",)), sort="oldest", limit=5), dict(filters=F(), sort="id", limit=7),
                 dict(filters=F(topics=("trade",)), countries=["VNM"], since="2010")]

    def answers():
        return [[r["id"] for r in filters_mod.list_records(arch, lambda m: None, **q)] for q in questions]

    got = answers()
    assert index.index_path(arch).exists()
    monkeypatch.setenv(index.NO_INDEX_ENV, "1")
    assert answers() == got
    assert sum(1 for a in got if a) >= 8  # the questions find something


# ingest that respects time ----------------------------------------------------

def test_present_files_are_skipped_before_parsing(seeded, monkeypatch):
    calls = []
    real = ingest_mod.parse
    monkeypatch.setattr(ingest_mod, "parse", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    before = seeded.read_bytes()
    res = invoke(seeded, "ingest", str(SEEDS))
    assert res.output == "0 added, 2 already present, 0 failed\n" and calls == []
    assert seeded.read_bytes() == before
    invoke(seeded, "ingest", "--date", "2025-01-01", str(SEEDS))  # the user's date may make another record
    assert len(calls) == 2


def test_the_lock_is_not_held_while_parsing(tmp_path, archive_path, monkeypatch):
    free = []
    real = ingest_mod.parse
    lock = Archive(archive_path).lock_path

    def parse(*a, **k):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # would fail were ingest holding it
            fcntl.flock(fd, fcntl.LOCK_UN)
            free.append(True)
        finally:
            os.close(fd)
        return real(*a, **k)

    monkeypatch.setattr(ingest_mod, "parse", parse)
    invoke(archive_path, "ingest", str(SEEDS))
    assert invoke(archive_path, "ingest", str(SEEDS / SEED_A)).exit_code == 0
    assert free == [True, True] and len(ids_of(archive_path)) == 2


def test_suffixes_in_any_case_and_skipped_files_counted(tmp_path, archive_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_A, folder / "a.TXT")
    shutil.copy(SEEDS / SEED_B, folder / "b.Txt")
    (folder / "notes.md").write_text("not an article")
    (folder / ".hidden.txt").write_text("x")
    res = invoke(archive_path, "ingest", str(folder))
    assert res.exit_code == 0
    assert res.output == "2 added, 0 already present, 0 failed, 1 skipped (not an article suffix)\n"


def test_standard_input_is_one_article(archive_path):
    raw = (SEEDS / SEED_B).read_bytes()
    res = invoke(archive_path, "ingest", "-", input=raw)
    assert res.output == "1 added, 0 already present, 0 failed\n"
    rec = json.loads(archive_path.read_text(encoding="utf-8"))
    assert rec["source"]["path"] == "-" and rec["id"].startswith("2023-05-17")
    assert invoke(archive_path, "ingest", "-", input=raw).output == "0 added, 1 already present, 0 failed\n"


def test_parse_previews_without_writing(tmp_path):
    archive = tmp_path / "never.jsonl"
    res = invoke(archive, "parse", str(SEEDS / SEED_A), str(SEEDS / SEED_B))
    recs = [json.loads(x) for x in res.output.splitlines()]
    assert res.exit_code == 0 and [r["date"] for r in recs] == ["2025-08-15", "2023-05-17"]
    assert not archive.exists() and list(tmp_path.iterdir()) == []
    table = invoke(archive, "parse", "-", "--format", "table", input=(SEEDS / SEED_B).read_bytes()).output
    assert "id: 2023-05-17" in table and "[c:" in table
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    res = invoke(archive, "parse", str(bad))
    assert res.exit_code == 1 and "the file is empty" in res.output


def test_ctrl_c_says_how_many_records_were_stored(tmp_path, archive_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f" date 2024-01-0{i + 1} Laos and Vietnam held talks {i}.\n")
    real = ingest_mod.parse_file

    def parse_file(path, *a, **k):
        if path.endswith("3.txt"):
            raise KeyboardInterrupt
        return real(path, *a, **k)

    monkeypatch.setattr(ingest_mod, "parse_file", parse_file)
    out = ingest_mod.ingest([str(folder)], Archive(archive_path), batch=1)
    assert out.interrupted and out.added == 3 and len(ids_of(archive_path)) == 3
    res = invoke(archive_path, "ingest", str(folder))
    assert res.exit_code == 130
    assert res.output == "interrupted: 0 added, 3 already present, 0 failed (the 0 added are stored)\n"


def test_a_failed_write_still_says_how_many_were_stored(tmp_path, archive_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(f" date 2024-01-0{i + 1} Laos and Vietnam held talks {i}.\n")
    real = Archive.append_lines

    def append_lines(self, lines):  # the disk fills up after two whole lines
        real(self, list(lines)[:2])
        raise ArchiveError(f"{self.path}: cannot write (No space left on device)")

    monkeypatch.setattr(Archive, "append_lines", append_lines)
    res = invoke(archive_path, "ingest", str(folder))
    assert res.exit_code == 1
    assert "2 added, 0 already present, 0 failed" in res.output and "No space left on device" in res.output
    other = tmp_path / "other.jsonl"
    out = ingest_mod.ingest([str(folder)], Archive(other))
    assert out.added == 2 and "No space left" in out.error and len(ids_of(other)) == 2


def test_the_archive_is_the_same_whatever_the_jobs_and_batches(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (SEED_A, SEED_B):
        shutil.copy(SEEDS / name, folder / name)
    shutil.copy(SEEDS / SEED_A, folder / "zz_copy.txt")
    (folder / "zz_clash.txt").write_text(" date 2024-01-02 Laos and Vietnam held talks.\n")
    made = []
    for jobs, batch in ((1, 500), (2, 1), (1, 2)):
        path = tmp_path / f"a{jobs}{batch}.jsonl"
        s = ingest_mod.ingest([str(folder)], Archive(path), jobs=jobs, batch=batch)
        assert (s.added, s.present) == (3, 1)
        made.append(path.read_bytes())
    assert made[0] == made[1] == made[2]


def _on_a_terminal(args, env, rows=20):
    """Run relations with its output on a pseudo-terminal of `rows` lines; what reached the screen."""
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 100, 0, 0))
    p = subprocess.Popen([sys.executable, "-m", "relations", *args], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                         env={**{k: v for k, v in os.environ.items() if k != "COLUMNS"}, **env})
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    return p.returncode, out.decode("utf-8", "replace")


def test_show_pages_on_a_terminal_unless_told_not_to(seeded, tmp_path):
    rid = ids_of(seeded)[0]
    seen = tmp_path / "paged.txt"
    env = {"PAGER": f"sh -c 'cat > {seen}'", "NO_COLOR": "1"}
    code, screen = _on_a_terminal(["--archive", str(seeded), "show", rid], env)
    assert code == 0 and "[c:" in seen.read_text(encoding="utf-8") and "Evidence:" not in screen
    seen.unlink()
    code, screen = _on_a_terminal(["--archive", str(seeded), "show", rid, "--no-pager"], env)
    assert code == 0 and not seen.exists() and "Evidence:" in screen and "[c:" in screen
    code, screen = _on_a_terminal(["--archive", str(seeded), "show", rid, "--no-text"], env, rows=200)
    assert code == 0 and not seen.exists() and "Persons" in screen  # short enough for the screen


def test_a_table_follows_the_terminal(seeded):
    code, screen = _on_a_terminal(["--archive", str(seeded), "list"], {"NO_COLOR": "1"})
    lines = [ln.rstrip("\r") for ln in screen.splitlines() if ln.strip()]
    assert code == 0 and lines and max(cell_len(ln) for ln in lines) <= 100
    assert any("2025-08-15-46b756cf" in ln for ln in lines)
