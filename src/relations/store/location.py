"""Where the archive lives when no `--archive` is given: the user's data folder, outside any checkout.

Kept free of heavy imports: `relations --help` names the path before the command line is loaded.
"""

from __future__ import annotations

import os

ENV = "RELATIONS_ARCHIVE"


def data_home() -> str:
    """`$XDG_DATA_HOME`, else `~/.local/share` (the XDG base directory rule)."""
    xdg = os.environ.get("XDG_DATA_HOME", "")
    return xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".local", "share")


def default_archive() -> str:
    """The archive used without `--archive` or RELATIONS_ARCHIVE."""
    return os.path.join(data_home(), "relations", "archive.jsonl")


def chosen_archive() -> str:
    """RELATIONS_ARCHIVE when set, else the default; made absolute, as every command uses it."""
    return os.path.abspath(os.environ.get(ENV) or default_archive())
