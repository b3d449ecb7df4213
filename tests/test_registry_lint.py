"""`source-audit registry lint` finds every seeded defect at its line, and passes the bundled registry."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from audit.cli import cli
from references.lint import lint

BROKEN = Path(__file__).parent / "fixtures" / "broken_registries"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
_EXPECT = re.compile(r"#\s*expect:\s*(\d+):\s*(.+)")


def expectations(folder: Path) -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        for match in _EXPECT.finditer(path.read_text(encoding="utf-8")):
            out.append((path.name, int(match.group(1)), match.group(2).strip()))
    return out


@pytest.mark.parametrize("case", CASES)
def test_each_seeded_defect_is_reported_at_its_line(case):
    folder = BROKEN / case
    expected = expectations(folder)
    assert expected, f"{case} states no expectation"
    _, problems = lint([folder], include_bundled=False)
    errors = [p for p in problems if p.severity == "error"]
    for name, line, text in expected:
        assert any(Path(p.path).name == name and p.line == line and text in p.message for p in errors), \
            f"{case}: expected {name}:{line}: {text!r}; got {[str(p) for p in errors]}"
    assert len(errors) == len(expected), [str(p) for p in errors]


def test_bundled_registry_is_lint_clean():
    _, problems = lint([])
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_lint_command_exit_codes_and_format(runner):
    clean = runner.invoke(cli, ["registry", "lint"])
    assert clean.exit_code == 0, clean.output
    broken = runner.invoke(cli, ["registry", "lint", "--no-bundled-registry", str(BROKEN / "unknown-key")])
    assert broken.exit_code == 1
    assert re.search(r"a\.yaml:6:\d+: error: .*colour", broken.stdout)


def test_stats_and_lookup(runner):
    stats = runner.invoke(cli, ["registry", "stats"])
    assert stats.exit_code == 0 and "entities:" in stats.output and "facts:" in stats.output
    found = runner.invoke(cli, ["registry", "lookup", "NATO Intelligence Fusion Center"])
    assert found.exit_code == 0 and "nato.nifc" in found.output.splitlines()[0]
    acronym = runner.invoke(cli, ["registry", "lookup", "ISIS-K"])
    assert "org.iskp" in acronym.output and "acronym" in acronym.output
    fabricated = runner.invoke(cli, ["registry", "lookup", "NATO Counter-Terrorism Intelligence Fusion Centre"])
    assert "does not exist" in fabricated.output and "nato.nifc" in fabricated.output
    missing = runner.invoke(cli, ["registry", "lookup", "Zzyzx Qwerty Plover"])
    assert missing.exit_code == 1
