"""The record: the contract every command and every later tool reads.

One JSON object per article. Field meanings follow the annotation guide; every
extracted item carries `[start, end)` spans into `text`.
"""

from __future__ import annotations

from typing import Any

from relations.digest import sha256
from relations.errors import QueryError

SCHEMA = 1

REQUIRED: dict[str, type | tuple[type, ...]] = {
    "id": str, "date": (str, type(None)), "agency": (str, type(None)), "dateline": (str, type(None)),
    "title": str, "text": str, "source": dict, "event": dict, "parties": list, "actors": list,
    "topics": list, "agreements": list, "past_events": list,
}

EVENT_TYPES = ("talks", "visit", "call", "signing", "aid", "statement", "anniversary", "other")
AGREEMENT_KINDS = ("agreement", "memorandum", "minutes", "joint-statement", "plan", "protocol", "treaty",
                   "contract", "document")
AGREEMENT_STATUSES = ("signed", "planned", "existing")


def content_hash(text: str) -> str:
    return sha256(text.encode("utf-8")).hexdigest()


def make_id(date: str | None, article_text: str) -> str:
    """Readable, sortable by date, and the same for the same text on any machine."""
    return f"{date or 'undated'}-{content_hash(article_text)[:8]}"


def content_key(rec: dict) -> str:
    """What a record says (its date and text): ingest's duplicate check."""
    text = rec.get("text") if isinstance(rec.get("text"), str) else ""
    return sha256(f"{rec.get('date')}\n{text}".encode("utf-8", "surrogatepass")).hexdigest()


def file_key(rec: dict) -> str:
    """The bytes a record was read from (source.sha256)."""
    src = rec.get("source")
    return str(src.get("sha256")) if isinstance(src, dict) else ""


def long_id(rec: dict) -> str:
    """The id given when the short one is taken by another text: 16 hex digits of the content key."""
    return f"{rec.get('date') or 'undated'}-{content_key(rec)[:16]}"


SHOWN_IDS = 8   # candidates named when an id prefix is ambiguous


def id_prefix(prefix: str) -> str:
    p = prefix.strip()
    if not p:
        raise QueryError("give a record id or the start of one")
    return p


def one_id(prefix: str, ids: list[str]) -> str:
    """The single id a prefix names; none or several is an error worded the same for every command.

    Past SHOWN_IDS candidates the count is not given, so that a lookup may stop at SHOWN_IDS + 1."""
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise QueryError(f"no record with id '{prefix}' (see `relations list`)")
    count = str(len(ids)) if len(ids) <= SHOWN_IDS else f"more than {SHOWN_IDS}"
    names = ", ".join(ids[:SHOWN_IDS]) + (", …" if len(ids) > SHOWN_IDS else "")
    raise QueryError(f"id prefix '{prefix}' matches {count} records: {names}")


def validate(rec: Any) -> list[str]:
    """Problems with one record, as short reasons (empty when it is sound)."""
    if not isinstance(rec, dict):
        return ["not a JSON object"]
    problems = []
    for key, typ in REQUIRED.items():
        if key not in rec:
            problems.append(f"missing key '{key}'")
        elif not isinstance(rec[key], typ):
            problems.append(f"key '{key}' has the wrong type")
    if problems:
        return problems
    n = len(rec["text"])

    def check(span, where):
        if (not isinstance(span, (list, tuple)) or len(span) != 2 or not all(isinstance(x, int) for x in span)
                or not 0 <= span[0] <= span[1] <= n):
            problems.append(f"{where}: span {span!r} is outside the text")

    for a in rec["actors"]:
        for sp in a.get("spans", []):
            check(sp, f"actor '{a.get('name')}'")
    for t, spans in (rec.get("topic_evidence") or {}).items():
        for sp in spans:
            check(sp, f"topic '{t}'")
    for ag in rec["agreements"]:
        check(ag.get("span"), "agreement")
    for pe in rec["past_events"]:
        check(pe.get("span"), "past event")
    return problems


def countries(rec: dict) -> list[str]:
    return sorted(a["code"] for a in rec.get("actors", []) if a.get("kind") == "country")
