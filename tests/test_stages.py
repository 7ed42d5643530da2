"""The parser's stages: declared needs are made earlier, and a stage reads only what it declares."""

from __future__ import annotations

import copy
from dataclasses import fields

import pytest

from conftest import CORPUS, SEEDS, needs_corpus
from relations.errors import ParseError
from relations.parser.doc import Doc, ParseOptions
from relations.parser.pipeline import new_doc, parse
from relations.parser.stages import INPUTS, STAGES, run


def test_every_need_is_made_by_an_earlier_stage():
    made = set(INPUTS)
    for stage in STAGES:
        missing = set(stage.needs) - made
        assert not missing, f"stage {stage.name} needs {sorted(missing)} before any stage makes it"
        made |= set(stage.makes)


def test_every_field_of_the_doc_is_made_by_some_stage():
    made = set(INPUTS) | {name for stage in STAGES for name in stage.makes}
    assert {f.name for f in fields(Doc)} == made


def test_stage_names_are_unique():
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names))


def _texts():
    yield from sorted(SEEDS.glob("*.txt"))
    if (CORPUS / "dev").is_dir():
        yield from sorted((CORPUS / "dev").glob("*.txt"))[:12]


@pytest.mark.parametrize("path", list(_texts()), ids=lambda p: p.name)
def test_each_stage_reads_only_what_it_declares_and_makes_what_it_says(path, kb):
    doc = new_doc(path.read_text(encoding="utf-8"), {"path": path.name}, ParseOptions(default_date="2020-01-01"), kb)
    for stage in STAGES:
        alone = Doc(doc.text, doc.source, kb, doc.options)
        for name in stage.needs:
            if name not in INPUTS:
                setattr(alone, name, copy.deepcopy(getattr(doc, name), {id(kb): kb}))
        stage.run(alone)  # AttributeError here: the stage reads a field it does not declare
        for name in stage.makes:
            assert hasattr(alone, name), f"stage {stage.name} did not make {name}"
        stage.run(doc)


def test_running_the_stages_is_parsing(kb):
    path = sorted(SEEDS.glob("*.txt"))[0]
    text = path.read_text(encoding="utf-8")
    doc = run(new_doc(text, None, ParseOptions(), kb))
    record = parse(text, kb=kb)
    assert doc.parties == record["parties"] and doc.pub == record["date"]


@needs_corpus
def test_a_stage_can_be_run_alone_on_real_text(kb):
    text = sorted((CORPUS / "dev").glob("*.txt"))[0].read_text(encoding="utf-8")
    doc = new_doc(text, None, ParseOptions(default_date="2020-01-01"), kb)
    for stage in STAGES[:2]:
        stage.run(doc)
    assert doc.body and doc.sentences and not hasattr(doc, "persons")


def test_refusals_happen_before_any_stage(kb):
    with pytest.raises(ParseError, match="empty"):
        new_doc("   \n", None, ParseOptions(), kb)
