"""Errors a user can cause. The CLI turns each into one line and a non-zero exit."""


class RelationsError(Exception):
    """Base of every error the user can cause."""


class InputError(RelationsError):
    """A file that cannot be read as an article (missing, binary, too large, empty)."""


class ParseError(RelationsError):
    """Text that reads fine but cannot become a record (for example, no date)."""


class ArchiveError(RelationsError):
    """The archive cannot be read, locked or written."""


class DictionaryError(RelationsError):
    """A YAML dictionary is malformed."""


class QueryError(RelationsError):
    """A question over the archive that cannot be answered as asked (bad date, unknown id)."""


class ClusterError(RelationsError):
    """The Dask cluster cannot be used as asked (not installed, unreachable, workers that cannot read the files)."""
