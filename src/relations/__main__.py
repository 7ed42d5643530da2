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
            from relations.store.location import chosen_archive

            sys.stdout.write(text + f"\nArchive: {chosen_archive()}\n")  # cli.archive_epilog
            return 0
    from relations.cli import main as cli

    return cli()


def run():
    """The console script: `main`, then an exit that skips tearing the interpreter down.

    By the time a command returns it has closed what it opened (the archive is
    fsynced, the index committed and closed, worker processes joined); what is
    left is freeing every module and object one by one, about 10 ms of a
    command that otherwise takes 50. Output is flushed first. An unexpected
    exception still takes the normal path, with its traceback.
    """
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can reach it
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
