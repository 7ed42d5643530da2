"""Pages from the web: one GET per URL, bounded in time and size.

urllib3 (already a dependency of trafilatura) does the HTTP: redirects,
content decoding, certificates. Everything a server can do wrong (an error
status, an answer that is not HTML, one too slow or too large) is one
InputError naming the URL, so the other inputs of a run still go in.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from relations import __version__
from relations.errors import InputError
from relations.extras import need

TIMEOUT = 20.0          # seconds: to connect, between two reads, and for the whole answer
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = f"relations/{__version__} (a news archive of relations between countries; urllib3)"
PURPOSE = "fetching URLs"

_URL = re.compile(r"\Ahttps?://", re.I)
_pools: list = []


def is_url(path: str) -> bool:
    return bool(_URL.match(path))


def require() -> None:
    need("urllib3", "web", PURPOSE)


@dataclass(frozen=True)
class Fetched:
    url: str                # where the page was found, after redirects
    body: bytes             # the page's bytes (content encoding undone)
    charset: str | None     # as the server states it


def _pool():
    if not _pools:
        urllib3 = need("urllib3", "web", PURPOSE)
        _pools.append(urllib3.PoolManager(num_pools=4, headers={
            "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}))
    return _pools[0]


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> Fetched:
    """GET one page, or InputError saying why not (status, type, size, time, connection)."""
    from relations.article.reader import PAGE_MAX_BYTES

    urllib3 = need("urllib3", "web", PURPOSE)
    timeout = timeout or TIMEOUT
    max_bytes = max_bytes or PAGE_MAX_BYTES
    retries = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=MAX_REDIRECTS,
                            raise_on_redirect=True, raise_on_status=False)
    deadline = time.monotonic() + timeout
    try:
        resp = _pool().request("GET", url, preload_content=False, redirect=True, retries=retries,
                               timeout=urllib3.Timeout(connect=timeout, read=timeout))
    except urllib3.exceptions.HTTPError as exc:
        raise InputError(f"{url}: {_why(exc, timeout, urllib3)}") from None
    try:
        _check_answer(url, resp, max_bytes)
        body = _read(url, resp, max_bytes, deadline, timeout, urllib3)
    except InputError:
        resp.close()   # a body left unread: the connection is not fit to be used again
        raise
    finally:
        resp.release_conn()
    charset = _charset(resp.headers.get("Content-Type", ""))
    return Fetched(resp.geturl() or url, body, charset)


def _check_answer(url: str, resp, max_bytes: int) -> None:
    if not 200 <= resp.status < 300:
        raise InputError(f"{url}: the server answered {resp.status} {resp.reason or ''}".rstrip())
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype and ctype not in HTML_TYPES:
        raise InputError(f"{url}: not a web page (the server sent {ctype})")
    length = resp.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise InputError(f"{url}: the page is {int(length) / 1e6:.1f} MB, {_over(max_bytes)}")


def _read(url: str, resp, max_bytes: int, deadline: float, timeout: float, urllib3) -> bytes:
    """The body, read in chunks: never more than max_bytes + 1, never past the deadline."""
    parts, size = [], 0
    try:
        # read1: what has arrived, so that a server sending a byte at a time still meets the deadline
        while chunk := resp.read1(CHUNK):
            parts.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                raise InputError(f"{url}: the page is {_over(max_bytes)}")
            if time.monotonic() > deadline:
                raise InputError(f"{url}: the page did not arrive whole within {timeout:g} s")
    except urllib3.exceptions.HTTPError as exc:
        raise InputError(f"{url}: {_why(exc, timeout, urllib3)}") from None
    return b"".join(parts)


def _over(max_bytes: int) -> str:
    return f"over the {max_bytes / (1024 * 1024):g} MB limit for one page"


def _why(exc, timeout: float, urllib3) -> str:
    """One line for what went wrong on the way (the cause inside urllib3's retry wrapper)."""
    errors = urllib3.exceptions
    if isinstance(exc, errors.MaxRetryError):
        if isinstance(exc.reason, errors.ResponseError) or "redirect" in str(exc.reason).lower():
            return f"more than {MAX_REDIRECTS} redirects"
        exc = exc.reason or exc
    # (before timeouts: urllib3's NewConnectionError is also a ConnectTimeoutError)
    if isinstance(exc, errors.NameResolutionError):
        return "the host name could not be resolved"
    if isinstance(exc, errors.NewConnectionError):
        return "cannot connect (the server refused or is unreachable)"
    if isinstance(exc, (errors.TimeoutError, TimeoutError)):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, (errors.LocationParseError, errors.LocationValueError)):
        return "not a valid URL"
    if isinstance(exc, errors.SSLError):
        return "the secure connection failed (certificate or TLS error)"
    if isinstance(exc, errors.ProtocolError):
        return "the connection broke off before the answer was complete"
    return f"the request failed ({type(exc).__name__})"


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset\s*=\s*\"?([\w.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def fetch_article(url: str, *, timeout: float | None = None):
    """The article on the page at url; the record's source keeps the URL as given."""
    from relations.article import html

    got = fetch(url, timeout=timeout)
    return html.page_article(got.body, url, url=got.url, charset=got.charset)
