"""relations: a news archive of relations between countries.

The pipeline reads a file into an article, parses the article into a record,
keeps records in a JSON Lines archive and answers questions over it.
"""

__version__ = "0.1.0"

from relations.errors import ArchiveError, InputError, ParseError, RelationsError

__all__ = ["ArchiveError", "InputError", "ParseError", "RelationsError", "__version__", "parse"]


def parse(text, source=None, **kwargs):
    """Parse one article's text into a record (see relations.parser.parse)."""
    from relations.parser import parse as _parse

    return _parse(text, source, **kwargs)
