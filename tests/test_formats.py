"""Every report format, from one audit of one fixture article: golden files, schemas, escaping.

The goldens are `tests/fixtures/formats/expected.*`; after an intended change to a format,
rewrite them with `SOURCE_AUDIT_UPDATE_GOLDEN=1 pytest tests/test_formats.py` and review the diff.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from jsonschema import Draft7Validator, Draft202012Validator

from audit.engine import Config, run
from audit.fingerprint import finding_key
from audit.model import Notice, RegistryInfo, Suppression, Verdict
from claims.model import Span
from references.model import FLAG_KINDS, Source
from reports import github, json_report, markdown
from reports.formats import FORMATS, RenderOptions, render

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
FORMAT_FIXTURES = FIXTURES / "formats"
ARTICLE = "tests/fixtures/formats/article.md"
MISSING = "tests/fixtures/formats/missing.md"  # does not exist: every format shows a document error
AS_OF = dt.date(2024, 4, 2)
GOLDEN = {"text": "text.txt", "concise": "concise.txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif",
          "github": "github.txt", "junit": "junit.xml", "markdown": "md", "claimreview": "claimreview.jsonld"}
OPTIONS = RenderOptions(root=REPO)
UPDATE = os.environ.get("SOURCE_AUDIT_UPDATE_GOLDEN") == "1"


def audit(auditor, *paths: str):
    """Audit repository-relative paths from the repository root, so paths in reports are stable."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        return run(list(paths), Config(as_of=AS_OF), auditor)


@pytest.fixture(scope="module")
def result(auditor):
    """The fixture's audit, with the registry summary pinned so that growing the bundled registry
    does not rewrite every golden file (its findings still come from the real registry)."""
    audited = audit(auditor, ARTICLE, MISSING)
    return dataclasses.replace(audited, registry=RegistryInfo("sha256:0123456789abcdef", 150, 40, 200, 600))


@pytest.fixture(scope="module")
def suppressed(result):
    """The audit with the date finding suppressed inline, the unknown body baselined, and a notice."""
    document = result.documents[0]
    findings = []
    for finding in document.findings:
        if finding.code == "SA213":
            comment = Span(finding.claim.span.start - 3, finding.claim.span.start - 1)
            finding = dataclasses.replace(finding, suppression=Suppression("inline", "checked by the desk", comment))
        elif finding.code == "SA105":
            finding = dataclasses.replace(finding, suppression=Suppression("baseline"))
        findings.append(finding)
    notice = Notice("SA902", "Unused suppression: it matched no finding.", Span(0, 3))
    document = dataclasses.replace(document, findings=tuple(findings), notices=(notice,))
    return dataclasses.replace(result, documents=(document, *result.documents[1:]))


def sarif_validator() -> Draft7Validator:
    return Draft7Validator(json.loads((FIXTURES / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))


def report_schema() -> dict:
    return json_report.json_schema()  # as installed: package data


def test_the_fixture_has_every_kind_of_result(result):
    document, missing = result.documents
    verdicts = {(f.code, f.verdict) for f in document.findings}
    assert {("SA202", Verdict.VERIFIED), ("SA201", Verdict.CONTRADICTED), ("SA105", Verdict.UNVERIFIED),
            ("SA103", Verdict.CONTRADICTED)} <= verdicts
    assert [flag.kind for flag in document.flags] == ["aggregator"]
    assert document.document.published == AS_OF and document.document.url
    assert missing.error


def test_formats_are_the_documented_ones():
    assert set(FORMATS) == set(GOLDEN)
    with pytest.raises(ValueError, match="unknown report format"):
        render("pdf", None)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(result, name):
    output = render(name, result, OPTIONS)
    golden = FORMAT_FIXTURES / f"expected.{GOLDEN[name]}"
    if UPDATE:
        golden.write_text(output, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden.name}: run with SOURCE_AUDIT_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_deterministic(auditor, result, suppressed, name):
    again = dataclasses.replace(audit(auditor, ARTICLE, MISSING), registry=result.registry)
    assert render(name, result, OPTIONS) == render(name, again, OPTIONS)
    assert render(name, suppressed, OPTIONS) == render(name, suppressed, OPTIONS)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_every_problem_appears_with_code_and_position(result, name):
    output = render(name, result, OPTIONS)
    document = result.documents[0]
    for finding in document.findings:
        if finding.verdict is Verdict.VERIFIED and name not in ("json", "jsonl", "claimreview"):
            continue
        if finding.verdict is Verdict.UNVERIFIED and name == "claimreview":
            continue
        assert finding.code in output or name == "claimreview", (name, finding.code)
        line, column = document.document.line_column(finding.claim.span.start)
        if name not in ("claimreview",):
            assert str(line) in output and str(column) in output
    if name != "claimreview":
        assert "SA301" in output
        assert "no such file or directory" in output


def test_sarif_validates_against_the_official_schema(result, suppressed):
    validator = sarif_validator()
    for audit_result in (result, suppressed):
        errors = list(validator.iter_errors(json.loads(render("sarif", audit_result, OPTIONS))))
        assert not errors, [e.message for e in errors[:3]]
    broken = json.loads(render("sarif", result, OPTIONS))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(broken)), "the schema check must be able to fail"


