"""The five founding articles, when ../shared/seeds is present: the verdicts the project promises."""
from __future__ import annotations

import datetime as dt

import pytest

from audit.engine import Config, run

from conftest import SEEDS

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles live in ../shared/seeds, "
                                "outside this repository, and are not present here")


@pytest.fixture(scope="module")
def seeds(auditor):
    result = run([SEEDS], Config(as_of=dt.date(2026, 11, 21)), auditor)
    return {d.path.rsplit("/", 1)[-1][:3]: d for d in result.documents}


def verdicts(document, substring, code=None):
    return {f.verdict.value for f in document.findings if substring in f.claim.text and (code is None or f.code == code)}


def test_no_read_errors(seeds):
    assert len(seeds) == 5 and not [d.error for d in seeds.values() if d.error]


def test_crocus_inflated_toll(seeds):
    assert verdicts(seeds["003"], "more than 150") == {"contradicted"}


def test_nato_outdated_member_count(seeds):
    [finding] = [f for f in seeds["000"].findings if f.code == "SA202" and "30" in f.claim.text]
    assert finding.verdict.value == "contradicted" and "Outdated" in finding.message and "32" in finding.message


def test_fabricated_and_misnamed_nato_bodies(seeds):
    findings = {f.code: f for f in seeds["000"].findings if f.verdict.value == "contradicted" and f.claim.claim_type.value == "entity"}
    assert "NIFC" in findings["SA102"].message
    assert any("COE-DAT" in f.message for f in seeds["000"].findings if f.code == "SA103")


def test_verified_counts(seeds):
    assert verdicts(seeds["000"], "seven countries") == {"verified"}
    assert verdicts(seeds["003"], "over 170") == {"verified"}


def test_machine_translated_acronyms(seeds):
    assert verdicts(seeds["004"], "SCEP") == {"contradicted"}
    assert verdicts(seeds["004"], "EDF") == {"contradicted"}


def test_flags(seeds):
    kinds = {name: {f.kind for f in d.flags} for name, d in seeds.items()}
    assert "aggregator" in kinds["002"] and "aggregator" in kinds["004"]
    assert "machine_translation" in kinds["004"]
    assert "aggregator" not in kinds["000"] and "machine_translation" not in kinds["003"]


def test_no_contradiction_on_true_claims(seeds):
    for substring in ("Interpol", "Shanghai Cooperation Organisation", "SAARC", "killed 24", "13 US service members"):
        for document in seeds.values():
            assert "contradicted" not in verdicts(document, substring), substring
