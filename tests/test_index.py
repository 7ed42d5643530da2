"""The derived index answers exactly what a full scan answers: after appends, rewrites, damage."""

from __future__ import annotations

import os
import sqlite3

import pytest

from relations import query
from relations.errors import QueryError
from relations.store import index
from relations.store.archive import Archive


@pytest.fixture
def arch(tmp_path, synthetic_archive):
    path = tmp_path / "archive.jsonl"
    synthetic_archive(path, 400, seed=3, pool=30, variation=7)
    with open(path, "ab") as fh:  # the odd lines a hand-edited archive may hold
        fh.write(b"\n")
        fh.write(b"{not json\n")
        fh.write(b"[1, 2]\n")
    a = Archive(path)
    recs = list(a.records())
    extra = dict(recs[5], date=None, id="undated-aaaaaa")
    dup = dict(recs[9], title="the same id twice")
    a.append([extra, dup])
    return a


def scan_warnings(fn):
    got = []
    out = fn(got.append)
    return out, got


def answers(a: Archive, warn):
    """Every question's answer, as comparable data."""
    out = {}
    for since, until in [(None, None), ("2025", None), (None, "2003-06"), ("2010-02", "2012")]:
        for codes in ([], ["VNM"], ["VNM", "CUB"]):
            for topic in (None, "trade"):
                for limit in (None, 3):
                    key = ("list", since, until, tuple(codes), topic, limit)
                    out[key] = [r["id"] + r.get("title", "") for r in
                                index.list_records(a, warn, since=since, until=until, codes=codes, topic=topic,
                                                   limit=limit)]
    for actor in ("nguyen", "Phúc", "DIAZ", "CPV", "zz-nobody", "-"):
        out[("actor", actor)] = [r["id"] for r in index.list_records(a, warn, actor=actor)]
    for x, y in [("VNM", "CUB"), ("CUB", "VNM"), ("VNM", "VNM"), ("JPN", "VNM"), ("USA", "CUB")]:
        for since in (None, "2015"):
            out[("timeline", x, y, since)] = index.timeline(a, x, y, warn, since=since)
    ids = [r["id"] for r in a.records()]
    for p in [ids[0], ids[-1], ids[0][:13], "20", "undated", "1999", "zz", ids[9]]:
        try:
            out[("show", p)] = index.find_record(a, p, warn)["title"]
        except QueryError as exc:
            out[("show", p)] = str(exc)
    return out


def reference(a: Archive):
    """The same questions, asked of query.py's functions over a full scan."""
    os.environ[index.NO_INDEX_ENV] = "1"
    try:
        got = []
        return answers(a, got.append), got
    finally:
        del os.environ[index.NO_INDEX_ENV]


def via_index(a: Archive):
    got = []
    return answers(a, got.append), got


def test_index_agrees_with_a_scan(arch):
    ref, ref_warn = reference(arch)
    got, got_warn = via_index(arch)
    assert index.index_path(arch).exists()
    assert got == ref
    assert set(got_warn) == set(ref_warn) and got_warn
    assert any(v for k, v in ref.items() if k[0] == "timeline")
    assert any(v for k, v in ref.items() if k[0] == "actor")


def _count_builds(monkeypatch):
    calls = []
    orig = index.Index._create
    monkeypatch.setattr(index.Index, "_create", lambda self, conn: (calls.append(1), orig(self, conn)))
    return calls


def test_appends_are_indexed_incrementally(arch, monkeypatch):
    via_index(arch)
    builds = _count_builds(monkeypatch)
    recs = list(arch.records())
    more = [dict(r, id=f"2026-01-0{i + 1}-append{i}", date=f"2026-01-0{i + 1}") for i, r in enumerate(recs[:3])]
    arch.append(more)
    index.refresh(arch)
    assert builds == []
    ref, _ = reference(arch)
    got, _ = via_index(arch)
    assert got == ref
    assert builds == []
    assert "2026-01-03-append2" in [r["id"] for r in index.list_records(arch, since="2026-01-03", until="2026-01-03")]


def test_seen_for_ingest(arch):
    from relations import ingest

    recs = list(arch.records())
    from relations import record

    # one definition of record identity, used by ingest and the index alike
    assert ingest.content_key is index.content_key is record.content_key
    assert ingest.file_key is index.file_key is record.file_key
    assert index.content_key(dict(recs[0], text=recs[0]["text"] + " x")) != index.content_key(recs[0])
    assert index.content_key(dict(recs[0], text=recs[0]["text"] + "\n")) == index.content_key(recs[0])
    for scan in (False, True):
        if scan:
            os.environ[index.NO_INDEX_ENV] = "1"
        try:
            with index.Seen(arch) as seen:
                r = recs[7]
                assert r["id"] in seen.ids and "nope" not in seen.ids
                assert index.content_key(r) in seen.contents and "00" * 32 not in seen.contents
                assert index.file_key(r) in seen.files and "zz" not in seen.files
                seen.ids.add("nope")
                assert "nope" in seen.ids
        finally:
            os.environ.pop(index.NO_INDEX_ENV, None)


def test_a_rewritten_archive_is_reindexed(arch, monkeypatch):
    via_index(arch)
    recs = list(arch.records())
    arch.rewrite(list(reversed(recs[100:300])))
    builds = _count_builds(monkeypatch)
    ref, _ = reference(arch)
    got, _ = via_index(arch)
    assert got == ref and builds


def test_an_in_place_edit_is_noticed(arch):
    via_index(arch)
    data = bytearray(arch.path.read_bytes())
    line_start = data.index(b"\n", len(data) // 2) + 1
    pos = data.index(b'"id":"', line_start) + 6
    data[pos:pos + 4] = b"1888"  # same size, same inode, a different id
    with open(arch.path, "r+b") as fh:
        fh.write(data)
    ref, _ = reference(arch)
    got, _ = via_index(arch)
    assert got == ref


def test_torn_tail_and_damaged_index(arch):
    with open(arch.path, "ab") as fh:
        fh.write(b'{"id": "torn')
    ref, ref_warn = reference(arch)
    got, got_warn = via_index(arch)
    assert got == ref
    assert any("incomplete last line" in w for w in got_warn)
    index.index_path(arch).write_bytes(b"this is not a database" * 100)
    got, _ = via_index(arch)
    assert got == ref
    conn = sqlite3.connect(index.index_path(arch))
    assert conn.execute("SELECT count(*) FROM rec").fetchone()[0] > 400
    conn.close()


def test_deleted_index_and_missing_archive(arch, tmp_path):
    via_index(arch)
    for suffix in ("", "-wal", "-shm"):
        p = str(index.index_path(arch)) + suffix
        if os.path.exists(p):
            os.unlink(p)
    ref, _ = reference(arch)
    assert via_index(arch)[0] == ref
    none = Archive(tmp_path / "none.jsonl")
    assert list(index.list_records(none)) == []
    assert index.timeline(none, "VNM", "CUB") == []
    with pytest.raises(QueryError):
        index.find_record(none, "2020")
    assert not index.index_path(none).exists()


def test_unwritable_folder_falls_back_to_a_scan(arch, monkeypatch):
    monkeypatch.setattr(index.Index, "_connect", lambda self: (_ for _ in ()).throw(index.Unusable("read-only")))
    warned = []
    got = [r["id"] for r in index.list_records(arch, warned.append, limit=5)]
    want = [r["id"] for r in query.newest_first(arch.records(), 5)]
    assert got == want and any("index not used" in w for w in warned)
