"""Language knowledge is data: shipped YAML plus the user's own on top."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from relations import knowledge
from relations.cli import main
from relations.countries import find_countries
from relations.errors import DictionaryError
from relations.parser import parse
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
