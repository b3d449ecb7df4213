"""--fail-on levels and codes, --exit-zero, suppressed findings, notices and input errors."""
from __future__ import annotations

import pytest

from audit.gating import exit_code, failures, parse_fail_on
from audit.model import (AuditResult, DocumentResult, Finding, Flag, Notice, RegistryInfo, Suppression,
                         Verdict)
from claims.model import Claim, ClaimType, Span

INFO = RegistryInfo("sha256:test", 0, 0, 0, 0)


def finding(verdict: Verdict, code: str = "SA201", suppression: Suppression | None = None) -> Finding:
    claim = Claim(ClaimType.QUANTITY, "killed 150", Span(0, 10), Span(0, 20), "deaths")
    return Finding(code, verdict, claim, "message", suppression=suppression)


def result(*findings, flags=(), notices=(), error=None) -> AuditResult:
    document = DocumentResult("a.md", findings=tuple(findings), flags=tuple(flags), notices=tuple(notices),
                              error=error)
    return AuditResult((document,), INFO, "test")


CONTRADICTED = result(finding(Verdict.CONTRADICTED))
UNVERIFIED = result(finding(Verdict.UNVERIFIED, "SA105"))
VERIFIED = result(finding(Verdict.VERIFIED))
FLAGGED = result(flags=[Flag("aggregator", "SA301", "aggregator")])


@pytest.mark.parametrize("audit,fail_on,expected", [
    (CONTRADICTED, "contradicted", 1), (CONTRADICTED, "unverified", 1), (CONTRADICTED, "flag", 1),
    (CONTRADICTED, "never", 0),
    (UNVERIFIED, "contradicted", 0), (UNVERIFIED, "unverified", 1), (UNVERIFIED, "flag", 0),
    (VERIFIED, "unverified", 0), (VERIFIED, "SA201", 0),
    (FLAGGED, "contradicted", 0), (FLAGGED, "flag", 1), (FLAGGED, "unverified", 0), (FLAGGED, "SA3", 1),
    (CONTRADICTED, "SA105", 0), (CONTRADICTED, "SA2", 1), (UNVERIFIED, "SA105", 1),
    (UNVERIFIED, "contradicted,SA105", 1), (FLAGGED, "contradicted,SA301", 1), (FLAGGED, "SA302", 0),
])
def test_levels_and_codes(audit, fail_on, expected):
    assert exit_code(audit, fail_on) == expected


def test_suppressed_findings_never_fail():
    for kind in ("inline", "baseline"):
        audit = result(finding(Verdict.CONTRADICTED, suppression=Suppression(kind, "why")))
        assert exit_code(audit, "unverified") == 0 and exit_code(audit, "SA201") == 0


def test_notices_fail_by_their_rule_level():
    no_reason = result(notices=[Notice("SA901", "no reason", Span(0, 5))])
    unused = result(notices=[Notice("SA902", "unused", Span(0, 5))])
    assert exit_code(no_reason, "contradicted") == 1 and exit_code(no_reason, "never") == 0
    assert exit_code(unused, "contradicted") == 0 and exit_code(unused, "unverified") == 1
    assert exit_code(unused, "SA902") == 1
    assert failures(no_reason, "flag") == 1


def test_exit_zero_forces_zero_but_not_over_input_errors():
    assert exit_code(CONTRADICTED, "contradicted", exit_zero=True) == 0
    broken = result(finding(Verdict.CONTRADICTED), error="cannot read")
    assert exit_code(broken, "never") == 2
    assert exit_code(broken, "contradicted", exit_zero=True) == 2


@pytest.mark.parametrize("text", ["sometimes", "SA999", "never,SA201", "", "contradicted,,nope"])
def test_bad_fail_on(text):
    with pytest.raises(ValueError):
        parse_fail_on(text)


def test_fail_on_is_parsed_and_shown():
    gate = parse_fail_on(" unverified , sa3 ")
    assert gate.levels == {"unverified"} and gate.codes == ("SA3",)
    assert str(gate) == "unverified,SA3"
    assert str(parse_fail_on(["SA201", "flag"])) == "flag,SA201"
    assert str(parse_fail_on("never")) == "never"
