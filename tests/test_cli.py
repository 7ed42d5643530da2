"""Every command through click's CliRunner: exit codes and output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import relations
from conftest import SEEDS
from relations.cli import main

SEED_A = "000_8d0f82977c284667.txt"   # 2025-08-15, talks in Hà Nội, signed cybersecurity agreement
SEED_B = "004_e09393c693991b1a.txt"   # 2023-05-17, PM Chính meets the Cuban interior minister


@pytest.fixture
def run(archive_path):
    runner = CliRunner()

    def _run(*args, **kw):
        return runner.invoke(main, ["--archive", str(archive_path), *args], catch_exceptions=False, **kw)

    return _run


@pytest.fixture
def filled(run):
    res = run("ingest", str(SEEDS))
    assert res.exit_code == 0, res.output
    return run


def test_ingest_reports_summary_and_is_idempotent(run, archive_path):
    res = run("ingest", str(SEEDS))
    assert res.exit_code == 0
    assert "2 added, 0 already present, 0 failed" in res.output
    again = run("ingest", str(SEEDS / SEED_A))
    assert "0 added, 1 already present, 0 failed" in again.output
    assert len(archive_path.read_text().splitlines()) == 2


def test_same_text_under_another_name_adds_nothing(run, tmp_path):
    copy = tmp_path / "renamed.txt"
    shutil.copy(SEEDS / SEED_B, copy)
    run("ingest", str(SEEDS))
    res = run("ingest", str(copy))
    assert "0 added, 1 already present" in res.output


def test_ingest_bad_file_is_named_and_others_go_in(run, tmp_path, archive_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_A, folder / "good.txt")
    (folder / "nodate.txt").write_text("Ministers met to talk about rice and friendship.\n")
    res = run("ingest", str(folder))
    assert res.exit_code == 1
    assert "nodate.txt" in res.output and "--date" in res.output
    assert "1 added, 0 already present, 1 failed" in res.output
    assert len(archive_path.read_text().splitlines()) == 1


def test_ingest_date_option_supplies_missing_date(run, tmp_path):
    f = tmp_path / "undated.txt"
    f.write_text("HANOI — Vietnamese Prime Minister Pham Minh Chinh held talks with Cuban Prime Minister "
                 "Manuel Marrero Cruz in Hanoi on Tuesday.\n")
    res = run("ingest", "--date", "2024-03-14", str(f))
    assert res.exit_code == 0, res.output
    out = run("list", "--format", "json")
    rec = json.loads(out.output)[0]
    assert rec["date"] == "2024-03-14"
    assert rec["event"]["date"] == "2024-03-12"
    assert rec["date_how"] == "given with --date"


def test_ingest_rejects_malformed_date_option(run):
    res = run("ingest", "--date", "14/03/2024", str(SEEDS))
    assert res.exit_code == 1
    assert "error: --date '14/03/2024' is not a date" in res.output


def test_list_newest_first_and_filters(filled):
    rows = json.loads(filled("list", "--format", "json").output)
    assert [r["date"] for r in rows] == ["2025-08-15", "2023-05-17"]
    since = json.loads(filled("list", "--since", "2024", "--format", "json").output)
    assert [r["date"] for r in since] == ["2025-08-15"]
    until = json.loads(filled("list", "--until", "2023-05", "--format", "json").output)
    assert [r["date"] for r in until] == ["2023-05-17"]
    by_topic = json.loads(filled("list", "--topic", "consular", "--format", "json").output)
    assert [r["date"] for r in by_topic] == ["2023-05-17"]
    by_actor = json.loads(filled("list", "--actor", "luong tam", "--format", "json").output)
    assert [r["date"] for r in by_actor] == ["2025-08-15"]
    both = json.loads(filled("list", "--country", "Việt Nam", "--country", "cuban", "--format", "json").output)
    assert len(both) == 2
    none = json.loads(filled("list", "--country", "Japan", "--format", "json").output)
    assert none == []
    limited = json.loads(filled("list", "--limit", "1", "--format", "json").output)
    assert len(limited) == 1


def test_list_errors_are_one_line(filled):
    for args, msg in ((("--since", "2023-13"), "--since '2023-13' is not a date"),
                      (("--country", "Atlantis"), "unknown country 'Atlantis'"),
                      (("--topic", "weather"), "unknown topic 'weather'")):
        res = filled("list", *args)
        assert res.exit_code == 1
        assert res.output.strip().splitlines() == [f"error: {msg}" + res.output.split(msg, 1)[1].splitlines()[0]]


def test_list_formats(filled):
    jl = filled("list", "--format", "jsonl").output.strip().splitlines()
    assert len(jl) == 2 and json.loads(jl[0])["id"].startswith("2025-08-15-")
    csv_out = filled("list", "--format", "csv").output.splitlines()
    assert csv_out[0] == "id,date,event,parties,title,topics"
    assert len(csv_out) == 3
    table = filled("list", "--format", "table").output
    assert "CUB–VNM" in table and "2023-05-17" in table


def test_show_by_prefix_and_errors(filled):
    rid = json.loads(filled("list", "--format", "json").output)[0]["id"]
    res = filled("show", rid[:13], "--format", "table")
    assert res.exit_code == 0
    out = res.output
    for expected in ("Lương Tam Quang", "Minister of Public Security", "Ministry of Public Security",
                     "cybersecurity", "[signed] agreement", "2024-09", "talks on 2025-08-15 in Hà Nội"):
        assert expected in out
    as_json = json.loads(filled("show", rid, "--format", "json").output)
    assert as_json[0]["id"] == rid
    missing = filled("show", "1999")
    assert missing.exit_code == 1 and missing.output.startswith("error: no record with id '1999'")
    ambiguous = filled("show", "20")
    assert ambiguous.exit_code == 1
    assert "id prefix '20' matches 2 records" in ambiguous.output and "2023-05-17-" in ambiguous.output and "2025-08-15-" in ambiguous.output


def test_timeline_vietnam_cuba(filled):
    res = filled("timeline", "vietnam", "cuba", "--format", "json")
    assert res.exit_code == 0
    entries = json.loads(res.output)
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates)
    for d in ("1963", "1973", "2023-05-16", "2024-09", "2025-08-15"):
        assert d in dates
    talks = [e for e in entries if e["date"] == "2023-05-16"]
    assert talks[0]["kind"] == "talks" and talks[0]["place"] == "Hà Nội"
    signed = [e for e in entries if e["kind"] == "signed agreement"]
    assert signed and signed[0]["date"] == "2025-08-15" and "cooperation agreement" in signed[0]["what"]
    referenced = [e for e in entries if e["date"] == "1963"]
    assert referenced[0]["referenced"] is True
    since = json.loads(filled("timeline", "VNM", "Cuban", "--since", "2024", "--format", "json").output)
    assert min(e["date"] for e in since) >= "2024"


def test_timeline_of_a_pair_with_no_records(filled):
    res = filled("timeline", "japan", "cuba", "--format", "json")
    assert res.exit_code == 0 and json.loads(res.output) == []


def test_check_clean_archive(filled):
    res = filled("check")
    assert res.exit_code == 0
    assert "2 lines checked, 0 problems" in res.output


def test_version_and_help():
    runner = CliRunner()
    assert "relations, version" in runner.invoke(main, ["--version"]).output
    out = runner.invoke(main, ["--help"]).output
    for cmd in ("ingest", "list", "show", "timeline", "eval", "check"):
        assert cmd in out


def test_archive_env_variable(tmp_path, monkeypatch):
    target = tmp_path / "env.jsonl"
    monkeypatch.setenv("RELATIONS_ARCHIVE", str(target))
    res = CliRunner().invoke(main, ["ingest", str(SEEDS / SEED_B)])
    assert res.exit_code == 0
    assert target.exists() and len(target.read_text().splitlines()) == 1


# what a short command imports --------------------------------------------------------------------------------------

def python(code: str, *args: str, env: dict | None = None) -> list[str]:
    """The lines a fresh interpreter prints running `code` (with `args` as its command line)."""
    e = {**os.environ, **(env or {})}
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=e, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


RUN = """
import sys
from relations.__main__ import main
sys.argv = ["relations", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("loaded:", *[m for m in (%s) if m in sys.modules])
"""


def loaded(modules: tuple[str, ...], *args: str, env: dict | None = None) -> tuple[list[str], set[str]]:
    lines = python(RUN % ", ".join(repr(m) for m in modules), *args, env=env)
    return lines[:-1], set(lines[-1].split()[1:])


HEAVY = ("rich", "orjson", "yaml", "pycountry", "sqlite3", "tempfile", "concurrent.futures", "multiprocessing",
         "ahocorasick", "csv", "relations.parser", "relations.store.archive")


def test_version_answers_before_the_command_line_is_loaded():
    out, mods = loaded(HEAVY + ("click", "relations.cli"), "--version")
    assert out == CliRunner().invoke(main, ["--version"]).output.splitlines()
    assert mods == set()
    got = subprocess.run([sys.executable, "-m", "relations", "--version"], capture_output=True, text=True)
    assert got.returncode == 0 and got.stdout == CliRunner().invoke(main, ["--version"]).output


def _click_help(width: int) -> list[str]:
    return CliRunner().invoke(main, ["--help"], prog_name="relations", terminal_width=width).output.splitlines()


def test_shipped_help_is_clicks_own_output():
    from relations.__main__ import HELP_WIDTH
    from relations.cli import archive_epilog
    from relations.store.location import chosen_archive

    shipped = Path(relations.__file__).parent / "data" / "help.txt"
    clicks = CliRunner().invoke(main, ["--help"], prog_name="relations", terminal_width=HELP_WIDTH - 2).output
    assert shipped.read_text(encoding="utf-8") + archive_epilog(chosen_archive()) == clicks, "run scripts/update_help.py"


def test_help_answers_before_the_command_line_is_loaded():
    out, mods = loaded(HEAVY + ("click", "relations.cli"), "--help", env={"COLUMNS": "120"})
    assert out == _click_help(78)
    for cmd in ("ingest", "list", "show", "timeline", "eval", "check", "reparse", "delete"):
        assert any(line.split()[:1] == [cmd] for line in out), cmd
    assert mods == set()


def test_help_on_a_narrow_terminal_is_wrapped_by_click():
    out, mods = loaded(HEAVY + ("click",), "-h", env={"COLUMNS": "60"})
    assert out == _click_help(58)
    assert mods == {"click"}


def test_one_article_is_ingested_without_a_pool_or_the_yaml_reader(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    archive = tmp_path / "a.jsonl"
    watch = ("concurrent.futures", "multiprocessing", "rich", "yaml", "pycountry", "tempfile")
    out, mods = loaded(watch, "--archive", str(archive), "ingest", str(SEEDS / SEED_A), env=env)
    assert out == ["1 added, 0 already present, 0 failed"]
    assert {"yaml", "pycountry"} <= mods  # the first run reads the dictionaries and caches them
    assert not mods & {"concurrent.futures", "multiprocessing", "rich"}
    out, mods = loaded(watch, "--archive", str(archive), "ingest", "--jobs", "2", str(SEEDS / SEED_B), env=env)
    assert out == ["1 added, 0 already present, 0 failed"]
    assert mods == set()


def _cmd(*args: str, **kw) -> subprocess.CompletedProcess:
    """The installed entry point's path: `python -m relations` runs `relations.__main__.run`."""
    return subprocess.run([sys.executable, "-m", "relations", *args], capture_output=True, text=True, timeout=120, **kw)


def test_the_fast_exit_keeps_output_exit_codes_and_a_whole_archive(tmp_path):
    archive = str(tmp_path / "a.jsonl")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02")
    got = _cmd("--archive", archive, "ingest", str(SEEDS), str(bad))
    assert got.returncode == 1
    assert got.stdout == "2 added, 0 already present, 1 failed\n"
    assert "failed" in got.stderr and "bad.txt" in got.stderr and "Traceback" not in got.stderr
    listed = _cmd("--archive", archive, "list", "--format", "jsonl")
    assert listed.returncode == 0
    assert listed.stdout == CliRunner().invoke(main, ["--archive", archive, "list", "--format", "jsonl"]).output
    assert len(listed.stdout.splitlines()) == 2
    assert _cmd("--archive", archive, "check").returncode == 0
    missing = _cmd("--archive", archive, "show", "nope")
    assert missing.returncode == 1 and missing.stderr.startswith("error: no record with id 'nope'")


def test_the_fast_exit_is_quiet_when_the_reader_stops_early(tmp_path):
    shipped = [json.loads(line) for line in (SEEDS.parent / "examples" / "archive.jsonl").read_text().splitlines()]
    archive = tmp_path / "a.jsonl"
    with archive.open("w", encoding="utf-8") as fh:  # far more than a pipe holds
        for i in range(300):
            for rec in shipped:
                fh.write(json.dumps(dict(rec, id=f"{rec['id']}-{i}")) + "\n")
    p = subprocess.Popen([sys.executable, "-m", "relations", "--archive", str(archive), "list", "--format", "jsonl"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0
    assert "Traceback" not in err and "Exception ignored" not in err
