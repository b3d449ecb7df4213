"""Parallel and streamed audits: the same results, byte for byte and in the same order, whatever
--jobs; JSON Lines written document by document; per-document errors stay per document."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from audit.engine import Auditor, Config, Task, iter_results, plan_tasks, run
from audit.parallel import _AuditorFromCache, chunks
from claims.language import DEFERRED
from references.index import RegistryIndex
from reports.formats import render

from conftest import check

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
INPUTS = HERE / "fixtures" / "inputs"
AS_OF = ["--as-of", "2026-11-21"]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Every kind of input, and inputs that fail: enough documents for several chunks."""
    root = tmp_path_factory.mktemp("mixed")
    for source in sorted(EXAMPLES.iterdir()):
        shutil.copy(source, root / source.name)
    for source in sorted(INPUTS.iterdir()):
        shutil.copy(source, root / f"input-{source.name}")
    paragraphs = [p for p in (EXAMPLES / "en-nato-partnerships.md").read_text(encoding="utf-8").split("\n\n")
                  if not p.startswith("---")]
    french = [p for p in (EXAMPLES / "fr-attentats-bilan.md").read_text(encoding="utf-8").split("\n\n")
              if not p.startswith("---")]
    records = []
    for i in range(60):  # no language stated: each one is detected (by the worker that audits it)
        text = "\n\n".join((french if i % 3 == 0 else paragraphs)[i % 4:i % 4 + 3])
        records.append(json.dumps({"id": f"r{i}", "text": text, "url": f"https://example.com/{i}"},
                                  ensure_ascii=False))
    records.insert(7, "{not json")
    records.insert(20, json.dumps({"id": "no-text"}))
    (root / "corpus.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    # no known suffix: sniffed, and this one holds JSON Lines
    (root / "feed.dump").write_text("\n".join(records[:5]) + "\n", encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    for i in range(12):
        (root / f"short-{i:02d}.txt").write_text(paragraphs[i % len(paragraphs)] + "\n", encoding="utf-8")
    return root


def test_jobs_give_identical_json(runner, mixed):
    reports = {}
    for jobs in ("1", "2", "3"):
        result = check(runner, str(mixed), str(mixed / "feed.dump"), str(mixed / "missing.md"), *AS_OF,
                       "--format", "json", "--jobs", jobs)
        assert result.exit_code == 2, result.output  # the missing file, the binary file, the bad lines
        reports[jobs] = result.stdout
    assert reports["1"] == reports["2"] == reports["3"]
    documents = json.loads(reports["1"])["documents"]
    assert len(documents) > 80
    errors = {d["path"] for d in documents if d["error"]}
    assert str(mixed / "missing.md") in errors and str(mixed / "binary.txt") in errors
    assert f"{mixed / 'corpus.jsonl'}:8" in errors
    languages = Counter(d["language"] for d in documents if not d["error"])
    assert languages["fr"] >= 20 and languages["en"] >= 40 and DEFERRED not in languages


def test_jobs_give_identical_jsonl_and_text(runner, mixed):
    for fmt in ("jsonl", "text", "sarif"):
        one = check(runner, str(mixed), *AS_OF, "--format", fmt, "-j", "1").stdout
        two = check(runner, str(mixed), *AS_OF, "--format", fmt, "-j", "2").stdout
        assert one == two, fmt


def test_run_api_in_parallel_matches(auditor, mixed):
    config = Config(today=__import__("datetime").date(2026, 11, 21), use_cache=False)
    serial = run([mixed], config, auditor)
    parallel = run([mixed], config, auditor, jobs=2)
    assert render("json", serial) == render("json", parallel)


def test_streamed_jsonl_file_is_the_whole_report(runner, mixed, tmp_path, auditor):
    out = tmp_path / "out.jsonl"
    result = check(runner, str(mixed), *AS_OF, "--format", "json", "--output", f"jsonl:{out}", "-j", "2")
    assert result.exit_code == 2
    config = Config(as_of=dt.date(2026, 11, 21))
    whole = run([mixed], config, Auditor.from_config(config))
    assert out.read_text(encoding="utf-8") == render("jsonl", whole)
    assert json.loads(result.stdout)["summary"]["documents"] == len(out.read_text().splitlines())


def test_jsonl_to_standard_output_streams_and_gates_like_the_whole_report(runner, mixed):
    result = check(runner, str(mixed / "corpus.jsonl"), *AS_OF, "--format", "jsonl", "-j", "2")
    lines = result.stdout.splitlines()
    assert len(lines) == 62 and all(json.loads(line)["path"].startswith(str(mixed)) for line in lines)
    assert result.exit_code == 2  # two bad records
    assert "corpus.jsonl:8: not valid JSON" in result.stderr
    clean = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), *AS_OF, "--format", "jsonl")
    whole = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), *AS_OF, "--format", "json")
    assert clean.exit_code == whole.exit_code


