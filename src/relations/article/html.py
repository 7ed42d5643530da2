"""Web pages to article text: the story, its headline and its publication date.

A saved or fetched news page is mostly not the story: menus, related stories,
cookie banners and footers surround it. trafilatura finds the main text;
htmldate reads the date the markup states (meta tags, JSON-LD, <time>, the
URL) and, when it states none, searches the page's text. The story then goes
to the same parser as a `.txt` article, in the shape those files have: a
` date YYYY-MM-DD ` header, the headline, then the paragraphs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from relations.article.reader import Article, refuse_binary
from relations.digest import sha256
from relations.errors import InputError
from relations.extras import need
from relations.parser.dates import find_full_dates
from relations.text import fold

PURPOSE = "reading web pages"
_SITE_SUFFIX = re.compile(r"\s[|–—-]\s")


@dataclass(frozen=True)
class Page:
    """What a news page says about itself, apart from its chrome."""

    story: str              # the main text, one paragraph a line
    title: str | None       # the page's own headline
    date: str | None        # YYYY-MM-DD, when the page states its publication day


def require() -> None:
    """Fail at once, with the extra to install, when the web packages are missing."""
    need("trafilatura", "web", PURPOSE)
    need("htmldate", "web", PURPOSE)


def extract(content: bytes | str, where: str, url: str | None = None) -> Page:
    """The story, title and publication date of one page; InputError when it holds no story."""
    trafilatura = need("trafilatura", "web", PURPOSE)
    htmldate = need("htmldate", "web", PURPOSE)
    # fast: trafilatura's own extractor without its second opinions (readability, jusText), a third of the
    # time; the test pages and the corpus made into pages keep every paragraph with it
    doc = trafilatura.bare_extraction(content, url=url, fast=True, include_comments=False, include_tables=False,
                                      include_images=False)
    story = _paragraphs(getattr(doc, "text", None) or "")
    if not any(_is_prose(line) for line in story.split("\n")):
        raise InputError(f"{where}: no story found on the page (no paragraph of running text)")
    # trafilatura's own metadata pass reads authors, tags, licences and more; the title and the date are
    # all a record needs, so they are read from one parsed tree here
    tree = trafilatura.load_html(content)
    today = date.today().isoformat()
    found = htmldate.find_date(tree, extensive_search=False, original_date=True, url=url, max_date=today)
    return Page(story, _title(tree), found or _searched_date(content, url, today))


def _title(tree) -> str | None:
    """The page's headline: its Open Graph title, else its one <h1>, else the <title> element."""
    if tree is None:
        return None
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content'):
        got = tree.xpath(xpath)
        if got and got[0].strip():
            return " ".join(got[0].split())
    h1 = tree.xpath("//h1")
    if len(h1) == 1:
        return " ".join(h1[0].text_content().split()) or None
    text = " ".join((tree.findtext(".//title") or "").split())
    head = _SITE_SUFFIX.split(text)[0]   # "Talks resume | The Daily Example"
    return (head if len(head.split()) >= 3 else text) or None


def _paragraphs(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _is_prose(line: str) -> bool:
    """A paragraph of a story: whole sentences, not a list of links or section names."""
    words = len(line.split())
    return words >= 20 or (words >= 8 and line.rstrip()[-1:] in ".!?\"”…")


def _searched_date(content: bytes | str, url: str | None, today: str) -> str | None:
    """htmldate's search of the page's text, kept only when the page writes out that day.

    The search falls back on a copyright year or a bare month, made into a first
    day; such a guess is not a publication date."""
    htmldate = need("htmldate", "web", PURPOSE)
    found = htmldate.find_date(content, extensive_search=True, original_date=True, url=url, max_date=today)
    if not found:
        return None
    trafilatura = need("trafilatura", "web", PURPOSE)
    visible = trafilatura.html2txt(content) or ""
    return found if any(value == found for _, _, value in find_full_dates(visible)) else None


def article_text(page: Page) -> str:
    """The page as the parser reads a `.txt` article: date header, headline, paragraphs."""
    lines = page.story.split("\n")
    if page.title and not _same_headline(lines[0], page.title):
        lines.insert(0, page.title)
    head = f" date {page.date} " if page.date else ""
    return head + "\n\n".join(lines)


def _same_headline(line: str, title: str) -> bool:
    """True when the story's first line is the page's title (often with the site's name after it)."""
    a, b = fold(line).strip(), fold(title).strip()
    return bool(a) and (a == b or (len(a) >= 20 and b.startswith(a)) or (len(b) >= 20 and a.startswith(b)))


def page_article(raw: bytes, path: str, url: str | None = None, charset: str | None = None) -> Article:
    """One page's bytes as an article; the source keeps where it came from, its title and the bytes' hash."""
    if not raw.strip():
        raise InputError(f"{path}: the page is empty")
    refuse_binary(raw, path)
    content: bytes | str = raw
    if charset:  # stated by the server: trust it over trafilatura's guess
        try:
            content = raw.decode(charset, errors="replace")
        except LookupError:
            content = raw
    page = extract(content, path, url)
    source = {"path": path, "name": _name(path), "sha256": sha256(raw).hexdigest()}
    if page.title:
        source["title"] = page.title
    return Article(article_text(page), source)


def _name(path: str) -> str:
    """The file name, or for a URL the last part of its path (else its host)."""
    if "://" in path:
        parts = urlsplit(path)
        return parts.path.rstrip("/").rsplit("/", 1)[-1] or parts.hostname or path
    return os.path.basename(path)
