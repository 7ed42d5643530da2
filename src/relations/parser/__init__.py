"""Article text in, record out: the parser as named stages over one document.

Importing this package stays cheap (commands that only read the archive import
stage modules for a helper or two); the pipeline loads on the first parse.
"""

from __future__ import annotations

from typing import Any


def parse(text: str, source: dict | None = None, **kwargs: Any) -> dict:
    """Parse one article's text into a record (see relations.parser.pipeline.parse)."""
    from relations.parser.pipeline import parse as _parse

    return _parse(text, source, **kwargs)