def test_baseline_is_applied_document_by_document(runner, mixed, tmp_path):
    baseline = tmp_path / "baseline.json"
    written = check(runner, str(mixed), *AS_OF, "--write-baseline", str(baseline), "--format", "json", "-j", "2")
    assert written.exit_code == 2
    outputs = []
    for jobs in ("1", "2"):
        result = check(runner, str(mixed), *AS_OF, "--baseline", str(baseline), "--format", "jsonl", "-j", jobs)
        outputs.append((result.stdout, result.stderr.splitlines()[-1]))
    assert outputs[0] == outputs[1]
    assert outputs[0][1].startswith("source-audit: 0 new, ")
    records = [json.loads(line) for line in outputs[0][0].splitlines()]
    assert any(f.get("suppression") for r in records for f in r["findings"])


def test_language_detection_is_left_to_the_worker(mixed):
    tasks = list(plan_tasks([mixed / "corpus.jsonl", mixed / "short-00.txt"], Config()))
    documents = [t for t in tasks if t.kind == "document"]
    assert len(documents) == 60 and all(t.document.language == DEFERRED for t in documents)
    assert tasks[-1] == Task("file", str(mixed / "short-00.txt"))
    stated = list(plan_tasks([mixed / "corpus.jsonl"], Config(language="fr")))
    assert all(t.document.language == "fr" for t in stated if t.kind == "document")


def test_results_stream_before_the_input_is_read(auditor, monkeypatch, tmp_path):
    """The first result comes back while most of a JSON Lines file is still unread: a bounded
    number of chunks is in flight, whatever the size of the input."""
    import audit.engine as engine

    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": f"Line {i}.", "language": "en"}) + "\n"
                              for i in range(2000)), encoding="utf-8")
    read = []
    real = engine._as_task
    monkeypatch.setattr(engine, "_as_task", lambda item: read.append(item) or real(item))
    results = iter_results([corpus], Config(as_of=__import__("datetime").date(2026, 11, 21)), auditor, jobs=2)
    first = next(results)
    assert first.path.endswith("#0")
    assert len(read) <= 2 * 2 * 32 + 1
    results.close()


def test_skip_leaves_out_documents_already_audited(mixed, auditor):
    config = Config(as_of=dt.date(2026, 11, 21))
    everything = [r.path for r in iter_results([mixed], config, auditor)]
    skip = Counter(everything[::2])
    rest = [r.path for r in iter_results([mixed], config, auditor, jobs=2, skip=skip)]
    assert rest == everything[1::2]


def test_chunks_close_at_a_count_or_a_size():
    small = [Task("failure", f"f{i}") for i in range(70)]
    assert [len(c) for c in chunks(small, max_tasks=32)] == [32, 32, 6]
    from claims.model import Document
    big = [Task("document", f"d{i}", document=Document(path=f"d{i}", text="x" * 1000)) for i in range(5)]
    assert [len(c) for c in chunks(big, max_tasks=32, max_chars=2500)] == [3, 2]


