"""--changed-since: only files changed in git, only findings on added or modified lines.

The end-to-end test is the CI story: a content repository with a reviewed article and a
baseline, a branch that adds a contradicted casualty figure, the gate failing on exactly that
claim, and passing once an editor suppresses it with a reason.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from audit.changes import GitError, changed_since, parse_diff, top_level
from audit.cli import cli, main

AS_OF = ["--as-of", "2026-11-21"]
REVIEWED = """---
title: Moscow attack
published: 2024-03-25
---
The attack on Crocus City Hall in Moscow was claimed by the Islamic State.

The Joint Counter-Extremism Fusion Unit (JCEFU) was set up last year.

NATO is an alliance of 32 countries.
"""
NEW_TOLL = "The Crocus City Hall attack killed more than 150 people."


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false",
                    *args], cwd=repo, check=True, capture_output=True, timeout=60)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "newsroom"
    (root / "content").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "content" / "moscow.md").write_text(REVIEWED, encoding="utf-8")
    (root / "content" / "other.md").write_text("Interpol circulates Red Notices.\n", encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Reviewed articles")
    monkeypatch.chdir(root)
    return root


def commit(repo, message):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def test_end_to_end_new_claim_on_a_branch_fails_until_suppressed_with_a_reason(repo, capsys):
    assert main(["check", "content", "--write-baseline", ".source-audit-baseline.json", *AS_OF]) == 0
    baseline = json.loads((repo / ".source-audit-baseline.json").read_text(encoding="utf-8"))
    assert [e["code"] for e in baseline["findings"]] == ["SA105", "SA213"]  # unknown unit, "last year"
    commit(repo, "Baseline")
    git(repo, "checkout", "-q", "-b", "toll")
    article = repo / "content" / "moscow.md"
    article.write_text(REVIEWED + f"\n{NEW_TOLL}\n", encoding="utf-8")
    commit(repo, "Add the toll")
    capsys.readouterr()

    gate = ["check", "content", "--changed-since", "main", "--baseline", ".source-audit-baseline.json",
            "--format", "json", *AS_OF]
    assert main(gate) == 1
    out = capsys.readouterr()
    report = json.loads(out.out)
    assert [d["path"] for d in report["documents"]] == ["content/moscow.md"]  # other.md did not change
    findings = report["documents"][0]["findings"]
    assert [(f["code"], f["verdict"], f["text"], f["line"]) for f in findings] == [
        ("SA201", "contradicted", "killed more than 150", 11)]
    assert "1 new, 0 baselined" in out.err

    article.write_text(REVIEWED + "\n<!-- source-audit: ignore SA201 The figure first reported; the article "
                                  "says it was revised. -->\n" + NEW_TOLL + "\n", encoding="utf-8")
    assert main(gate) == 0
    findings = json.loads(capsys.readouterr().out)["documents"][0]["findings"]
    assert [(f["code"], f["suppression"]["kind"]) for f in findings] == [("SA201", "inline")]

    article.write_text(REVIEWED + "\n<!-- source-audit: ignore SA201 -->\n" + NEW_TOLL + "\n", encoding="utf-8")
    assert main(gate) == 1  # no reason: SA901
    notices = json.loads(capsys.readouterr().out)["documents"][0]["notices"]
    assert [n["code"] for n in notices] == ["SA901"]


def test_without_changed_since_the_baseline_alone_still_quiets_old_findings(repo, runner):
    runner.invoke(cli, ["check", "content", "--write-baseline", "b.json", *AS_OF])
    result = runner.invoke(cli, ["check", "content", "--baseline", "b.json", "--fail-on", "unverified", *AS_OF])
    assert result.exit_code == 0 and "0 new, 2 baselined" in result.stderr


def test_uncommitted_and_untracked_changes_count(repo, runner):
    (repo / "content" / "other.md").write_text(f"Interpol circulates Red Notices.\n{NEW_TOLL}\n", encoding="utf-8")
    (repo / "content" / "draft.md").write_text(f"{NEW_TOLL}\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "content", "--changed-since", "HEAD", "--format", "json", *AS_OF])
    assert result.exit_code == 1
    documents = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert sorted(documents) == ["content/draft.md", "content/other.md"]
    assert [f["line"] for f in documents["content/other.md"]["findings"]] == [2]


def test_only_added_or_modified_lines_are_reported(repo, runner):
    git(repo, "checkout", "-q", "-b", "edit")
    text = REVIEWED.replace("NATO is an alliance of 32 countries.", "NATO is an alliance of 30 countries.")
    (repo / "content" / "moscow.md").write_text(text, encoding="utf-8")
    commit(repo, "edit")
    result = runner.invoke(cli, ["check", "content", "--changed-since", "main", "--format", "json",
                                 "--fail-on", "unverified", *AS_OF])
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert [(f["code"], f["verdict"], f["line"]) for f in findings] == [
        ("SA101", "verified", 9), ("SA202", "contradicted", 9)]  # SA105 on line 7 is old
    assert result.exit_code == 1


def test_a_copy_pasted_above_a_baselined_claim_is_the_new_one(repo, runner):
    (repo / "content" / "moscow.md").write_text(REVIEWED + f"\n{NEW_TOLL}\n", encoding="utf-8")
    runner.invoke(cli, ["check", "content", "--write-baseline", "b.json", *AS_OF])
    commit(repo, "toll reviewed")
    git(repo, "checkout", "-q", "-b", "copy")
    text = REVIEWED.replace("NATO is", f"{NEW_TOLL}\n\nNATO is") + f"\n{NEW_TOLL}\n"
    (repo / "content" / "moscow.md").write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["check", "content", "--changed-since", "main", "--baseline", "b.json",
                                 "--format", "json", *AS_OF])
    # the baseline entry goes to the old copy (line 13, untouched, so not reported); the paste is new
    assert result.exit_code == 1 and "1 new, 0 baselined" in result.stderr
    findings = json.loads(result.stdout)["documents"][0]["findings"]
    assert [(f["line"], f.get("suppression")) for f in findings] == [(9, None)]


def test_html_and_jsonl_files_count_as_changed_in_full(repo, runner):
    (repo / "content" / "page.html").write_text(
        f"<html><body><article><p>Some introductory text that the extractor keeps as the article.</p>"
        f"<p>{NEW_TOLL}</p></article></body></html>", encoding="utf-8")
    (repo / "content" / "feed.jsonl").write_text(json.dumps({"id": "x", "text": NEW_TOLL}) + "\n", encoding="utf-8")
    commit(repo, "pages")
    (repo / "content" / "feed.jsonl").write_text(json.dumps({"id": "x", "text": NEW_TOLL}) + "\n"
                                                 + json.dumps({"id": "y", "text": "Nothing."}) + "\n",
                                                 encoding="utf-8")
    result = runner.invoke(cli, ["check", "content", "--changed-since", "HEAD", "--format", "json", *AS_OF])
    documents = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert sorted(documents) == ["content/feed.jsonl#x", "content/feed.jsonl#y"]
    assert [f["code"] for f in documents["content/feed.jsonl#x"]["findings"]] == ["SA201"]


def test_explicit_unchanged_files_are_skipped(repo, runner):
    result = runner.invoke(cli, ["check", "content/moscow.md", "--changed-since", "HEAD", *AS_OF])
    assert result.exit_code == 0 and "0 document(s) in files changed since HEAD" in result.stderr


def test_unknown_revision_is_a_usage_error(repo, runner):
    result = runner.invoke(cli, ["check", "content", "--changed-since", "no-such-branch"])
    assert result.exit_code == 2 and "unknown git revision 'no-such-branch'" in result.output
    result = runner.invoke(cli, ["check", "content", "--changed-since", "--upload-pack=x"])
    assert result.exit_code == 2


def test_not_a_git_repository_is_a_usage_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "a.md").write_text("text\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", "a.md", "--changed-since", "main"])
    assert result.exit_code == 2 and "needs a git repository" in result.output
    with pytest.raises(GitError):
        changed_since("main", tmp_path)


def test_parse_diff():
    diff = ("diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1,0 +2,3 @@\n+a\n+b\n+c\n@@ -9 +12 @@\n-x\n+y\n"
            "@@ -20,2 +22,0 @@\n-gone\n-gone\n"
            'diff --git "a/caf\\303\\251 x.md" "b/caf\\303\\251 x.md"\n--- /dev/null\n+++ "b/caf\\303\\251 x.md"\n'
            "@@ -0,0 +1 @@\n+new\n"
            "diff --git a/old.md b/old.md\n--- a/old.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n")
    assert parse_diff(diff) == {"x.md": {2, 3, 4, 12}, "café x.md": {1}}


def _git_says(folder) -> str | None:
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True, timeout=60)
    return proc.stdout.strip() if proc.returncode == 0 else None


def test_top_level_is_where_git_says_without_running_it(repo, tmp_path, monkeypatch):
    """Every audit roots its report paths at the work tree, found by looking for `.git` (not by
    starting git): the same answer as git's in a repository, a folder of it, a linked worktree, a
    repository nested in another, and outside any."""
    git(repo, "worktree", "add", "-q", str(tmp_path / "linked"))
    (repo / "content" / "vendor").mkdir()
    git(repo / "content" / "vendor", "init", "-q")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folders = [repo, repo / "content", tmp_path / "linked" / "content", repo / "content" / "vendor", outside]
    assert _git_says(tmp_path) is None, "the test's temporary folder must not be inside a git repository"
    for folder in folders:
        found = top_level(folder)
        assert (str(found) if found else None) == _git_says(folder), folder
    monkeypatch.setenv("GIT_WORK_TREE", str(repo / "content"))
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert top_level(outside) == Path(_git_says(outside)) == repo / "content"


def test_no_top_level_when_the_working_directory_is_gone(monkeypatch):
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)

    def gone():
        raise FileNotFoundError("deleted")
    monkeypatch.setattr(os, "getcwd", gone)
    assert top_level() is None