def test_sarif_rules_results_and_fingerprints(result):
    run_ = json.loads(render("sarif", result, OPTIONS))["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "source-audit" and "informationUri" not in run_["tool"]["driver"]
    assert run_["columnKind"] == "unicodeCodePoints"
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert "Failing example" in rule["help"]["markdown"] and "Passing example" in rule["help"]["text"]
    document = result.documents[0]
    findings = {f.claim.text: f for f in document.findings}
    by_level = {}
    for item in run_["results"]:
        assert rules[item["ruleIndex"]]["id"] == item["ruleId"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == ARTICLE
        by_level.setdefault(item["level"], set()).add(item["ruleId"])
        if item["ruleId"].startswith("SA3"):
            assert location["region"]["startLine"] == 19
            continue
        finding = findings[item["properties"]["claim"]]
        assert item["partialFingerprints"] == {"sourceAuditKey/v1": finding_key(ARTICLE, finding)}
        line, column = document.document.line_column(finding.claim.span.start)
        assert (location["region"]["startLine"], location["region"]["startColumn"]) == (line, column)
        assert location["region"]["endColumn"] - column == len(finding.claim.text)
        assert item["properties"]["verdict"] == finding.verdict.value
    assert by_level == {"error": {"SA201", "SA103"}, "warning": {"SA105", "SA213", "SA301"}}
    [invocation] = run_["invocations"]
    assert invocation["executionSuccessful"] is False
    [notification] = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == MISSING


def test_sarif_fingerprints_are_the_baseline_keys(auditor):
    from audit.baseline import baseline_text

    with pytest.MonkeyPatch.context() as patch:  # absolute paths, made relative by `root`
        patch.chdir(FIXTURES)
        absolute = run([str(REPO / ARTICLE)], Config(as_of=AS_OF), auditor)
    keys = {e["key"] for e in json.loads(baseline_text(absolute, REPO))["findings"]}
    results = json.loads(render("sarif", absolute, OPTIONS))["runs"][0]["results"]
    fingerprints = {r["partialFingerprints"]["sourceAuditKey/v1"] for r in results if "partialFingerprints" in r}
    assert fingerprints == keys and len(keys) == 4


def test_sarif_suppressions(suppressed):
    results = json.loads(render("sarif", suppressed, OPTIONS))["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    inline = by_rule["SA213"]["suppressions"]
    assert inline[0]["kind"] == "inSource" and inline[0]["justification"] == "checked by the desk"
    assert inline[0]["location"]["physicalLocation"]["region"]["startLine"] == 17
    assert by_rule["SA105"]["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in by_rule["SA201"]
    notice = by_rule["SA902"]
    assert notice["level"] == "warning" and notice["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_suppressed_findings_are_counted_not_listed(suppressed):
    concise = render("concise", suppressed, OPTIONS)
    assert "SA213" not in concise and "SA105" not in concise
    assert "1 notice, 2 suppressed" in concise and ":1:1: SA902 notice Unused suppression" in concise
    assert "(2 suppressed)" in render("text", suppressed, OPTIONS)
    assert "2 suppressed." in render("markdown", suppressed, OPTIONS)
    commands = render("github", suppressed, OPTIONS)
    assert "SA213" not in commands and "title=SA902 unused-suppression::notice" in commands
    case = ET.fromstring(render("junit", suppressed, OPTIONS)).find("testsuite/testcase")
    assert "2 suppressed" in case.find("system-out").text and "SA213" not in ET.tostring(case, "unicode")


def test_json_report_validates_against_its_published_schema(auditor, result, suppressed):
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    corpus = audit(auditor, "tests/fixtures/cli", "tests/fixtures/inputs")
    for audit_result in (result, suppressed, corpus):
        report = json.loads(render("json", audit_result, RenderOptions(include_text=True)))
        errors = list(validator.iter_errors(report))
        assert not errors, [e.message for e in errors[:3]]
    report = json.loads(render("json", suppressed, OPTIONS))
    assert report["summary"]["suppressed"] == 2 and report["summary"]["notices"] == 1
    date = next(f for f in report["documents"][0]["findings"] if f["code"] == "SA213")
    assert date["suppression"] == {"kind": "inline", "reason": "checked by the desk",
                                   "span": date["suppression"]["span"], "line": 17, "column": 1}


def test_schema_enums_match_the_code():
    from claims.model import ClaimType, Comparator

    defs = report_schema()["$defs"]
    assert set(defs["verdict"]["enum"]) == {v.value for v in Verdict}
    assert set(defs["claimType"]["enum"]) == {c.value for c in ClaimType}
    assert set(defs["flagKind"]["enum"]) == set(FLAG_KINDS)
    quantity = defs["finding"]["properties"]["quantity"]["properties"]
    assert set(quantity["comparator"]["enum"]) == {c.value for c in Comparator}


def test_jsonl_has_one_self_contained_document_per_line(result):
    schema = report_schema()
    validator = Draft202012Validator({"$ref": "#/$defs/document", "$defs": schema["$defs"]})
    lines = render("jsonl", result, RenderOptions(include_text=True)).splitlines()
    assert len(lines) == len(result.documents)
    for line, document in zip(lines, result.documents):
        record = json.loads(line)
        assert record["schema_version"] == 1 and record["tool"]["name"] == "source-audit"
        assert record["path"] == document.path
        assert not list(validator.iter_errors(record))
    assert "text" in json.loads(lines[0])


def test_jsonl_escapes_unicode_line_separators(result):
    document = result.documents[0]
    finding = dataclasses.replace(document.findings[0], message="one\u2028two\u0085three")
    odd = dataclasses.replace(result, documents=(dataclasses.replace(document, findings=(finding,)),))
    output = render("jsonl", odd, OPTIONS)
    assert len(output.splitlines()) == 1
    assert json.loads(output)["findings"][0]["message"] == "one\u2028two\u0085three"


def test_github_escaping():
    line = github.command("error", "100% sure:\r\nno, really", file="a,b:c.md", line=3, title="SA201 x: y, z")
    assert line == "::error file=a%2Cb%3Ac.md,line=3,title=SA201 x%3A y%2C z::100%25 sure:%0D%0Ano, really"


def test_github_escapes_finding_messages_and_writes_the_summary(result, tmp_path):
    document = result.documents[0]
    finding = dataclasses.replace(document.findings[0], verdict=Verdict.CONTRADICTED,
                                  message="50% of 10,000: wrong\nsee: notes")
    odd = dataclasses.replace(result, documents=(dataclasses.replace(document, findings=(finding,), flags=()),))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    commands = render("github", odd, dataclasses.replace(OPTIONS, summary_path=summary))
    assert commands.endswith("::contradicted: 50%25 of 10,000: wrong%0Asee: notes\n")
    assert all(line.startswith("::") for line in commands.splitlines())
    written = summary.read_text(encoding="utf-8")
    assert written == "earlier step\n" + render("markdown", odd, OPTIONS)


def test_junit_names_are_unique_when_a_file_is_given_twice(auditor):
    twice = audit(auditor, ARTICLE, ARTICLE, MISSING)
    root = ET.fromstring(render("junit", twice, OPTIONS))
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == [ARTICLE, ARTICLE + "#2", MISSING]
    assert root.get("tests") == "3" and root.get("failures") == "2" and root.get("errors") == "1"
    assert root.find("testsuite/testcase[3]/error") is not None


def test_junit_escapes_markup_and_control_characters(result):
    document = result.documents[0]
    finding = dataclasses.replace(document.findings[2], message="<b>&amp; \"quoted\"\x00\x1b]]>")
    odd = dataclasses.replace(result, documents=(dataclasses.replace(document, findings=(finding,)),))
    failure = ET.fromstring(render("junit", odd, OPTIONS)).find("testsuite/testcase/failure")
    assert "<b>&amp; \"quoted\"\ufffd\ufffd]]>" in failure.text


def test_markdown_escapes_article_text_and_links_only_http(result):
    document = result.documents[0]
    finding = next(f for f in document.findings if f.verdict is Verdict.CONTRADICTED)
    claim = dataclasses.replace(finding.claim, text="a | b <img src=x onerror=alert(1)> [x](javascript:alert(1)) @team")
    reference = dataclasses.replace(finding.reference, sources=(
        Source("javascript:alert(1)", "Evil"), Source("https://example.org/a b(c)", "Good | source")))
    finding = dataclasses.replace(finding, claim=claim, reference=reference)
    doc = dataclasses.replace(document.document, url="javascript:alert(2)", title="T | <script>")
    odd = dataclasses.replace(result, documents=(dataclasses.replace(document, document=doc, findings=(finding,)),))
    output = render("markdown", odd, OPTIONS)
    assert "a \\| b &lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) @\u200bteam" in output
    html = MarkdownIt("commonmark").enable("table").render(output)  # rich's own Markdown parser
    assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', html))
    assert re.findall(r'href="([^"]*)"', html) == ["https://example.org/a%20b%28c%29"]
    assert "<img" not in html and "<script" not in html
    assert "Evil" not in output  # only http(s) sources are listed
    [row] = [r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "11:42" in r]
    assert row.count("<td") == 6  # no pipe from the article splits the row


def test_markdown_escape_and_link_helpers():
    assert markdown.escape("*bold* `code` $x$ ~s~ _i_\nnext") == "\\*bold\\* \\`code\\` \\$x\\$ \\~s\\~ \\_i\\_ next"
    assert markdown.link("x", "JavaScript:alert(1)") == "x"
    assert markdown.link("x", " https://a.example/") == "x"
    assert markdown.link("x", "https://a.example/") == "[x](https://a.example/)"


def test_claimreview_ratings(result):
    graph = json.loads(render("claimreview", result, OPTIONS))["@graph"]
    document = result.documents[0]
    expected = [f for f in document.findings if f.verdict in (Verdict.VERIFIED, Verdict.CONTRADICTED)]
    assert [r["claimReviewed"] for r in graph] == [f.claim.text for f in expected]
    for review, finding in zip(graph, expected):
        rating = review["reviewRating"]
        assert (rating["ratingValue"], rating["alternateName"]) == (
            (1, "False") if finding.verdict is Verdict.CONTRADICTED else (5, "True"))
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert review["@type"] == "ClaimReview" and "author" not in review and "url" not in review
        assert review["itemReviewed"]["appearance"]["url"] == document.document.url
        assert review["itemReviewed"]["datePublished"] == "2024-04-02"
        assert all(url.startswith("https://") for url in review.get("citation", []))


def test_claimreview_leaves_out_suppressed_findings(suppressed):
    document = suppressed.documents[0]
    crocus = next(f for f in document.findings if f.code == "SA201")
    hidden = dataclasses.replace(crocus, suppression=Suppression("inline", "quoted as said"))
    findings = tuple(hidden if f is crocus else f for f in document.findings)
    odd = dataclasses.replace(suppressed, documents=(dataclasses.replace(document, findings=findings),))
    reviewed = [r["claimReviewed"] for r in json.loads(render("claimreview", odd, OPTIONS))["@graph"]]
    assert crocus.claim.text not in reviewed and reviewed


def test_show_verified_lists_verified_findings(result):
    assert "SA202 verified" not in render("concise", result, OPTIONS)
    shown = RenderOptions(root=REPO, show_verified=True)
    assert "SA202 verified" in render("concise", result, shown)
    assert "::notice file=" in render("github", result, shown)
    assert "✓ verified" in render("markdown", result, shown)
    assert "verified" not in json.dumps(json.loads(render("sarif", result, shown))["runs"][0]["results"]
                                        ).replace("unverified", "")


def test_text_width_and_color(result):
    plain = render("text", result, RenderOptions(width=80))
    assert "\x1b[" not in plain and max(len(line) for line in plain.splitlines()) <= 80
    assert "\x1b[" in render("text", result, RenderOptions(color=True))


def test_paths_outside_root_are_left_as_given(result):
    other = render("concise", result, RenderOptions(root=REPO / "claims"))
    assert other.startswith(ARTICLE + ":")