def test_spawned_workers_load_the_registry_from_the_cache_when_it_came_from_there(auditor):
    config = Config()
    assert _AuditorFromCache.wrap(Auditor.from_config(config), config).auditor is None
    assert _AuditorFromCache.wrap(auditor, config).auditor is auditor  # built in memory: sent as it is


def test_one_document_runs_without_a_pool(runner, monkeypatch):
    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", None)  # would fail if used
    result = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), *AS_OF, "--format", "json", "-j", "4")
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["summary"]["documents"] == 1


def test_no_progress_bar_off_a_terminal(runner, mixed):
    result = check(runner, str(mixed / "corpus.jsonl"), *AS_OF, "--format", "jsonl", "-j", "2")
    assert "documents" not in result.stderr and "MB/s" not in result.stderr


def test_workers_send_back_report_lines_that_are_the_whole_reports(mixed, auditor):
    """With ReportLines the workers reduce each result to its line, exit code and counts, which
    are what the whole result gives; the command then unpickles strings, not result objects."""
    from audit.baseline import counts
    from audit.gating import exit_code, parse_fail_on
    from audit.model import AuditResult, StreamedResult
    from audit.parallel import audit_tasks_in_processes
    from audit.streaming import ReportLines, document_line
    from reports.formats import RenderOptions

    config = Config(as_of=dt.date(2026, 11, 21))
    options = RenderOptions(include_text=True)
    gate = parse_fail_on("unverified")
    lines = ReportLines(options, gate, False, "9.9")
    whole = list(iter_results([mixed], config, auditor))
    streamed = list(audit_tasks_in_processes(plan_tasks([mixed], config), auditor, config, 2, lines))
    assert len(streamed) == len(whole) > 80 and all(isinstance(s, StreamedResult) for s in streamed)
    for full, reduced in zip(whole, streamed):
        one = AuditResult(documents=(full,), registry=None, tool_version="9.9")
        assert reduced.path == full.path and reduced.error == full.error
        assert reduced.line == document_line(full, "9.9", options)
        assert reduced.exit_code == exit_code(one, gate) and (reduced.new, reduced.baselined) == counts(one)
        size = len(full.document.text.encode("utf-8", "replace")) if full.document is not None else 0
        assert reduced.text_bytes == size
    assert {s.exit_code for s in streamed} == {0, 1, 2}
    assert [s.line for s in iter_results([mixed], config, auditor, lines=lines)] == [s.line for s in streamed]


def test_streamed_lines_gate_as_the_whole_report(runner, mixed):
    corpus = str(mixed / "corpus.jsonl")
    for gate in ([], ["--exit-zero"], ["--fail-on", "never"]):
        streamed = check(runner, corpus, str(mixed / "short-00.txt"), *AS_OF, "--format", "jsonl", "-j", "2", *gate)
        whole = check(runner, corpus, str(mixed / "short-00.txt"), *AS_OF, "--format", "json", "-j", "2", *gate)
        assert streamed.exit_code == whole.exit_code, gate
    clean = check(runner, str(mixed / "short-00.txt"), str(mixed / "short-01.txt"), *AS_OF, "--format", "jsonl",
                  "-j", "2", "--fail-on", "never")
    assert clean.exit_code == 0 and len(clean.stdout.splitlines()) == 2


def test_report_lines_need_the_whole_results_for_a_baseline(mixed, auditor, tmp_path):
    from audit.streaming import ReportLines
    from reports.formats import RenderOptions

    lines = ReportLines(RenderOptions(), "contradicted", False, "9.9")
    with pytest.raises(ValueError):
        iter_results([mixed], Config(baseline=str(tmp_path / "b.json")), auditor, lines=lines)


def test_workers_forked_from_a_warm_load_share_the_automata_built_before(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(RegistryIndex, "build_automata", lambda index: calls.append(index))
    config = Config(as_of=dt.date(2026, 11, 21), cache_dir=str(tmp_path / "cache"))
    auditor = Auditor.from_config(config)
    results = run([EXAMPLES], config, auditor, jobs=2).documents
    assert len(results) > 2 and calls == ([auditor.index] if sys.platform.startswith("linux") else [])
