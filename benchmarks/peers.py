"""DuckDB asked the benchmark's questions, so that its answers are the same entries as relations'.

Run by the peers' own interpreter (benchmarks/.venv-peers), so it needs only the
standard library and duckdb:

    python peers.py ARCHIVE RUNS BUDGET     # prints one JSON object: times and rows per question

`list` is `relations list --since 2025 --limit 20` (newest first by date, then id);
`timeline` is `relations timeline vietnam cuba --all-reports`: one entry per dated
record of the pair, one per agreement signed at it, one per earlier event it
refers to, ordered by (date, events before signings before references, id).
`warm` times the query in an open connection; `fresh` a new process that imports
DuckDB, reads the archive and answers once, as a command-line user would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

COLUMNS = ("{'id': 'VARCHAR', 'date': 'VARCHAR', 'title': 'VARCHAR', 'parties': 'VARCHAR[]', "
           "'event': 'STRUCT(type VARCHAR, date VARCHAR, place VARCHAR)', "
           "'agreements': 'STRUCT(kind VARCHAR, status VARCHAR, text VARCHAR)[]', "
           "'past_events': 'STRUCT(date VARCHAR, text VARCHAR)[]'}")


def source(path: str) -> str:
    return f"read_json('{path.replace(chr(39), chr(39) * 2)}', format='newline_delimited', columns={COLUMNS})"


def queries(path: str, a: str = "VNM", b: str = "CUB", since: str = "2025", limit: int = 20) -> dict[str, str]:
    """The SQL of each question; every row is (date, kind, record id) so that answers compare as they are."""
    src = source(path)
    pair = f"list_contains(parties, '{a}') AND list_contains(parties, '{b}')"
    when = "coalesce(event.date, date)"
    return {
        "list": f"SELECT date, coalesce(event.type, ''), id FROM {src} WHERE date >= '{since}' "
                f"ORDER BY coalesce(date, '') DESC, id DESC LIMIT {limit}",
        "timeline": f"""
            WITH r AS (SELECT * FROM {src} WHERE {pair})
            SELECT d, kind, id FROM (
                SELECT {when} AS d, 0 AS rank, coalesce(event.type, 'other') AS kind, id FROM r
                 WHERE {when} IS NOT NULL
                UNION ALL
                SELECT {when}, 1, 'signed ' || ag.kind, id FROM (SELECT *, unnest(agreements) AS ag FROM r)
                 WHERE {when} IS NOT NULL AND ag.status = 'signed'
                UNION ALL
                SELECT pe.date, 2, 'referenced', id FROM (SELECT *, unnest(past_events) AS pe FROM r)
                 WHERE pe.date IS NOT NULL
            ) ORDER BY d, rank, id""",
    }


def answer(con, sql: str) -> list[tuple]:
    return [tuple(row) for row in con.execute(sql).fetchall()]


ONCE = """
import sys, duckdb
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
print(len(con.execute(sys.stdin.read()).fetchall()))
"""


def measure(path: str, runs: int, budget: float) -> dict:
    """Warm (an open connection) and fresh (a new process) times of every question, with its row count."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    out: dict = {"version": duckdb.__version__}
    for name, sql in queries(path).items():
        warm, fresh, spent = [], [], 0.0
        rows = answer(con, sql)
        for _ in range(runs):
            s = time.perf_counter()
            rows = answer(con, sql)
            warm.append(time.perf_counter() - s)
            s = time.perf_counter()
            subprocess.run([sys.executable, "-c", ONCE], input=sql.encode(), check=True, stdout=subprocess.DEVNULL)
            fresh.append(time.perf_counter() - s)
            spent += warm[-1] + fresh[-1]
            if spent > budget:
                break
        out[name] = {"warm": warm, "fresh": fresh, "rows": len(rows)}
    return out


if __name__ == "__main__":
    try:
        import duckdb  # noqa: F401
    except ImportError:
        print(json.dumps({"error": "DuckDB is not installed"}))
        sys.exit()
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]), float(sys.argv[3]))))
