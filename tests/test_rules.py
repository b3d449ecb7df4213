"""Rules are first-class: documented with examples, listed by `rules`, explained by `rule`."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from audit.cli import cli
from audit.rules import LEVELS, RULES, RULES_BY_CODE, RuleSelection, find_rule, is_selector

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_is_documented_with_examples(rule):
    assert re.fullmatch(r"SA\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name), rule.name
    assert rule.summary.strip() and rule.docs.strip()
    assert rule.failing_example.strip() and rule.passing_example.strip()
    assert rule.failing_example != rule.passing_example
    assert rule.default_level in LEVELS
    assert rule.kind in ("finding", "flag", "notice")


def test_codes_and_names_are_unique():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)


def test_every_code_used_in_the_code_is_a_rule():
    used = set()
    for package in ("audit", "claims", "reports"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", ".html", ".js", ".yaml", ".json") and path.is_file():
                used |= set(re.findall(r"\bSA\d{3}\b", path.read_text(encoding="utf-8", errors="replace")))
    assert used, "the scan found the codes"
    assert sorted(used - set(RULES_BY_CODE)) == []


def test_selection_by_code_and_prefix():
    assert is_selector("SA2") and is_selector("SA201") and not is_selector("SA999") and not is_selector("")
    selection = RuleSelection(select=("SA2", "SA301"), ignore=("SA213",))
    assert selection.enabled("SA201") and selection.enabled("SA301")
    assert not selection.enabled("SA213") and not selection.enabled("SA105")
    assert not selection.enabled("SA201", extra_ignore=("SA20",))
    assert RuleSelection().enabled("SA903")


def test_find_rule_by_code_or_name():
    assert find_rule("sa201") is find_rule("casualty-figure") is RULES_BY_CODE["SA201"]
    assert find_rule("nope") is None


def test_rules_command_lists_every_rule(runner):
    result = runner.invoke(cli, ["rules"])
    assert result.exit_code == 0
    for rule in RULES:
        assert re.search(rf"^{rule.code}\s+{rule.name}\s+{rule.default_level}\s", result.output, re.M), rule.code
    data = json.loads(runner.invoke(cli, ["rules", "--format", "json"]).output)
    assert [r["code"] for r in data] == [r.code for r in RULES]


def test_rule_command_explains_one_rule(runner):
    result = runner.invoke(cli, ["rule", "SA201"])
    assert result.exit_code == 0
    rule = RULES_BY_CODE["SA201"]
    assert result.output.startswith("SA201 casualty-figure\n")
    assert "Fails:\n    " + rule.failing_example in result.output
    assert "Passes:\n    " + rule.passing_example in result.output
    assert "Default level: error" in result.output
    assert runner.invoke(cli, ["rule", "unused-suppression"]).output.startswith("SA902 ")


def test_unknown_rule_is_a_usage_error(runner):
    result = runner.invoke(cli, ["rule", "SA999"])
    assert result.exit_code == 2 and "SA999" in result.output


def _commands(group, prefix=()):
    import click
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help(runner):
    commands = list(_commands(cli))
    assert ("rules",) in commands and ("rule",) in commands and ("config",) in commands
    for path in [(), *commands]:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output, path
