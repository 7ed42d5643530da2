"""Article text in, record out: the pure function at the heart of relations.

`parse` does no I/O and keeps no state between calls, so it can run in many
processes: it builds a `Doc`, runs the stages of `relations.parser.stages` in
order, and assembles the record.
"""

from __future__ import annotations

from datetime import date

from relations import knowledge as _knowledge
from relations.errors import ParseError
from relations.knowledge import Knowledge
from relations.parser import assemble, stages
from relations.parser.doc import Doc, ParseOptions

MAX_CHARS = 2_000_000


def new_doc(text: str, source: dict | None, options: ParseOptions, kb: Knowledge) -> Doc:
    """A document ready for the stages; a text that cannot become a record is refused here."""
    if not isinstance(text, str):
        raise ParseError("article text must be a string")
    if not text.strip():
        raise ParseError("the article is empty")
    if len(text) > MAX_CHARS:
        raise ParseError(f"the article is longer than {MAX_CHARS:,} characters")
    return Doc(text, source or {}, kb, options)


def parse(text: str, source: dict | None = None, *, default_date: str | None = None,
          require_date: bool = True, kb: Knowledge | None = None, today: date | None = None) -> dict:
    """Parse one article. Raises ParseError when the text cannot become a record."""
    options = ParseOptions(default_date=default_date, require_date=require_date, today=today)
    doc = new_doc(text, source, options, kb or _knowledge.load())
    return assemble.record(stages.run(doc))
