"""Baselines: keyed on rule + path + normalised claim text, counted per occurrence."""
from __future__ import annotations

import json

import pytest

from audit.baseline import Baseline, BaselineError, relative_path
from audit.cli import cli

AS_OF = ["--as-of", "2026-11-21"]
TOLL = "The Crocus City Hall attack killed more than 150 people."
UNKNOWN = "The Joint Counter-Extremism Fusion Unit (JCEFU) was set up last year."


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    (tmp_path / "source-audit.toml").write_text("", encoding="utf-8")  # the project root
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(runner, *args):
    return runner.invoke(cli, ["check", *args, *AS_OF])


def write(project, text, name="content/a.md"):
    (project / name).write_text(text, encoding="utf-8")


def test_write_then_check_against_the_baseline(runner, project):
    write(project, f"Intro.\n\n{TOLL}\n\n{UNKNOWN}\n")
    assert check(runner, "content").exit_code == 1
    written = check(runner, "content", "--write-baseline", "baseline.json")
    assert written.exit_code == 0, written.output
    assert "wrote 2 finding(s)" in written.stderr and "0 new, 2 baselined" in written.stderr
    data = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["tool"] == "source-audit"
    assert [(e["code"], e["path"]) for e in data["findings"]] == [("SA105", "content/a.md"), ("SA201", "content/a.md")]
    assert {e["text"] for e in data["findings"]} == {"killed more than 150", "Joint Counter-Extremism Fusion Unit (JCEFU)"}
    result = check(runner, "content", "--baseline", "baseline.json", "--fail-on", "unverified", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "0 new, 2 baselined" in result.stderr
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert {f["suppression"]["kind"] for f in findings if f["verdict"] != "verified"} == {"baseline"}


def test_the_baseline_is_deterministic(runner, project):
    write(project, f"{TOLL}\n\n{UNKNOWN}\n")
    check(runner, "content", "--write-baseline", "one.json")
    check(runner, "content", "--write-baseline", "two.json")
    assert (project / "one.json").read_bytes() == (project / "two.json").read_bytes()


def test_moved_and_rewrapped_text_stays_baselined(runner, project):
    write(project, f"{TOLL}\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    write(project, "A new first paragraph.\n\nAnd another one.\n\n"
                   "The Crocus City Hall attack killed more\nthan 150 people.\n")
    result = check(runner, "content", "--baseline", "baseline.json")
    assert result.exit_code == 0 and "0 new, 1 baselined" in result.stderr


def test_each_entry_matches_one_occurrence(runner, project):
    write(project, f"{TOLL}\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    write(project, f"{TOLL}\n\nLater: {TOLL}\n")
    result = check(runner, "content", "--baseline", "baseline.json")
    assert result.exit_code == 1 and "1 new, 1 baselined" in result.stderr


def test_a_finding_in_another_file_or_of_another_rule_is_new(runner, project):
    write(project, f"{TOLL}\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    write(project, f"{TOLL}\n", name="content/b.md")
    result = check(runner, "content", "--baseline", "baseline.json")
    assert result.exit_code == 1 and "1 new, 1 baselined" in result.stderr


def test_keys_do_not_depend_on_the_working_directory(runner, project, monkeypatch):
    write(project, f"{TOLL}\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    monkeypatch.chdir(project / "content")
    result = check(runner, "a.md", "--baseline", "../baseline.json")
    assert result.exit_code == 0 and "0 new, 1 baselined" in result.stderr
    result = check(runner, str(project / "content" / "a.md"), "--baseline", str(project / "baseline.json"))
    assert result.exit_code == 0


def test_inline_suppressed_and_verified_findings_are_not_written(runner, project):
    write(project, f"<!-- source-audit: ignore SA201 quoted -->\n{TOLL}\n\nNATO is an alliance of 32 countries.\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    assert json.loads((project / "baseline.json").read_text(encoding="utf-8"))["findings"] == []


def test_notices_are_not_baselined(runner, project):
    write(project, f"<!-- source-audit: ignore SA201 -->\n{TOLL}\n")
    result = check(runner, "content", "--write-baseline", "baseline.json")
    assert result.exit_code == 1  # SA901: a suppression without a reason


@pytest.mark.parametrize("content,message", [
    (None, "no such baseline file"), ("{", "not valid JSON"), ('{"findings": []}', "not a source-audit baseline"),
    ('{"version": 9, "tool": "source-audit", "findings": []}', "version 9"),
    ('{"version": 1, "tool": "source-audit", "findings": [{}]}', "findings[0]"),
])
def test_unusable_baseline_is_a_usage_error(runner, project, content, message):
    write(project, f"{TOLL}\n")
    if content is not None:
        (project / "baseline.json").write_text(content, encoding="utf-8")
    result = check(runner, "content", "--baseline", "baseline.json")
    assert result.exit_code == 2 and message in result.output


def test_write_baseline_and_changed_since_do_not_combine(runner, project):
    result = check(runner, "content", "--write-baseline", "b.json", "--changed-since", "main")
    assert result.exit_code == 2 and "--changed-since" in result.output


def test_relative_path(tmp_path):
    (tmp_path / "feed.jsonl").write_text("", encoding="utf-8")
    assert relative_path(str(tmp_path / "a" / "b.md"), tmp_path) == "a/b.md"
    assert relative_path(str(tmp_path / "feed.jsonl") + "#42", tmp_path) == "feed.jsonl#42"
    assert relative_path("<stdin>", tmp_path) == "<stdin>"
    assert relative_path("/elsewhere/x.md", tmp_path) == "/elsewhere/x.md"


def test_from_text_rejects_garbage():
    with pytest.raises(BaselineError):
        Baseline.from_text("[]")
    assert Baseline.from_text('{"version": 1, "tool": "source-audit", "findings": [{"key": "k"}, {"key": "k"}]}').size == 2


def test_rewriting_a_baseline_keeps_what_the_old_one_matched(runner, project):
    write(project, f"{TOLL}\n\n{UNKNOWN}\n")
    check(runner, "content", "--write-baseline", "baseline.json")
    before = (project / "baseline.json").read_bytes()
    result = check(runner, "content", "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert result.exit_code == 0 and (project / "baseline.json").read_bytes() == before
