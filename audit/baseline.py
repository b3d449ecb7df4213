"""Baselines: the findings already reviewed, so that CI fails only on new ones (semgrep's convention).

A baseline is a JSON file listing findings by `finding_key` (rule code + path relative to the
project root + folded claim text), never by line, so text that moves or is re-wrapped stays
baselined. Keys count once per occurrence: a second identical claim added later is new.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .fingerprint import finding_key, normalise_path
from .model import AuditResult, DocumentResult, Finding, Suppression, Verdict

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a source-audit baseline."""


def relative_path(path: str, root: Path | str | None) -> str:
    """A document path as baselines store it: relative to `root` when inside it, forward slashes.

    JSON Lines records (`file.jsonl#id`) keep their record part; standard input stays `<stdin>`.
    """
    if root is None or path.startswith("<"):
        return normalise_path(path)
    file_part, record = path, ""
    if not os.path.exists(path) and "#" in path:
        file_part, record = path.rsplit("#", 1)
        record = "#" + record
    for base, target in ((os.path.abspath(root), os.path.abspath(file_part)),
                         (os.path.realpath(root), os.path.realpath(file_part))):
        try:
            return normalise_path(Path(target).relative_to(base).as_posix()) + record
        except ValueError:
            continue
    return normalise_path(path)


def baseline_candidates(document: DocumentResult) -> list[Finding]:
    """The findings a baseline records: not verified and not suppressed inline (findings an
    older baseline matched are recorded again, so rewriting a baseline keeps them)."""
    return [f for f in document.findings if f.verdict is not Verdict.VERIFIED
            and (f.suppression is None or f.suppression.kind == "baseline")]


@dataclass(frozen=True)
class Baseline:
    keys: Counter

    @classmethod
    def load(cls, path: Path | str) -> "Baseline":
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline file (write one with --write-baseline)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
        return cls.from_text(text, str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "baseline") -> "Baseline":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{source}: not valid JSON: {exc}") from None
        except RecursionError:  # "[[[[…": the json module recurses into nested arrays
            raise BaselineError(f"{source}: not valid JSON: nested too deeply") from None
        if not isinstance(data, dict) or data.get("tool") != "source-audit" or not isinstance(data.get("findings"), list):
            raise BaselineError(f"{source}: not a source-audit baseline (expected \"tool\": \"source-audit\" "
                                "and a \"findings\" list)")
        if data.get("version") != VERSION:
            raise BaselineError(f"{source}: baseline version {data.get('version')!r} is not supported "
                                f"(this source-audit writes version {VERSION})")
        keys = Counter()
        for number, entry in enumerate(data["findings"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise BaselineError(f"{source}: findings[{number}] has no \"key\" string")
            keys[entry["key"]] += 1
        return cls(keys)

    @property
    def size(self) -> int:
        return sum(self.keys.values())

    def apply(self, result: AuditResult, root: Path | str | None,
              touched: Callable[[DocumentResult, Finding], bool] = lambda d, f: False) -> AuditResult:
        """Mark findings the baseline lists as Suppression("baseline").

        Each entry matches one finding. Findings on lines nobody touched are matched first, so a
        copy of an old claim pasted above it is the one reported as new (`touched` says which
        findings are on changed lines; without --changed-since, none are).
        """
        remaining = Counter(self.keys)
        documents = []
        for document in result.documents:
            path = relative_path(document.path, root)
            findings = list(document.findings)
            order = sorted((i for i, f in enumerate(findings)
                            if f.verdict is not Verdict.VERIFIED and f.suppression is None),
                           key=lambda i: (touched(document, findings[i]), i))
            for i in order:
                key = finding_key(path, findings[i])
                if remaining[key] > 0:
                    remaining[key] -= 1
                    findings[i] = replace(findings[i], suppression=Suppression("baseline", ""))
            documents.append(replace(document, findings=tuple(findings)))
        return replace(result, documents=tuple(documents))


def baseline_text(result: AuditResult, root: Path | str | None) -> str:
    """The baseline for `result`: every finding not verified and not suppressed inline, sorted."""
    entries = []
    for document in result.documents:
        path = relative_path(document.path, root)
        for finding in baseline_candidates(document):
            entries.append({"key": finding_key(path, finding), "code": finding.code, "path": path,
                            "text": " ".join(finding.claim.text.split())})
    entries.sort(key=lambda e: (e["path"], e["code"], e["text"], e["key"]))
    data = {"version": VERSION, "tool": "source-audit", "findings": entries}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def counts(result: AuditResult) -> tuple[int, int]:
    """(new, baselined): findings not verified that count, and those the baseline matched."""
    new = baselined = 0
    for finding in result.findings():
        if finding.suppression is not None:
            baselined += finding.suppression.kind == "baseline"
        elif finding.verdict is not Verdict.VERIFIED:
            new += 1
    return new, baselined
