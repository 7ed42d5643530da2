"""Untrusted text reaching the terminal and other tools: shown literally, never run."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from relations.cli import main
from relations.errors import DictionaryError
from relations.render.output import safe_cell, visible
from relations.render.show import highlighted

EVIL = (" date 2024-03-05 [bold red]ALERT[/bold red] \x1b[31mNEWS\x1b[0m Vietnam and Laos held talks in Hanoi "
        "[link=http://evil.example]here[/link].\x07\n\n"
        "The two sides signed an agreement on trade.\x1b]0;pwned\x07 \u202eevil\u202c\n")


@pytest.fixture
def evil(tmp_path, archive_path):
    p = tmp_path / "evil.txt"
    p.write_text(EVIL, encoding="utf-8")
    res = CliRunner().invoke(main, ["--archive", str(archive_path), "ingest", str(p)])
    assert res.exit_code == 0, res.output
    return json.loads(archive_path.read_text(encoding="utf-8"))


def run(archive_path, *args):
    res = CliRunner().invoke(main, ["--archive", str(archive_path), *args])
    assert res.exit_code == 0, res.output
    return res.output


def no_terminal_codes(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def column(out: str, index: int) -> str:
    """One column of a rich table, its folded lines joined without spaces."""
    cells = [line.split("│")[index] for line in out.splitlines() if line.count("│") > index]
    return "".join("".join(cells).split())


def test_the_archive_keeps_the_text_as_it_was(evil):
    assert evil["text"] == EVIL[len(" date 2024-03-05 "):]


def test_list_table_shows_markup_and_escapes_literally(archive_path, evil):
    out = run(archive_path, "list", "--format", "table")
    no_terminal_codes(out)
    assert "[boldred]ALERT[/boldred]\\x1b[31mNEWS\\x1b[0mVietnamandLaos" in column(out, 5)


def test_timeline_table_shows_them_literally(archive_path, evil):
    out = run(archive_path, "timeline", "Vietnam", "Laos", "--format", "table")
    no_terminal_codes(out)
    assert "[boldred]ALERT[/boldred]\\x1b[31mNEWS\\x1b[0mVietnam" in column(out, 3)


def test_show_table_shows_them_literally(archive_path, evil):
    out = run(archive_path, "show", evil["id"], "--format", "table")
    no_terminal_codes(out)
    assert out.splitlines()[0] == ("[bold red]ALERT[/bold red] \\x1b[31mNEWS\\x1b[0m Vietnam and Laos held talks in "
                                   "Hanoi [link=http://evil.example]here[/link].\\x07")
    assert "The two sides signed an agreement on trade.\\x1b]0;pwned\\x07 \\u202eevil\\u202c" in out


def test_machine_formats_escape_control_characters_as_json_does(archive_path, evil):
    out = run(archive_path, "list", "--format", "jsonl")
    assert "\x1b" not in out and "\x07" not in out
    assert json.loads(out)["text"] == evil["text"]


def test_highlighting_stays_on_its_words_after_control_characters(evil):
    t = highlighted(evil)
    no_terminal_codes(t.plain)
    styled = {t.plain[s.start:s.end] for s in t.spans if s.style == "bold green"}
    assert styled == {"Vietnam", "Laos"}
    assert "\\x07" in t.plain  # the bell is shown, not dropped (dropping it would shift every later span)


def test_visible():
    assert visible("a\x1b[2Jb\x00c\x7f\u202ed\te\nf") == "a\\x1b[2Jb\\x00c\\x7f\\u202ed\te\nf"


@pytest.mark.parametrize("cell,expected", [
    ("=1+2", "'=1+2"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("plain", "plain"), ("a=b", "a=b"),
])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(cell, expected):
    assert safe_cell(cell) == expected


def test_csv_output_neutralises_formulas(tmp_path, archive_path):
    p = tmp_path / "formula.txt"
    p.write_text(' date 2024-03-05 =HYPERLINK("http://evil.example","x") Vietnam and Laos held talks.\n')
    assert CliRunner().invoke(main, ["--archive", str(archive_path), "ingest", str(p)]).exit_code == 0
    for cmd in (["list"], ["show", "2024"], ["timeline", "Vietnam", "Laos"]):
        out = run(archive_path, *cmd, "--format", "csv")
        rows = list(csv.reader(io.StringIO(out)))
        cells = [c for r in rows[1:] for c in r]
        assert any(c.startswith("'=HYPERLINK") for c in cells), cmd
        assert not any(c[:1] in "=+-@" for c in cells if c), cmd


# YAML dictionaries ----------------------------------------------------------------------------------------------

def dictionary_error(tmp_path, name, text):
    from relations.knowledge import loader as knowledge

    d = tmp_path / "dicts"
    d.mkdir(exist_ok=True)
    (d / name).write_text(text)
    knowledge._load_cached.cache_clear()
    with pytest.raises(DictionaryError) as exc:
        knowledge.load([d])
    return str(exc.value), d / name


def test_yaml_is_loaded_safely(tmp_path):
    msg, f = dictionary_error(tmp_path, "topics.yaml", 'topics: !!python/object/apply:os.system ["echo pwned"]\n')
    assert msg == (f"{f}:1: not valid YAML: could not determine a constructor for the tag "
                   "'tag:yaml.org,2002:python/object/apply:os.system'")


def test_malformed_yaml_names_file_and_line(tmp_path):
    msg, f = dictionary_error(tmp_path, "topics.yaml", "topics:\n  - id: a\n    keywords: [x\n")
    assert msg.startswith(f"{f}:4: not valid YAML: ")


@pytest.mark.parametrize("name,text,message", [
    ("countries.yaml", "VNM:\n  aliases: [Viet]\nLAO: [Lao PDR]\n",
     ":3: key 'LAO' must be a mapping (aliases, demonyms, ...), not a list"),
    ("topics.yaml", "topics:\n  - id: a\n    keywords: [x]\n  - label: no id\n", ":4: key 'topics[1]' needs an 'id'"),
    ("topics.yaml", "# my topics\ntopics: {a: 1}\n", ":2: key 'topics' must be a list, not a mapping"),
])
def test_a_wrongly_shaped_dictionary_names_file_line_and_key(tmp_path, name, text, message):
    msg, f = dictionary_error(tmp_path, name, text)
    assert msg == f"{f}{message}"


def test_a_malformed_dictionary_is_one_line_on_the_command_line(tmp_path, archive_path):
    d = tmp_path / "dicts"
    d.mkdir()
    (d / "countries.yaml").write_text("LAO: [Lao PDR]\n")
    from relations.knowledge import loader as knowledge

    knowledge._load_cached.cache_clear()
    res = CliRunner().invoke(main, ["--archive", str(archive_path), "--dictionaries", str(d), "ingest", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output == f"error: {d / 'countries.yaml'}:1: key 'LAO' must be a mapping (aliases, demonyms, ...), not a list\n"
    assert not archive_path.exists()
