"""Exit codes for CI: 0 clean, 1 findings at or above the threshold, 2 input errors."""
from __future__ import annotations

from .model import AuditResult, Verdict

LEVELS = {"never": None, "contradicted": {Verdict.CONTRADICTED}, "unverified": {Verdict.CONTRADICTED, Verdict.UNVERIFIED}}


def exit_code(result: AuditResult, fail_on: str) -> int:
    if any(d.error for d in result.documents):
        return 2
    if fail_on == "never":
        return 0
    if fail_on == "flag":
        failing = any(d.flags for d in result.documents) or any(
            f.verdict is Verdict.CONTRADICTED for f in result.findings())
        return 1 if failing else 0
    verdicts = LEVELS[fail_on]
    return 1 if any(f.verdict in verdicts for f in result.findings()) else 0
