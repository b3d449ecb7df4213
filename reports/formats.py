"""Every report format by name: each renders the same AuditResult to a string.

The CLI picks formats from here (`--format`, `--output FORMAT:FILE`); adding a format is adding
one module and one line to `FORMATS`. Output is deterministic: the same result gives the same bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from audit.model import AuditResult

from . import claimreview, concise, github, json_report, jsonl, junit, markdown, sarif


@dataclass(frozen=True)
class RenderOptions:
    include_text: bool = False      # json/jsonl: each document's audited text
    show_verified: bool = False     # text/concise/markdown/github: list verified findings too
    root: Path | None = None        # repository root: SARIF/github/concise paths are made relative to it
    width: int = 120                # text
    color: bool = False             # text
    summary_path: Path | None = None  # github: where to append the Markdown step summary ($GITHUB_STEP_SUMMARY)


def _text(result: AuditResult, options: RenderOptions) -> str:
    from . import console as console_report  # rich is imported only for this format
    return console_report.render_string(result, options.show_verified, options.width, options.color)


def _json(result: AuditResult, options: RenderOptions) -> str:
    return json_report.render(result, include_text=options.include_text)


FORMATS: dict[str, Callable[[AuditResult, RenderOptions], str]] = {
    "text": _text,
    "concise": concise.render,
    "json": _json,
    "jsonl": jsonl.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "claimreview": claimreview.render,
}

# The usual file name suffix of each format, for `--output FILE` without an explicit format.
EXTENSIONS = {"text": "txt", "concise": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif",
              "github": "txt", "junit": "xml", "markdown": "md", "claimreview": "jsonld"}


def render(name: str, result: AuditResult, options: RenderOptions = RenderOptions()) -> str:
    """The report `name` (a key of FORMATS) of `result`; ValueError for an unknown format."""
    try:
        renderer = FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown report format {name!r} (known: {', '.join(FORMATS)})") from None
    return renderer(result, options)
