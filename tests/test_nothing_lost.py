"""Nothing lost, nothing escapes: reports and baselines are replaced atomically even when the
write is interrupted, and no document path or registry can make the tool write outside its output
directory or run code. (`--resume` on JSON Lines: tests/test_resume.py.)"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import reports.files
from audit.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _strays(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failure", ["rename", "write"])
def test_an_interrupted_report_write_leaves_the_previous_report(runner, tmp_path, monkeypatch, failure):
    report = tmp_path / "report.json"
    report.write_text('{"previous": true}\n', encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"previous": "baseline"}\n', encoding="utf-8")
    if failure == "rename":  # interrupted (Ctrl-C) just before the rename
        def interrupted(*args):
            raise KeyboardInterrupt
        monkeypatch.setattr(reports.files.os, "replace", interrupted)
    else:  # the disk fills up halfway through the temporary file
        real_fdopen = os.fdopen

        def half_full(fd, *args, **kwargs):
            handle = real_fdopen(fd, *args, **kwargs)
            write = handle.write

            def write_half(text):
                write(text[:len(text) // 2])
                raise OSError(28, "No space left on device")
            handle.write = write_half
            return handle
        monkeypatch.setattr(reports.files.os, "fdopen", half_full)
    for option, target in (("--output", f"json:{report}"), ("--write-baseline", str(baseline))):
        result = runner.invoke(cli, ["check", str(EXAMPLES), "--jobs", "1", "--no-config", option, target,
                                     "--format", "concise"])
        if failure == "rename":
            assert result.exit_code == 1 and "Aborted!" in result.output  # click's answer to Ctrl-C
        else:
            assert result.exit_code == 2 and f"cannot write {target.removeprefix('json:')}: No space left" \
                in result.stderr
    assert report.read_text(encoding="utf-8") == '{"previous": true}\n'
    assert baseline.read_text(encoding="utf-8") == '{"previous": "baseline"}\n'
    assert _strays(tmp_path) == []  # the temporary file is removed


_WRITER = """
import sys
from reports.files import write_text_atomic
path, first, second = sys.argv[1], "A" * 4_000_000 + "\\n", "B" * 6_000_000 + "\\n"
print("ready", flush=True)
while True:
    write_text_atomic(path, first)
    write_text_atomic(path, second)
"""


def test_a_writer_killed_with_sigkill_leaves_a_whole_old_or_new_file(tmp_path):
    """kill -9 cannot be cleaned up after: the report is whole, a temporary `.NAME.*.tmp` may stay."""
    path = tmp_path / "report.json"
    outcomes = set()
    for delay in (0.05, 0.11, 0.17, 0.23):
        process = subprocess.Popen([sys.executable, "-c", _WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert process.stdout.readline() == b"ready\n"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        text = path.read_text(encoding="utf-8")
        assert text in ("A" * 4_000_000 + "\n", "B" * 6_000_000 + "\n")
        outcomes.add(text[0])
        for stray in _strays(tmp_path):
            assert stray.startswith(".report.json.")
            (tmp_path / stray).unlink()
    assert outcomes  # at least one complete file was seen


HOSTILE_IDS = ["../../escaped", "/tmp/absolute-escape", "..", ".", "a/../../b", "x\ny", "nul\u0000byte",
               "é" * 300, "con", "\u202eexe.md", "<script>alert(1)</script>"]


def test_document_paths_never_escape_the_html_directory(runner, tmp_path):
    corpus = tmp_path / "in" / "corpus.jsonl"
    corpus.parent.mkdir()
    corpus.write_text("".join(json.dumps({"id": i, "text": "NATO has 30 members."}) + "\n" for i in HOSTILE_IDS),
                      encoding="utf-8")
    (tmp_path / "in" / "..evil.md").write_text("NATO has 30 members.\n", encoding="utf-8")
    out = tmp_path / "work" / "report"
    before = set(Path("/tmp").iterdir())
    result = runner.invoke(cli, ["check", str(corpus), str(tmp_path / "in" / "..evil.md"), "--html", str(out),
                                 "--jobs", "1", "--no-config", "--format", "concise"])
    assert result.exit_code == 1, result.output
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    pages = [p for p in written if p.parts[:2] == ("work", "report")]
    assert sorted(map(str, set(written) - set(pages))) == ["in/..evil.md", "in/corpus.jsonl"]
    assert len(pages) == len(HOSTILE_IDS) + 2  # the index and one page per document
    for page in pages:
        assert len(page.parts) == 3 and len(page.name) < 100
        assert page.name == "index.html" or page.name.startswith("doc-")
    assert set(Path("/tmp").iterdir()) - before <= {p for p in Path("/tmp").iterdir() if "pytest" in p.name}


def test_front_matter_python_tags_are_an_error_not_code(runner, tmp_path):
    marker = tmp_path / "pwned"
    article = tmp_path / "tagged.md"
    article.write_text(f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n---\nNATO has 32 members.\n",
                       encoding="utf-8")
    result = runner.invoke(cli, ["check", str(article), "--jobs", "1", "--no-config", "--format", "json"])
    assert result.exit_code == 2
    [document] = json.loads(result.stdout)["documents"]
    assert document["error"].startswith("front matter is not valid YAML")
    assert not marker.exists()


def test_registry_python_tags_are_an_error_not_code(runner, tmp_path):
    marker = tmp_path / "pwned"
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "a.yaml").write_text(f"entities: !!python/object/apply:os.system ['touch {marker}']\n",
                                     encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("NATO has 32 members.\n", encoding="utf-8")
    lint = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", str(registry)])
    assert lint.exit_code == 1 and f"{registry / 'a.yaml'}:1:11: error: YAML tag" in lint.output
    check = runner.invoke(cli, ["check", str(article), "--registry", str(registry), "--no-cache", "--no-config"])
    assert check.exit_code == 2 and "YAML tag '!!python/object/apply:os.system' is not allowed" in check.stderr
    assert "Traceback" not in check.output + lint.output
    assert not marker.exists()
