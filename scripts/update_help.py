"""Render `relations --help` with click into src/relations/data/help.txt (all but the archive path at its end).

Run after changing a command's name, docstring or the group's options;
tests/test_cli.py fails until the file matches click's output again.
"""

from pathlib import Path

from click.testing import CliRunner

from relations.__main__ import HELP_WIDTH
from relations.cli import archive_epilog, main
from relations.store.location import chosen_archive

TARGET = Path(__file__).resolve().parent.parent / "src" / "relations" / "data" / "help.txt"


def render() -> str:
    result = CliRunner().invoke(main, ["--help"], prog_name="relations", terminal_width=HELP_WIDTH - 2)
    assert result.exit_code == 0, result.output
    epilog = archive_epilog(chosen_archive())  # the machine's own path: added when the help is printed
    assert result.output.endswith(epilog)
    return result.output[: -len(epilog)]


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
    print(f"wrote {TARGET}")
