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


def test_several_reports_in_one_run_and_the_same_exit_code(runner, tmp_path):
    wrong = str(FIXTURES / "wrong.txt")
    result = run(runner, wrong, *AS_OF, "--format", "text", "--output", f"sarif:{tmp_path / 'out.sarif'}",
                 "--output", f"junit:{tmp_path / 'out.xml'}", "--output", f"json:{tmp_path / 'sub' / 'r.json'}")
    assert result.exit_code == 1
    assert "contradicted" in result.stdout
    assert json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert (tmp_path / "out.xml").read_text(encoding="utf-8").startswith("<?xml")
    assert json.loads((tmp_path / "sub" / "r.json").read_text(encoding="utf-8"))["schema_version"] == 1
    for name in ("text", "concise", "json", "jsonl", "sarif", "github", "junit", "markdown", "claimreview"):
        assert run(runner, wrong, *AS_OF, "--format", name).exit_code == 1, name
        assert run(runner, wrong, *AS_OF, "--format", name, "--fail-on", "never").exit_code == 0, name


def test_bare_output_path_replaces_standard_output(runner, tmp_path):
    result = run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--format", "json", "--output", str(tmp_path / "r.json"))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["documents"]


def test_bad_output_options_are_usage_errors(runner, tmp_path):
    path = str(FIXTURES / "clean.md")
    assert run(runner, path, "--output", f"pdf:{tmp_path / 'x.pdf'}").exit_code == 2
    assert run(runner, path, "--output", "sarif:").exit_code == 2
    assert run(runner, path, "--output", str(tmp_path / "a"), "--output", str(tmp_path / "b")).exit_code == 2
    (tmp_path / "dir").mkdir()
    result = run(runner, path, "--output", f"json:{tmp_path / 'dir'}")
    assert result.exit_code == 2 and "cannot write" in result.output


def test_github_format_appends_the_step_summary(runner, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--output", f"github:{tmp_path / 'gh.txt'}")
    assert result.exit_code == 1
    assert summary.read_text(encoding="utf-8").strip()
    before = summary.read_text(encoding="utf-8")
    run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--format", "json")
    assert summary.read_text(encoding="utf-8") == before  # only the github format writes it


def test_root_makes_report_paths_relative(runner):
    result = run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--format", "concise", "--root", str(FIXTURES.parent))
    assert result.stdout.startswith("cli/wrong.txt:1:")


def test_exit_zero(runner):
    assert run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--exit-zero").exit_code == 0
    assert run(runner, str(FIXTURES / "does-not-exist.md"), "--exit-zero").exit_code == 2


def test_fail_on_rule_codes(runner):
    wrong = str(FIXTURES / "wrong.txt")
    assert run(runner, wrong, *AS_OF, "--fail-on", "SA105").exit_code == 0
    assert run(runner, wrong, *AS_OF, "--fail-on", "SA201").exit_code == 1
    assert run(runner, wrong, *AS_OF, "--fail-on", "SA2,SA301").exit_code == 1
    assert run(runner, str(FIXTURES / "unknown.md"), "--fail-on", "contradicted,SA105").exit_code == 1
    result = run(runner, wrong, "--fail-on", "SA999")
    assert result.exit_code == 2 and "SA999" in result.output


def test_select_and_ignore(runner):
    wrong = str(FIXTURES / "wrong.txt")
    assert run(runner, wrong, *AS_OF, "--ignore", "SA201").exit_code == 0
    assert run(runner, wrong, *AS_OF, "--select", "SA1,SA3").exit_code == 0
    assert run(runner, wrong, *AS_OF, "--select", "SA2").exit_code == 1
    report = json.loads(run(runner, wrong, *AS_OF, "--ignore", "SA2", "--format", "json").stdout)
    assert all(not f["code"].startswith("SA2") for f in report["documents"][0]["findings"])
    result = run(runner, wrong, "--ignore", "SA2,XX1")
    assert result.exit_code == 2 and "XX1" in result.output


def test_configuration_rules_and_files(runner, tmp_path, monkeypatch):
    (tmp_path / "source-audit.toml").write_text(
        'exclude = ["drafts"]\ninclude = ["*.md"]\nignore = ["SA213"]\n'
        '[per-file-ignores]\n"quotes/*.md" = ["SA201"]\n', encoding="utf-8")
    for folder in ("drafts", "quotes", "news"):
        (tmp_path / folder).mkdir()
    toll = "The attack on Crocus City Hall in Moscow killed more than 150 people.\n"
    (tmp_path / "drafts" / "a.md").write_text(toll, encoding="utf-8")
    (tmp_path / "quotes" / "b.md").write_text(toll, encoding="utf-8")
    (tmp_path / "news" / "c.txt").write_text(toll, encoding="utf-8")
    (tmp_path / "news" / "d.md").write_text("In 2019 the group moved its base.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", ".", "--format", "json", *AS_OF])
    assert result.exit_code == 0, result.output
    documents = {d["path"]: d for d in json.loads(result.stdout)["documents"]}
    assert sorted(documents) == ["news/d.md", "quotes/b.md"]
    assert all(not d["findings"] for d in documents.values())
    assert runner.invoke(cli, ["check", "news/c.txt", *AS_OF]).exit_code == 1  # named files pass include...
    assert runner.invoke(cli, ["check", "drafts/a.md", *AS_OF]).output.startswith("0 document")  # ...not exclude
    shown = runner.invoke(cli, ["config"]).output
    assert 'quotes/*.md = SA201' in shown and "exclude = drafts" in shown and "ignore = SA213" in shown


def test_unknown_rule_code_in_configuration_names_file_and_key(runner, tmp_path, monkeypatch):
    (tmp_path / "source-audit.toml").write_text('[per-file-ignores]\n"a/*" = ["SA201", "SA777"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["check", "x.md"])
    assert result.exit_code == 2
    assert "source-audit.toml" in result.output and 'per-file-ignores."a/*"' in result.output
    assert "SA777" in result.output


def test_config_command_shows_every_key(runner, tmp_path, monkeypatch):
    from audit.config import KEYS
    monkeypatch.chdir(tmp_path)
    shown = runner.invoke(cli, ["config", "--no-config"]).output
    for key in KEYS:
        assert f"\n{key} = " in shown, key
    assert "\nroot = " in shown


def test_step_summary_is_written_once(runner, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--format", "github", "--output", f"github:{tmp_path / 'a'}")
    once = summary.read_text(encoding="utf-8")
    summary.unlink()
    run(runner, str(FIXTURES / "wrong.txt"), *AS_OF, "--format", "github")
    assert summary.read_text(encoding="utf-8") == once
