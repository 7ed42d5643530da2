"""The `relations` command (and `python -m relations`).

`--version` and the top-level `--help` are answered here, before click and the
command line's modules are imported, so that asking for them costs little more
than starting Python. The help is click's own output, rendered once into
data/help.txt (scripts/update_help.py); a test keeps the two identical.
"""

import os
import sys

HELP_WIDTH = 80  # click wraps help to min(terminal columns, 80) - 2 columns


def _help_text() -> str | None:
    """The pre-rendered help when click would print exactly it, else None."""
    if os.path.basename(sys.argv[0]) != "relations":
        return None  # click names the program after argv[0]
    import shutil

    if shutil.get_terminal_size().columns < HELP_WIDTH:
        return None
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", "help.txt"), encoding="utf-8") as fh:
            return fh.read()
    except OSError:
        return None


def main():
    args = sys.argv[1:]
    if args == ["--version"]:
        from relations import __version__

        sys.stdout.write(f"relations, version {__version__}\n")
        return 0
    if args in (["--help"], ["-h"]):
        text = _help_text()
        if text is not None:
            sys.stdout.write(text)
            return 0
    from relations.cli import main as cli

    return cli()


if __name__ == "__main__":
    sys.exit(main())
