"""Language knowledge is data: shipped YAML plus the user's own on top."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from relations.cli import main
from relations.errors import DictionaryError
from relations.knowledge import loader as knowledge
from relations.parser import parse
from relations.parser.countries import find_countries
from relations.text import fold


@pytest.mark.parametrize("form,code", [
    ("Việt Nam", "VNM"), ("Viet Nam", "VNM"), ("Vietnam", "VNM"), ("VIETNAM", "VNM"), ("Vietnamese", "VNM"),
    ("Cuban", "CUB"), ("the U.S.", "USA"), ("Lao", "LAO"), ("RoK", "KOR"), ("Russian Federation", "RUS"),
])
def test_country_forms_in_text(kb, form, code):
    text = f"Officials from {form} attended."
    got = [m.code for m in find_countries(text, fold(text), kb)]
    assert got == [code]


def test_region_words_are_not_countries(kb):
    text = "Leaders from Latin America and the South China Sea question."
    assert find_countries(text, fold(text), kb) == []


def test_user_query_forms(kb):
    assert kb.country_code("vietnam") == "VNM"
    assert kb.country_code("VNM") == "VNM"
    assert kb.country_code("cuban") == "CUB"
    assert kb.country_code("Narnia") is None


def test_user_dictionary_adds_an_alias_and_a_topic_keyword(tmp_path):
    (tmp_path / "countries.yaml").write_text("CUB:\n  aliases: [Pearl of the Antilles]\n", encoding="utf-8")
    (tmp_path / "topics.yaml").write_text("topics:\n  - id: energy\n    keywords: [windmills]\n", encoding="utf-8")
    kb = knowledge.load([tmp_path])
    text = " date 2024-01-02 HANOI — Vietnam and the Pearl of the Antilles agreed to build windmills."
    rec = parse(text, kb=kb)
    assert "CUB" in rec["parties"]
    assert "energy" in rec["topics"]
    assert "energy" not in parse(text, kb=knowledge.load())["topics"]


def test_malformed_dictionary_names_file_and_line(tmp_path):
    bad = tmp_path / "topics.yaml"
    bad.write_text("topics:\n  - id: energy\n    keywords: [wind\n", encoding="utf-8")
    with pytest.raises(DictionaryError) as err:
        knowledge.load([tmp_path])
    assert str(bad) in str(err.value) and ":4" in str(err.value)


def test_malformed_dictionary_is_one_line_cli_error(tmp_path):
    (tmp_path / "countries.yaml").write_text("- just a list\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["--dictionaries", str(tmp_path), "ingest", str(tmp_path)])
    assert res.exit_code == 1
    assert res.output.startswith("error: ") and "countries.yaml" in res.output


def test_unknown_iso_code_in_user_dictionary(tmp_path):
    (tmp_path / "countries.yaml").write_text("XYZ:\n  aliases: [Nowhere]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="'XYZ' is not an ISO 3166-1 alpha-3 code"):
        knowledge.load([tmp_path])


# the derived cache of the loaded dictionaries -------------------------------------------------------------------------

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A cache folder of this test only, and no in-process memo of earlier loads."""
    folder = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv(knowledge.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv("RELATIONS_DICTIONARIES", raising=False)
    knowledge._load_cached.cache_clear()
    yield folder
    knowledge._load_cached.cache_clear()


def fresh(dirs=(), monkeypatch=None):
    """A load that reads every YAML file and pycountry, whatever is cached."""
    knowledge._load_cached.cache_clear()
    monkeypatch.setenv(knowledge.NO_CACHE_ENV, "1")
    try:
        return knowledge.load(list(dirs))
    finally:
        monkeypatch.delenv(knowledge.NO_CACHE_ENV)
        knowledge._load_cached.cache_clear()


def cached(dirs=(), monkeypatch=None):
    """A load that must come from the cache file: reading the sources fails."""
    knowledge._load_cached.cache_clear()
    with monkeypatch.context() as m:
        m.setattr(knowledge, "_read_sources", lambda d: pytest.fail("the cache was not used"))
        kb = knowledge.load(list(dirs))
    knowledge._load_cached.cache_clear()
    return kb


def same(a: knowledge.Knowledge, b: knowledge.Knowledge) -> None:
    assert a.data == b.data
    assert a.country_names == b.country_names
    assert a.lookup == b.lookup
    assert a.exact_countries == b.exact_countries
    assert (a.exact_pattern and a.exact_pattern.pattern) == (b.exact_pattern and b.exact_pattern.pattern)
    assert sorted(a.country_matcher._auto.items()) == sorted(b.country_matcher._auto.items())


def test_cached_load_equals_a_fresh_load(cache_dir, monkeypatch, seed_texts):
    first = knowledge.load()
    path = knowledge.cache_path(())
    assert path.is_file() and path.parent == cache_dir / "relations"
    again = cached(monkeypatch=monkeypatch)
    new = fresh(monkeypatch=monkeypatch)
    same(again, new)
    same(first, new)
    for text in seed_texts.values():
        assert parse(text, kb=again) == parse(text, kb=new)


def test_cache_with_user_dictionaries_equals_a_fresh_load(cache_dir, tmp_path, monkeypatch):
    user = tmp_path / "mine"
    user.mkdir()
    (user / "countries.yaml").write_text("CUB:\n  aliases: [Pearl of the Antilles]\n", encoding="utf-8")
    knowledge.load([user])
    assert knowledge.cache_path((str(user),)) != knowledge.cache_path(())
    kb = cached([user], monkeypatch)
    same(kb, fresh([user], monkeypatch))
    assert kb.country_code("pearl of the antilles") == "CUB"


def test_a_changed_dictionary_invalidates_the_cache(cache_dir, tmp_path, monkeypatch):
    shipped = tmp_path / "data"
    shipped.mkdir()
    for f in knowledge.DATA_DIR.glob("*.yaml"):
        (shipped / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(knowledge, "DATA_DIR", shipped)
    user = tmp_path / "mine"
    user.mkdir()
    (user / "topics.yaml").write_text("topics:\n  - id: energy\n    keywords: [windmills]\n", encoding="utf-8")
    knowledge.load([user])
    cached([user], monkeypatch)

    # a user file edited
    (user / "topics.yaml").write_text("topics:\n  - id: energy\n    keywords: [solar sails]\n", encoding="utf-8")
    knowledge._load_cached.cache_clear()
    kb = knowledge.load([user])
    keywords = [k for t in kb.section("topics", "topics") if t["id"] == "energy" for k in t.get("keywords") or []]
    assert "solar sails" in keywords and "windmills" not in keywords
    same(cached([user], monkeypatch), fresh([user], monkeypatch))

    # a user file added, then a shipped file edited
    (user / "countries.yaml").write_text("CUB:\n  aliases: [Pearl of the Antilles]\n", encoding="utf-8")
    knowledge._load_cached.cache_clear()
    assert knowledge.load([user]).country_code("pearl of the antilles") == "CUB"
    with open(shipped / "countries.yaml", "a", encoding="utf-8") as fh:
        fh.write("\nLAO:\n  aliases: [Land of a Million Elephants]\n")
    knowledge._load_cached.cache_clear()
    assert knowledge.load([user]).country_code("land of a million elephants") == "LAO"
    same(cached([user], monkeypatch), fresh([user], monkeypatch))


def test_errors_are_reported_whatever_is_cached(cache_dir, tmp_path, monkeypatch):
    user = tmp_path / "mine"
    user.mkdir()
    knowledge.load([user])  # an empty folder: cached
    bad = user / "topics.yaml"
    bad.write_text("topics:\n  - id: energy\n    keywords: [wind\n", encoding="utf-8")
    knowledge._load_cached.cache_clear()
    with pytest.raises(DictionaryError) as err:
        knowledge.load([user])
    assert str(bad) in str(err.value) and ":4" in str(err.value)
    bad.unlink()
    user.rmdir()
    knowledge._load_cached.cache_clear()
    with pytest.raises(DictionaryError, match="dictionary folder not found"):
        knowledge.load([user])


@pytest.mark.parametrize("damage", [b"", b"{not json", b"[1, 2]", b'{"format": 1, "key": "x"}', None])
def test_a_damaged_cache_is_ignored_and_rebuilt(cache_dir, monkeypatch, damage):
    import orjson

    knowledge.load()
    path = knowledge.cache_path(())
    if damage is None:  # the right key, data of the wrong shape
        got = orjson.loads(path.read_bytes())
        got["data"]["countries"] = ["not", "a", "mapping"]
        damage = orjson.dumps(got)
    path.write_bytes(damage)
    knowledge._load_cached.cache_clear()
    kb = knowledge.load()
    same(kb, fresh(monkeypatch=monkeypatch))
    assert orjson.loads(path.read_bytes())["key"]  # written again, whole
    same(cached(monkeypatch=monkeypatch), kb)


def test_no_cache_when_disabled_or_unwritable(cache_dir, monkeypatch, tmp_path):
    monkeypatch.setenv(knowledge.NO_CACHE_ENV, "1")
    assert knowledge.cache_path(()) is None
    knowledge.load()
    assert not cache_dir.exists()
    monkeypatch.delenv(knowledge.NO_CACHE_ENV)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would go
    knowledge._load_cached.cache_clear()
    assert knowledge.load().country_code("vietnam") == "VNM"


def test_yaml_that_json_cannot_keep_is_refused_and_not_cached(cache_dir, tmp_path, monkeypatch):
    import datetime

    user = tmp_path / "mine"
    user.mkdir()
    (user / "agreements.yaml").write_text("vague:\n  - the accords\n  - 2024-01-02\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"agreements\.yaml:3: key 'vague\[1\]' must be a string, not a date"):
        knowledge.load([user])
    assert not knowledge.cache_path((str(user),)).exists()
    # and should such a value reach the cache writer, it is not kept: JSON would give it back as a string
    path = tmp_path / "kept.json"
    knowledge._write_cache(path, "key", {"events": {"on": datetime.date(2024, 1, 2)}}, [])
    assert not path.exists()


def test_dictionaries_are_read_only_by_the_safe_loaders(tmp_path, monkeypatch):
    import yaml

    used = []

    def spy(name, cls):
        class Spy(cls):
            def __init__(self, *args, **kwargs):
                used.append(name)
                super().__init__(*args, **kwargs)
        return Spy

    for name in ("SafeLoader", "CSafeLoader", "Loader", "CLoader", "FullLoader", "CFullLoader", "UnsafeLoader",
                 "CUnsafeLoader", "BaseLoader", "CBaseLoader"):
        if hasattr(yaml, name):
            monkeypatch.setattr(yaml, name, spy(name, getattr(yaml, name)))
    monkeypatch.setenv("RELATIONS_NO_CACHE", "1")
    user = tmp_path / "mine"
    user.mkdir()
    (user / "topics.yaml").write_text("topics: [{id: energy, keywords: [hydropower]}]\n", encoding="utf-8")
    knowledge._load_cached.cache_clear()
    try:
        knowledge.load([user])
        bad = tmp_path / "bad"
        bad.mkdir()
        (bad / "topics.yaml").write_text("topics: [\n", encoding="utf-8")
        with pytest.raises(DictionaryError):
            knowledge.load([bad])
    finally:
        knowledge._load_cached.cache_clear()
    assert used and set(used) <= {"SafeLoader", "CSafeLoader"}, used

def test_each_install_keeps_its_own_cache_and_old_ones_are_pruned(cache_dir, monkeypatch):
    import relations

    knowledge.load()
    mine = knowledge.cache_path(())
    monkeypatch.setattr(relations, "__version__", "another-install")  # another install's fingerprint
    knowledge._load_cached.cache_clear()
    knowledge.load()
    other = knowledge.cache_path(())
    assert other != mine and mine.is_file() and other.is_file()  # neither evicts the other
    for i in range(knowledge.CACHE_KEEP + 3):
        monkeypatch.setattr(relations, "__version__", f"install-{i}")
        knowledge._load_cached.cache_clear()
        knowledge.load()
    assert len(list((cache_dir / "relations").glob("knowledge-*.json"))) == knowledge.CACHE_KEEP
    assert knowledge.cache_path(()).is_file()  # the newest is kept
