"""--resume: a run killed halfway, resumed, gives the file an uninterrupted run writes: every
document once, nothing lost, nothing duplicated."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from audit.streaming import ResumeError, resume_from

from conftest import check

HERE = Path(__file__).parent
ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
AS_OF = ["--as-of", "2026-11-21"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """About 200 small articles: a JSON Lines file and a directory of Markdown files."""
    root = tmp_path_factory.mktemp("corpus")
    paragraphs = []
    for example in sorted(EXAMPLES.glob("*.md")):
        body = example.read_text(encoding="utf-8").split("---\n", 2)[-1]
        paragraphs.extend(p for p in body.split("\n\n") if len(p) > 80)
    records = []
    for i in range(160):
        text = "\n\n".join(paragraphs[(i * 3 + k) % len(paragraphs)] for k in range(4))
        records.append(json.dumps({"id": f"doc-{i}", "text": text, "published": "2025-06-01"}, ensure_ascii=False))
    (root / "articles.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    pages = root / "pages"
    pages.mkdir()
    for i in range(40):
        text = "\n\n".join(paragraphs[(i * 5 + k) % len(paragraphs)] for k in range(3))
        (pages / f"page-{i:03d}.md").write_text(f"---\nlanguage: en\n---\n{text}\n", encoding="utf-8")
    return root


def _uninterrupted(runner, corpus: Path, out: Path) -> str:
    result = check(runner, str(corpus), *AS_OF, "--format", "jsonl", "--output", str(out), "-j", "2")
    assert result.exit_code in (0, 1), result.output
    return out.read_text(encoding="utf-8")


def test_resume_from_counts_paths_and_truncates_a_torn_line(tmp_path):
    out = tmp_path / "out.jsonl"
    line = lambda path: json.dumps({"schema_version": 1, "tool": {"name": "source-audit"}, "path": path})
    out.write_text(line("a") + "\n" + line("b") + "\n" + line("a") + "\n" + line("c")[:17], encoding="utf-8")
    assert resume_from(out) == Counter({"a": 2, "b": 1})
    assert out.read_text(encoding="utf-8").endswith(line("a") + "\n")
    assert resume_from(tmp_path / "absent.jsonl") == Counter()


def test_resume_refuses_a_file_it_did_not_write(tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"path": "a", "tool": {"name": "source-audit"}}\n{"other": 1}\n{"path": "b", '
                   '"tool": {"name": "source-audit"}}\n', encoding="utf-8")
    with pytest.raises(ResumeError, match="notes.jsonl:2"):
        resume_from(out)
    assert out.read_text(encoding="utf-8").count("\n") == 3  # untouched


def test_resume_needs_one_jsonl_report(runner, tmp_path, corpus):
    article = str(EXAMPLES / "en-nato-partnerships.md")
    assert check(runner, article, "--resume").exit_code == 2
    assert check(runner, article, "--resume", "--format", "jsonl").exit_code == 2  # standard output
    both = check(runner, article, "--resume", "--output", f"jsonl:{tmp_path / 'a'}", "--output",
                 f"jsonl:{tmp_path / 'b'}")
    assert both.exit_code == 2 and "exactly one" in both.stderr
    with_baseline = check(runner, article, "--resume", "--output", f"jsonl:{tmp_path / 'c'}", "--write-baseline",
                          str(tmp_path / "baseline.json"))
    assert with_baseline.exit_code == 2


def test_resume_appends_what_is_missing(runner, tmp_path, corpus):
    expected = _uninterrupted(runner, corpus, tmp_path / "full.jsonl")
    lines = expected.splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_text("".join(lines[:70]) + lines[70][:100], encoding="utf-8")  # killed mid-line
    result = check(runner, str(corpus), *AS_OF, "--format", "text", "--output", f"jsonl:{partial}", "--resume",
                   "-j", "2")
    assert result.exit_code in (0, 1), result.output
    assert "70 document(s) already audited" in result.stderr
    assert partial.read_text(encoding="utf-8") == expected
    again = check(runner, str(corpus), *AS_OF, "--format", "jsonl", "--output", str(partial), "--resume")
    assert again.exit_code == 0 and partial.read_text(encoding="utf-8") == expected  # nothing left to do


def test_a_killed_run_resumed_loses_and_duplicates_nothing(runner, tmp_path, corpus):
    expected = _uninterrupted(runner, corpus, tmp_path / "full.jsonl")
    total = expected.count("\n")
    out = tmp_path / "killed.jsonl"
    command = [sys.executable, "-m", "audit", "check", str(corpus), *AS_OF, "--format", "jsonl", "--output",
               str(out), "--jobs", "2", "--no-cache"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and out.stat().st_size and out.read_bytes().count(b"\n") >= 15:
                break
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGKILL)  # the whole run: the command and its workers
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    written = out.read_bytes().count(b"\n")
    assert 15 <= written < total

    resumed = subprocess.run([*command, "--resume"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode in (0, 1), resumed.stderr
    final = out.read_text(encoding="utf-8")
    paths = [json.loads(line)["path"] for line in final.splitlines()]
    assert len(paths) == len(set(paths)) == total
    assert sorted(final.splitlines()) == sorted(expected.splitlines())
    assert final == expected  # even the order is the one of an uninterrupted run
