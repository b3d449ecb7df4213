"""The command line: exit codes, formats, unreadable files among good ones, python -m audit."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from audit.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
AS_OF = ["--as-of", "2026-11-21"]


def run(runner, *args):
    return runner.invoke(cli, ["check", *args], catch_exceptions=False)


def test_clean_article_exits_zero(runner):
    result = run(runner, str(FIXTURES / "clean.md"))
    assert result.exit_code == 0, result.output
    assert "verified" in result.output


def test_contradicted_claim_exits_one_whatever_the_format(runner, tmp_path):
    for extra in ([], ["--format", "json"], ["--format", "json", "--output", str(tmp_path / "r.json")]):
        result = run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, *extra)
        assert result.exit_code == 1, (extra, result.output)


def test_fail_on_levels(runner):
    path = str(FIXTURES / "unknown.md")
    assert run(runner, path).exit_code == 0
    assert run(runner, path, "--fail-on", "unverified").exit_code == 1
    assert run(runner, str(FIXTURES / "wrong.txt"), "--fail-on", "never").exit_code == 0


def test_usage_error_exits_two(runner):
    assert runner.invoke(cli, ["check"]).exit_code == 2
    assert runner.invoke(cli, ["check", "x", "--as-of", "yesterday"]).exit_code == 2
    assert runner.invoke(cli, ["check", "x", "--format", "pdf"]).exit_code == 2


def test_unreadable_file_is_reported_and_the_others_are_audited(runner, tmp_path):
    for name in ("clean.md", "wrong.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    shutil.copy(FIXTURES / "binary.txt.bin", tmp_path / "broken.txt")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 NATO".encode("latin-1"))
    (tmp_path / "russian.txt").write_bytes("Теракт в Крокус Сити Холле".encode("cp1251"))
    result = runner.invoke(cli, ["check", str(tmp_path), "--format", "json", "--include-text", *AS_OF],
                           catch_exceptions=False)
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert by_name["broken.txt"]["error"] and "binary" in by_name["broken.txt"]["error"]
    assert by_name["latin1.txt"]["error"] is None and by_name["latin1.txt"]["text"] == "Caf\xe9 NATO"
    assert by_name["russian.txt"]["error"] and "UTF-8" in by_name["russian.txt"]["error"]
    assert by_name["wrong.txt"]["error"] is None and by_name["wrong.txt"]["findings"]
    assert by_name["clean.md"]["findings"]
    assert "broken.txt" in result.stderr


def test_missing_path_is_an_input_error(runner):
    result = run(runner, str(FIXTURES / "does-not-exist.md"), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["documents"][0]["error"] == "no such file or directory"


def test_broken_registry_exits_two_with_file_and_line(runner, tmp_path):
    (tmp_path / "bad.yaml").write_text("entities:\n  - id: org.x\n    name: X\n", encoding="utf-8")
    result = run(runner, str(FIXTURES / "clean.md"), "--registry", str(tmp_path))
    assert result.exit_code == 2
    assert "bad.yaml:2:" in result.stderr


def test_html_report_is_written(runner, tmp_path):
    result = run(runner, str(FIXTURES), "--html", str(tmp_path / "report"), *AS_OF)
    assert result.exit_code == 1
    assert (tmp_path / "report" / "index.html").is_file()


def test_python_dash_m_audit_works():
    proc = subprocess.run([sys.executable, "-m", "audit", "check", str(FIXTURES / "clean.md"), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema_version"] == 1


def test_every_command_has_help(runner):
    for args in (["--help"], ["check", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_configuration_file_names_registries_and_defaults(runner, tmp_path, monkeypatch):
    registry = tmp_path / "newsroom-registry"
    registry.mkdir()
    (registry / "local.yaml").write_text(
        "entities:\n  - id: org.example-desk\n    name: Example Verification Desk\n    type: organisation\n"
        "    sources: [{url: 'https://example.org/desk', title: 'Example'}]\n", encoding="utf-8")
    (tmp_path / "source-audit.toml").write_text('registries = ["newsroom-registry"]\nfail-on = "unverified"\n',
                                               encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("The Example Verification Desk met in Vienna.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "a.md", "--format", "json"])
    report = json.loads(result.stdout)
    assert any(f["reference"] and f["reference"]["id"] == "org.example-desk"
               for f in report["documents"][0]["findings"])
    shown = runner.invoke(cli, ["config"])
    assert shown.exit_code == 0 and "fail-on = unverified" in shown.output and "source-audit.toml" in shown.output
    assert runner.invoke(cli, ["check", "a.md", "--no-config"]).exit_code == 0


def test_unknown_configuration_key_is_a_usage_error(runner, tmp_path, monkeypatch):
    (tmp_path / "source-audit.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "x.md"])
    assert result.exit_code == 2 and "fail_on" in result.output
