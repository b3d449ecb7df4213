"""No catastrophic backtracking: every regular expression the audit runs (see regex_inventory.py)
is fed long worst-case strings and must finish with the right answer. How the time grows is
measured in bench/bench_regex.py (bench/README.md), never asserted here."""
from __future__ import annotations

import pytest

from audit.suppressions import find_suppressions
from claims.numbers import find_numbers
from references.patterns import PatternError, check_regex
from regex_inventory import ANCHORED, all_patterns, run, worst_case_strings

LENGTH = 20_000


@pytest.fixture(scope="module")
def patterns():
    return all_patterns()


def test_the_inventory_finds_the_code_and_registry_patterns(patterns):
    labels = set(patterns)
    assert {"claims.numbers._DIGITS", "audit.suppressions._COMMENT", "claims.loading._FRONT_MATTER"} <= labels
    assert ANCHORED <= labels
    assert any(label.startswith("signature:") for label in labels)
    assert any(label.startswith("claims.numbers:") for label in labels)  # built by a function while auditing
    assert len(patterns) > 80


def test_every_pattern_finishes_on_worst_case_strings(patterns):
    strings = worst_case_strings(LENGTH)
    for label, pattern in patterns.items():
        for family, text in strings.items():
            spans = run(label, pattern, text)
            assert all(0 <= start <= end <= len(text.encode() if isinstance(pattern.pattern, bytes) else text)
                       for start, end in spans), (label, family)


def test_unclosed_suppression_comments_are_linear_and_found_when_closed():
    opener = "<!-- source-audit: ignore SA201 "
    assert find_suppressions(opener * 30_000).comments == ()  # quadratic (minutes) before the fix
    closed = find_suppressions(opener * 30_000 + "the reason -->\nNATO has 30 members.\n")
    assert [(c.start, c.end) for c in closed.comments] == [(0, len(opener) * 30_000 + len("the reason -->"))]


@pytest.mark.parametrize("unit,count", [("1,", 20_000), ("1 ", 20_000), ("1.", 20_000), ("12,345 ", 5_000)])
def test_long_runs_of_digits_and_separators_give_the_right_numbers(unit, count):
    text = unit * count + "!"
    numbers = find_numbers(text, 0, len(text), "en")
    assert numbers and numbers[0].span.start == 0
    assert all(a.span.end <= b.span.start for a, b in zip(numbers, numbers[1:]))


@pytest.mark.parametrize("pattern,reason", [
    (r"(a+)+$", "nested unbounded repetition"),
    (r"(?:\w+\s?)*x", "nested unbounded repetition"),
    (r"(a|aa)*b", "alternatives that can match the same text"),  # exponential on 'aaa...a'
    (r"(?:the|then)+", "alternatives that can match the same text"),
    (r"(?:a*)*", "nested unbounded repetition"),
    (r"(x+x+)+y", "nested unbounded repetition"),
    (r"(a{1,200})+", "nested unbounded repetition"),
    (r"(a)\1", "backreferences"),
    (r"(?P<x>a)(?P=x)", "backreferences"),
    (r"(?:(a)|b)(?(1)c|d)", "backreferences"),
    (r"a" * 501, "longer than 500"),
    (r"(unclosed", "invalid regular expression"),
])
def test_lint_rejects_dangerous_user_patterns(pattern, reason):
    with pytest.raises(PatternError, match=reason):
        check_regex(pattern)


@pytest.mark.parametrize("pattern", [r"(?:cat|dog)+", r"\bauto-?generated\s+from\s+(?:a|the)\s+feed", r"(?:x|[a-z])*"])
def test_lint_accepts_safe_patterns(pattern):
    check_regex(pattern)
