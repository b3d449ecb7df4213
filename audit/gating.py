"""Exit codes for CI: 0 clean, 1 findings at or above the threshold, 2 input errors.

The threshold (`--fail-on`) is a level, rule codes, or both, comma-separated:
- `contradicted` (default): contradicted claims, and notices whose rule level is `error`;
- `unverified`: also unverified claims and notices of level `unverified`;
- `flag`: contradicted claims, `error` notices and any provenance flag;
- `never`: nothing fails (input errors still exit 2);
- rule codes or prefixes (`SA201`, `SA3`): any finding (not verified), flag or notice of those rules.

Suppressed findings (inline or baselined) never fail. The result alone decides the exit code, so
it cannot depend on the output format or destination.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .model import AuditResult, Verdict
from .rules import RULES_BY_CODE, is_selector

LEVEL_NAMES = ("contradicted", "unverified", "flag", "never")
DEFAULT_FAIL_ON = "contradicted"
_ERROR_LEVELS = {"contradicted", "unverified", "flag"}  # every level fails on contradictions


@dataclass(frozen=True)
class FailOn:
    """A parsed --fail-on: levels and rule-code selectors, either of which makes a result fail."""

    levels: frozenset[str] = frozenset({DEFAULT_FAIL_ON})
    codes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ",".join((*sorted(self.levels, key=LEVEL_NAMES.index), *self.codes)) or "never"

    def _code(self, code: str) -> bool:
        return any(code.startswith(c) for c in self.codes)

    def finding_fails(self, finding) -> bool:
        if finding.suppression is not None or finding.verdict is Verdict.VERIFIED:
            return False
        if self._code(finding.code):
            return True
        if finding.verdict is Verdict.CONTRADICTED:
            return bool(self.levels & _ERROR_LEVELS)
        return "unverified" in self.levels

    def flag_fails(self, flag) -> bool:
        return "flag" in self.levels or self._code(flag.code)

    def notice_fails(self, notice) -> bool:
        if self._code(notice.code):
            return True
        rule = RULES_BY_CODE.get(notice.code)
        level = rule.default_level if rule else "error"
        if level == "error":
            return bool(self.levels & _ERROR_LEVELS)
        return level in self.levels


def parse_fail_on(value: str | Iterable[str] | FailOn) -> FailOn:
    """`contradicted`, `SA201,SA301`, `unverified,SA3` or a list of those; ValueError says what is wrong."""
    if isinstance(value, FailOn):
        return value
    items = value.split(",") if isinstance(value, str) else list(value)
    levels, codes = set(), []
    for raw in items:
        if not isinstance(raw, str):
            raise ValueError(f"expected a level or rule code, not {raw!r}")
        item = raw.strip()
        if item.lower() in LEVEL_NAMES:
            levels.add(item.lower())
        elif is_selector(item.upper()):
            codes.append(item.upper())
        else:
            raise ValueError(f"{item!r} is neither a level ({', '.join(LEVEL_NAMES)}) nor a rule code")
    if not levels and not codes:
        raise ValueError("expected a level (" + ", ".join(LEVEL_NAMES) + ") or rule codes")
    if "never" in levels and (len(levels) > 1 or codes):
        raise ValueError("'never' cannot be combined with other levels or codes")
    return FailOn(frozenset(levels - {"never"}), tuple(codes))


def failures(result: AuditResult, fail_on: str | FailOn) -> int:
    """How many findings, flags and notices fail the gate."""
    gate = parse_fail_on(fail_on)
    count = 0
    for document in result.documents:
        count += sum(1 for f in document.findings if gate.finding_fails(f))
        count += sum(1 for f in document.flags if gate.flag_fails(f))
        count += sum(1 for n in document.notices if gate.notice_fails(n))
    return count


def exit_code(result: AuditResult, fail_on: str | FailOn = DEFAULT_FAIL_ON, exit_zero: bool = False) -> int:
    """2 when any input could not be audited (even with `exit_zero`: an audit that did not read
    its input is not clean), else 0 with `exit_zero`, else 1 when anything fails the gate."""
    if any(d.error for d in result.documents):
        return 2
    if exit_zero:
        return 0
    return 1 if failures(result, fail_on) else 0
