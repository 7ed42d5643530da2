"""URLs in: pages fetched from a local server started here (no network), with every way an answer goes wrong."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from conftest import ROOT

pytest.importorskip("trafilatura", reason="the web extra is not installed (pip install 'relations[web]')")

import relations.article.fetch as fetch_mod
import relations.article.reader as reader_mod
from relations import __version__
from relations.cli import main
from relations.errors import InputError

PAGE = (ROOT / "tests" / "fixtures" / "pages" / "accra-trade-pact.html").read_bytes()
OTHER = (ROOT / "tests" / "fixtures" / "pages" / "santiago-ministers.html").read_bytes()
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(headers.pop("length", len(body))))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:   # the client gave up first (the slow answers)
            pass

    def do_GET(self):
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/news/accra.html":
            self.send(200, PAGE)
        elif path == "/news/santiago":
            self.send(200, OTHER, "application/xhtml+xml")
        elif path == "/gzip.html":
            self.send(200, gzip.compress(PAGE), Content_Encoding="gzip")
        elif path == "/moved":
            self.send(301, b"", Location="/again")
        elif path == "/again":
            self.send(302, b"", Location="/news/accra.html")
        elif path == "/loop":
            self.send(302, b"", Location="/loop")
        elif path == "/missing":
            self.send(404, b"<html><body>Not here</body></html>")
        elif path == "/broken":
            self.send(500, b"<html><body>Oops</body></html>")
        elif path == "/image.png":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image/png")
        elif path == "/binary.html":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
        elif path == "/json":
            self.send(200, b'{"story": "none"}', "application/json")
        elif path == "/huge-declared":
            self.send(200, b"", length=50 * 1024 * 1024)   # says 50 MB, sends nothing: refused unread
        elif path == "/huge-streamed":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()   # no length: the body runs until the connection closes
            try:
                for _ in range(400):
                    self.wfile.write(b"<p>" + b"filler " * 1000 + b"</p>\n")
            except OSError:
                pass
        elif path == "/slow":
            time.sleep(3)
            self.send(200, PAGE)
        elif path == "/dribble":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            try:
                for i in range(40):   # a byte every 0.1 s: each read is quick, the whole answer is not
                    self.wfile.write(PAGE[i:i + 1])
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/empty.html":
            self.send(200, b"")
        elif path == "/front.html":
            self.send(200, (ROOT / "tests" / "fixtures" / "pages" / "section-front.html").read_bytes())
        else:
            self.send(404, b"")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch):
    monkeypatch.setattr(fetch_mod, "TIMEOUT", 1.0)


def test_a_page_is_fetched_with_a_named_user_agent(server):
    SEEN_AGENTS.clear()
    got = fetch_mod.fetch(f"{server}/news/accra.html")
    assert got.body == PAGE and got.charset == "utf-8"
    assert [f"relations/{__version__} (a news archive of relations between countries; urllib3)"] == SEEN_AGENTS


def test_redirects_are_followed_and_content_decoded(server):
    assert fetch_mod.fetch(f"{server}/moved").url.endswith("/news/accra.html")
    assert fetch_mod.fetch(f"{server}/gzip.html").body == PAGE


@pytest.mark.parametrize("path, reason", [
    ("/missing", "the server answered 404 Not Found"),
    ("/broken", "the server answered 500 Internal Server Error"),
    ("/image.png", "not a web page (the server sent image/png)"),
    ("/json", "not a web page (the server sent application/json)"),
    ("/loop", "more than 5 redirects"),
    ("/huge-declared", "the page is 52.4 MB, over the 2 MB limit for one page"),
    ("/huge-streamed", "the page is over the 2 MB limit for one page"),
    ("/slow", "no answer within 1 s"),
    ("/dribble", "the page did not arrive whole within 1 s"),
    ("/binary.html", "not a text file (binary data)"),
    ("/empty.html", "the page is empty"),
    ("/front.html", "no story found on the page (no paragraph of running text)"),
])
def test_every_bad_answer_is_one_error_naming_the_url(server, monkeypatch, path, reason):
    monkeypatch.setattr(reader_mod, "PAGE_MAX_BYTES", 2 * 1024 * 1024)
    url = f"{server}{path}"
    started = time.monotonic()
    with pytest.raises(InputError) as err:
        fetch_mod.fetch_article(url)
    assert str(err.value) == f"{url}: {reason}"
    assert time.monotonic() - started < 10   # nothing waits on the server for long


def test_nothing_listening_and_bad_urls(server):
    import socket

    with socket.socket() as s:   # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError, match=r"^http://127\.0\.0\.1:\d+/x: cannot connect"):
        fetch_mod.fetch(f"http://127.0.0.1:{port}/x")
    with pytest.raises(InputError, match=r"^http://\[bad/: not a valid URL$"):
        fetch_mod.fetch("http://[bad/")


def test_ingest_urls_beside_files(server, tmp_path):
    archive = tmp_path / "a.jsonl"
    seed = next((ROOT / "seeds").glob("*.txt"))
    urls = [f"{server}/news/accra.html", f"{server}/missing", f"{server}/news/santiago", f"{server}/image.png"]
    res = CliRunner().invoke(main, ["--archive", str(archive), "ingest", urls[0], urls[1], str(seed), urls[2],
                                    urls[3]])
    assert res.exit_code == 1 and "Traceback" not in res.output
    lines = res.output.splitlines()
    assert f"failed {urls[1]}: the server answered 404 Not Found" in lines
    assert f"failed {urls[3]}: not a web page (the server sent image/png)" in lines
    assert lines[-1] == "3 added, 0 already present, 2 failed"
    recs = [json.loads(x) for x in archive.read_text().splitlines()]
    by_path = {r["source"]["path"]: r for r in recs}
    accra = by_path[urls[0]]
    assert accra["source"]["name"] == "accra.html"
    assert accra["source"]["title"] == "Ghana and Kenya sign trade pact to cut farm tariffs"
    assert (accra["date"], accra["parties"]) == ("2024-03-12", ["GHA", "KEN"])
    assert by_path[urls[2]]["parties"] == ["CHL", "PER"] and by_path[urls[2]]["source"]["name"] == "santiago"
    # the same page again, fetched or saved: already present
    saved = tmp_path / "accra.html"
    saved.write_bytes(PAGE)
    res = CliRunner().invoke(main, ["--archive", str(archive), "ingest", urls[0], str(saved)])
    assert res.exit_code == 0 and res.output.splitlines()[-1] == "0 added, 2 already present, 0 failed"


def test_missing_web_extra_for_urls_is_one_line(server, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "urllib3", None)
    res = CliRunner().invoke(main, ["--archive", str(tmp_path / "a.jsonl"), "ingest", f"{server}/news/accra.html"])
    assert res.exit_code == 1
    assert res.output == ("error: fetching URLs needs the 'web' extra (urllib3 is not installed): "
                          "pip install 'relations[web]'\n")
