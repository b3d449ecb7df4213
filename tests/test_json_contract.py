"""The JSON report's contract: the keys and types that other tools depend on, and determinism."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from audit.engine import Config, run
from reports import json_report

FIXTURES = Path(__file__).parent / "fixtures" / "cli"


def audit(auditor):
    return run([FIXTURES], Config(as_of=dt.date(2026, 11, 21)), auditor)


def test_top_level_contract(auditor):
    report = json.loads(json_report.render(audit(auditor)))
    assert report["schema_version"] == 1
    assert report["tool"]["name"] == "source-audit" and report["tool"]["version"]
    assert set(report["registry"]) >= {"fingerprint", "entities", "facts", "sources"}
    assert report["registry"]["fingerprint"].startswith("sha256:")
    assert set(report["summary"]) >= {"documents", "verified", "contradicted", "unverified", "flags"}


def test_document_and_finding_contract(auditor):
    report = json.loads(json_report.render(audit(auditor)))
    claim_types = set()
    for document in report["documents"]:
        assert set(document) >= {"path", "language", "published", "source", "flags", "findings", "error"}
        assert set(document["source"]) >= {"url", "domain", "kind"}
        if document["error"]:
            continue
        text = (FIXTURES / Path(document["path"]).name).read_text(encoding="utf-8")
        for finding in document["findings"]:
            assert finding["verdict"] in ("verified", "contradicted", "unverified")
            assert finding["code"][:3] == "SA1" or finding["code"][:3] == "SA2"
            claim_types.add(finding["claim_type"])
            span = finding["span"]
            assert text[span["start"]:span["end"]] == finding["text"]
            assert finding["line"] >= 1 and finding["column"] >= 1
            assert isinstance(finding["message"], str) and finding["message"]
            if finding["reference"] is not None:
                assert {"id", "name", "value", "sources"} <= set(finding["reference"])
                for source in finding["reference"]["sources"]:
                    assert set(source) >= {"url", "title"}
        for flag in document["flags"]:
            assert flag["kind"] in ("aggregator", "machine_translation", "ai_generated", "unreliable_source")
    assert {"entity", "quantity", "date"} <= claim_types


def test_offsets_count_front_matter(auditor):
    report = json.loads(json_report.render(audit(auditor)))
    [clean] = [d for d in report["documents"] if d["path"].endswith("clean.md")]
    finding = next(f for f in clean["findings"] if f["claim_type"] == "quantity")
    assert finding["line"] == 7  # after six lines of front matter


def test_json_is_deterministic(auditor):
    assert json_report.render(audit(auditor)) == json_report.render(audit(auditor))
