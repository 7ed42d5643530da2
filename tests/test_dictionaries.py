"""Dictionaries as validated data: the shipped files' integrity, and a user's mistake named by file and line."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from conftest import SEEDS
from relations.cli import main
from relations.errors import DictionaryError
from relations.knowledge import DATA_DIR, loader, schema


@pytest.fixture(autouse=True)
def fresh_load(monkeypatch):
    monkeypatch.setenv("RELATIONS_NO_CACHE", "1")
    loader._load_cached.cache_clear()
    yield
    loader._load_cached.cache_clear()


def _shipped(name: str) -> dict:
    return yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", loader.FILES)
def test_every_shipped_file_has_a_declared_shape_and_keeps_it(name):
    assert name in schema.SCHEMA
    schema.validate(name, _shipped(name), f"{name}.yaml")


def test_every_file_of_the_schema_is_loaded():
    assert set(schema.SCHEMA) == set(loader.FILES)


def test_shipped_country_codes_are_real_and_topics_are_unique(kb):
    import pycountry

    real = {c.alpha_3 for c in pycountry.countries}
    assert set(_shipped("places")) <= real
    assert {k for k in _shipped("countries") if k != "not_countries"} <= real
    ids = [t["id"] for t in _shipped("topics")["topics"]]
    assert len(ids) == len(set(ids))
    assert {c["topic"] for c in _shipped("topics")["scoped_cues"]} <= set(ids)
    national = _shipped("organizations")["national"]
    assert {o["country"] for o in national if "country" in o} <= real


def _user(tmp_path, name, text):
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "text", "message"), [
    ("organizations", "agencies:\n  - acronym: XYZ\n", r"organizations\.yaml:2: key 'agencies\[0\]' needs a 'name'"),
    ("organizations", "national:\n  - name: Ministry of Fun\n    country: Funland\n",
     r"organizations\.yaml:3: key 'national\[0\]\.country' must be an alpha-3 country code"),
    ("names", "offices:\n  - Governor\n  - {title: Mayor}\n", r"names\.yaml:3: key 'offices\[1\]' must be a string"),
    ("names", "ofices:\n  - Governor\n", r"names\.yaml:1: key 'ofices' is not known here"),
    ("topics", "topics:\n  - label: Water\n", r"topics\.yaml:2: key 'topics\[0\]' needs an 'id'"),
    ("places", "Atlantis:\n  capital: Poseidonia\n", r"places\.yaml:1: key 'Atlantis' is not an alpha-3 country code"),
    ("events", "types: [talks]\n", r"events\.yaml:1: key 'types' must be a mapping, not a list"),
    ("countries", "VNM: [Viet]\n", r"countries\.yaml:1: key 'VNM' must be a mapping \(aliases, demonyms, \.\.\.\), not a list"),
])
def test_a_user_mistake_is_one_line_naming_file_line_and_key(tmp_path, name, text, message):
    folder = _user(tmp_path, name, text)
    with pytest.raises(DictionaryError, match=message):
        loader.load([folder])


def test_ingest_with_a_bad_user_file_is_one_line_and_ingests_nothing(tmp_path):
    folder = _user(tmp_path, "organizations", "agencies:\n  - acronym: XYZ\n")
    archive = tmp_path / "a.jsonl"
    result = CliRunner().invoke(main, ["--archive", str(archive), "--dictionaries", str(folder),
                                       "ingest", str(SEEDS)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "needs a 'name'" in lines[0] and "organizations.yaml:2" in lines[0]
    assert "Traceback" not in result.output
    assert not archive.exists() or archive.read_bytes() == b""


def test_a_good_user_file_still_merges(tmp_path):
    folder = _user(tmp_path, "organizations", "agencies:\n  - name: Example News Agency\n    acronym: ENA\n")
    kb = loader.load([folder])
    assert any(a["name"] == "Example News Agency" for a in kb.data["organizations"]["agencies"])
    assert len(kb.data["organizations"]["agencies"]) == len(_shipped("organizations")["agencies"]) + 1
