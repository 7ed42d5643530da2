"""`timeline --format html`: one self-contained page, read back by an HTML parser and by a real browser."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEEDS
from relations.cli import main
from relations.render import page


class Page(HTMLParser):
    """Every start tag with its attributes, the text inside each entry, and the text of the whole page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.entries: list[dict] = []
        self.stack: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "li" and "entry" in (a.get("class") or "").split():
            self.entries.append({"attrs": a, "text": [], "tags": []})
        elif self.entries:
            self.entries[-1]["tags"].append((tag, a))

    def handle_data(self, data):
        self.text.append(data)
        if self.entries:
            self.entries[-1]["text"].append(data)


@pytest.fixture(scope="module")
def seeds_page(tmp_path_factory):
    archive = tmp_path_factory.mktemp("page") / "archive.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["--archive", str(archive), "ingest", str(SEEDS)]).exit_code == 0
    res = runner.invoke(main, ["--archive", str(archive), "timeline", "vietnam", "cuba", "--format", "html"])
    assert res.exit_code == 0, res.output
    return res.output


def test_one_entry_per_timeline_entry_in_order(seeds_page):
    p = Page(seeds_page)
    kinds = [(e["attrs"]["data-kind"], e["attrs"]["class"]) for e in p.entries]
    assert kinds == [("referenced", "entry referenced"), ("referenced", "entry referenced"), ("talks", "entry event"),
                     ("referenced", "entry referenced"), ("talks", "entry event"),
                     ("signed agreement", "entry signed")]
    dates = [t[1]["datetime"] for e in p.entries for t in e["tags"] if t[0] == "time"]
    assert dates == ["1963", "1973", "2023-05-16", "2024-09", "2025-08-15", "2025-08-15"]
    years = [t[1] for t in p.tags if t[0] == "li" and t[1].get("class") == "year"]
    assert len(years) == 5


def test_each_entry_names_its_source_and_folds_its_evidence(seeds_page):
    p = Page(seeds_page)
    for e in p.entries:
        text = "".join(e["text"])
        assert "VNS" in text and ".txt" in text and e["attrs"]["data-record"] in text
        tags = [t for t, _ in e["tags"]]
        assert "details" in tags and "summary" in tags and "mark" in tags
    talks = "".join(p.entries[2]["text"])
    assert "in Hà Nội" in talks and "most recent Tuesday" in talks
    recalled = "".join(p.entries[0]["text"])
    assert "recalled by an article of 17 May 2023" in recalled and "60th anniversary counted back" in recalled


def test_self_contained(seeds_page):
    p = Page(seeds_page)
    tags = {t for t, _ in p.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert all(not (a.get("src") or a.get("href")) for _, a in p.tags)
    assert "url(" not in seeds_page and "@import" not in seeds_page
    assert "http:" not in seeds_page and "https:" not in seeds_page and "//" not in seeds_page
    csp = [a for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quotes" \x1b[31m'


def test_every_article_text_is_escaped():
    rec = {"id": "2024-01-02-abc", "date": "2024-01-02", "agency": "<b>AG</b>",
           "source": {"name": 'x"><script>.txt'}, "text": "They met. " + HOSTILE + " in town.",
           "event": {"type": "talks", "date": "2024-01-01", "place": "<i>Town</i>", "date_how": "<u>how</u>",
                     "evidence": {"type": [10, 30]}}}
    entries = [{"date": "2024-01-01", "kind": "talks", "what": HOSTILE, "place": "<i>Town</i>",
                "record": rec["id"], "referenced": False}]
    html = page.document(entries, title="<Land> – Other", sources={rec["id"]: rec})
    p = Page(html)
    assert {t for t, _ in p.tags}.isdisjoint({"script", "img", "b", "i", "u"})
    assert all(not any(k.startswith("on") for k in a) for _, a in p.tags)
    text = "".join(p.text)
    assert "<script>alert(1)</script>" in text and "<i>Town</i>" in text and "<Land> – Other" in text
    assert "\x1b" not in html and "\\x1b[31m" in text


def test_empty_timeline_is_a_page_too():
    p = Page(page.document([], title="A – B"))
    assert p.entries == [] and "nothing found" in "".join(p.text)


def test_passage_marks_the_spans():
    text = "First sentence here. The ministers signed a memorandum on trade in the capital. Then they all had a long lunch together."
    s = text.index("signed")
    passage, marks = page.passage(text, [(s, s + 6), (text.index("capital"), text.index("capital") + 7)], context=20)
    assert [passage[a:b] for a, b in marks] == ["signed", "capital"]
    assert passage.startswith("… ") and passage.endswith(" …")


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no headless browser installed (apt-get install chromium)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def browse(html_file: Path, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([BROWSER, *FLAGS, f"--user-data-dir={profile}", *extra, html_file.as_uri()],
                              capture_output=True, timeout=120)


@needs_browser
def test_browser_renders_a_screenshot(seeds_page, tmp_path):
    html = tmp_path / "timeline.html"
    html.write_text(seeds_page, encoding="utf-8")
    png = tmp_path / "timeline.png"
    res = browse(html, "--window-size=1100,1400", f"--screenshot={png}")
    assert res.returncode == 0, res.stderr[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1100, 1400)
    assert len(data) > 20_000   # a page of text and markers, not a blank canvas


@needs_browser
def test_browser_sees_every_entry(seeds_page, tmp_path):
    html = tmp_path / "timeline.html"
    html.write_text(seeds_page, encoding="utf-8")
    res = browse(html, "--dump-dom")
    assert res.returncode == 0, res.stderr[-2000:]
    dom = Page(res.stdout.decode("utf-8"))
    assert len(dom.entries) == 6 and "Vietnam – Cuba" in "".join(dom.text)
