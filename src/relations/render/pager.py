"""Long output on a terminal goes through a pager ($PAGER, else `less -FRX`); short output and
anything piped is written as it is."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable

DEFAULT_PAGER = "less"
LESS_FLAGS = "FRX"  # quit when it fits, keep colours, leave the screen as it was


def needs_pager(text: str, console, enabled: bool) -> bool:
    """Only on a terminal, only when asked for, only when it would scroll past the screen."""
    return enabled and console.is_terminal and text.count("\n") >= console.height


def paged(draw: Callable[[object], None], console, *, enabled: bool = True) -> None:
    """Draw on the console; when that is longer than the screen, show it in a pager instead."""
    if not (enabled and console.is_terminal):
        draw(console)
        return
    with console.capture() as cap:
        draw(console)
    text = cap.get()
    if not needs_pager(text, console, enabled) or not _through_pager(text):
        console.file.write(text)
        console.file.flush()


def _through_pager(text: str) -> bool:
    """Show text in the user's pager; False when there is none to run."""
    cmd = shlex.split(os.environ.get("PAGER") or DEFAULT_PAGER)
    env = dict(os.environ)
    env.setdefault("LESS", LESS_FLAGS)
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    try:
        proc.communicate(text.encode("utf-8", "replace"))
    except (BrokenPipeError, KeyboardInterrupt):  # the reader quit the pager early
        pass
    proc.wait()
    return True
