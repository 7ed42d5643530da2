"""Saved web pages in: the story, title and date of a page, without its chrome, through the same parser."""

from __future__ import annotations

import json
import re
import sys

import pytest
from click.testing import CliRunner

from conftest import CORPUS, ROOT, bench_module, needs_corpus

pytest.importorskip("trafilatura", reason="the web extra is not installed (pip install 'relations[web]')")

from relations.article import html
from relations.article.reader import read_article
from relations.cli import main
from relations.errors import InputError
from relations.parser import parse
from relations.parser.header import split_header

PAGES = ROOT / "tests" / "fixtures" / "pages"
CHROME = ["cookie", "Accept all", "Related stories", "Most read", "Subscribe", "All rights reserved", "Privacy",
          "Share on", "Nigeria and Benin", "Cocoa prices", "Podcasts", "Comments", "long overdue", "Latest news",
          "Advertisement", "More from Nordic Wire", "Ferry strike", "Tags:", "Read more"]


def page_record(name: str, **kw) -> dict:
    path = str(PAGES / name)
    art = html.page_article((PAGES / name).read_bytes(), path)
    return parse(art.text, art.source, **kw)


def ingest(archive, *args):
    return CliRunner().invoke(main, ["--archive", str(archive), "ingest", *args])


def test_the_story_without_the_chrome():
    rec = page_record("accra-trade-pact.html")
    assert rec["text"].startswith("Ghana and Kenya sign trade pact to cut farm tariffs\n\nACCRA — Ghanaian President")
    assert rec["text"].endswith("before the end of the year.")
    for word in CHROME:
        assert word not in rec["text"], word
    assert "signing ceremony" not in rec["text"]   # the photo caption


def test_date_title_and_source_of_a_page():
    rec = page_record("accra-trade-pact.html")
    assert (rec["date"], rec["date_how"]) == ("2024-03-12", "header")
    assert rec["title"] == "Ghana and Kenya sign trade pact to cut farm tariffs"
    src = rec["source"]
    assert src["title"] == "Ghana and Kenya sign trade pact to cut farm tariffs"
    assert src["name"] == "accra-trade-pact.html" and src["path"].endswith("pages/accra-trade-pact.html")
    from hashlib import sha256

    assert src["sha256"] == sha256((PAGES / "accra-trade-pact.html").read_bytes()).hexdigest()


def test_the_parser_reads_the_page_as_it_reads_a_text_file():
    rec = page_record("accra-trade-pact.html")
    assert rec["parties"] == ["GHA", "KEN"] and rec["dateline"] == "ACCRA"
    persons = {a["name"]: a for a in rec["actors"] if a["kind"] == "person"}
    assert set(persons) == {"John Mahama", "William Ruto"}
    assert persons["William Ruto"]["country"] == "KEN"
    assert (rec["event"]["type"], rec["event"]["date"], rec["event"]["place"]) == ("signing", "2024-03-12", "Accra")
    for a in rec["actors"]:
        for s, e in a["spans"]:
            assert a["name"].split()[-1] in rec["text"][s:e] or a["kind"] == "country"


def test_date_from_json_ld_and_comments_left_out():
    rec = page_record("santiago-ministers.html")
    assert rec["date"] == "2023-10-05"   # datePublished, not dateModified
    assert rec["parties"] == ["CHL", "PER"]
    assert {a["name"] for a in rec["actors"] if a["kind"] == "person"} == {
        "Alberto van Klaveren", "Javier González-Olaechea"}
    assert [a["kind"] for a in rec["agreements"]] == ["memorandum"]
    for word in CHROME:
        assert word not in rec["text"], word
    assert rec["source"]["title"] == "Chile and Peru foreign ministers agree to renew border commission"


def test_a_page_with_no_date_needs_the_date_option():
    with pytest.raises(Exception, match="no publication date"):
        page_record("undated-oslo-aid.html")
    rec = page_record("undated-oslo-aid.html", default_date="2024-02-07")
    assert (rec["date"], rec["date_how"]) == ("2024-02-07", "given with --date")
    assert rec["parties"] == ["MOZ", "NOR"]


def test_a_copyright_year_is_not_a_publication_date():
    raw = (PAGES / "undated-oslo-aid.html").read_bytes().replace(b"All rights reserved", b"\xc2\xa9 2024")
    assert b"2024" in raw
    assert html.extract(raw, "x.html").date is None


def test_a_date_written_on_the_page_is_found_by_htmldate():
    raw = (PAGES / "undated-oslo-aid.html").read_bytes().replace(
        b"<h1>", b'<div class="dateline">Published 7 February 2024, 10:42</div><h1>')
    assert html.extract(raw, "x.html").date == "2024-02-07"


def test_a_page_with_no_story_is_refused():
    with pytest.raises(InputError, match=r"x\.html: no story found on the page"):
        html.page_article((PAGES / "section-front.html").read_bytes(), "x.html")


