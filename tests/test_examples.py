"""The bundled example articles give the verdicts docs/examples.md promises."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audit.engine import Config, run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def examples(auditor):
    result = run([EXAMPLES], Config(today=dt.date(2026, 11, 21)), auditor)
    return {Path(d.path).name: d for d in result.documents}


def verdicts(document, text):
    return {f.verdict.value for f in document.findings if text in f.claim.text}


def test_all_examples_read(examples):
    assert len(examples) == 6
    assert not [d.error for d in examples.values() if d.error]
    assert {d.document.language for d in examples.values()} == {"en", "fr"}


def test_crocus_syndicated(examples):
    doc = examples["en-crocus-toll-syndicated.md"]
    assert verdicts(doc, "killed 139") == {"verified"}      # right on 26 March 2024, the article's date
    assert verdicts(doc, "killed 170") == {"contradicted"}
    assert {f.kind for f in doc.flags} == {"aggregator"}


def test_iskp_explainer(examples):
    doc = examples["en-iskp-global-threat.md"]
    assert verdicts(doc, "more than 150") == {"contradicted"}
    assert {f.code for f in doc.findings if f.verdict.value == "contradicted"} >= {"SA102", "SA103"}
    assert "ai_generated" in {f.kind for f in doc.flags}


def test_nato_partnerships(examples):
    doc = examples["en-nato-partnerships.md"]
    assert verdicts(doc, "32 countries") == {"verified"}
    assert verdicts(doc, "7 partner countries") == {"verified"}
    assert [f.code for f in doc.findings if f.verdict.value == "contradicted"] == ["SA103"]
    assert not doc.flags


def test_undated_explainer(examples):
    doc = examples["en-undated-explainer.txt"]
    assert doc.document.published is None
    assert verdicts(doc, "30 countries") == {"contradicted"}
    assert verdicts(doc, "28 member states") == {"contradicted"}
    assert verdicts(doc, "(SOC)") == {"contradicted"}
    assert verdicts(doc, "193 member states") == {"verified"}
    assert "unverified" in verdicts(doc, "Regional Counter-Extremism Coordination Office")


def test_french_tolls(examples):
    doc = examples["fr-attentats-bilan.md"]
    assert verdicts(doc, "130 morts") == {"verified"}
    assert verdicts(doc, "35 morts") == {"contradicted"}
    outdated = [f for f in doc.findings if "12 morts" in f.claim.text and "Berlin" in f.message]
    assert outdated and outdated[0].message.startswith("Outdated")


def test_french_machine_translated_aggregator(examples):
    doc = examples["fr-eureporter-cep-europe.md"]
    assert verdicts(doc, "SCEP") == {"contradicted"} and verdicts(doc, "EDF") == {"contradicted"}
    assert {f.kind for f in doc.flags} == {"aggregator", "machine_translation"}
    assert [f.code for f in doc.findings if "XNUMX" in f.claim.text] == ["SA204"]
