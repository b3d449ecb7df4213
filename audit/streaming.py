"""The JSON Lines report written as documents complete, and resumed after an interrupted run.

Each document's line is written and flushed as soon as it and every document before it are
audited, so a run that is killed leaves a file of complete lines, in input order, plus at most one
torn line at the end. `resume_from(path)` truncates that torn line and counts the documents the
file already holds; the next run skips them and appends the rest, so the finished file has every
document exactly once, in the order an uninterrupted run writes them. Lines are also fsynced every
`SYNC_SECONDS`, so after a machine crash at most the lines of the last seconds are lost (and
written again by the resumed run).
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from reports import jsonl
from reports.formats import RenderOptions

from .baseline import counts
from .gating import FailOn, exit_code
from .model import AuditResult, DocumentResult, StreamedResult

SYNC_SECONDS = 1.0


class ResumeError(Exception):
    """The file to resume is not a source-audit JSON Lines report."""


def document_line(result: DocumentResult, tool_version: str, options: RenderOptions) -> str:
    """The JSON Lines report's line for one document, byte for byte what the whole report has."""
    one = AuditResult(documents=(result,), registry=None, tool_version=tool_version)  # type: ignore[arg-type]
    return jsonl.render(one, options)


@dataclass(frozen=True)
class ReportLines:
    """How each document's result becomes a StreamedResult: the report's options, the gate."""

    options: RenderOptions
    gate: FailOn | str
    exit_zero: bool
    tool_version: str

    def reduce(self, result: DocumentResult, with_line: bool = True) -> StreamedResult:
        """The result as a StreamedResult (its line left empty without `with_line`)."""
        one = AuditResult(documents=(result,), registry=None, tool_version=self.tool_version)  # type: ignore[arg-type]
        new, baselined = counts(one)
        return StreamedResult(path=result.path, error=result.error,
                              line=document_line(result, self.tool_version, self.options) if with_line else "",
                              exit_code=exit_code(one, self.gate, self.exit_zero), new=new, baselined=baselined,
                              text_bytes=text_bytes(result))


def text_bytes(result: DocumentResult | StreamedResult) -> int:
    """The size of a result's text in UTF-8 (what the progress bar counts), 0 for an error."""
    if isinstance(result, StreamedResult):
        return result.text_bytes
    return len(result.document.text.encode("utf-8", "replace")) if result.document is not None else 0


class JsonlWriter:
    """Writes one line per document to a file (appending when resuming) or a text stream."""

    def __init__(self, target: Path | IO[str], append: bool = False):
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            self._file: IO[bytes] | None = target.open("ab" if append else "wb")
            self._stream: IO[str] | None = None
        else:
            self._file, self._stream = None, target
        self._synced = time.monotonic()

    def write(self, line: str) -> None:
        """Write one document's line (`document_line`, `StreamedResult.line`) and flush it."""
        if self._stream is not None:
            self._stream.write(line)
            self._stream.flush()
            return
        assert self._file is not None
        self._file.write(line.encode("utf-8"))
        self._file.flush()
        if time.monotonic() - self._synced >= SYNC_SECONDS:
            os.fsync(self._file.fileno())
            self._synced = time.monotonic()

    def close(self) -> None:
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None


def resume_from(path: Path) -> Counter:
    """How many times each document path is in the JSON Lines report at `path` (none if there is
    no such file), after truncating a last line that a killed run left half written."""
    done: Counter = Counter()
    try:
        handle = path.open("r+b")
    except FileNotFoundError:
        return done
    except OSError as exc:
        raise ResumeError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        good = 0  # offset just after the last complete record
        number = 0
        for number, line in enumerate(handle, start=1):
            record = _record(line) if line.endswith(b"\n") else None
            if record is None:
                if handle.read(1):  # not the last line: this is not a file we wrote
                    raise ResumeError(f"{path}:{number}: not a source-audit JSON Lines record; cannot resume")
                break
            done[record["path"]] += 1
            good += len(line)
        if handle.seek(0, os.SEEK_END) != good:
            handle.truncate(good)
            handle.flush()
            os.fsync(handle.fileno())
    return done


def _record(line: bytes) -> dict | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):  # a half-written or hostile line ("[[[[…") is no record
        return None
    if (not isinstance(record, dict) or not isinstance(record.get("path"), str)
            or not isinstance(record.get("tool"), dict) or record["tool"].get("name") != "source-audit"):
        return None
    return record
