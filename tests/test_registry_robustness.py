"""Every broken registry is a clear `file:line` error — from `registry lint` (exit 1) and from
`check --registry` (exit 2) — never a traceback, whatever its size or encoding."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.cli import cli

BROKEN = Path(__file__).parent / "fixtures" / "broken_registries"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
# defects that need the whole registry (references/lint.py): reported by lint, not by loading
LINT_ONLY = {"conflicting-facts", "fact-about-fabricated", "overlapping-values", "parent-cycle", "shared-alias"}
LOCATED = re.compile(r"^\S+\.yaml:\d+:\d+: error: ", re.M)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.md"
    path.write_text("NATO has 32 members.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES)
def test_lint_and_check_report_each_defect_with_its_location(runner, article, case):
    folder = str(BROKEN / case)
    lint = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", folder])
    assert lint.exit_code == 1 and LOCATED.search(lint.stdout), lint.output
    check = runner.invoke(cli, ["check", str(article), "--registry", folder, "--no-cache", "--no-config"])
    if case in LINT_ONLY:  # the registry loads and is usable; only lint, which sees it whole, objects
        assert check.exit_code == 0, check.output
        if case != "shared-alias":  # facts that contradict each other: check warns, located
            assert re.search(r"^source-audit: \S+\.yaml:\d+:\d+: warning: ", check.stderr, re.M), check.stderr
            assert "conflicting fact(s)" in check.stderr
    else:
        assert check.exit_code == 2, check.output
        assert re.search(r"\.yaml:\d+:\d+: error: ", check.stderr), check.stderr
    assert "Traceback" not in lint.output + check.output


def test_a_50_mb_registry_file_is_read_and_its_defects_located(runner, tmp_path):
    path = tmp_path / "registry" / "big.yaml"
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as handle:
        handle.write("entities:\n  - id: org.big\n    name: Big\n    type: organisation\n    colour: blue\n")
        handle.write(("# " + "x" * 1021 + "\n") * 50 * 1024)
    assert path.stat().st_size > 50 * 2**20
    lint = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", str(path.parent)])
    assert lint.exit_code == 1
    assert f"{path}:5:5: error: entities.0: unknown key(s) 'colour'" in lint.stdout


def test_a_registry_file_over_the_size_limit_is_refused_unread(runner, tmp_path):
    path = tmp_path / "registry" / "huge.yaml"
    path.parent.mkdir()
    with path.open("wb") as handle:
        handle.truncate(65 * 2**20)  # sparse: costs no disk and is never read
    lint = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", str(path.parent)])
    assert lint.exit_code == 1 and f"{path}: error: file is larger than 64 MB" in lint.stdout


def test_a_registry_file_that_is_not_utf8(runner, tmp_path):
    path = tmp_path / "registry" / "latin1.yaml"
    path.parent.mkdir()
    path.write_bytes("entities:\n  - id: org.caf\n    name: Caf\xe9\n".encode("latin-1"))
    lint = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", str(path.parent)])
    assert lint.exit_code == 1 and f"{path}: error: not UTF-8: invalid continuation byte at byte" in lint.stdout
