"""The `relations` console script: `--version` answered before click is imported.

Importing click costs about twice Python's own start; `relations --version`
needs none of it. Everything else goes to relations.cli:main unchanged.
(To use it: `relations = "relations._entry:main"` under [project.scripts].)
"""

from __future__ import annotations

import sys


def main() -> int | None:
    if sys.argv[1:] == ["--version"]:
        from relations import __version__

        sys.stdout.write(f"relations, version {__version__}\n")
        return 0
    from relations.cli import main as cli

    return cli()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
