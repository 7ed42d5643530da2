"""The terminal: colour only on a terminal and never with NO_COLOR; the width of the terminal,
or COLUMNS when piped."""

from __future__ import annotations

import os
import sys

PIPED_WIDTH = 120  # a table written to a pipe or file without COLUMNS


def piped_width() -> int:
    cols = os.environ.get("COLUMNS", "")
    return int(cols) if cols.isdigit() and int(cols) > 0 else PIPED_WIDTH


def _quiet_on_broken_pipe(self) -> None:
    """A reader that stops early (`relations ... | head`) is not an error: exit 0, say nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, self.file.fileno())
    raise SystemExit(0)


def make_console(stderr: bool = False):
    from rich.console import Console

    class _Console(Console):
        on_broken_pipe = _quiet_on_broken_pipe

    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    no_color = "NO_COLOR" in os.environ or not tty
    return _Console(file=stream, no_color=no_color, force_terminal=tty if tty else False,
                   highlight=False, emoji=False, markup=True, color_system=None if no_color else "auto",
                   width=None if tty else piped_width(), soft_wrap=not tty)