@pytest.mark.parametrize("raw, reason", [(b"", "the page is empty"), (b" \n\t", "the page is empty"),
                                         (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file (binary data)"),
                                         (b"<html><body></body></html>", "no story found on the page")])
def test_bad_pages(raw, reason):
    with pytest.raises(InputError, match=re.escape(f"bad.html: {reason}")):
        html.page_article(raw, "bad.html")


def test_ingest_a_folder_of_pages_and_text(tmp_path):
    folder = tmp_path / "saved"
    folder.mkdir()
    for name in ("accra-trade-pact.html", "santiago-ministers.html", "section-front.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "undated.htm").write_bytes((PAGES / "undated-oslo-aid.html").read_bytes())
    (folder / "seed.txt").write_bytes(next((ROOT / "seeds").glob("*.txt")).read_bytes())
    (folder / "notes.md").write_text("not an article")
    archive = tmp_path / "a.jsonl"
    res = ingest(archive, str(folder))
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert f"failed {folder / 'section-front.html'}: no story found on the page (no paragraph of running text)" in lines
    assert any(line.startswith(f"failed {folder / 'undated.htm'}: no publication date") for line in lines)
    assert lines[-1] == "3 added, 0 already present, 2 failed, 1 skipped (not an article suffix)"
    names = sorted(json.loads(x)["source"]["name"] for x in archive.read_text().splitlines())
    assert names == ["accra-trade-pact.html", "santiago-ministers.html", "seed.txt"]
    res = ingest(archive, "--date", "2024-02-07", str(folder / "undated.htm"), str(folder / "accra-trade-pact.html"))
    assert res.exit_code == 0 and res.output.splitlines()[-1] == "1 added, 1 already present, 0 failed"


def test_a_text_record_has_no_source_title(seed_records):
    assert all(set(r["source"]) == {"path", "name", "sha256"} for r in seed_records.values())


def test_missing_web_extra_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)   # as if it were not installed
    page = tmp_path / "p.html"
    page.write_bytes((PAGES / "accra-trade-pact.html").read_bytes())
    res = ingest(tmp_path / "a.jsonl", str(page))
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output == ("error: reading web pages needs the 'web' extra (trafilatura is not installed): "
                          "pip install 'relations[web]'\n")


def _corpus_pages():
    """Every dev article with a date, as (its text record, the same story made into a news page)."""
    pages = bench_module("pages")
    for n, txt in enumerate(sorted((CORPUS / "dev").glob("*.txt"))):
        art = read_article(str(txt))
        rec = parse(art.text, art.source, default_date="2020-01-01")
        head = split_header(art.text)
        lines = [line.strip() for line in art.text[head.body_start:].split("\n") if line.strip()]
        # the page's headline is the text's own headline when it has one, else a section name
        title = rec["title"] if rec["title"] == " ".join(lines[0].split()) else "World news"
        day = head.date if head.date and len(head.date) == 10 else None   # a page's metadata states a day
        yield txt.name, rec, pages.news_page(title, day, lines, seed=n).encode("utf-8")


def _people_and_countries(rec: dict) -> tuple[list, list]:
    return (sorted(a["name"] for a in rec["actors"] if a["kind"] == "person"),
            sorted(a["code"] for a in rec["actors"] if a["kind"] == "country"))


@needs_corpus
def test_corpus_articles_as_pages_keep_their_persons_and_countries():
    checked = 0
    for name, rec, raw in _corpus_pages():
        art = html.page_article(raw, f"{name}.html")
        got = parse(art.text, art.source, default_date="2020-01-01")
        assert _people_and_countries(got) == _people_and_countries(rec), name
        if rec["date_how"] == "header" and len(rec["date"]) == 10:
            assert (got["date"], got["date_how"]) == (rec["date"], "header"), name
        assert "Accept all cookies" not in got["text"] and "Most read" not in got["text"], name
        checked += 1
    assert checked >= 40


def test_title_without_open_graph_or_one_headline():
    raw = (PAGES / "undated-oslo-aid.html").read_bytes().replace(b"<h1>", b"<h2>").replace(b"</h1>", b"</h2>")
    page = html.extract(raw, "x.html")
    assert page.title == "Norway pledges flood aid to Mozambique"   # the <title>, without the site's name
    assert html.article_text(page).startswith("Norway pledges flood aid to Mozambique\n\nOSLO — Norway will")


def test_a_page_record_survives_reparse(tmp_path):
    archive = tmp_path / "a.jsonl"
    assert ingest(archive, str(PAGES / "accra-trade-pact.html")).exit_code == 0
    before = archive.read_text()
    res = CliRunner().invoke(main, ["--archive", str(archive), "reparse"])
    assert res.exit_code == 0 and res.output == "1 records re-parsed, 0 changed, 0 kept as they were\n"
    assert archive.read_text() == before
