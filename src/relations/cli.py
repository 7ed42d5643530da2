"""The command line: parse options, call the library, print. Nothing else lives here."""

from __future__ import annotations

import os
import sys

import click

from relations import __version__
from relations.errors import RelationsError

FORMAT = click.Choice(["table", "json", "jsonl", "csv", "html", "ics"])


class Group(click.Group):
    """Turns the project's own errors into one line on stderr and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RelationsError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(0)

    def format_epilog(self, ctx, formatter):
        from relations.store.location import chosen_archive

        formatter.write(archive_epilog(chosen_archive()))


def archive_epilog(path: str) -> str:
    """The last lines of `--help`: the archive a command run here would use (kept whole, never wrapped)."""
    return f"\nArchive: {path}\n"


def _warn(msg: str) -> None:
    from relations.render.output import visible

    click.echo(f"warning: {visible(msg)}", err=True)


def _note(msg: str) -> None:
    from relations.render.output import visible

    click.echo(visible(msg), err=True)


def _kb(ctx):
    from relations import knowledge

    return knowledge.load(ctx.obj["dictionaries"])


def _archive(ctx):
    from relations.store.archive import Archive

    return Archive(ctx.obj["archive"])


def _existing(ctx):
    """The archive a question is asked of: it must exist."""
    arch = _archive(ctx)
    arch.require()
    return arch


def _records(ctx):
    return _existing(ctx).records(_warn)


def _fmt(fmt, command):
    from relations.render.output import check_format, default_format

    return check_format(fmt or default_format(), command)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="relations")
@click.option("--archive", envvar="RELATIONS_ARCHIVE", type=click.Path(dir_okay=False),
              help="The JSON Lines archive (or set RELATIONS_ARCHIVE; default: relations/archive.jsonl "
                   "in $XDG_DATA_HOME or ~/.local/share).")
@click.option("--dictionaries", "dictionaries", multiple=True, type=click.Path(file_okay=False),
              help="A folder of your own YAML dictionaries, layered on the shipped ones (repeatable).")
@click.pass_context
def main(ctx, archive, dictionaries):
    """A news archive of relations between countries: articles in, records out, questions answered."""
    from relations.store.location import default_archive

    for d in dictionaries:  # a mistyped folder is an error for every command, not silently no dictionary
        if not os.path.isdir(d):
            from relations.errors import DictionaryError

            raise DictionaryError(f"{d}: dictionary folder not found")
    ctx.ensure_object(dict)
    ctx.obj.update(archive=os.path.abspath(archive or default_archive()), implicit=not archive,
                   named=archive is not None and os.path.isabs(archive)
                   and ctx.get_parameter_source("archive") == click.core.ParameterSource.COMMANDLINE,
                   dictionaries=tuple(dictionaries))


def _engine_options(f):
    f = click.option("--scheduler", metavar="ADDRESS",
                     help="With --engine dask: a running scheduler (tcp://host:8786) instead of a local cluster.")(f)
    f = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="local: processes on this machine; dask: a Dask cluster (the dask extra).")(f)
    return f


def _dask(ctx, engine, scheduler, jobs=None):
    """The Dask engine asked for, or None; a local cluster gets --jobs workers when it is given."""
    if engine != "dask":
        if scheduler:
            from relations.errors import ClusterError

            raise ClusterError("--scheduler needs --engine dask")
        return None
    from click.core import ParameterSource

    from relations.cluster import DaskEngine

    given = jobs is not None and ctx.get_parameter_source("jobs") != ParameterSource.DEFAULT
    return DaskEngine(scheduler=scheduler, workers=jobs if given else None)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", "default_date", help="Publication date (YYYY-MM-DD) for files that state none.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Parse in this many processes.")
@click.option("--wait", default=30.0, show_default=True, type=click.FloatRange(min=0), help="Seconds to wait for another writer.")
@_engine_options
@click.option("--force", is_flag=True, help="Add again articles whose records were deleted.")
@click.pass_context
def ingest(ctx, paths, default_date, jobs, wait, engine, scheduler, force):
    """Parse articles into the archive: .txt files, saved web pages (.html, .htm), http(s) URLs, folders (- for standard input)."""
    from datetime import date

    from relations.ingest import count_files
    from relations.ingest import ingest as run

    _check_default_date(default_date)
    kb_dirs = ctx.obj["dictionaries"]
    _kb(ctx)  # a malformed dictionary fails here, once, before any file
    if ctx.obj["implicit"]:  # the user data folder is made on first use
        os.makedirs(os.path.dirname(ctx.obj["archive"]), exist_ok=True)
    if not ctx.obj["named"]:  # a default, the environment or a relative path: say which file this is
        _note(f"archive: {ctx.obj['archive']}")
    eng = _dask(ctx, engine, scheduler, jobs)
    stdin = _stdin_bytes(paths)
    total = count_files(list(paths)) if sys.stderr.isatty() else 0  # the progress bar only needs it
    consoles = []  # the error console, made when first needed: most runs print nothing through it

    def err():
        if not consoles:
            from relations.render.console import make_console

            consoles.append(make_console(stderr=True))
        return consoles[0]

    def report(out):
        if out.error:
            from rich.markup import escape

            from relations.render.output import visible

            err().print(f"[red]failed[/red] {escape(visible(out.error))}", markup=True, highlight=False)

    if total >= 20 and sys.stderr.isatty():
        from rich.progress import Progress

        with Progress(console=err(), transient=True) as prog:
            task = prog.add_task("partitions" if eng else "parsing", total=None if eng else total)

            def progress(out):
                report(out)
                if not eng:
                    prog.advance(task)

            if eng:
                eng.on_partition = lambda done, parts: prog.update(task, completed=done, total=parts)
            summary = run(list(paths), _archive(ctx), default_date=default_date, jobs=jobs, dict_dirs=kb_dirs,
                          today=date.today(), progress=progress, notify=_warn, timeout=wait, engine=eng, stdin=stdin,
                          force=force)
    else:
        summary = run(list(paths), _archive(ctx), default_date=default_date, jobs=jobs, dict_dirs=kb_dirs,
                      today=date.today(), progress=report, notify=_warn, timeout=wait, engine=eng, stdin=stdin,
                      force=force)
    for w in summary.warnings:
        _warn(w)
    _ingest_summary(ctx, summary)


def _stdin_bytes(paths) -> bytes | None:
    """The article on standard input when `-` is one of the paths."""
    from relations.article.finder import STDIN

    return sys.stdin.buffer.read() if STDIN in paths else None


def _ingest_summary(ctx, summary) -> None:
    """The one summary line, also after Ctrl-C or a failed write; its exit code."""
    line = f"{summary.added} added, {summary.present} already present, {len(summary.failed)} failed"
    if summary.deleted:
        line += f", {summary.deleted} deleted before (--force adds them again)"
    if summary.skipped:
        line += f", {summary.skipped} skipped (not an article suffix)"
    if summary.interrupted:
        line = f"interrupted: {line} (the {summary.added} added are stored)"
    click.echo(line)
    if summary.error:
        click.echo(f"error: {summary.error}", err=True)
    if summary.interrupted:
        ctx.exit(130)
    if summary.failed or summary.error:
        ctx.exit(1)


def _check_default_date(default_date: str | None) -> None:
    from relations.query import check_date

    if default_date:
        check_date(default_date, "--date")
        if len(default_date) != 10:
            from relations.errors import QueryError

            raise QueryError("--date needs a full day: YYYY-MM-DD")


def _filters(f):
    f = click.option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")(f)
    f = click.option("--until", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")(f)
    f = click.option("--topic", help="Only records with this topic id.")(f)
    return f


def _format(f):
    return click.option("--format", "fmt", type=FORMAT, help="Output format (table on a terminal, else jsonl).")(f)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", "default_date", help="Publication date (YYYY-MM-DD) for files that state none.")
@_format
@click.pass_context
def parse(ctx, paths, default_date, fmt):
    """Parse article files (or - for standard input) and print the records, writing nothing: a preview."""
    from datetime import date

    from relations.ingest import preview

    _check_default_date(default_date)
    _kb(ctx)
    fmt = _fmt(fmt, "parse")
    outs = list(preview(list(paths), default_date=default_date, dict_dirs=ctx.obj["dictionaries"],
                        today=date.today(), stdin=_stdin_bytes(paths)))
    for o in outs:
        for w in o.warnings:
            _warn(w)
        if o.error:
            _warn(f"failed {o.error}")
    recs = [_loads(o.line) for o in outs if not o.error]
    if fmt == "table":
        for rec in recs:
            _show_record(rec, [], fmt)
    else:
        from relations import query
        from relations.render.output import render

        render([query.list_row(r) for r in recs], query.LIST_COLUMNS, fmt, records=recs if fmt != "csv" else None)
    if any(o.error for o in outs):
        ctx.exit(1)


def _loads(line: bytes) -> dict:
    import orjson

    return orjson.loads(line)


def _dates(f):
    f = click.option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")(f)
    f = click.option("--until", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")(f)
    return f


def _list_filters(f):
    f = click.option("--party", multiple=True,
                     help="A country of the relation the story is about (repeatable: all must be parties).")(f)
    f = click.option("--event", "events", multiple=True, help="Main event of this type (repeatable: any of them).")(f)
    f = click.option("--agency", help="Credited to this agency (VNS matches VNA/VNS).")(f)
    f = click.option("--topic", "topics", multiple=True, help="Only records with this topic id (repeatable).")(f)
    f = click.option("--all-topics", is_flag=True, help="With several --topic: records with all of them, not any.")(f)
    f = click.option("--sort", type=click.Choice(["newest", "oldest", "id"]), default="newest", show_default=True,
                     help="Order of the records.")(f)
    return f


@main.command(name="list")
@_dates
@click.option("--country", multiple=True, help="A country in any form, mentioned anywhere (repeatable: all must be present).")
@_list_filters
@click.option("--actor", help="A person or organisation: whole words of the name or the acronym, accent-insensitive.")
@click.option("--limit", type=click.IntRange(1), help="At most this many records.")
@_format
@click.pass_context
def list_(ctx, since, until, country, party, events, agency, topics, all_topics, sort, actor, limit, fmt):
    """Records, newest first."""
    from relations import filters, query
    from relations.render.output import render

    since, until = query.check_date(since, "--since"), query.check_date(until, "--until")
    kb = _kb(ctx) if country or party or topics else None  # the dictionaries only when a word needs them
    chosen = filters.Filters(parties=tuple(query.resolve_countries(party, kb)) if party else (),
                             events=filters.check_events(events), agency=agency,
                             topics=tuple(query.resolve_topic(t, kb) for t in topics), all_topics=all_topics)
    codes = query.resolve_countries(country, kb) if country else []
    fmt = _fmt(fmt, "list")
    recs = filters.list_records(_existing(ctx), _warn, since=since, until=until, countries=codes, filters=chosen,
                                actor=actor, sort=sort, limit=limit)
    rows = (query.list_row(r) for r in recs)
    if fmt == "jsonl":  # streams: a whole archive goes out in small memory
        render([], [], fmt, records=recs)
        return
    if fmt == "csv":
        render(rows, query.LIST_COLUMNS, fmt)
        return
    recs = list(recs)
    render([query.list_row(r) for r in recs], query.LIST_COLUMNS, fmt, records=recs, priority=query.LIST_PRIORITY)


@main.command()
@click.argument("words")
@_filters
@click.option("--country", multiple=True, help="A country in any form (repeatable: all must be present).")
@click.option("--actor", help="A person or organisation name (partial, accent-insensitive).")
@click.option("--sort", type=click.Choice(["date", "rank"]), default="date", show_default=True,
              help="date: newest first, best match first within a day; rank: best match first.")
@click.option("--limit", type=click.IntRange(1), help="At most this many records.")
@_format
@click.pass_context
def search(ctx, words, since, until, topic, country, actor, sort, limit, fmt):
    """Records whose title or text match WORDS: "a phrase", prefix*, AND, OR, NOT, ( ), accent-insensitive."""
    from relations import query
    from relations.render.output import render
    from relations.store import search as fts

    parsed = fts.parse(words)
    since, until = query.check_date(since, "--since"), query.check_date(until, "--until")
    kb = _kb(ctx) if country or topic is not None else None
    codes = query.resolve_countries(country, kb) if country else []
    topic = query.resolve_topic(topic, kb)
    fmt = _fmt(fmt, "search")
    hits = fts.search(_existing(ctx), parsed, _warn, since=since, until=until, codes=codes, topic=topic,
                      actor=actor, sort=sort, limit=limit)
    rows = [fts.hit_row(h) for h in hits]
    render(rows, fts.COLUMNS, fmt, records=[fts.hit_data(h) for h in hits] if fmt in ("json", "jsonl") else None)


@main.command()
@click.argument("record_id")
@_format
@click.option("--no-text", is_flag=True, help="Only the header, actors, topics and events, not the article text.")
@click.option("--no-pager", is_flag=True, help="Never page long output on a terminal.")
@click.pass_context
def show(ctx, record_id, fmt, no_text, no_pager):
    """One record in full, by id or unique id prefix, with its evidence marked in the text."""
    from relations.event_queries import also_reported
    from relations.store.index import find_record

    rec = find_record(_existing(ctx), record_id, _warn)
    others = also_reported(_archive(ctx), rid=rec["id"], warn=_warn)
    _show_record(rec, others, _fmt(fmt, "show"), text=not no_text, pager=not no_pager)


def _show_record(rec: dict, others: list[dict], fmt: str, *, text: bool = True, pager: bool = False) -> None:
    if fmt == "table":
        from relations.render.console import make_console
        from relations.render.pager import paged
        from relations.render.show import render_others, render_record

        def both(console) -> None:
            render_record(rec, console, text=text)
            render_others(others, console)

        paged(both, make_console(), enabled=pager)
    else:
        from relations.render.output import render

        row = {k: rec.get(k) for k in ("id", "date", "agency", "dateline", "title", "parties", "topics")}
        if others:
            row["also_reported_by"] = [o["id"] for o in others]
            rec = {**rec, "also_reported_by": others}
        render([row], list(row), fmt, records=[rec] if fmt != "csv" else None)


def _steering(f):
    f = click.option("--kind", "kinds", multiple=True,
                     help="Only entries of this kind: an event type, signed (any document), "
                          "'signed agreement', referenced... (repeatable).")(f)
    f = click.option("--no-referenced", is_flag=True, help="Leave out the earlier events the stories refer to.")(f)
    f = click.option("--limit", type=click.IntRange(1), help="At most this many entries.")(f)
    f = click.option("--oldest/--newest", "oldest", default=True, help="Oldest first (the default) or newest first.")(f)
    f = click.option("--by", type=click.Choice(["year", "month"]),
                     help="Counts per year or month and kind instead of the entries.")(f)
    return f


@main.command()
@click.argument("country_a")
@click.argument("country_b")
@_filters
@click.option("--all-reports", is_flag=True, help="One line per record, not per happening.")
@_steering
@_format
@click.pass_context
def timeline(ctx, country_a, country_b, since, until, topic, all_reports, kinds, no_referenced, limit, oldest, by,
             fmt):
    """The dated history between two countries, oldest first, one line per happening."""
    from relations import event_queries, query, steering

    kb = _kb(ctx)
    a, b = query.resolve_pair(country_a, country_b, kb)
    since, until = query.check_date(since, "--since"), query.check_date(until, "--until")
    topic = query.resolve_topic(topic, kb)
    kinds = steering.check_kinds(kinds)
    from relations.store import index

    arch = _existing(ctx)
    fmt = _fmt(fmt, "timeline")
    steered = kinds or no_referenced or limit or not oldest or by
    if fmt == "jsonl" and all_reports and not steered:  # the index keeps these lines ready to print
        from relations.render.output import write_serialised

        write_serialised(index.timeline_jsonl(arch, a, b, _warn, since=since, until=until, topic=topic))
        return
    entries = event_queries.timeline(arch, a=a, b=b, since=since, until=until, topic=topic,
                                     all_reports=all_reports, warn=_warn)
    title = f"{kb.country_name(a)} – {kb.country_name(b)}"
    if steered:
        entries = steering.steer(entries, kinds=kinds, referenced=not no_referenced, newest=not oldest,
                                 limit=None if by else limit)
    if by:
        _periods(steering.periods(entries, by), fmt, f"{title}, by {by}")
        return
    sources = None
    if fmt in ("html", "ics"):  # the records themselves, for agencies and evidence
        ids = {e["record"] for e in entries}
        sources = {r["id"]: r for r in index.list_records(arch, _warn, codes=[a, b]) if r["id"] in ids}
    _timeline_out(entries, fmt, title, sources)


def _timeline_out(entries: list[dict], fmt: str, title: str, sources: dict | None) -> None:
    from relations.event_queries import timeline_row
    from relations.render.output import render

    if fmt == "csv":  # a column of its own for programs; people read the mark beside the record
        render([timeline_row(e, marked=False) for e in entries],
               ["date", "kind", "what", "place", "record", "referenced"], fmt)
        return
    # json and jsonl carry the entries themselves; in a table the kind says which are referenced
    rows = [] if fmt in ("json", "jsonl") else [timeline_row(e, marked=False) for e in entries]
    render(rows, ["date", "kind", "what", "place", "record"], fmt, title=title, records=entries, sources=sources,
           priority=["date", "kind", "what", "record", "place"])


def _periods(counts, fmt: str, title: str) -> None:
    from dataclasses import asdict

    from relations.render.output import render
    from relations.steering import period_rows

    rows, cols = period_rows(counts, bars=fmt == "table")
    render(rows, cols, fmt, title=title, records=[asdict(c) for c in counts] if fmt in ("json", "jsonl") else None)


@main.command()
@click.option("--country", multiple=True, help="A country in any form (repeatable: all must be reported).")
@click.option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", help="Up to this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@_format
@click.pass_context
def events(ctx, country, since, until, fmt):
    """Happenings, oldest first: each once, however many outlets reported it."""
    from relations import event_queries, query
    from relations.happenings import EVENT_COLUMNS
    from relations.render.output import render

    since, until = query.check_date(since, "--since"), query.check_date(until, "--until")
    codes = query.resolve_countries(country, _kb(ctx)) if country else []
    rows = event_queries.events(_existing(ctx), codes=codes, since=since, until=until, warn=_warn)
    render(rows, EVENT_COLUMNS, _fmt(fmt, "events"), title="Happenings")


@main.command()
@click.argument("country_a")
@click.argument("country_b")
@_format
@click.pass_context
def agreements(ctx, country_a, country_b, fmt):
    """Each agreement between two countries once, with its history from planned to signed."""
    from relations import event_queries, query
    from relations.happenings import AGREEMENT_COLUMNS
    from relations.render.output import render

    kb = _kb(ctx)
    a, b = query.resolve_pair(country_a, country_b, kb)
    rows = event_queries.agreements(_existing(ctx), a=a, b=b, warn=_warn)
    render(rows, AGREEMENT_COLUMNS, _fmt(fmt, "agreements"), title=f"Agreements {kb.country_name(a)} – {kb.country_name(b)}")


@main.command()
@click.argument("country_a")
@click.argument("country_b")
@click.option("--since", help="From this publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", help="Up to this publication date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1), help="How many topics and persons.")
@_format
@click.pass_context
def summary(ctx, country_a, country_b, since, until, top, fmt):
    """A relation at a glance: records and events per year, kinds, topics, persons, agreements."""
    from relations import query
    from relations.render.summary import render_summary
    from relations.store import index
    from relations.summary import summarise

    kb = _kb(ctx)
    a, b = query.resolve_pair(country_a, country_b, kb)
    since, until = query.check_date(since, "--since"), query.check_date(until, "--until")
    recs = index.list_records(_existing(ctx), _warn, since=since, until=until, codes=[a, b])
    render_summary(summarise(recs, a, b, since=since, until=until, top=top), _fmt(fmt, "summary"),
                   f"{kb.country_name(a)} – {kb.country_name(b)}")


@main.command(name="eval")
@click.argument("gold_dirs", nargs=-1, required=True)
@click.option("--details", is_flag=True, help="List every false positive and false negative per field.")
@click.option("--per-file", is_flag=True, help="One row per article instead of the totals.")
@click.option("--format", "fmt", type=FORMAT, help="Output format (table on a terminal, else jsonl).")
@click.pass_context
def eval_(ctx, gold_dirs, details, per_file, fmt):
    """Score extraction against gold files (precision, recall, F1 per field)."""
    from relations.evaluate import evaluate, file_f1, summarise
    from relations.render.output import render

    scores = evaluate(list(gold_dirs), _kb(ctx))
    fmt = _fmt(fmt, "eval")
    if details:
        rows = [{"file": s.name, **m} for s in scores for m in s.misses]
        rows.sort(key=lambda r: (r["field"], r["kind"], r["file"]))
        render(rows, ["field", "kind", "file", "value", "context"], fmt, title="Misses")
        return
    if per_file:
        rows = [{"file": s.name, **file_f1(s)} for s in scores]
        if fmt == "table":  # one short row per article: its mean and the fields below 1.0
            from relations.evaluate import per_file_brief

            render(per_file_brief(rows), ["file", "mean", "below 1.0"], fmt)
            return
        cols = ["file"] + sorted({k for r in rows for k in r if k != "file"})
        render(rows, cols, fmt)
        return
    rows = summarise(scores)
    from relations.event_eval import evaluate_events

    grouped = evaluate_events(list(gold_dirs), _kb(ctx))
    if grouped is not None:
        rows.append(grouped.row)
    render(rows, ["field", "precision", "recall", "f1", "n"], fmt,
           title=f"Extraction quality on {len(scores)} articles")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["parquet", "jsonl", "csv"]),
              help="File format (else from the file name: .parquet, .jsonl, .csv).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write.")
@click.pass_context
def export(ctx, fmt, output):
    """Write the whole archive to one file for other tools (nested fields kept)."""
    from relations.store.export import export as run

    out = run(_archive(ctx), output, fmt=fmt, warn=_warn)
    click.echo(f"{out.records} records written to {out.path} ({out.fmt})"
               + (f", {out.skipped} skipped" if out.skipped else ""))


@main.command()
@click.pass_context
def check(ctx):
    """Validate every line of the archive; print `archive.jsonl:LINE: reason` for each problem."""
    arch = _existing(ctx)
    problems = arch.check()
    for p in problems:
        click.echo(p)
    n = sum(1 for _ in arch.lines())
    click.echo(f"{n} lines checked, {len(problems)} problem{'s' if len(problems) != 1 else ''}")
    if problems:
        ctx.exit(1)


@main.command()
@click.option("--wait", default=30.0, show_default=True, type=click.FloatRange(min=0), help="Seconds to wait for another writer.")
@_engine_options
@click.option("--jobs", "-j", type=click.IntRange(1, 64), help="With --engine dask: local workers (default: the cores).")
@click.pass_context
def reparse(ctx, wait, engine, scheduler, jobs):
    """Parse every record's stored text again with the current dictionaries (an atomic rewrite)."""
    from relations.ingest import reparse as run

    _kb(ctx)  # a malformed dictionary fails here, before the archive is touched
    out = run(_archive(ctx), dict_dirs=ctx.obj["dictionaries"], notify=_warn, timeout=wait,
              engine=_dask(ctx, engine, scheduler, jobs))
    for w in out.warnings + out.failed:
        _warn(w)
    click.echo(f"{out.kept} records re-parsed, {out.changed} changed, {len(out.failed)} kept as they were")
    if out.failed:
        ctx.exit(1)


@main.command()
@click.argument("record_id")
@click.option("--wait", default=30.0, show_default=True, type=click.FloatRange(min=0), help="Seconds to wait for another writer.")
@click.pass_context
def delete(ctx, record_id, wait):
    """Remove one record, by id or unique id prefix (an atomic rewrite)."""
    from relations.ingest import delete as run
    from relations.render.output import visible

    out = run(_archive(ctx), record_id, notify=_warn, timeout=wait)
    for w in out.warnings:
        _warn(w)
    what = f" ({visible(out.what)})" if out.what else ""
    left = (f"; {out.left} more line{'s' if out.left > 1 else ''} with this id kept (delete again to remove "
            "the next)") if out.left else ""
    click.echo(f"deleted {visible(out.removed[0])}{what}{left}")


if __name__ == "__main__":  # pragma: no cover
    main()
