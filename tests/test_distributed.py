"""--engine dask: the same audit on a Dask distributed cluster (a LocalCluster of two worker
processes on loopback here) gives exactly the local engine's results."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import check

HERE = Path(__file__).parent
EXAMPLES = HERE.parent / "examples"
INPUTS = HERE / "fixtures" / "inputs"
AS_OF = ["--as-of", "2026-11-21"]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed "
                                                            "(pip install 'source-audit[dask]')")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dask-inputs")
    for source in (*sorted(EXAMPLES.iterdir()), *sorted(INPUTS.iterdir())):
        shutil.copy(source, root / source.name)
    body = (EXAMPLES / "en-crocus-toll-syndicated.md").read_text(encoding="utf-8").split("---\n", 2)[-1]
    records = [json.dumps({"id": i, "text": body[i * 40:], "url": f"https://example.org/{i}"}) for i in range(40)]
    (root / "many.jsonl").write_text("\n".join(records) + "\nnot json\n", encoding="utf-8")
    (root / "empty.dat").write_bytes(b"\x00\x00")
    return root


def test_dask_engine_gives_the_local_results(runner, cluster, inputs):
    local = check(runner, str(inputs), str(inputs / "empty.dat"), *AS_OF, "--format", "json", "--jobs", "1")
    dask = check(runner, str(inputs), str(inputs / "empty.dat"), *AS_OF, "--format", "json", "--engine", "dask",
                 "--scheduler", cluster.scheduler_address)
    assert dask.exit_code == local.exit_code == 2  # the bad line and the binary file, as errors
    assert dask.stdout == local.stdout
    assert json.loads(dask.stdout)["summary"]["documents"] > 45


def test_dask_engine_writes_the_same_jsonl_report(runner, cluster, inputs, tmp_path):
    local, remote = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    check(runner, str(inputs / "many.jsonl"), *AS_OF, "--output", f"jsonl:{local}", "--format", "concise")
    result = check(runner, str(inputs / "many.jsonl"), *AS_OF, "--output", f"jsonl:{remote}", "--format",
                   "concise", "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert result.exit_code == 2
    assert remote.read_bytes() == local.read_bytes()


def test_dask_workers_send_back_the_report_lines(runner, cluster, inputs, auditor):
    import datetime as dt

    from audit.engine import Config, iter_results
    from audit.model import StreamedResult
    from audit.streaming import ReportLines
    from reports.formats import RenderOptions

    config = Config(as_of=dt.date(2026, 11, 21))
    lines = ReportLines(RenderOptions(), "contradicted", False, "9.9")
    local = list(iter_results([inputs], config, auditor, lines=lines))
    remote = list(iter_results([inputs], config, auditor, lines=lines, engine="dask",
                               scheduler=cluster.scheduler_address))
    assert all(isinstance(r, StreamedResult) for r in remote) and remote == local
    # and the command's report, to standard output
    jsonl = check(runner, str(inputs / "many.jsonl"), *AS_OF, "--format", "jsonl", "--engine", "dask",
                  "--scheduler", cluster.scheduler_address)
    assert jsonl.stdout == check(runner, str(inputs / "many.jsonl"), *AS_OF, "--format", "jsonl", "-j", "1").stdout


def test_dask_engine_without_the_extra_is_a_usage_error(runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    result = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), "--engine", "dask")
    assert result.exit_code == 2
    assert "pip install 'source-audit[dask]'" in result.stderr


def test_unreachable_scheduler_is_a_usage_error(runner, monkeypatch):
    pytest.importorskip("distributed")
    import audit.distributed

    monkeypatch.setattr(audit.distributed, "CONNECT_TIMEOUT", "1s")
    result = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), "--engine", "dask", "--scheduler",
                   "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr


def test_scheduler_needs_the_dask_engine(runner):
    result = check(runner, str(EXAMPLES / "en-nato-partnerships.md"), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2 and "--engine dask" in result.stderr
